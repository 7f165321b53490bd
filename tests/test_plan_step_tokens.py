"""``plan --fit`` refuses a fit whose D counts optimizer steps (``fit --from-curves``
without ``--tokens-per-step``), as ``fit`` itself makes no compute plan from it: without
--compute it planned default budgets of 6·N·steps labelled FLOPs, and with --compute or
--target-loss it planned in those units too. With --tokens-per-step it plans."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from tests._cli import cli

from scalinglab.cli import main

CURVES = Path(__file__).resolve().parents[1] / "examples" / "curves-ladder" / "curves.csv"


def _fit(folder: Path, *more: str) -> Path:
    saved = folder / "fc.json"
    args = ["--bootstrap", "0", "--no-compare", "--out", str(saved), "--json", *more]
    assert main(["fit", "--from-curves", str(CURVES), *args]) == 0
    return saved


@pytest.fixture(scope="module")
def in_steps(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A fit of the example curves without --tokens-per-step: D counts steps."""
    return _fit(tmp_path_factory.mktemp("steps"))


@pytest.mark.parametrize("query", [(), ("--compute", "1e18"), ("--target-loss", "3"), ("--json",)])
@pytest.mark.heavy
def test_a_fit_whose_tokens_count_steps_is_not_planned(
    query: tuple[str, ...], in_steps: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    code, out, err = cli(capsys, "plan", "--fit", str(saved := in_steps), *query)
    assert (code, out) == (2, "")
    assert err == (
        f"error: --fit {saved} cannot be planned: its D counts optimizer steps, not tokens "
        "(fit --from-curves without --tokens-per-step), so its compute 6·N·D is not in FLOPs\n"
        "hint: refit with the tokens per step (batch size × sequence length): scalinglab fit "
        f"--from-curves CURVES --tokens-per-step 0.5M --out {saved}\n"
    )


@pytest.mark.heavy
def test_a_fit_with_tokens_per_step_is_planned(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    saved = _fit(tmp_path, "--tokens-per-step", "4096")
    capsys.readouterr()  # the fit's own output
    code, out, err = cli(capsys, "plan", "--fit", str(saved), "--compute", "1e15", "--json")
    assert code == 0, err
    assert json.loads(out)["query"] == {"flops": 1e15}
