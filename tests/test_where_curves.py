"""``where=`` / ``--where COLUMN=VALUE`` on the curves commands: curves of two training
corpora, narrowed to one, fit and backtest as that corpus's curves alone do, the other's
runs never screened, with ``fit --where``'s errors."""

from __future__ import annotations

import json
import re
from pathlib import Path

import numpy as np
import pytest
from tests._cli import cli
from tests.test_curves import SPECS, _synthetic

from scalinglab import ConfigError
from scalinglab.curves import CurveFit, Tissue, backtest_curves, fit_curves, read_lr_curves
from scalinglab.curves._where import Selection

TRUTH = {"a": {"L0": 2.8, "A": 0.6, "alpha": 0.45, "C": 0.8},
         "b": {"L0": 3.3, "A": 0.9, "alpha": 0.3, "C": 1.5}}  # fmt: skip


def _rows(corpus: str, seed: int) -> list[str]:
    out = []
    for c in _synthetic(Tissue(), TRUTH[corpus], SPECS, noise=1e-3, seed=seed, every=50):
        loss = c.loss.copy()
        if corpus == "b" and c.run == "run3":
            loss[-3:] = np.inf  # b's last run diverged
        out += [f"{corpus}{c.run[-1]},{corpus},{k},{c.schedule.lr[k]},{v}"
                for k, v in zip(c.step, loss, strict=True)]  # fmt: skip
    return out


@pytest.fixture(scope="module")
def corpora(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, Path]:
    """Four curves of corpus a and four of b, in one long file; a's alone in another."""
    folder = tmp_path_factory.mktemp("where_curves")
    both, alone = folder / "both.csv", folder / "a.csv"
    header = "run,dataset,step,lr,loss\n"
    both.write_text(header + "\n".join(_rows("b", 7) + _rows("a", 6)) + "\n")
    alone.write_text(header + "\n".join(_rows("a", 6)) + "\n")
    return both, alone


def test_fit_curves_where_fits_as_the_corpus_alone(
    corpora: tuple[Path, Path], tmp_path: Path
) -> None:
    both, alone = corpora
    with pytest.warns(UserWarning, match="'b3'"):  # b's diverged run: seen unless where
        pooled = fit_curves(str(both), law="tissue", bootstrap=0)
    kept = fit_curves(str(both), law="tissue", bootstrap=0, where={"dataset": "a"})
    own = fit_curves(str(alone), law="tissue", bootstrap=0)
    assert dict(kept.coefs) == dict(own.coefs) and kept.runs == ("a0", "a1", "a2", "a3")
    assert kept.coefs["L0"] == pytest.approx(2.8, rel=0.01)
    assert pooled.objective > 100 * kept.objective  # b's curves follow another law
    assert kept.where == {"dataset": "a"} and own.where == {} and kept.left_out == {}
    kept.save(tmp_path / "fit.json")
    assert CurveFit.load(tmp_path / "fit.json").where == {"dataset": "a"}
    curves = read_lr_curves(str(both), where=[("dataset", "a")])
    assert [c.run for c in curves] == ["a0", "a1", "a2", "a3"]
    with pytest.raises(ConfigError) as refused:
        fit_curves(curves, law="tissue", bootstrap=0, where={"dataset": "a"})
    assert refused.value.message == (
        "scalinglab.fit_curves: where= applies when reading; these curves were read "
        "already: pass it to read_lr_curves"
    )
    bt = backtest_curves(str(both), train=["a0", "a1", "a2"], law="tissue", where={"dataset": "a"})
    own_bt = backtest_curves(str(alone), train=["a0", "a1", "a2"], law="tissue")
    assert bt.held_out_runs == ("a3",) and bt.mean_are == own_bt.mean_are
    assert bt.fit.where == {"dataset": "a"}


def test_where_errors_name_the_columns_and_values(corpora: tuple[Path, Path]) -> None:
    both, _ = corpora
    for where, message, hint in (
        ({"corpus": "a"}, f"no text column 'corpus' in {both}", "its text columns are dataset, run"),
        ({"dataset": "c"}, f"no run has dataset = 'c' in {both}", "its values are a, b"),
        ([("dataset", "a"), ("dataset", "b")],
         f"no run has dataset = 'b' among the 4 runs selected in {both}", "its values are a"),
    ):  # fmt: skip
        with pytest.raises(ConfigError) as caught:
            read_lr_curves(str(both), where=where)
        assert (caught.value.message, caught.value.hint) == (message, hint)


def test_curves_cli_where_records_the_filter(
    capsys: pytest.CaptureFixture[str], corpora: tuple[Path, Path]
) -> None:
    both, alone = corpora
    code, out, err = cli(capsys, "curves", "fit", str(both), "--where", "dataset=a",
                         "--law", "tissue", "--bootstrap", "0", "--json")  # fmt: skip
    assert code == 0 and "b3" not in err  # b's diverged run is not even read
    kept = json.loads(out)
    code, out, _ = cli(capsys, "curves", "fit", str(alone), "--law", "tissue", "--bootstrap",
                       "0", "--json")  # fmt: skip
    own = json.loads(out)
    assert kept["coefs"] == own["coefs"] and kept["where"] == {"dataset": "a"}
    code, out, _ = cli(capsys, "curves", "backtest", str(both), "--where", "dataset=a",
                       "--train", "a0,a1,a2", "--law", "tissue", "--json")  # fmt: skip
    data = json.loads(out)
    assert code == 0 and data["where"] == {"dataset": "a"}
    assert [h["run"] for h in data["held_out"]] == ["a3"]
    for command in (["fit"], ["backtest", "--train", "a0"]):
        code, out, err = cli(capsys, "curves", *command, str(both), "--where", "dataset=c")
        assert (code, out, err) == (
            2, "", f"error: no run has dataset = 'c' in {both}\nhint: its values are a, b\n"
        )  # fmt: skip


@pytest.mark.heavy  # 3.4 s in the suite on a 2-core AMD EPYC
def test_fit_from_curves_where_keeps_the_curves_before_the_curve_fit(
    capsys: pytest.CaptureFixture[str], corpora: tuple[Path, Path]
) -> None:
    # (it narrowed the runs derived from every curve, which have no text column: an error)
    both, alone = corpora
    fits = []
    for given in ([str(both), "--where", "dataset=a"], [str(alone)]):
        code, out, _ = cli(capsys, "fit", "--from-curves", *given, "--law", "E + B*D**-beta",
                           "--bootstrap", "0", "--no-compare", "--json")  # fmt: skip
        assert code == 0
        fits.append(json.loads(out))
    assert fits[0]["coefs"] == fits[1]["coefs"]
    # the fit records the curves' filter, as a fit of runs records its --where
    assert (fits[0]["where"], fits[1]["where"]) == ({"dataset": "a"}, {})
    assert fits[0]["source"] == (
        f"cooled-down losses predicted from 4 of the 8 curves of {both} where dataset = a (34 runs)"
    )


def test_report_curves_where_keeps_the_runs_and_says_so_on_its_card(
    capsys: pytest.CaptureFixture[str], corpora: tuple[Path, Path], tmp_path: Path
) -> None:
    both, _ = corpora
    out = tmp_path / "curves.html"
    code, _, err = cli(capsys, "report", str(both), "--curves", "--train", "a0,a1,a2",
                       "--curve-law", "tissue", "--where", "dataset=a", "--bootstrap", "0",
                       "--out", str(out))  # fmt: skip
    page = out.read_text()
    assert code == 0 and "--where dataset=a" in page and "'b3'" not in err
    assert re.search(r"\ba3\b", page) and not re.search(r"\bb[0-3]\b", page)  # b's runs: none


@pytest.mark.heavy  # 2.7 s in the suite on a 2-core AMD EPYC
def test_curves_of_two_corpora_pooled_warn_as_fit_does(
    capsys: pytest.CaptureFixture[str], corpora: tuple[Path, Path]
) -> None:
    both, _ = corpora
    pooled = (
        "the curves span 2 values of 'dataset' (b, a), fitted as one: a curve law holds for "
        "one training distribution — choose one with --where dataset=b (where= in Python)"
    )
    with pytest.warns(UserWarning, match="'b3'"):  # b's diverged run
        fit = fit_curves(str(both), law="tissue", bootstrap=0)
    with pytest.warns(UserWarning, match="'b3'"):
        bt = backtest_curves(str(both), train=["a0", "b0", "a1", "b1"], law="tissue")
    assert fit.warnings[0] == bt.fit.warnings[0] == pooled
    kept = fit_curves(str(both), law="tissue", bootstrap=0, where={"dataset": "a"})
    assert not any("span" in w for w in kept.warnings)
    for command in (["fit"], ["backtest", "--train", "a0,b0,a1,b1"]):
        code, out, _ = cli(capsys, "curves", *command, str(both), "--law", "tissue")
        assert code == 0 and f"warning: {pooled}" in " ".join(out.split())


def test_a_training_curve_where_left_out_is_said_so(
    capsys: pytest.CaptureFixture[str], corpora: tuple[Path, Path]
) -> None:
    both, _ = corpora
    message = (
        "training curve 'b0' is not among the curves read: --where kept the runs with "
        "dataset = 'a' alone"
    )
    code, out, err = cli(capsys, "curves", "backtest", str(both), "--where", "dataset=a",
                         "--train", "a0,b0", "--law", "tissue")  # fmt: skip
    assert (code, out) == (2, "") and err == (
        f"error: {message}\nhint: the curves are: a0, a1, a2, a3\n"
    )
    with pytest.raises(ConfigError) as caught:
        backtest_curves(str(both), train=["a0", "b0"], law="tissue", where={"dataset": "a"})
    assert caught.value.message == message


def _seeded(path: Path, prefix: str, seeds: list[str], seed: int) -> None:
    """Corpus a's four curves as runs ``<prefix>0..3``, each with its ``seed`` cell."""
    rows = []
    for row in _rows("a", seed):
        run, corpus, rest = row.split(",", 2)
        rows.append(f"{prefix}{run[-1]},{corpus},{seeds[int(run[-1])]},{rest}")
    path.write_text("run,dataset,seed,step,lr,loss\n" + "\n".join(rows) + "\n")


def test_where_on_a_folder_compares_a_column_of_text_and_of_numbers_as_text(
    tmp_path: Path,
) -> None:
    """``seed`` is text in a.csv (1, x) and numbers alone in b.csv (1, 2): b.csv's runs of
    seed 1 were left out, as if the column were not there."""
    _seeded(tmp_path / "a.csv", "a", ["1", "1", "x", "x"], 6)
    _seeded(tmp_path / "b.csv", "b", ["1", "1", "2", "2"], 8)
    kept = read_lr_curves(str(tmp_path), where="seed=1")
    assert sorted(c.run for c in kept) == ["a0", "a1", "b0", "b1"]
    assert sorted(c.run for c in read_lr_curves(str(tmp_path), where="seed=2")) == ["b2", "b3"]
    with pytest.raises(ConfigError) as caught:
        read_lr_curves(str(tmp_path), where="seed=3")
    assert caught.value.hint == "its values are 1, 2, x"


def test_a_selection_says_its_counts_both_ways_from_its_numbers() -> None:
    """The reader returns how many curves ``where`` kept of how many as numbers, and both
    texts are built from them (``fit --from-curves`` read them back from the one text)."""
    kept = Selection("a.csv", 4, 8)
    assert (kept.kept, kept.total) == (4, 8)
    assert kept.said == str(kept) == "a.csv (4 of its 8 curves selected)"
    # fit --from-curves's source, whose run count follows in its one parenthesis
    assert kept.of_curves == "4 of the 8 curves of a.csv"
    assert Selection("a.csv", 9, 9).said == "a.csv (9 curves)"
    assert Selection("a.csv", 9, 9).of_curves == "the 9 curves of a.csv"
    one = Selection("runs (x).duckdb", 1, 1)
    assert (one.said, one.of_curves) == (
        "runs (x).duckdb (1 curve)",
        "the 1 curve of runs (x).duckdb",
    )


def test_read_noted_returns_the_counts_as_numbers(tmp_path: Path) -> None:
    from scalinglab.curves._data import read_noted

    _seeded(tmp_path / "a.csv", "a", ["1", "1", "x", "x"], 6)
    _seeded(tmp_path / "b.csv", "b", ["1", "1", "2", "2"], 8)
    chosen = read_noted(str(tmp_path), where="seed=1")[3]
    assert chosen == Selection(str(tmp_path), 4, 8, (("seed", "1"),))  # the where, named
    assert read_noted(str(tmp_path))[3] == Selection(str(tmp_path), 8, 8)


def test_curves_fit_names_the_where_in_its_source(
    capsys: pytest.CaptureFixture[str], corpora: tuple[Path, Path], tmp_path: Path
) -> None:
    """As ``fit --where`` names the runs it kept (tests/test_corpus_named.py), ``curves fit
    --where`` names its curves' selection: its data line, its JSON and its saved file."""
    both, _ = corpora
    named = f"{both} where dataset = a (4 of its 8 curves selected)"
    saved = tmp_path / "curve.json"
    args = ["curves", "fit", str(both), "--where", "dataset=a", "--law", "tissue",
            "--bootstrap", "0"]  # fmt: skip
    code, out, err = cli(capsys, *args, "--json")
    assert code == 0, err
    assert json.loads(out)["source"] == named
    code, out, err = cli(capsys, *args, "--out", str(saved))
    assert code == 0, err
    assert named in " ".join(out.split())
    assert CurveFit.load(saved).source == named
    kept = fit_curves(str(both), law="tissue", bootstrap=0, where={"dataset": "a"})
    assert kept.source == named  # Python's fit_curves(where=) names it too
