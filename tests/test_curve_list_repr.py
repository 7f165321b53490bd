"""``read_lr_curves`` returns a list whose repr is one short line: it printed every curve
(1,195 characters for the 9 curves of one size), growing with each; it is still a list,
indexed, sliced, iterated, compared and pickled as one."""

from __future__ import annotations

import pickle
from pathlib import Path

import pytest
from tests.conftest import SHARED

import scalinglab as sl
from scalinglab.curves import Curve, CurveList


@pytest.fixture(scope="module")
def folder() -> Path:
    path = SHARED / "lr-schedules"
    if not (path / "25M").is_dir():
        pytest.skip(f"the lr-schedules curves are not here ({path}); they live in ../shared/data")
    return path


def test_the_curves_repr_is_one_short_line(folder: Path) -> None:
    curves = sl.read_lr_curves(folder / "25M")
    plain = list(curves)
    assert len(plain) == 9 and all(isinstance(c, Curve) for c in plain)
    assert len(repr(plain)) > 1000  # the list's own repr: every curve
    first = ", ".join(repr(c.run) for c in plain[:3])
    points = sum(len(c.step) for c in plain)
    assert repr(curves) == f"CurveList(9 curves: {first} and 6 more; {points:,} points, N 25M)"
    assert len(repr(curves)) < 130
    both = sl.read_lr_curves(folder)  # two sizes: the range
    assert repr(both).endswith(f"{sum(len(c.step) for c in both):,} points, N 25M-100M)")
    assert repr(CurveList(plain[:1])) == (
        f"CurveList(1 curve: {plain[0].run!r}; {len(plain[0].step):,} points, N 25M)"
    )
    assert repr(CurveList()) == "CurveList(0 curves; 0 points)"


def test_it_is_still_a_list(folder: Path) -> None:
    curves = sl.read_lr_curves(folder / "25M")
    plain = list(curves)
    assert isinstance(curves, list) and curves == plain and len(curves) == 9
    assert curves[0] is plain[0] and curves[-1] is plain[-1]
    assert curves[2:4] == plain[2:4] and [c.run for c in curves] == [c.run for c in plain]
    again = pickle.loads(pickle.dumps(curves))
    assert type(again) is CurveList and [c.run for c in again] == [c.run for c in plain]
