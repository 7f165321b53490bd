"""A budget written with its unit, as people write one (``1e24 FLOPs``), is read on every
option that takes FLOPs (``plan --compute``, ``isoflop --at``, ``predict --flops``); it was
refused as "not a number". Other units stay refused."""

from __future__ import annotations

import json
from pathlib import Path

import numpy as np
import pytest
from tests._cli import cli

from scalinglab.data._units import parse_flops


@pytest.mark.parametrize(
    ("text", "value"),
    [("1e24 FLOPs", 1e24), ("3.2e23flop", 3.2e23), ("5.76e23 FLOPS", 5.76e23),
     ("400T FLOPs", 400e12), ("1e21", 1e21)],
)  # fmt: skip
def test_a_trailing_flops_unit_is_read(text: str, value: float) -> None:
    assert parse_flops(text) == pytest.approx(value, rel=1e-15)


@pytest.mark.parametrize("text", ["1e24 FLOPz", "FLOPs", "1e24 FLOPs/s", "1e24 tokens"])
def test_other_units_are_not_numbers(text: str) -> None:
    assert parse_flops(text) is None


def test_plan_reads_a_budget_with_its_unit(capsys: pytest.CaptureFixture[str]) -> None:
    base = ("plan", "--preset", "hoffmann2022", "--json", "--compute")
    code, plain, _ = cli(capsys, *base, "1e24,3.2e23")
    assert code == 0
    code, united, _ = cli(capsys, *base, "1e24 FLOPs, 3.2e23 flop")
    assert code == 0 and json.loads(united) == json.loads(plain)
    budgets = [p["query"]["flops"] for p in json.loads(united)["plans"]]
    assert budgets == [1e24, 3.2e23]


def test_other_text_is_still_refused_with_the_unit_in_the_hint(
    capsys: pytest.CaptureFixture[str],
) -> None:
    code, _, err = cli(capsys, "plan", "--preset", "hoffmann2022", "--compute", "1e24 FLOPz")
    assert code == 2 and "--compute '1e24 FLOPz' is not a number" in err
    assert "(1e24 FLOPs)" in err


def test_plan_flops_and_isoflop_at_read_it_too(
    capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    code, plain, _ = cli(capsys, "plan", "--preset", "hoffmann2022", "--json", "--flops", "1e24")
    code2, united, _ = cli(
        capsys, "plan", "--preset", "hoffmann2022", "--json", "--flops", "1e24 FLOPs"
    )
    assert code == code2 == 0 and json.loads(united) == json.loads(plain)
    runs = tmp_path / "iso.csv"  # three budgets of five sizes on Hoffmann et al.'s law
    lines = ["run,params,flops,loss"]
    for c in (1e17, 1e18, 1e19):
        for k, n in enumerate(np.geomspace(c**0.45 / 8, c**0.45 * 2, 5)):
            d = c / (6 * n)
            lines.append(f"r{c:.0e}-{k},{n:.6g},{c:.1e},{1.69 + 406.4 / n**0.34 + 410.7 / d**0.28}")
    runs.write_text("\n".join(lines) + "\n")
    args = ("isoflop", str(runs), "--bootstrap", "0", "--json", "--at")
    code, plain, _ = cli(capsys, *args, "1e21")
    code2, united, _ = cli(capsys, *args, "1e21 FLOPs")
    assert code == code2 == 0
    assert json.loads(united)["at"] == json.loads(plain)["at"]
    assert json.loads(united)["at"][0]["flops"] == 1e21
