"""``scalinglab backtest``'s default ``--rolling`` on runs too few for any rolling-origin step
(each needs twice the law's parameters): the held-out backtest is still scored and the
missing rolling table is a note, not an error (``rolling_backtest`` itself raises
:class:`scalinglab._errors.NoRollingStepError`, a :class:`~scalinglab.DataError`)."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pandas as pd
import pytest

from scalinglab._errors import DataError, NoRollingStepError
from scalinglab.cli import main
from scalinglab.validate import rolling_backtest


def _runs(path: Path) -> Path:
    rng = np.random.default_rng(1)
    n = np.repeat([1e7, 3e7, 1e8, 3e8], 2)
    d = np.tile([20.0, 40.0], 4) * n
    loss = (1.69 + 406.4 / n**0.34 + 410.7 / d**0.28) * (1 + 0.005 * rng.standard_normal(8))
    pd.DataFrame(
        {"run": [f"r{i}" for i in range(8)], "params": n, "tokens": d, "loss": loss}
    ).to_csv(path, index=False)
    return path


def test_the_cli_notes_no_rolling_step_and_scores_the_held_out_runs(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    code = main(["backtest", str(_runs(tmp_path / "runs.csv")), "--bootstrap", "0"])
    out = " ".join(capsys.readouterr().out.split())
    assert code == 0
    assert "median ARE" in out  # the held-out runs scored
    assert (
        "no rolling-origin step has 10 runs or more (twice the 5 parameters of law 'chinchilla'): "
        "no rolling table (--no-rolling leaves this out)"
    ) in out


def test_the_library_raises_a_data_error_of_its_own_kind(tmp_path: Path) -> None:
    with pytest.raises(NoRollingStepError, match="no rolling-origin step has 10 runs") as got:
        rolling_backtest(str(_runs(tmp_path / "runs.csv")), holdout="largest:1", bootstrap=0)
    assert isinstance(got.value, DataError)
