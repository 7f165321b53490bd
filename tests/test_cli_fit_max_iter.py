"""``fit --max-iter``: the advice of a fit that stopped at the solver's step limit is one
the command line can follow (it said "try more starts", an option only Python has)."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from tests._cli import cli

import scalinglab as sl


def test_a_fit_stopped_at_the_step_limit_names_the_option(
    capsys: pytest.CaptureFixture[str],
) -> None:
    code, out, err = cli(capsys, "fit", "--bootstrap", "0", "--no-compare", "--max-iter", "2")
    assert code == 1
    # the option by its command-line name beside the keyword, as other messages give it
    assert (
        "FAILED: the maximum number of iterations was reached; increase max_iter (--max-iter)"
        in out
    )
    assert "hint: rerun with --max-iter 20 (each start stopped at 2), another --robust-loss" in err
    assert "more starts" not in err


def test_max_iter_reaches_the_fit(capsys: pytest.CaptureFixture[str]) -> None:
    code, out, err = cli(
        capsys, "fit", "--bootstrap", "0", "--no-compare", "--json", "--max-iter", "1000"
    )
    assert code == 0, err
    assert json.loads(out)["status"] == "converged"
    code, _, err = cli(capsys, "fit", "--max-iter", "0")
    assert code == 2 and "Invalid value for '--max-iter'" in err


def test_a_failed_fit_saved_with_out_says_so_where_it_is_used(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """``fit --out`` saves a fit that exits 1; plan and predict from the file printed N*
    and a loss with no word of it (``trusted`` false, ``warnings`` empty)."""
    path = tmp_path / "failed.json"
    code, _, _ = cli(
        capsys, "fit", "--bootstrap", "0", "--no-compare", "--max-iter", "2", "--out", str(path)
    )
    assert code == 1 and path.is_file()
    warned = (
        "the fit did not converge (status failed: the maximum number of iterations was reached; "
        "increase max_iter (--max-iter)): its coefficients are not an optimum; refit before "
        "trusting this"
    )
    for args in (
        ["plan", "--fit", str(path), "--compute", "1e22", "--compute", "1e23"],
        ["predict", "--fit", str(path), "--params", "1B", "--tokens", "20B"],
    ):
        code, out, err = cli(capsys, *args)
        assert code == 0, err
        assert out.splitlines().count(f"warning: {warned}") == 1  # once, not a table each
        code, out, _ = cli(capsys, *args, "--json")
        said = json.loads(out)
        assert said["warnings"] == [warned] and said["source"]["trusted"] is False
    # from Python: the fit read back, its plan and its prediction
    failed = sl.FitResult.load(path)
    assert failed.warnings == (warned,)
    # an allocation's warnings are its own (Allocation.warnings), not lines of its notes
    assert sl.optimal_allocation(failed, flops=1e22).warnings[0] == warned
    assert failed.predict(params=1e9, tokens=2e10).notes[0] == f"warning: {warned}"
    assert sl.compute_for_loss(failed, target_loss=2.5).warnings[0] == warned
