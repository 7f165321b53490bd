"""``progress=`` on the long calls that lacked it: ``fit_loss_to_loss`` (a fit per group),
``backtest_hparams`` (cells located, then held-out cells scored) and ``write_report`` (the
figures, the checks, the page, and within them each figure and each check's fit); a callable
or ``True``, changing no number."""

from __future__ import annotations

from pathlib import Path

import pytest
from tests._hparam_sweeps import SEQ_LEN, sweep
from tests.conftest import chinchilla_runs
from tests.test_loss2loss import runs_csv  # noqa: F401  (a fixture)
from tests.test_python_api_progress import _recorder, _stages

import scalinglab
from scalinglab.hparams import backtest_hparams


@pytest.mark.heavy
def test_fit_loss_to_loss_reports_each_group_s_fit(runs_csv: Path) -> None:  # noqa: F811
    calls, record = _recorder()
    options = {"x": "loss_x", "y": "loss_y", "group": "corpus", "bootstrap": 30, "seed": 0}
    heard = scalinglab.fit_loss_to_loss(runs_csv, **options, progress=record)  # type: ignore[arg-type]
    plain = scalinglab.fit_loss_to_loss(runs_csv, **options)  # type: ignore[arg-type]
    assert heard.to_dict() == plain.to_dict()
    stages = _stages(calls)
    assert {"a: fit", "a: bootstrap", "b: fit", "b: bootstrap"} <= set(stages)
    assert stages["a: bootstrap"][-1] == stages["b: bootstrap"][-1] == (30, 30)


@pytest.mark.heavy  # 5.2 s in the suite on a 2-core AMD EPYC
def test_fit_loss_to_loss_without_groups_says_fit_s_stages(
    runs_csv: Path,  # noqa: F811
    capsys: pytest.CaptureFixture[str],
) -> None:
    scalinglab.fit_loss_to_loss(runs_csv, x="loss_x", y="loss_y", bootstrap=20, progress=True)
    assert "bootstrap: 20/20" in capsys.readouterr().err


def test_backtest_hparams_reports_cells_then_held_out_ones(
    capsys: pytest.CaptureFixture[str],
) -> None:
    frame = sweep(5)
    calls, record = _recorder()
    heard = backtest_hparams(frame, holdout="top-scales:1", seq_len=SEQ_LEN, progress=record)
    plain = backtest_hparams(frame, holdout="top-scales:1", seq_len=SEQ_LEN)
    assert [s.regret for s in heard.held_out] == [s.regret for s in plain.held_out]
    stages = _stages(calls)
    held = len({s.cell for s in heard.held_out})
    assert list(stages) == ["cells", "held out"]
    assert stages["held out"] == [(i, held) for i in range(1, held + 1)]
    backtest_hparams(frame, holdout="top-scales:1", seq_len=SEQ_LEN, progress=True)
    assert f"held out: {held}/{held}" in capsys.readouterr().err


@pytest.mark.heavy
def test_write_report_reports_its_three_parts(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    runs = scalinglab.read_runs(chinchilla_runs())
    result = scalinglab.fit("chinchilla", runs, bootstrap=0)
    calls, record = _recorder()
    scalinglab.write_report(result, runs, tmp_path / "r.html", validate=False, progress=record)
    assert _stages(calls) == {
        "report": [(0, 3), (1, 3), (2, 3), (3, 3)],
        "figures": [(1, 3), (2, 3), (3, 3)],  # each figure drawn, within the first part
    }
    scalinglab.write_report(result, runs, tmp_path / "r.html", validate=False, progress=True)
    assert "report: 3/3" in capsys.readouterr().err


@pytest.mark.heavy
def test_write_report_reports_its_checks_by_name(tmp_path: Path) -> None:
    """The checks, the report's longest part, say their own fits: the backtest's starts and
    resamples, the isoFLOP analysis' resamples, each named after its check."""
    runs = scalinglab.read_runs(chinchilla_runs())
    result = scalinglab.fit("chinchilla", runs, bootstrap=30)
    calls, record = _recorder()
    scalinglab.write_report(result, runs, tmp_path / "r.html", progress=record)
    stages = _stages(calls)
    assert stages["backtest: fit"][-1][0] > 0
    assert stages["backtest: bootstrap"][-1] == (30, 30)  # the fit's 30 resamples, re-fitted
    assert stages["isoflop: bootstrap"][-1][1] % 30 == 0  # budgets × resamples
    order = [stage for stage, _, _ in calls]  # the checks between the figures and the page
    assert order.index("figures") < order.index("backtest: fit") < order.index("isoflop: bootstrap")
    assert calls.index(("report", 1, 3)) < order.index("backtest: fit")
    assert calls.index(("report", 2, 3)) > order.index("isoflop: bootstrap")
