"""``fit --max-steps``: the advice of a fit that stopped at the solver's step limit is one
the command line can follow (it said "try more starts", an option only Python has)."""

from __future__ import annotations

import json

import pytest
from tests._cli import cli


def test_a_fit_stopped_at_the_step_limit_names_the_option(
    capsys: pytest.CaptureFixture[str],
) -> None:
    code, out, err = cli(capsys, "fit", "--bootstrap", "0", "--no-compare", "--max-steps", "2")
    assert code == 1
    assert "FAILED: the maximum number of steps was reached" in out
    assert "hint: rerun with --max-steps 20 (each start stopped at 2), another --robust-loss" in err
    assert "more starts" not in err


def test_max_steps_reaches_the_fit(capsys: pytest.CaptureFixture[str]) -> None:
    code, out, err = cli(
        capsys, "fit", "--bootstrap", "0", "--no-compare", "--json", "--max-steps", "1000"
    )
    assert code == 0, err
    assert json.loads(out)["status"] == "converged"
    code, _, err = cli(capsys, "fit", "--max-steps", "0")
    assert code == 2 and "Invalid value for '--max-steps'" in err
