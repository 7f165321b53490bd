"""Loss-to-loss fits saved, loaded and predicted from: ``fit_loss_to_loss`` and
``LossToLossFit``, and ``scalinglab loss2loss fit --out/--where`` and ``loss2loss predict``
through ``main([...])``."""

from __future__ import annotations

import json
from pathlib import Path

import numpy as np
import pandas as pd
import pytest

from scalinglab import LossToLossFit, fit_loss_to_loss
from scalinglab.cli import main

#: Each corpus's law: (K, kappa, E_x, E_y).
LAWS = {"a": (0.9, 1.3, 1.5, 1.0), "b": (1.2, 1.1, 2.0, 0.8)}


@pytest.fixture(scope="module")
def runs_csv(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """16 runs per corpus, L_x from 2.2 to 4.5, L_y by the corpus's law with 0.2% noise."""
    rng = np.random.default_rng(0)
    rows = []
    for corpus, (k, kappa, e_x, e_y) in LAWS.items():
        lx = np.geomspace(2.2 + e_x - 1.5, 4.5, 16)
        ly = (k * (lx - e_x) ** kappa + e_y) * np.exp(rng.normal(0, 0.002, lx.size))
        for i, (a, b) in enumerate(zip(lx, ly, strict=True)):
            size = "small" if i < 8 else "large"
            rows.append({"run": f"{corpus}{i}", "params": 1e7 * (1 + i), "tokens": 2e9,
                         "loss_x": a, "loss_y": b, "corpus": corpus, "size": size})  # fmt: skip
    path = tmp_path_factory.mktemp("l2l") / "runs.csv"
    pd.DataFrame(rows).to_csv(path, index=False)
    return path


def run(capsys: pytest.CaptureFixture[str], *args: str) -> tuple[int, str, str]:
    code = main(list(args))
    out, err = capsys.readouterr()
    return code, out, err


def fitted(path: Path, **options: object) -> LossToLossFit:
    kwargs: dict = {"group": "corpus", "bootstrap": 50, "seed": 0} | options
    return fit_loss_to_loss(path, x="loss_x", y="loss_y", **kwargs)


@pytest.fixture(scope="module")
def default_fit(runs_csv: Path) -> LossToLossFit:
    """:func:`fitted` with its defaults (50 resamples), which several tests read: fitted once."""
    return fitted(runs_csv)


def test_a_saved_fit_loads_and_predicts_the_same(
    default_fit: LossToLossFit, tmp_path: Path
) -> None:
    l2l = default_fit
    assert set(l2l.fits) == {"a", "b"} and l2l.fits["a"].n_runs == 16
    l2l.save(tmp_path / "l2l.json")
    text = (tmp_path / "l2l.json").read_text()
    data = json.loads(text, parse_constant=lambda c: pytest.fail(f"non-strict JSON: {c}"))
    assert data["format"] == "scalinglab.loss2loss/1"
    assert (data["x"], data["y"], data["group"], data["level"], data["seed"]) == (
        "loss_x", "loss_y", "corpus", 0.9, 0,
    )  # fmt: skip
    assert len(data["fits"]["a"]["samples"]) == 50 and "runs.csv" in data["source"]
    back = LossToLossFit.load(tmp_path / "l2l.json")
    values = [1.0, 2.5, 3.3, 6.0]
    for level in (None, 0.5):
        before, after = l2l.predict(values, level=level), back.predict(values, level=level)
        assert set(before) == set(after) == {"a", "b"}
        for g in before:
            for name in ("loss_x", "loss_y", "lower", "upper"):
                np.testing.assert_array_equal(getattr(after[g], name), getattr(before[g], name))
            assert after[g].notes == before[g].notes and after[g].level == (level or 0.9)
    assert back.to_dict() == l2l.to_dict()


def test_predict_at_or_below_e_x_is_nan_with_a_note(runs_csv: Path) -> None:
    """The law is E_y at L_x = E_x and undefined below: no model reaches the irreducible
    loss of x, so there is no L_y (the law itself gave E_y at E_x and NaN below, silently)."""
    l2l = fitted(runs_csv, bootstrap=0)
    e_x = l2l.fits["a"].coefs["E_x"]
    assert 1.3 < e_x < 1.7  # recovered: the test is about the fitted E_x, not a collapsed one
    pred = l2l.predict([0.9 * e_x, e_x, e_x + 0.05, 3.0])["a"]
    assert np.isnan(pred.loss_y[:2]).all() and np.isfinite(pred.loss_y[2:]).all()
    (note,) = [n for n in pred.notes if "E_x" in n]
    assert note.startswith(f"L_x {0.9 * e_x:.4g}, {e_x:.4g}: at or below E_x = {e_x:.4g}")
    assert "no L_y (NaN)" in note
    # E_x + 0.05 lies below the fitted L_x (2.2): said; 3.0 lies inside: nothing said
    assert f"L_x {e_x + 0.05:.4g}: below the fitted L_x (2.2 to 4.5)" in " ".join(pred.notes)
    assert "3:" not in " ".join(pred.notes)


def test_predict_outside_the_fitted_loss_says_so(default_fit: LossToLossFit) -> None:
    pred = default_fit.predict([3.0, 6.0])["b"]
    assert pred.notes == ("L_x 6: above the fitted L_x (2.7 to 4.5): the law is extrapolated",)
    assert pred.interval_kind in ("backtest-calibrated", "bootstrap")
    assert (pred.lower < pred.loss_y).all() and (pred.loss_y < pred.upper).all()


@pytest.mark.heavy
def test_cli_fit_out_then_predict(
    capsys: pytest.CaptureFixture[str],
    runs_csv: Path,
    default_fit: LossToLossFit,
    tmp_path: Path,
) -> None:
    out = tmp_path / "l2l.json"
    args = ["loss2loss", "fit", str(runs_csv), "--x", "loss_x", "--y", "loss_y"]
    code, text, err = run(
        capsys, *args, "--group", "corpus", "--bootstrap", "50", "--out", str(out)
    )
    assert code == 0, err
    assert f"wrote fit: {out}" in text and "runs: " in text
    code, text, err = run(capsys, "loss2loss", "predict", "--fit", str(out), "--loss", "3,6",
                          "--json")  # fmt: skip
    assert code == 0, err
    data = json.loads(text)
    assert (data["x"], data["y"], data["loss_x"]) == ("loss_x", "loss_y", [3.0, 6.0])
    memory = default_fit.predict([3.0, 6.0])  # what the same fit predicts in memory
    for g in ("a", "b"):
        p = data["predictions"][g]
        assert p["loss_y"] == memory[g].loss_y.tolist()
        assert p["lower"] == memory[g].lower.tolist() and p["upper"] == memory[g].upper.tolist()
        assert all(
            lo < y < hi for lo, y, hi in zip(p["lower"], p["loss_y"], p["upper"], strict=True)
        )
        assert p["level"] == 0.9 and any("above the fitted L_x" in n for n in p["notes"])
    code, text, err = run(capsys, "loss2loss", "predict", "--fit", str(out), "--loss", "3",
                          "--level", "0.5")  # fmt: skip
    assert code == 0, err
    assert "50% interval" in text and f"{memory['a'].loss_y[0]:.4f}" in text
    assert "intervals: 50% prediction intervals of one model's L_y (" in text


def test_cli_predict_below_e_x_prints_a_dash_and_the_note(
    capsys: pytest.CaptureFixture[str], runs_csv: Path, tmp_path: Path
) -> None:
    out = tmp_path / "l2l.json"
    args = ["loss2loss", "fit", str(runs_csv), "--x", "loss_x", "--y", "loss_y", "--where"]
    assert main([*args, "corpus=a", "--bootstrap", "0", "--out", str(out)]) == 0
    capsys.readouterr()
    code, text, err = run(capsys, "loss2loss", "predict", "--fit", str(out), "--loss", "1.2")
    assert code == 0, err
    row = next(line for line in text.splitlines() if "1.2 │" in line)
    assert row.count("—") == 2  # no L_y, no interval
    assert (
        "no intervals: the fit was made with no bootstrap (--bootstrap 0); refit with scalinglab loss2loss fit --bootstrap 1000"
        in text
    )
    assert "note: L_x 1.2: at or below E_x = " in text


def test_where_selects_the_runs_fitted(capsys: pytest.CaptureFixture[str], runs_csv: Path) -> None:
    args = ["loss2loss", "fit", str(runs_csv), "--x", "loss_x", "--y", "loss_y", "--json"]
    code, text, err = run(capsys, *args, "--bootstrap", "0", "--where", "corpus=b")
    assert code == 0, err
    data = json.loads(text)
    assert data["fits"]["all"]["n_runs"] == 16
    assert all(r.startswith("b") for r in data["fits"]["all"]["runs"])
    assert "16 of its 32 runs selected" in data["source"]
    code, text, err = run(capsys, *args, "--bootstrap", "0", "--where", "corpus=b",
                          "--where", "size=large", "--group", "corpus")  # fmt: skip
    assert code == 0, err
    assert json.loads(text)["fits"]["b"]["n_runs"] == 8  # each condition narrows the last
    code, _, err = run(capsys, *args, "--where", "corpus=c")
    assert code == 2 and "no run has corpus = 'c'" in err and "hint: its values are a, b" in err
    code, _, err = run(capsys, *args, "--where", "corpus")
    assert code == 2 and "--where 'corpus' is not COLUMN=VALUE" in err


@pytest.mark.parametrize(
    ("kind", "says"),
    [
        ("scalinglab.downstream/1", "a downstream chain: read it with `downstream predict --fit`"),
        ("scalinglab.fit/1", "a scaling-law fit (`scalinglab fit --out`)"),
        (None, "write one with `scalinglab loss2loss fit ... --out l2l.json`"),
    ],
)
def test_predict_from_a_file_of_another_kind(
    capsys: pytest.CaptureFixture[str], tmp_path: Path, kind: str | None, says: str
) -> None:
    bad = tmp_path / "other.json"
    bad.write_text(json.dumps({"format": kind}))
    code, out, err = run(capsys, "loss2loss", "predict", "--fit", str(bad), "--loss", "3")
    assert code == 2 and out == "" and "Traceback" not in err
    (line,) = [ln for ln in err.splitlines() if ln.startswith("error:")]
    said = 'no "format" key' if kind is None else f"format {kind!r}"  # null: no format
    assert (
        line == f"error: {bad}: not a loss-to-loss fit ({said}, expected 'scalinglab.loss2loss/1')"
    )
    assert says in err


def test_fit_loss_to_loss_names_what_is_wrong(runs_csv: Path) -> None:
    from scalinglab import ConfigError

    with pytest.raises(ConfigError, match="x and y are both 'loss_x'"):
        fit_loss_to_loss(runs_csv, x="loss_x", y="loss_x")
    with pytest.raises(ConfigError, match=r"y='loss_z': .* has no such column") as err:
        fit_loss_to_loss(runs_csv, x="loss_x", y="loss_z")
    assert "loss_y" in err.value.hint
    with pytest.raises(ConfigError, match=r"group='corpuz': .* has no such text column") as err:
        fit_loss_to_loss(runs_csv, x="loss_x", y="loss_y", group="corpuz")
    assert err.value.hint == "its text columns are corpus, size"


@pytest.mark.parametrize(
    ("column", "hint"),
    [
        ("loss_x", "or read loss from another column: --x COLUMN"),  # read as the table's loss
        ("loss_y", "or choose another loss column: --y COLUMN"),
    ],
)
def test_cli_fit_names_a_bad_cell_of_either_loss(
    capsys: pytest.CaptureFixture[str], runs_csv: Path, tmp_path: Path, column: str, hint: str
) -> None:
    frame = pd.read_csv(runs_csv).astype({column: object})
    frame.loc[3, column] = "2.9X"  # line 5 of the file: the header is line 1
    bad = tmp_path / "bad.csv"
    frame.to_csv(bad, index=False)
    code, out, err = run(capsys, "loss2loss", "fit", str(bad), "--x", "loss_x", "--y", "loss_y")
    assert code == 2 and out == ""
    assert err.splitlines()[0] == f"error: {bad}, row 5, column {column!r}: '2.9X' is not a number"
    assert err.rstrip().endswith(hint)


def test_cli_fit_names_a_missing_x_column_and_its_option(
    capsys: pytest.CaptureFixture[str], runs_csv: Path
) -> None:
    code, _, err = run(capsys, "loss2loss", "fit", str(runs_csv), "--x", "loss_q", "--y", "loss_y")
    assert code == 2
    assert f"error: {runs_csv}, column 'loss_q': no column 'loss_q'" in err
    assert "hint: pass an existing column: --x COLUMN" in err


def test_cli_fit_reads_loss_equals_column_as_every_command_does(
    capsys: pytest.CaptureFixture[str], runs_csv: Path
) -> None:
    args = ("loss2loss", "fit", str(runs_csv), "--bootstrap", "0", "--json")
    code, out, _ = run(capsys, *args, "--x", "loss=loss_x", "--y", "loss=loss_y")
    assert code == 0
    data = json.loads(out)
    assert (data["x"], data["y"]) == ("loss_x", "loss_y")
    code, _, err = run(capsys, *args, "--x", "loss_x", "--y", "acc=loss_y")
    assert code == 2
    assert "error: --y 'acc=loss_y' names a loss column, as --y loss_y or --y loss=loss_y" in err
