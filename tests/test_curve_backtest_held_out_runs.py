"""A curve backtest's held-out curves' run names are ``CurveBacktest.held_out_runs`` in
Python and ``"held_out_runs"`` in ``curves backtest --json``, as a downstream backtest names
its held-out models (``DownstreamBacktest.held_out_runs``), since a fit's ``runs`` are the
runs it fitted; ``CurveBacktest.runs``, the old name, reads them for one release with a
DeprecationWarning."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from tests.test_curve_backtest_names import SPECS, _curves

from scalinglab.cli import main
from scalinglab.curves import CurveBacktest, backtest_curves

TRAIN = ["cos", "con"]
#: The held-out curves, read off the specs the curves were drawn from: every one not trained on.
HELD = [run for run in SPECS if run not in TRAIN]


@pytest.fixture(scope="module")
def bt() -> CurveBacktest:
    return backtest_curves(_curves(), train=TRAIN, law="tissue", warmup=200)


def test_the_held_out_run_names_are_held_out_runs_and_the_old_name_warns(
    bt: CurveBacktest,
) -> None:
    assert list(bt.held_out_runs) == HELD == ["ms", "wsd"]
    assert len(bt.mean_are) == len(bt.max_are) == len(bt.held_out_runs)
    assert set(bt.fit.runs) == set(TRAIN)  # the fit's runs: those it fitted
    with pytest.warns(
        DeprecationWarning,
        match=r"CurveBacktest.runs is deprecated .* CurveBacktest.held_out_runs",
    ):
        old = bt.runs  # type: ignore[deprecated]
    assert old is bt.held_out_runs
    assert "ms: " in repr(bt) and "wsd: " in repr(bt)


def test_the_json_names_them_held_out_runs_in_the_rows_order(bt: CurveBacktest) -> None:
    data = bt.to_dict()
    assert data["held_out_runs"] == HELD
    assert [row["run"] for row in data["held_out"]] == data["held_out_runs"]
    assert "runs" not in data


def test_the_cli_json_names_them_held_out_runs(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    path = tmp_path / "curves.csv"
    _curves().to_csv(path, index=False)
    argv = ["curves", "backtest", str(path), "--train", ",".join(TRAIN), "--law", "tissue",
            "--warmup", "200", "--json"]  # fmt: skip
    assert main(argv) == 0
    data = json.loads(capsys.readouterr().out)
    assert data["held_out_runs"] == HELD
