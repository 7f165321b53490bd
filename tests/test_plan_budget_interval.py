"""A budget asked for is exact: ``plan --compute`` writes it as its own interval
(``flops_lower`` = ``flops_upper`` = the budget) whatever planned it, a preset or a fit with or
without resamples, where a preset's plan wrote ``"nan"`` and a fit's the budget."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from tests._cli import cli

import scalinglab as sl
from scalinglab.plan import Estimate


@pytest.mark.parametrize("bootstrap", [0, 20])
def test_a_budget_is_its_own_interval_for_a_preset_and_a_fit(
    capsys: pytest.CaptureFixture[str], tmp_path: Path, bootstrap: int
) -> None:
    fit = tmp_path / "fit.json"
    sl.fit("chinchilla", sl.bundled_runs(), bootstrap=bootstrap, extrapolation=False).save(fit)
    written = []
    for given in (["--preset", "hoffmann2022"], ["--fit", str(fit)]):
        code, out, err = cli(capsys, "plan", *given, "--compute", "1e24", "--json")
        assert code == 0, err
        allocation = json.loads(out)["allocation"]
        written.append([allocation[k] for k in ("flops", "flops_lower", "flops_upper")])
    assert written == [[1e24, 1e24, 1e24]] * 2
    preset = sl.optimal_allocation(sl.get_preset("hoffmann2022"), flops=1e24)
    assert preset.flops == Estimate(1e24, 1e24, 1e24)
    assert preset.to_dict()["flops_interval_kind"] == "none"  # given, not an interval


def test_a_law_of_compute_alone_gives_the_budget_as_its_interval() -> None:
    fit = sl.fit("power-law:flops", sl.bundled_runs(), bootstrap=0, extrapolation=False)
    found = sl.optimal_allocation(fit, flops=1e22)
    assert found.flops == Estimate(1e22, 1e22, 1e22)
