"""Cooled-down runs from curves that share a schedule prefix: a checkpoint is a function of
the schedule up to it, so one two runs give at the same step is one row (its bootstrap
weight their mean), each run's other checkpoints are its own, and the note of ``fit
--from-curves`` says exactly that."""

from __future__ import annotations

from dataclasses import replace
from pathlib import Path

import numpy as np
from tests.test_curves import _synthetic
from tests.test_curves_notes import TISSUE
from tests.test_fit_from_curves import _write

from scalinglab.cli._cmd_curves_use import runs_from_curves
from scalinglab.curves import Tissue, cooldown_resamples, fit_curves
from scalinglab.curves._cooldown import cooldown_schedule

#: Two runs at one peak: constant throughout, and WSD flat until step 2400 (its prefix).
SHARED = (
    "constant:peak=3e-4,warmup=200,steps=3000",
    "wsd:peak=3e-4,end=3e-5,warmup=200,decay=0.2,steps=3000",
    "cosine:peak=3e-4,end=3e-5,warmup=200,steps=3000",
)


def test_a_checkpoint_two_runs_share_is_one_row_and_the_others_are_each_runs() -> None:
    curves = _synthetic(Tissue(), TISSUE, SHARED, noise=1e-3, seed=0)
    fit = fit_curves(curves, law="tissue", bootstrap=20, resample="curves")
    frame, resamples = cooldown_resamples(fit, curves, checkpoints=4)
    # run0 (constant) checkpoints 225, 532, 1258, 2975 (logged every 25 steps); run1 (WSD)
    # 225, 495, 1090, 2400: both start at 225, one row; the cosine has none
    assert list(frame["run"]) == [
        "run0@225+cooldown", "run0@532+cooldown", "run0@1258+cooldown", "run0@2975+cooldown",
        "run1@495+cooldown", "run1@1090+cooldown", "run1@2400+cooldown",
    ]  # fmt: skip
    # each row is the cooled-down loss of its own run's schedule
    at = cooldown_schedule(curves[1].schedule, 2400, cooldown=0.2, end=3e-5)
    assert frame["loss"].iloc[-1] == fit.final_loss(at).loss
    # the shared checkpoint weighs the mean of its two curves' weights in each resample
    assert resamples is not None
    w = fit.curve_weights
    assert w is not None
    assert np.allclose(resamples.weights[:, 0], (w[:, 0] + w[:, 1]) / 2)
    assert np.allclose(resamples.weights[:, 4], w[:, 1])


def test_the_note_says_how_runs_sharing_a_prefix_are_counted(tmp_path: Path) -> None:
    curves = _synthetic(Tissue(), TISSUE, SHARED, noise=1e-3, seed=0)
    path = Path(_write(tmp_path, curves))
    table, notes, _, _ = runs_from_curves(
        [path], cooldown=0.2, law="tissue", bootstrap=0, needs_size=False
    )
    assert notes[0].startswith(f"{len(table)} runs predicted by tissue fitted to 3 curves")
    assert notes[0].endswith(
        "at checkpoints of 2 constant or WSD runs (Hägele et al. 2024), up to 12 per run in "
        "log steps while its rate holds its peak: runs sharing a schedule prefix each add their "
        "own along it, and one at a step another gave counts once"
    )


def test_a_curve_fit_coefficient_at_the_edge_is_named_the_curve_fits(tmp_path, monkeypatch) -> None:  # type: ignore[no-untyped-def]
    # fit --from-curves printed "note: B is at the edge of identified: ..." of the curve fit's
    # B beside the same note of the scaling law's B, unprefixed (its warnings were prefixed)
    import scalinglab.curves as curves_api
    from scalinglab.fit._spans import Edge, Span, edge_notes

    edge = edge_notes([Edge("B", (357.0, 3.44e4), Span(1.7, 2.3, "edge"), 100, 0.9)])[0]
    real = curves_api.fit_curves

    def with_edge(*args, **kwargs):  # type: ignore[no-untyped-def]
        got = real(*args, **kwargs)
        return replace(got, notes=(*got.notes, edge))

    monkeypatch.setattr(curves_api, "fit_curves", with_edge)
    curves = _synthetic(Tissue(), TISSUE, SHARED, noise=1e-3, seed=0)
    path = Path(_write(tmp_path, curves))
    _, notes, _, _ = runs_from_curves([path], cooldown=0.2, law="tissue", needs_size=False)
    assert f"the curve fit (tissue): {edge}" in notes and edge not in notes
