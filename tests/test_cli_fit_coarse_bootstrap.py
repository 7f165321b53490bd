"""``fit --bootstrap N`` with N at least the 20 that the fit's warning asks for at 90% but
under the 100 it recommends prints one caveat under the coefficient table, as ``--bootstrap
0`` says N ≥ 100 and the warning below 20 says "use 100 or more"; from 100 on, none."""

from __future__ import annotations

from pathlib import Path

import pytest
from tests._cli import cli

from scalinglab.fit._diagnostics import coarse_resamples_note, few_resamples_warning


def _runs(tmp_path: Path) -> Path:
    sizes = [(n, d) for n in (2e7, 5e7, 1.25e8, 3.5e8) for d in (20 * n, 40 * n, 80 * n)]
    rows = [
        f"r{k},{n:g},{d:g},{(1.69 + 406.4 / n**0.34 + 410.7 / d**0.28) * (1 + 0.01 * (-1) ** k):.6f}"
        for k, (n, d) in enumerate(sizes)
    ]
    path = tmp_path / "runs.csv"
    path.write_text("run,params,tokens,loss\n" + "\n".join(rows) + "\n")
    return path


_CAVEAT = (
    "note: intervals from 20 resamples: their ends at 90% move from seed to seed (use 100 "
    "or more; 1,000 for final numbers)"
)


def test_twenty_resamples_get_the_caveat(
    capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    code, out, err = cli(capsys, "fit", str(_runs(tmp_path)), "--bootstrap", "20")
    assert code == 0, err
    lines = out.splitlines()
    assert _CAVEAT in lines
    # under the table, beside the status line
    assert lines.index(_CAVEAT) == 1 + next(i for i, x in enumerate(lines) if "converged" in x)


@pytest.mark.parametrize("drawn", ["10", "100"])
def test_too_few_get_the_warning_and_enough_get_nothing(
    capsys: pytest.CaptureFixture[str], tmp_path: Path, drawn: str
) -> None:
    code, out, err = cli(capsys, "fit", str(_runs(tmp_path)), "--bootstrap", drawn)
    assert code == 0, err
    assert "move from seed to seed" not in out
    assert ("warning: intervals from 10 resamples only" in out) == (drawn == "10")


def test_the_caveat_takes_over_where_the_warning_stops() -> None:
    for level, few in ((0.9, 20), (0.95, 40), (0.99, 200)):
        assert few_resamples_warning(few - 1, level) is not None
        assert coarse_resamples_note(few - 1, level) is None
        assert few_resamples_warning(few, level) is None
        assert coarse_resamples_note(few, level) is not None
        assert coarse_resamples_note(5 * few - 1, level) is not None
        assert coarse_resamples_note(5 * few, level) is None
