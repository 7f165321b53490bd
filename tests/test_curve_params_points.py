"""Loss curves held to a run table's rule: a params cell at or below zero is refused by
``curves fit`` as by ``envelope`` (file, row, column and hint, as ``fit`` refuses it)."""

from __future__ import annotations

from pathlib import Path

import pandas as pd
import pytest
from tests._cli import refused

from scalinglab import DataError, envelope
from scalinglab.curves import read_lr_curves

RULE = "params must be positive"
HINT = "hint: fix the value, or remove the row; a power law needs positive values"


def _curves(path: Path, params: float) -> Path:
    """Two runs of 40 logged steps (run, params, step, tokens, lr, loss); the sixth row of
    the first run's params is ``params``."""
    rows = []
    for run, n in (("a", 2.5e7), ("b", 1e8)):
        for step in range(100, 4100, 100):
            rows.append(
                {"run": run, "params": n, "step": step, "tokens": step * 5e5, "lr": 3e-4,
                 "loss": 2.0 + 300 * n**-0.3 + 40 * (step * 5e5) ** -0.25}
            )  # fmt: skip
    frame = pd.DataFrame(rows)
    frame.loc[5, "params"] = params
    frame.to_csv(path, index=False)
    return path


@pytest.mark.parametrize("params", [0.0, -5.0])
def test_curves_fit_and_envelope_refuse_params_at_or_below_zero(
    capsys: pytest.CaptureFixture[str], tmp_path: Path, params: float
) -> None:
    path = _curves(tmp_path / "curves.csv", params)
    said = f"error: {path}, row 7, column 'params': params is {params:g}; {RULE}"
    for command in (["curves", "fit"], ["envelope"]):
        assert refused(capsys, [*command, str(path)]) == (said, HINT), command
    run_table = tmp_path / "runs.csv"  # the run table's rule, word for word
    pd.DataFrame({"run": ["a", "b"], "params": [params, 1e8], "tokens": 1e9, "loss": 3.0}).to_csv(
        run_table, index=False
    )
    assert refused(capsys, ["fit", str(run_table)]) == (
        f"error: {run_table}, row 2, column 'params': params is {params:g}; {RULE}",
        HINT,
    )
    with pytest.raises(DataError, match=RULE):
        read_lr_curves(path)
    with pytest.raises(DataError, match=RULE):
        envelope(path)


def test_a_good_params_column_still_reads(tmp_path: Path) -> None:
    curves = read_lr_curves(_curves(tmp_path / "curves.csv", 2.5e7))
    assert [c.params for c in curves] == [2.5e7, 1e8]
