"""A hold-out rule's bound on the flops column reads a compute as ``--compute`` does, its
unit FLOP or FLOPs after it or not (``flops>=1e21FLOP`` was "'1e21FLOP' is not a number"
while ``--compute 1e24FLOP`` was read): one reading of a compute's unit
(:func:`scalinglab.data._unit_words.without_flops_unit`). Another column's bound takes no FLOPs."""

from __future__ import annotations

from pathlib import Path

import pytest

from scalinglab import read_runs
from scalinglab._errors import ConfigError
from scalinglab.validate._rules import rule_mask


@pytest.fixture
def table(tmp_path: Path):  # type: ignore[no-untyped-def]
    path = tmp_path / "runs.csv"
    rows = [(n, d, 6 * n * d) for n in (1e8, 1e9, 1e10) for d in (1e10, 1e11)]
    path.write_text(
        "params,tokens,flops,loss\n"
        + "".join(f"{n:g},{d:g},{c:g},{2 + 1 / i}\n" for i, (n, d, c) in enumerate(rows, 1))
    )
    return read_runs(path)


@pytest.mark.parametrize("rule", ["flops>=6e20FLOP", "flops>=6e20 FLOPs", "flops >= 6E20 flop"])
def test_a_flops_bound_with_its_unit(table, rule: str) -> None:  # type: ignore[no-untyped-def]
    # 6*N*D >= 6e20: N=1e10 with D=1e11 (6e21) and D=1e10 (6e20), N=1e9 with D=1e11 (6e20)
    assert rule_mask(table, rule).mask.tolist() == [False, False, False, True, True, True]
    assert rule_mask(table, rule).mask.tolist() == rule_mask(table, "flops>=6e20").mask.tolist()


def test_another_column_takes_no_flops(table) -> None:  # type: ignore[no-untyped-def]
    with pytest.raises(ConfigError, match="'1e9FLOP' is a count of FLOPs, not params"):
        rule_mask(table, "params>=1e9FLOP")
