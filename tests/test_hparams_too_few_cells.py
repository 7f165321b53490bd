"""A sweep of fewer cells than any law of lr* needs is refused before its optima are
resampled (and before the report's line that says it locates them), still naming the
optima its cells answer for; cells that turn out unusable are refused after, as before."""

from __future__ import annotations

from pathlib import Path

import pandas as pd
import pytest
from tests._cli import cli
from tests._hparam_sweeps import SEQ_LEN, sweep

from scalinglab._errors import TooFewCellsError
from scalinglab.hparams import fit_hparams

TOO_FEW = (
    "2 cells for the lr law 'A * C**alpha' (the smallest of the 2 forms tried), which has 2 "
    "parameters: a fit needs at least 3"
)


def _cells(count: int) -> pd.DataFrame:
    """The runs of the first ``count`` cells, each of its own model size."""
    frame = sweep(4)
    keys = frame[["params", "tokens"]].drop_duplicates().groupby("params").head(1)
    return keys.head(count).merge(frame, on=["params", "tokens"])


def test_too_few_cells_are_refused_before_any_optimum_is_resampled() -> None:
    stages: list[str] = []
    with pytest.raises(TooFewCellsError) as caught:
        fit_hparams(
            _cells(2), seq_len=SEQ_LEN, bootstrap=50, progress=lambda s, *_: stages.append(s)
        )
    assert caught.value.message == f"<DataFrame>: {TOO_FEW}"
    assert stages == []  # no cell resampled
    # the point optima still answer for the two models
    assert caught.value.hint.startswith(
        "add sweeps at more (N, D), or fit a law with fewer parameters; the optima located: "
        "N=100M D=1B: lr* "
    )


def test_a_law_short_of_usable_cells_is_still_refused_after_the_optima() -> None:
    # 3 cells pass the first check (the compute law has 2 parameters), then Step Law's lr*
    # law (chosen: too few sizes to choose by) needs 4; two sizes, two budgets of one, so
    # that N and D vary apart (on one curve, laws of N alone would be fitted: _design)
    frame = sweep(4)
    keys = frame[["params", "tokens"]].drop_duplicates().iloc[[0, 1, 3]]
    with pytest.raises(TooFewCellsError, match="3 usable cells for the lr law 'A \\* N"):
        fit_hparams(keys.merge(frame, on=["params", "tokens"]), seq_len=SEQ_LEN, bootstrap=0)


def test_the_report_refuses_before_its_locating_line(
    capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    path = tmp_path / "two.csv"
    _cells(2).to_csv(path, index=False)
    out = tmp_path / "hp.html"
    code, _, err = cli(
        capsys, "report", str(path), "--hparams", "--seq-len", str(SEQ_LEN), "--out", str(out)
    )
    assert code == 2 and err.startswith(f"error: {path}: {TOO_FEW}\n")
    assert "locating the optima" not in err and not out.exists()
