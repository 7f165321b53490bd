"""Follow-ups of a new user's walk through isoflop, envelope and loss2loss: a two-column
loss-to-loss file, a blank or negative ``L_y``, a tracker-named loss column in curves, and
where a flagged isoFLOP budget's vertex lies."""

from __future__ import annotations

import re
from pathlib import Path

import numpy as np
import pandas as pd
import pytest
from tests._chinchilla_draws import HOFFMANN, isoflop_runs, law_curves

from scalinglab import DataError, envelope, fit_loss_to_loss, isoflop
from scalinglab.cli import main


def run(capsys: pytest.CaptureFixture[str], *args: str) -> tuple[int, str, str]:
    code = main(list(args))
    out, err = capsys.readouterr()
    return code, out, err


def two_losses(n: int = 14) -> pd.DataFrame:
    """Two loss columns and nothing else, as a user's own file: no run, size or corpus."""
    rng = np.random.default_rng(0)
    lx = np.linspace(3.0, 5.0, n)
    ly = (1.2 * (lx - 1.8) ** 0.9 + 1.5) * np.exp(rng.normal(0, 0.002, n))
    return pd.DataFrame({"C4 Loss": lx, "Pile Loss": ly})


@pytest.mark.heavy  # 2.5 s in the suite on a 2-core AMD EPYC
def test_loss2loss_fits_a_file_of_two_loss_columns(
    capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    # the law reads L_x alone: no model size is needed (was refused: 'no model-size column')
    path = tmp_path / "two.csv"
    two_losses().to_csv(path, index=False)
    code, out, err = run(capsys, "loss2loss", "fit", str(path), "--x", "C4 Loss",
                         "--y", "Pile Loss", "--bootstrap", "20")  # fmt: skip
    assert code == 0, err
    assert "two.csv (14 runs)" in out
    l2l = fit_loss_to_loss(two_losses(), x="C4 Loss", y="Pile Loss", bootstrap=0)
    assert l2l.fits["all"].n_runs == 14


@pytest.mark.parametrize(("cell", "said"), [(np.nan, "no value"), (-3.6, "a loss of -3.6")])
def test_loss2loss_names_a_blank_or_negative_y_cell(
    capsys: pytest.CaptureFixture[str], tmp_path: Path, cell: float, said: str
) -> None:
    # was: "every one of the 25 starts failed", naming no row (sized: as main read files)
    frame = two_losses().assign(params=np.geomspace(1e7, 1e9, 14))
    frame.loc[4, "Pile Loss"] = cell
    path = tmp_path / "two.csv"
    frame.to_csv(path, index=False)
    code, _out, err = run(capsys, "loss2loss", "fit", str(path), "--x", "C4 Loss",
                         "--y", "Pile Loss", "--bootstrap", "0")  # fmt: skip
    assert code == 2
    lines = [line for line in err.splitlines() if line.startswith("error:")]
    assert len(lines) == 1, err
    assert "row 6, column 'Pile Loss'" in lines[0] and said in lines[0]
    assert "starts failed" not in err and "Traceback" not in err
    with pytest.raises(
        DataError, match=re.escape("row df.iloc[4], column 'Pile Loss'")
    ):  # a frame's 5th row
        fit_loss_to_loss(frame, x="C4 Loss", y="Pile Loss", bootstrap=0)


def test_envelope_finds_a_tracker_named_loss_column() -> None:
    # a run table finds val/loss or eval/loss (W&B's names); curves refused them
    curves = law_curves(HOFFMANN, sizes=8)
    result = envelope(curves.rename(columns={"loss": "eval/loss"}), bootstrap=0)
    assert "column 'eval/loss' read as loss" in result.notes
    assert result.a.value == pytest.approx(envelope(curves, bootstrap=0).a.value)


@pytest.mark.parametrize(("kept", "side", "edge"), [(slice(None, 4), "above", "larger"),
                                                    (slice(-4, None), "below", "smaller")])  # fmt: skip
def test_flagged_budget_says_on_which_side_its_vertex_lies(
    kept: slice, side: str, edge: str
) -> None:
    runs = isoflop_runs(noise=0.0)
    flops = 6 * runs["params"] * runs["tokens"]
    on = np.isclose(flops, flops.max())
    sizes = np.sort(runs.loc[on, "params"].to_numpy())[kept]
    result = isoflop(runs[~on | runs["params"].isin(sizes)], bootstrap=0)
    note = next(n for n in result.notes if "flagged and not used" in n)
    assert f"is {side} the {'largest' if side == 'above' else 'smallest'} size" in note
    assert f"train {edge} models at this budget" in note


def test_resamples_that_give_no_line_are_counted() -> None:
    # 2 budgets of 4 sizes: many resamples keep a minimum at 1 budget alone and give no
    # line; the intervals were over the rest, which no note counted
    runs = isoflop_runs(per=4, noise=0.01)
    flops = 6 * runs["params"] * runs["tokens"]
    result = isoflop(runs[flops < 1.01 * flops.min() * 10**0.5], bootstrap=200)
    samples = result.params_law.samples
    assert samples is not None and len(samples) < 200
    note = f"{200 - len(samples)} of 200 resamples had fewer than 2 budgets with a minimum left"
    assert any(n.startswith(note) and n.endswith(f"over the other {len(samples)}")
               for n in result.notes)  # fmt: skip
