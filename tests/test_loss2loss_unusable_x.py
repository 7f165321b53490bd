"""``loss2loss fit`` with a NaN or inf in its --x loss column asks what it can do (fix the
value, remove the row, or choose another --x column), as a bad --y loss does; it has no
--drop-outliers, which the run tables' hint named."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest
from tests.test_cli_downstream import run
from tests.test_downstream_chain import MULTS, SIZES, models


@pytest.mark.parametrize("value", [np.nan, np.inf])
def test_an_unusable_x_loss_asks_to_fix_it_not_for_drop_outliers(
    capsys: pytest.CaptureFixture[str], tmp_path: Path, value: float
) -> None:
    frame = models(np.random.default_rng(0), SIZES, MULTS[:2])
    frame["loss_other"] = 1.2 * (frame["loss"] - 1.5) ** 1.1 + 0.9
    frame.loc[3, "loss"] = value  # the file's line 5
    path = tmp_path / "evals.csv"
    frame.to_csv(path, index=False, na_rep="nan")  # written, not blank: a blank is no run
    code, _, err = run(capsys, "loss2loss", "fit", str(path), "--x", "loss", "--y", "loss_other")
    assert code == 2
    assert f"{path}, row 5, column 'loss'" in err
    assert "--drop-outliers" not in err
    assert "fill in or fix the value, or remove the row; or choose another loss column: --x" in err
