"""A downstream backtest's hold-out in words is ``DownstreamBacktest.holdout_description``
and ``"holdout_description"`` in its JSON, as ``HparamBacktest.holdout_description`` and
``backtest --json`` name it; ``description``, the old name, reads it for one release with a
DeprecationWarning."""

from __future__ import annotations

import json
from pathlib import Path

import numpy as np
import pandas as pd
import pytest
from tests.test_cli_downstream import run
from tests.test_downstream_chain import MULTS, SIZES, models

from scalinglab import read_runs
from scalinglab.downstream import DownstreamBacktest, backtest_downstream, read_evals
from scalinglab.validate import split_runs

HOLDOUT = "largest:5"  # a rule whose words are not the rule itself
OPTIONS = {"holdout": HOLDOUT, "bootstrap": 0, "max_backtest_error": None}


@pytest.fixture(scope="module")
def frame() -> pd.DataFrame:
    return models(np.random.default_rng(0), SIZES, MULTS)


@pytest.fixture(scope="module")
def bt(frame: pd.DataFrame) -> DownstreamBacktest:
    return backtest_downstream(read_evals(frame), **OPTIONS)  # type: ignore[arg-type]


def _words(frame: pd.DataFrame) -> str:
    """The hold-out's words as a loss backtest's split says them, of the same models."""
    return split_runs(read_runs(frame[["run", "params", "tokens", "loss"]]), HOLDOUT).description


def test_the_holdout_in_words_is_holdout_description_and_the_old_name_warns(
    frame: pd.DataFrame, bt: DownstreamBacktest
) -> None:
    assert bt.holdout_description == _words(frame)
    assert bt.holdout_description.startswith("the 5 largest runs by flops")
    with pytest.warns(
        DeprecationWarning,
        match=r"DownstreamBacktest.description is deprecated .* "
        r"DownstreamBacktest.holdout_description",
    ):
        old = bt.description  # type: ignore[deprecated]
    assert old == bt.holdout_description


@pytest.mark.heavy  # 1.9 s in the suite on a 2-core AMD EPYC
def test_the_json_and_the_cli_name_it_holdout_description(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], frame: pd.DataFrame, bt: DownstreamBacktest
) -> None:
    data = bt.to_dict()
    assert data["holdout_description"] == _words(frame)
    assert list(data).index("holdout_description") == list(data).index("holdout") + 1
    path = tmp_path / "evals.csv"
    frame.to_csv(path, index=False)
    code, out, err = run(capsys, "downstream", "backtest", str(path), "--holdout", HOLDOUT,
                         "--bootstrap", "0", "--max-backtest-error", "inf", "--json")  # fmt: skip
    assert code == 0, err
    assert json.loads(out)["holdout_description"] == _words(frame)
