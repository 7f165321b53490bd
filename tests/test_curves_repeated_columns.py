"""A loss-curve file with a repeated column name gets the run table's answer at the curve
doors (``curves fit``, ``envelope``): the repeat of a column read is refused naming both
positions, one no door reads is left out with the run table's warning (not 'columns
'loss', 'loss' could each be loss', whose hint --map loss=loss cannot settle it)."""

from __future__ import annotations

from pathlib import Path

import pandas as pd
import pytest
from tests.test_cli_downstream import run

EXAMPLES = Path(__file__).resolve().parents[1] / "examples"


def _write(frame: pd.DataFrame, name: str, path: Path) -> None:
    """``frame`` with its column ``name`` written twice (the repeat last, 10% higher)."""
    out = frame.copy()
    numeric = pd.api.types.is_numeric_dtype(out[name])
    out.insert(len(out.columns), "again", out[name] * 1.1 if numeric else out[name] + "2")
    out.columns = [*frame.columns, name]
    out.to_csv(path, index=False)


def _said(err: str) -> list[str]:
    return [line for line in err.splitlines() if line.startswith(("error:", "hint:"))]


def _lr_curves() -> pd.DataFrame:  # run, step, lr, loss, params
    return pd.read_csv(EXAMPLES / "curves-ladder" / "curves.csv")


def _token_curves() -> pd.DataFrame:  # run, params, tokens, loss
    curves = pd.read_parquet(EXAMPLES / "isoflop-tiny" / "curves.parquet")
    curves = curves.dropna(subset=["eval_loss"]).rename(columns={"eval_loss": "loss"})
    return curves[["run", "params", "tokens", "loss"]]


@pytest.mark.parametrize(
    ("door", "frame", "at"),
    [
        (["curves", "fit", "--bootstrap", "0"], _lr_curves, "4 and 6"),
        (["envelope"], _token_curves, "4 and 5"),
    ],
)
def test_a_repeated_loss_column_is_refused_naming_both_positions(
    capsys: pytest.CaptureFixture[str], tmp_path: Path, door: list[str], frame, at: str
) -> None:
    path = tmp_path / "curves.csv"
    _write(frame(), "loss", path)
    code, out, err = run(capsys, *door, str(path))
    assert code == 2 and out == "" and "Traceback" not in err
    assert _said(err) == [
        f"error: {path}, column 'loss': columns {at} are both named 'loss', which is read: "
        "which one is meant is not clear",
        "hint: rename or remove the other column of that name",
    ]


@pytest.mark.heavy  # 2.3 s in the suite on a 2-core AMD EPYC
def test_a_repeated_column_curves_fit_does_not_read_is_left_out_with_a_warning(
    capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    frame = _lr_curves().assign(note="x")
    path = tmp_path / "curves.csv"
    _write(frame, "note", path)
    code, _, err = run(capsys, "curves", "fit", "--bootstrap", "0", str(path))
    assert code == 0, err
    assert "warning: columns 6 and 7 are named 'note': not read" in err
