"""``plan --fit F`` refuses a fit whose file says its plan is withheld (``plan_withheld``:
runs at one tokens per parameter leave N and D unidentified), as ``fit`` withholds its
plan table: an N*, D* split of a budget, the loss at it and the compute a target loss
needs all rest on the split the runs cannot fix; a fit whose runs vary both plans."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from tests._cli import cli
from tests.test_fit_plan_withheld import _runs


@pytest.mark.parametrize("ask", [("--compute", "1e21"), ("--target-loss", "2.5"), ()])
def test_plan_refuses_a_fit_whose_plan_is_withheld(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], ask: tuple[str, ...]
) -> None:
    fit = tmp_path / "fit.json"
    runs = str(_runs(tmp_path / "r.csv", ratio_spread=False))
    code, _, err = cli(capsys, "fit", runs, "--law", "chinchilla", "--bootstrap", "0",
                       "--out", str(fit))  # fmt: skip
    assert code == 0, err
    assert "plan_withheld" in json.loads(fit.read_text())
    code, out, err = cli(capsys, "plan", "--fit", str(fit), *ask, one_line=True)
    assert code == 2 and out == ""
    assert err == (
        f"error: --fit {fit}: plan withheld: the runs do not identify the law's terms "
        "separately, so any N*, D* split of a budget is arbitrary, and the loss at a "
        "budget's compute-optimal split, or the compute a target loss needs, rests on that "
        "split too hint: fit runs of several tokens per parameter: more than one token count "
        "per model size; or plan from a published law: --preset hoffmann2022"
    )


def test_plan_reads_a_fit_whose_runs_vary_n_and_d(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    fit = tmp_path / "fit.json"
    runs = str(_runs(tmp_path / "r.csv", ratio_spread=True))
    code, _, err = cli(capsys, "fit", runs, "--law", "chinchilla", "--bootstrap", "0",
                       "--out", str(fit))  # fmt: skip
    assert code == 0, err
    code, out, err = cli(capsys, "plan", "--fit", str(fit), "--compute", "1e21", "--json")
    assert code == 0, err
    assert json.loads(out)["allocation"]["flops"] == 1e21
