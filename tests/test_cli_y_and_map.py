"""``--y`` and ``--map loss=`` both say which column is the loss: two different columns are
refused in one line (exit 2) naming both, as ``--y`` given twice is, rather than ``--y``
winning without a word; the same column given both ways is one."""

from __future__ import annotations

from pathlib import Path

import pytest
from tests._cli import cli

_RUNS = "params,tokens,train_loss,eval_loss\n" + "".join(
    f"{n:g},{d:g},{2 + 400 / n**0.34 + 410 / d**0.28:.6f},"
    f"{2.05 + 400 / n**0.34 + 410 / d**0.28:.6f}\n"
    for n in (2e7, 5e7, 1.25e8, 3.5e8)
    for d in (20 * n, 40 * n, 80 * n)
)


@pytest.fixture
def runs(tmp_path: Path) -> Path:
    path = tmp_path / "runs.csv"
    path.write_text(_RUNS)
    return path


@pytest.mark.parametrize(
    ("command", "y"),
    [
        (["fit"], "eval_loss"),
        (["fit"], "loss=eval_loss"),
        (["backtest"], "eval_loss"),
        (["isoflop"], "eval_loss"),
        (["hparams", "fit"], "eval_loss"),
    ],
)
def test_y_and_a_conflicting_map_loss_are_refused(
    capsys: pytest.CaptureFixture[str], runs: Path, command: list[str], y: str
) -> None:
    code, out, err = cli(capsys, *command, str(runs), "--map", "loss=train_loss", "--y", y)
    assert code == 2 and out == ""
    assert err.splitlines() == [
        f"error: --map loss=train_loss and --y {y} name two columns for loss ('train_loss', "
        "'eval_loss'); only one can be read",
        f"hint: give one of them: --y {y}, or --map loss=train_loss",
    ]


@pytest.mark.heavy  # 1.1 s in the suite on a 2-core AMD EPYC
def test_the_same_loss_column_given_both_ways_is_one(
    capsys: pytest.CaptureFixture[str], runs: Path
) -> None:
    args = ["fit", str(runs), "--bootstrap", "0", "--map", "loss=eval_loss", "--y", "eval_loss"]
    code, _, err = cli(capsys, *args)
    assert code == 0, err
    _, out, _ = cli(capsys, "fit", str(runs), "--bootstrap", "0", "--y", "eval_loss")
    code, both, _ = cli(capsys, *args)
    assert code == 0 and both == out  # the fit of eval_loss, word for word


@pytest.mark.parametrize("given", [["--y", "eval_loss"], ["--map", "loss=eval_loss"]])
@pytest.mark.heavy
def test_a_saved_fit_records_the_column_that_held_the_loss(
    capsys: pytest.CaptureFixture[str], runs: Path, tmp_path: Path, given: list[str]
) -> None:
    """``fit --y eval_loss --out`` saves ``"y": "eval_loss"``, as ``fit(y="eval_loss")``
    does, so the runs file is read back by it (``write_report``) without a mapping."""
    import json

    from scalinglab import FitResult, fit, write_report

    saved = tmp_path / "fit.json"
    code, _, err = cli(capsys, "fit", str(runs), "--bootstrap", "0", *given, "--out", str(saved))
    assert code == 0, err
    assert json.loads(saved.read_text())["y"] == "eval_loss"
    assert fit("chinchilla", runs, y="eval_loss", bootstrap=0).y == "eval_loss"
    loaded = FitResult.load(saved)
    page = write_report(loaded, runs, tmp_path / "fit.html", validate=False)
    assert "eval_loss" in page.read_text(encoding="utf-8")
