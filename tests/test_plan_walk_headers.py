"""The interval column of ``plan``'s table names why it is empty in the source's own
terms: a preset is a point estimate (its table said "the fit has no bootstrap", about a fit
there is none of), a fit without bootstrap says so, as before."""

from __future__ import annotations

from pathlib import Path

import pytest
from tests._cli import cli

from scalinglab import optimal_allocation
from scalinglab.plan._text import allocation_text


def test_a_presets_plan_does_not_speak_of_a_fit(capsys: pytest.CaptureFixture[str]) -> None:
    code, out, err = cli(capsys, "plan", "--preset", "epoch2024", "--compute", "1e24")
    assert code == 0, err
    assert "interval (none: a point estimate)" in out
    assert "the fit has no bootstrap" not in out
    assert "no intervals: a preset is a point estimate" in out
    # a notebook's table is the same text
    columns = allocation_text(optimal_allocation("epoch2024", flops=1e24), query="flops").columns
    assert columns[2] == "interval (none: a point estimate)"


def test_a_fit_without_bootstrap_still_says_so(
    capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    saved = tmp_path / "fit.json"
    code, _, err = cli(capsys, "fit", "--bootstrap", "0", "--no-compare", "--out", str(saved))
    assert code == 0, err
    code, out, err = cli(capsys, "plan", "--compute", "1e23", "--fit", str(saved))
    assert code == 0, err
    assert "interval (the fit has no bootstrap)" in out and "point estimate" not in out


def test_isoflop_at_notes_give_the_budgets_unit(
    capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    """``isoflop --at``'s notes name the fitted budgets with their unit, as every other
    compute it prints ("past the largest budget the laws were fitted on (3e21 FLOPs)")."""
    import re

    from tests.test_isoflop_at import isoflop_runs

    path = tmp_path / "iso.csv"
    isoflop_runs().to_csv(path, index=False)
    code, out, err = cli(capsys, "isoflop", str(path), "--bootstrap", "20", "--at", "1e10,1e30")
    assert code == 0, err
    for word in ("under the smallest", "past the largest"):
        assert re.search(rf"{word} budget the laws were fitted on \([\d.e+]+ FLOPs\)", out), out
