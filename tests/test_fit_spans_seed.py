"""A span's verdict does not depend on the seed: an interval whose end sits on a gap in its
resamples (the bundled runs' E: 3-8% of resamples collapse it, next to the 5% that sets a
90% interval's end) is a note at every seed, not a warning at some (:mod:`scalinglab.fit._spans`)."""

from __future__ import annotations

import json

import numpy as np
import pytest
from tests._cli import cli

from scalinglab.fit._spans import EDGE, NARROW, WIDE, span


def _e_like(collapsed: int, *, n: int = 200) -> np.ndarray:
    """``n`` resamples near 1.3, ``collapsed`` of them at ~1e-7 (E driven to ~0)."""
    rng = np.random.default_rng(0)
    v = np.exp(rng.normal(np.log(1.3), 0.15, n))
    v[:collapsed] = 1e-7
    return v


@pytest.mark.parametrize(
    ("collapsed", "verdict"),
    [(0, NARROW), (3, NARROW), (9, EDGE), (12, EDGE), (16, EDGE), (30, WIDE)],
)
def test_a_gap_at_the_interval_end_is_wide_only_beyond_the_ends_seed_error(
    collapsed: int, verdict: str
) -> None:
    # at 200 resamples a 90% end's count is 10 ± 2·3.1: 4-16 collapsed is either side
    got = span(_e_like(collapsed), level=0.9)
    assert got is not None and got.verdict == verdict


def test_under_a_hundred_resamples_the_interval_judges_itself() -> None:
    assert span(_e_like(10, n=99), level=0.9) is None


def test_the_default_fit_says_the_same_at_every_seed(capsys: pytest.CaptureFixture[str]) -> None:
    said = set()
    for seed in range(6):
        code, out, err = cli(capsys, "fit", "--seed", str(seed), "--json")
        assert code == 0, err
        data = json.loads(out)
        e_notes = [n for n in data["notes"] if n.startswith("E is at the edge of identified")]
        said.add((data["trusted"], tuple(data["warnings"]), len(e_notes)))
        assert [bool(row["warnings"]) for row in data["plan"]] == [False, True, True, True]
        assert [n for n in data["plan"][0]["notes"] if "1e21 is at the edge of pinned" in n]
    assert said == {(True, (), 1)}
