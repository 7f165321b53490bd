"""A curve fit's polish of its best optima is a progress stage of its own
(:mod:`scalinglab.curves._stages`)."""

from __future__ import annotations


def test_the_polish_has_a_bar_of_its_own() -> None:
    from scalinglab.cli._render import _stage_label

    assert _stage_label("polish") == "fit: best optima polished"
    assert _stage_label("curves polish") == "curve law: best optima polished"  # --from-curves
