"""``loss2loss fit``, ``hparams fit|backtest`` and ``report`` (the loss, ``--hparams`` and
``--downstream`` pages) draw progress bars on a terminal's stderr, as ``fit`` does, and none with ``--json``;
the ``--hparams`` page says its stages where no bar can be drawn (a pipe, a CI log)."""

from __future__ import annotations

import json
from io import StringIO
from pathlib import Path

import numpy as np
import pytest
from rich.console import Console
from tests._cli import cli
from tests._hparam_sweeps import sweep
from tests.conftest import chinchilla_runs
from tests.test_downstream_chain import MULTS, SIZES, models

from scalinglab.cli import _render


@pytest.fixture
def terminal(monkeypatch: pytest.MonkeyPatch) -> StringIO:
    """Every command's stderr console is a terminal writing here."""
    buffer = StringIO()

    def console() -> Console:
        return Console(file=buffer, force_terminal=True, width=120)

    import scalinglab.cli._cmd_downstream_report as downstream
    import scalinglab.cli._cmd_hparams as hparams
    import scalinglab.cli._cmd_loss2loss as loss2loss
    import scalinglab.cli._report_loss as report_loss

    for module in (_render, downstream, hparams, loss2loss, report_loss):
        monkeypatch.setattr(module, "stderr_console", console)
    return buffer


@pytest.fixture(scope="module")
def sweep_csv(tmp_path_factory: pytest.TempPathFactory) -> Path:
    path = tmp_path_factory.mktemp("hp") / "sweep.csv"
    sweep(1).to_csv(path, index=False)
    return path


@pytest.fixture(scope="module")
def evals_csv(tmp_path_factory: pytest.TempPathFactory) -> Path:
    frame = models(np.random.default_rng(0), SIZES, MULTS)
    frame["loss_other"] = 1.2 * (frame["loss"] - 1.5) ** 1.1 + 0.9
    path = tmp_path_factory.mktemp("ds") / "evals.csv"
    frame.to_csv(path, index=False)
    return path


@pytest.mark.heavy
def test_loss2loss_fit_draws_its_bootstrap(
    capsys: pytest.CaptureFixture[str], terminal: StringIO, evals_csv: Path
) -> None:
    args = ["loss2loss", "fit", str(evals_csv), "--x", "loss", "--y", "loss_other"]
    code, out, err = cli(capsys, *args, "--bootstrap", "40")
    assert code == 0, err
    drawn = terminal.getvalue()
    assert "bootstrap: resamples × starts" in drawn and "40/40" in drawn
    assert "K" in out and "40/40" not in out  # the table on stdout, the bar on stderr only
    terminal.truncate(0)
    code, out, err = cli(capsys, *args, "--bootstrap", "40", "--json")
    assert code == 0 and json.loads(out)["fits"]["all"]["status"] == "converged"
    assert terminal.getvalue() == ""  # --json: no bar at all


def test_hparams_fit_and_backtest_draw_their_cells(
    capsys: pytest.CaptureFixture[str], terminal: StringIO, sweep_csv: Path
) -> None:
    code, _, err = cli(capsys, "hparams", "fit", str(sweep_csv), "--seq-len", "2048",
                       "--bootstrap", "10")  # fmt: skip
    assert code == 0, err
    assert "cells: optima located" in terminal.getvalue() and "12/12" in terminal.getvalue()
    terminal.truncate(0)
    code, out, err = cli(capsys, "hparams", "backtest", str(sweep_csv), "--seq-len", "2048")
    assert code == 0, err
    drawn = terminal.getvalue()
    assert "cells: optima located" in drawn and "held-out cells scored" in drawn
    assert "3/3" in drawn  # the three cells of the largest size held out
    assert "held-out" not in out.split("\n")[0]
    terminal.truncate(0)
    code, out, _ = cli(capsys, "hparams", "backtest", str(sweep_csv), "--seq-len", "2048",
                       "--json")  # fmt: skip
    assert code == 0 and json.loads(out)["holdout"] == "top-scales:1"
    # no bar: the text's note: lines alone (said on stderr with --json)
    said = terminal.getvalue()
    assert "note: " in said and "optima located" not in said and "scored" not in said


@pytest.mark.heavy  # 5.6 s in the suite on a 2-core AMD EPYC
def test_report_draws_the_page_it_writes(
    capsys: pytest.CaptureFixture[str], terminal: StringIO, tmp_path: Path
) -> None:
    page = tmp_path / "r.html"
    code, _, err = cli(capsys, "report", "--bootstrap", "10", "--no-validate", "--out", str(page))
    assert code == 0 and page.is_file(), err
    drawn = terminal.getvalue()
    assert "report: figures, checks, page" in drawn and "3/3" in drawn


@pytest.mark.heavy
def test_report_draws_each_long_part(
    capsys: pytest.CaptureFixture[str],
    terminal: StringIO,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """The fit, each figure, the backtest's fit and the isoFLOP analysis get their own bars
    on a terminal; off one (captured, as in a pipe) none of them is said."""
    runs, page = tmp_path / "runs.csv", tmp_path / "r.html"
    chinchilla_runs().to_csv(runs, index=False)
    args = ["report", str(runs), "--bootstrap", "20", "--out", str(page)]
    code, _, err = cli(capsys, *args)
    assert code == 0 and page.is_file(), err
    drawn = terminal.getvalue()
    for bar in (
        "bootstrap: resamples × starts",  # the fit
        "report: figures drawn",
        "backtest: fit: all starts",
        "backtest: bootstrap: resamples × starts",
        "isoflop: bootstrap: budgets × resamples",
    ):
        assert bar in drawn, bar
    assert "report: figures drawn" not in err  # stderr's stage lines are the terminal's bars
    import scalinglab.cli._report_loss as report_loss

    piped = StringIO()  # stderr a pipe: not a terminal
    for module in (_render, report_loss):
        monkeypatch.setattr(module, "stderr_console", lambda: Console(file=piped, width=120))
    code, _, err = cli(capsys, *args)
    said = piped.getvalue()
    assert code == 0 and "writing the report (backtest by scale" in said
    assert "figures drawn" not in said and "backtest: fit" not in said


@pytest.mark.heavy
def test_downstream_page_draws_the_chain_its_backtest_and_the_page(
    capsys: pytest.CaptureFixture[str], terminal: StringIO, evals_csv: Path, tmp_path: Path
) -> None:
    page = tmp_path / "d.html"
    code, _, err = cli(capsys, "report", str(evals_csv), "--downstream", "--bootstrap", "20",
                       "--out", str(page))  # fmt: skip
    assert code == 0 and page.is_file(), err
    drawn = terminal.getvalue()
    assert "loss bootstrap" in drawn and "backtest tasks" in drawn
    assert "report: figures, checks, page" in drawn


@pytest.mark.heavy
def test_hparams_page_says_its_stages_off_a_terminal(
    capsys: pytest.CaptureFixture[str], sweep_csv: Path, tmp_path: Path
) -> None:
    """Under pytest stderr is captured, not a terminal: as in a pipe or a CI log."""
    page = tmp_path / "hp.html"
    code, out, err = cli(capsys, "report", str(sweep_csv), "--hparams", "--seq-len", "2048",
                         "--bootstrap", "10", "--out", str(page), one_line=True)  # fmt: skip
    assert code == 0 and page.is_file(), err
    assert "locating the optima of 12 cells and fitting lr* and B* (10 bootstrap " in err
    assert "backtesting, holding out top-scales:1 (the laws refitted)..." in err
    assert "locating" not in out  # stdout: the path written, no stage


@pytest.mark.heavy
def test_hparams_page_draws_on_a_terminal(
    capsys: pytest.CaptureFixture[str], terminal: StringIO, sweep_csv: Path, tmp_path: Path
) -> None:
    page = tmp_path / "hp.html"
    code, _, err = cli(capsys, "report", str(sweep_csv), "--hparams", "--seq-len", "2048",
                       "--bootstrap", "10", "--out", str(page))  # fmt: skip
    assert code == 0 and page.is_file(), err
    drawn = terminal.getvalue()
    assert "cells: optima located" in drawn and "held-out cells scored" in drawn
    assert "locating the optima" not in drawn  # a terminal gets bars, not stage lines
