"""The note on a prediction's loss at the optimum says what its interval holds only where it
has one: where the loss* law has none (cells the lr grid pins, or no bootstrap), it says why
there is none, in Python, the CLI and the report's laws table alike."""

from __future__ import annotations

import math
from pathlib import Path

import numpy as np
import pytest
from tests._cli import cli
from tests.test_hparams_grid_pinned import _sweep

from scalinglab import fit_hparams
from scalinglab.hparams import HparamFit
from scalinglab.report._hparams_tables import laws_table

#: What the note says of an interval that exists (bootstrap spread and scatter combined).
COMBINES = "combines its bootstrap spread"


def _loss_note(notes: tuple[str, ...]) -> str:
    (note,) = [n for n in notes if n.startswith("loss at the optimum")]
    return note


@pytest.fixture(scope="module")
def coarse() -> HparamFit:
    """A x3 lr grid: every cell pinned, the loss* law without draws."""
    frame = _sweep(np.random.default_rng(3), 3.0, 5, 0.002)
    return fit_hparams(frame, by=["params"], bootstrap=200)


def test_a_pinned_fits_loss_note_says_it_is_not_measured(coarse: HparamFit) -> None:
    pred = coarse.predict(params=3e8)
    assert math.isfinite(pred.loss) and all(math.isnan(v) for v in pred.loss_interval)
    assert math.isfinite(pred.lr_interval[0])  # the fit has intervals, the loss none
    note = _loss_note(pred.notes)
    assert COMBINES not in note
    assert "without an interval, as its cells' loss* is not measured" in note
    assert "known only to the grid" in note
    # the scatter of the minima, measured here: RMS of log(minimum / law)
    law = coarse.loss_law
    assert law is not None
    assert f"{100 * law.residual_scale:.2g}% RMS over 3 cells" in note


def test_a_fit_without_bootstrap_says_none_was_asked() -> None:
    frame = _sweep(np.random.default_rng(3), 3.0, 5, 0.002)
    note = _loss_note(fit_hparams(frame, by=["params"], bootstrap=0).predict(params=3e8).notes)
    assert COMBINES not in note
    assert note.endswith(", without an interval, as no bootstrap was asked (--bootstrap 0)")


def test_a_fine_grids_note_still_says_what_its_interval_holds() -> None:
    frame = _sweep(np.random.default_rng(3), 1.41, 11, 0.002)
    pred = fit_hparams(frame, by=["params"], bootstrap=50).predict(params=3e8)
    assert all(math.isfinite(v) for v in pred.loss_interval)
    note = _loss_note(pred.notes)
    assert COMBINES in note and "without an interval" not in note


def test_the_cli_says_it_beside_a_blank_interval(
    coarse: HparamFit, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    path = tmp_path / "fit.json"
    coarse.save(path)
    code, out, _ = cli(capsys, "hparams", "predict", "--fit", str(path), "--params", "3e8")
    assert code == 0
    said = " ".join(out.split())
    assert COMBINES not in said
    assert "without an interval, as its cells' loss* is not measured" in said


def test_the_reports_laws_table_says_why_the_loss_law_has_none(coarse: HparamFit) -> None:
    html = laws_table(coarse)
    assert "loss* = K * N**a has no interval, as its cells&#x27; loss* is not measured" in html


def test_the_reports_laws_table_says_nothing_more_where_it_has_intervals() -> None:
    frame = _sweep(np.random.default_rng(3), 1.41, 11, 0.002)
    assert "has no interval" not in laws_table(fit_hparams(frame, by=["params"], bootstrap=50))
