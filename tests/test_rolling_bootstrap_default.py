"""The rolling-origin steps' resamples: ``rolling_backtest``'s default is the one
``scalinglab backtest`` draws for its rolling rows (the fewer of ``--bootstrap`` and
``ROLLING_BOOTSTRAP``), and the JSON records the count and seed that reproduce them."""

from __future__ import annotations

import inspect
import json

import pytest
from tests._cli import cli

from scalinglab import rolling_backtest
from scalinglab._defaults import ROLLING_BOOTSTRAP


def test_python_default_is_the_command_lines() -> None:
    default = inspect.signature(rolling_backtest).parameters["bootstrap"].default
    assert default == ROLLING_BOOTSTRAP == 100
    assert "default 100" in (rolling_backtest.__doc__ or "")


@pytest.mark.parametrize(("given", "drawn"), [("20", 20), ("150", ROLLING_BOOTSTRAP)])
@pytest.mark.heavy
def test_backtest_json_records_the_rolling_resamples_and_seed(
    capsys: pytest.CaptureFixture[str], given: str, drawn: int
) -> None:
    code, out, err = cli(capsys, "backtest", "--bootstrap", given, "--seed", "3", "--json")
    assert code == 0, err
    rolling = json.loads(out)["rolling"]
    assert (rolling["n_bootstrap"], rolling["seed"]) == (drawn, 3)
