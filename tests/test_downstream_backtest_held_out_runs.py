"""A downstream backtest's held-out models' run names are
``DownstreamBacktest.held_out_runs`` in Python and ``"held_out_runs"`` in its JSON, since
``held_out`` names scored rows elsewhere (``HparamBacktest.held_out``, a curve backtest's
``"held_out"``); ``held_out``, their old name, reads them for one release with a
DeprecationWarning, and the JSON keeps the old key ``"held_out"`` one release beside the new."""

from __future__ import annotations

import json
from pathlib import Path

import numpy as np
import pandas as pd
import pytest
from tests.test_cli_downstream import run
from tests.test_downstream_chain import MULTS, SIZES, models

from scalinglab.downstream import DownstreamBacktest, backtest_downstream, read_evals

HOLDOUT = "params>=2e8"
OPTIONS = {"holdout": HOLDOUT, "bootstrap": 0, "max_backtest_error": None}


@pytest.fixture(scope="module")
def frame() -> pd.DataFrame:
    return models(np.random.default_rng(0), SIZES, MULTS)


@pytest.fixture(scope="module")
def bt(frame: pd.DataFrame) -> DownstreamBacktest:
    return backtest_downstream(read_evals(frame), **OPTIONS)  # type: ignore[arg-type]


def _held(frame: pd.DataFrame) -> list[str]:
    """The runs the rule holds out, read off the table itself."""
    return [str(r) for r in frame.run[frame.params >= 2e8]]


def test_the_held_out_run_names_are_held_out_runs_and_the_old_name_warns(
    frame: pd.DataFrame, bt: DownstreamBacktest
) -> None:
    assert list(bt.held_out_runs) == _held(frame) == [f"m{i}" for i in range(15, 20)]
    assert len(bt.tasks["task"].actual) == len(bt.held_out_runs)
    with pytest.warns(
        DeprecationWarning,
        match=r"DownstreamBacktest.held_out is deprecated .* DownstreamBacktest.held_out_runs",
    ):
        old = bt.held_out  # type: ignore[deprecated]
    assert old is bt.held_out_runs
    assert "5 held out" in repr(bt)


def test_the_json_writes_held_out_runs_and_keeps_held_out_one_release(
    frame: pd.DataFrame, bt: DownstreamBacktest
) -> None:
    data = bt.to_dict()
    assert data["held_out_runs"] == _held(frame)
    assert data["held_out"] == data["held_out_runs"]  # the old key, one release
    assert list(data).index("held_out") == list(data).index("held_out_runs") + 1


@pytest.mark.heavy  # 1.5 s in the suite on a 2-core AMD EPYC
def test_the_cli_json_names_the_run_names_held_out_runs(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], frame: pd.DataFrame
) -> None:
    path = tmp_path / "evals.csv"
    frame.to_csv(path, index=False)
    code, out, err = run(capsys, "downstream", "backtest", str(path), "--holdout", HOLDOUT,
                         "--bootstrap", "0", "--max-backtest-error", "inf", "--json")  # fmt: skip
    assert code == 0, err
    data = json.loads(out)
    assert data["held_out_runs"] == _held(frame)
    assert data["held_out"] == data["held_out_runs"]


def test_the_report_counts_the_held_out_runs(bt: DownstreamBacktest) -> None:
    from scalinglab.report._downstream import _backtest_section

    section = _backtest_section(bt)
    assert "Fitted without the 5 held-out models" in section.body


def test_the_size_backtest_names_the_largest_held_out_size_held_out_params(
    frame: pd.DataFrame,
) -> None:
    from types import SimpleNamespace

    from scalinglab.downstream._screen import backtest_sizes

    def fit(part: object) -> object:  # a stub chain: its own accuracy back, no miss
        def predict(*, params: float, tokens: float) -> dict[str, object]:
            i = int(np.flatnonzero((frame.params == params) & (frame.tokens == tokens))[0])
            return {"task": SimpleNamespace(accuracy=frame.acc_task[i], loss=1.0)}

        return SimpleNamespace(
            predict=predict, tasks={"task": SimpleNamespace(predictable=True, reason="")}
        )

    out = backtest_sizes(read_evals(frame), ["task"], fit=fit, need=4, max_error=0.03)
    assert out.held_out_params == float(frame.params.max()) == 2e8
    assert out.n_held_out == int((frame.params == 2e8).sum()) == 5
    assert not hasattr(out, "held_out")  # one name, one thing: never the run names
