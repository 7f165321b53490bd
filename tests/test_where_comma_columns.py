"""``--where`` reads a column with commas by the run tables' one comma rule, in every command
that has it: a single comma group (``1,000``) is text where no cell of the file shows digit
grouping (``1,234,567``), so ``--where warmup=1,000`` selects its runs and ``warmup=1000``
lists the values there are; where the file shows grouping, the column is numbers, which
``--where`` refuses alike. A file settles it as a whole: a ``--where`` that leaves out the
rows showing grouping (or a run skipped for its blank loss) reads the rest as before."""

from __future__ import annotations

import json
from pathlib import Path

import numpy as np
import pandas as pd
import pytest
from tests._cli import cli
from tests._hparam_sweeps import sweep
from tests.test_curves import SPECS, _synthetic

from scalinglab.curves import Tissue, fit_curves, read_lr_curves
from scalinglab.data import read_curves, read_runs
from scalinglab.hparams import fit_hparams, read_sweep

TRUTH = {"a": {"L0": 2.8, "A": 0.6, "alpha": 0.45, "C": 0.8},
         "b": {"L0": 3.3, "A": 0.9, "alpha": 0.3, "C": 1.5}}  # fmt: skip
#: Each corpus's warmup as the files write it: one comma group, 1000 or 1.000.
WARMUP = {"a": "1,000", "b": "2,000"}


def _runs(warmup: dict[str, str]) -> pd.DataFrame:
    """Six runs of corpus a and six of b (10% higher loss), one row each."""
    rows = []
    for corpus, scale in (("b", 1.1), ("a", 1.0)):
        for k, n in enumerate([1e7, 2e7, 4e7, 8e7, 1.6e8, 3.2e8]):
            loss = scale * (1.8 + 400 * n**-0.34 + 400 * (20 * n) ** -0.28)
            rows.append({"run": f"{corpus}{k}", "dataset": corpus, "params": n,
                         "tokens": 20 * n, "loss": loss, "warmup": warmup[corpus]})  # fmt: skip
    return pd.DataFrame(rows)


def _sweeps(warmup: dict[str, str]) -> tuple[pd.DataFrame, pd.DataFrame]:
    """A sweep of corpus b (10% lower loss, optima at twice the lr) then one of a; and a's."""
    a, b = sweep(1), sweep(2)
    b["loss"], b["lr"] = 0.9 * b["loss"], 2.0 * b["lr"]
    a["dataset"], b["dataset"] = "a", "b"
    a["warmup"], b["warmup"] = warmup["a"], warmup["b"]
    return pd.concat([b, a], ignore_index=True), a


def _curves(warmup: dict[str, str], *, params: dict[str, str] | None = None) -> pd.DataFrame:
    """Four curves of corpus a and four of b (another law), with tokens and params for the
    envelope: each curve's params ``params[corpus]`` as written, or a size per run."""
    rows = []
    for corpus, seed in (("b", 7), ("a", 6)):
        curves = _synthetic(Tissue(), TRUTH[corpus], SPECS, noise=1e-3, seed=seed, every=50)
        for j, c in enumerate(curves):
            size = params[corpus] if params else f"{2e7 * 2**j:g}"
            rows += [{"run": f"{corpus}{j}", "dataset": corpus, "step": int(k),
                      "tokens": 1000 * int(k), "lr": c.schedule.lr[k], "loss": v,
                      "params": size, "warmup": warmup[corpus]}
                     for k, v in zip(c.step, c.loss, strict=True)]  # fmt: skip
    return pd.DataFrame(rows)


@pytest.fixture(scope="module")
def files(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Path]:
    """Each kind of table with a warmup column of one comma group, the file unsettled; its
    corpus a alone beside it; and each with a cell that shows the file groups digits."""
    folder = tmp_path_factory.mktemp("where_commas")
    both, alone = _sweeps(WARMUP)
    curves = _curves(WARMUP)
    tables = {"runs": _runs(WARMUP), "sweep": both, "sweep_a": alone, "curves": curves,
              "curves_a": curves[curves["dataset"] == "a"]}  # fmt: skip
    for name in ("runs", "sweep", "curves"):  # a note whose number only digit groups explain
        grouped = tables[name].copy()
        grouped["note"] = ""
        grouped.loc[0, "note"] = "1,234,567"
        tables[f"{name}_grouped"] = grouped
    out = {}
    for name, table in tables.items():
        out[name] = folder / f"{name}.csv"
        table.to_csv(out[name], index=False)
    return out


#: Each command with --where, the table it reads, and what it needs besides.
COMMANDS = {
    "fit": ("runs", ["fit"], []),
    "hparams fit": ("sweep", ["hparams", "fit"], []),
    "hparams backtest": ("sweep", ["hparams", "backtest"], []),
    "curves fit": ("curves", ["curves", "fit"], []),
    "curves backtest": ("curves", ["curves", "backtest"], ["--train", "a0"]),
    "fit --from-curves": ("curves", ["fit", "--from-curves"], []),
    "envelope": ("curves", ["envelope"], []),
}


@pytest.mark.parametrize("command", COMMANDS)
def test_a_comma_column_the_file_does_not_settle_is_text_to_where(
    capsys: pytest.CaptureFixture[str], files: dict[str, Path], command: str
) -> None:
    kind, words, more = COMMANDS[command]
    path = files[kind]
    code, out, err = cli(capsys, *words, str(path), *more, "--where", "warmup=1000")
    assert (code, out, err) == (
        2, "", f"error: no run has warmup = '1000' in {path}\nhint: its values are 1,000, 2,000\n"
    )  # fmt: skip


@pytest.mark.parametrize("command", COMMANDS)
def test_a_comma_column_of_a_file_that_groups_digits_is_numbers_to_where(
    capsys: pytest.CaptureFixture[str], files: dict[str, Path], command: str
) -> None:
    kind, words, more = COMMANDS[command]
    path = files[f"{kind}_grouped"]
    code, out, err = cli(capsys, *words, str(path), *more, "--where", "warmup=1,000")
    assert code == 2 and out == ""
    if command == "envelope":  # its curves name no number column but their own quantities
        assert (
            err
            == f"error: no text column 'warmup' in {path}\nhint: its text columns are dataset, run\n"
        )
    else:
        assert err.startswith(
            f"error: 'warmup' is a number column of {path}: --where (where() in Python) "
            "matches the values of text columns\n"
        )


def test_where_on_the_comma_column_selects_as_the_rows_alone_fit(files: dict[str, Path]) -> None:
    runs = read_runs(files["runs"]).where("warmup", "1,000")
    assert runs.runs == ("a0", "a1", "a2", "a3", "a4", "a5")
    kept = fit_hparams(files["sweep"], where={"warmup": "1,000"}, bootstrap=0)
    own = fit_hparams(files["sweep_a"], bootstrap=0)
    assert dict(kept.lr_law.coefs) == dict(own.lr_law.coefs)
    assert kept.source == f"{files['sweep']} (1152 of its 2304 runs selected, 100M-800M params)"
    fitted = fit_curves(str(files["curves"]), law="tissue", bootstrap=0, where="warmup=1,000")
    alone = fit_curves(str(files["curves_a"]), law="tissue", bootstrap=0)
    assert fitted.runs == ("a0", "a1", "a2", "a3") and dict(fitted.coefs) == dict(alone.coefs)
    assert fitted.coefs["L0"] == pytest.approx(TRUTH["a"]["L0"], rel=0.01)
    points = read_curves(files["curves"]).where("warmup", "1,000")
    expected = pd.read_csv(files["curves_a"])
    assert points.run_ids == ("a0", "a1", "a2", "a3")
    assert np.array_equal(points.loss, expected["loss"].to_numpy())


def test_the_cli_selects_by_the_comma_value(
    capsys: pytest.CaptureFixture[str], files: dict[str, Path]
) -> None:
    def coefs(*args: str) -> dict[str, float]:
        code, out, err = cli(capsys, *args, "--bootstrap", "0", "--json")
        assert code == 0, err
        return dict(json.loads(out)["coefs"])

    kept = coefs(
        "curves", "fit", str(files["curves"]), "--where", "warmup=1,000", "--law", "tissue"
    )
    assert kept == coefs("curves", "fit", str(files["curves_a"]), "--law", "tissue")
    code, out, err = cli(capsys, "hparams", "fit", str(files["sweep"]), "--where",
                         "warmup=1,000", "--bootstrap", "0", "--json")  # fmt: skip
    assert code == 0, err
    code, own, err = cli(capsys, "hparams", "fit", str(files["sweep_a"]), "--bootstrap", "0",
                         "--json")  # fmt: skip
    assert code == 0, err
    assert json.loads(out)["lr_law"]["coefs"] == json.loads(own)["lr_law"]["coefs"]


def test_a_where_that_leaves_out_the_grouped_rows_reads_the_rest_as_the_file_does(
    files: dict[str, Path],
) -> None:
    """Only b's first row shows grouping: ``where dataset=a`` leaves it out, and a's
    ``1,000`` is still 1000, as the run table of the whole file, narrowed after, reads it."""
    whole = read_runs(files["runs_grouped"]).where("dataset", "a")
    assert np.array_equal(whole["warmup"], [1000.0] * 6)
    table = read_sweep(files["sweep_grouped"], where={"dataset": "a"}).table
    assert np.array_equal(np.unique(table["warmup"]), [1000.0])
    assert not any("read as text" in n for n in table.notes)


def test_a_curve_size_of_one_comma_group_is_read_as_its_file_settles_it(tmp_path: Path) -> None:
    """b's params show grouping (1,200,000), a's are single groups (350,000): with a's curves
    alone selected, 350,000 is 350000 still; in a file of a's curves alone it is refused."""
    table = _curves(WARMUP, params={"a": "350,000", "b": "1,200,000"})
    path, alone = tmp_path / "curves.csv", tmp_path / "a.csv"
    table.to_csv(path, index=False)
    table[table["dataset"] == "a"].to_csv(alone, index=False)
    curves = read_lr_curves(str(path), where={"dataset": "a"})
    assert [c.run for c in curves] == ["a0", "a1", "a2", "a3"]
    assert [c.params for c in curves] == [350000.0] * 4
    with pytest.raises(Exception, match="'350,000' may be a decimal comma"):
        read_lr_curves(str(alone))


def test_a_run_skipped_for_its_blank_loss_still_settles_the_commas(tmp_path: Path) -> None:
    path = tmp_path / "runs.csv"
    path.write_text(
        "run,params,tokens,loss,warmup,note\n"
        'r0,1e7,2e8,,"1,000","1,234,567"\n'  # no loss: skipped, its grouping still read
        + "".join(
            f'r{k},{1e7 * 2**k:g},{2e8 * 2**k:g},{4 - 0.2 * k},"1,000",\n' for k in range(1, 7)
        )
    )
    table = read_runs(path)
    assert table.runs == ("r1", "r2", "r3", "r4", "r5", "r6")
    assert np.array_equal(table["warmup"], [1000.0] * 6)
    assert not any("read as text" in n for n in table.notes)
