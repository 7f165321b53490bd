"""A small generated corpus of malformed run tables and formulas through the CLI: every one
ends in exit 0 (a mutation that is still a valid table) or exit 2 with a one-line message,
never exit 1, a traceback, or a changed input; the issue's known-bad cases are all refused.
``benchmarks/reliability.py`` runs the same judge over hundreds of cases."""

from __future__ import annotations

from pathlib import Path

import pytest
from tests._corpus import Case, fixed_cases, formula_cases, judge, mutated_cases

from scalinglab.cli import main


def _cli(capsys: pytest.CaptureFixture[str]):  # type: ignore[no-untyped-def]
    def run(args: list[str]) -> tuple[int, str, str]:
        code = main(args)
        out, err = capsys.readouterr()
        return code, out, err

    return run


CASES: list[Case] = [
    *fixed_cases(),
    *mutated_cases(seed=11, count=16),
    *[c for c in formula_cases(seed=11, count=12) if c.name != "formula-twelve-params"],
]


@pytest.mark.parametrize("case", CASES, ids=[c.name for c in CASES])
def test_malformed_input_is_refused_cleanly(
    case: Case, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    verdict = judge(case, tmp_path, _cli(capsys))
    allowed = {"refused"} if case.expect == "error" else {"refused", "ok"}
    assert verdict.outcome in allowed, verdict
