"""A fit withholds its plan by the columns its symbols read, not by their names (a formula in
``P`` and ``T`` reading params and tokens is planned as one in ``N`` and ``D``), and the
refusal's hint names what the runs lack: several tokens per parameter for runs on one power
curve, a model size or a token count for too few of them — where it named the first always."""

from __future__ import annotations

import json
from pathlib import Path

import numpy as np
import pandas as pd
import pytest

import scalinglab as sl
from scalinglab._errors import ConfigError, DataError
from scalinglab.fit._withheld import PLAN_WITHHELD, RATIOS

_PRESET = "; or plan from a published law: optimal_allocation('hoffmann2022', flops=1e21)"


def _runs(n: np.ndarray, d: np.ndarray) -> pd.DataFrame:
    loss = 1.7 + 400 * n**-0.34 + 410 * d**-0.28
    runs = [f"r{i}" for i in range(len(n))]
    return pd.DataFrame({"run": runs, "params": n, "tokens": d, "loss": loss})


def _refusal(result: sl.FitResult) -> ConfigError:
    with pytest.raises(ConfigError) as err:
        sl.optimal_allocation(result, flops=1e21)
    return err.value


@pytest.mark.parametrize("x", [None, {"P": "params", "T": "tokens"}])
def test_runs_at_one_ratio_withhold_the_plan_whatever_the_symbols(
    x: dict[str, str] | None,
) -> None:
    n = np.geomspace(1e7, 1e9, 8)
    formula = "E + A*N**-alpha + B*D**-beta" if x is None else "E + A*P**-a + B*T**-b"
    result = sl.fit(formula, _runs(n, 20 * n), x=x, bootstrap=0)
    # the renamed formula was planned at N* = 1.67e20, D* = 1 token before
    assert result.plan_withheld == f"{PLAN_WITHHELD} — to plan, {RATIOS}"
    assert _refusal(result).hint == RATIOS + _PRESET


def test_a_renamed_formula_on_spread_runs_plans() -> None:
    n = np.geomspace(1e7, 1e9, 8)
    d = n * np.array([5, 40, 10, 80, 20, 5, 40, 10])
    result = sl.fit("E + A*P**-a + B*T**-b", _runs(n, d), x={"P": "params", "T": "tokens"},
                    bootstrap=0)  # fmt: skip
    assert result.plan_withheld is None
    assert sl.optimal_allocation(result, flops=1e21).flops.value == 1e21


@pytest.mark.parametrize(
    ("sizes", "counts", "lacking"), [(2, 6, "a model size"), (6, 2, "a token count")]
)
def test_the_hint_names_what_the_runs_lack(sizes: int, counts: int, lacking: str) -> None:
    n = np.repeat(np.geomspace(1e8, 4e8, sizes), counts)
    d = np.tile(np.geomspace(2e9, 2e11, counts), sizes)
    result = sl.fit("chinchilla", _runs(n, d), bootstrap=0)
    assert result.plan_withheld == f"{PLAN_WITHHELD} — to plan, add {lacking}"
    assert _refusal(result).hint == f"add {lacking}{_PRESET}"


def test_a_file_from_before_the_remedy_was_recorded_points_at_the_warnings(
    tmp_path: Path,
) -> None:
    n = np.geomspace(1e7, 1e9, 8)
    saved = sl.fit("chinchilla", _runs(n, 20 * n), bootstrap=0).to_dict()
    saved["plan_withheld"] = PLAN_WITHHELD  # as fit wrote it before
    path = tmp_path / "old.json"
    path.write_text(json.dumps(saved))
    assert _refusal(sl.FitResult.load(path)).hint == (
        "fit runs that identify the law's terms: the fit's warnings say what these lack" + _PRESET
    )


@pytest.mark.parametrize(("edited", "shown"), [(True, "true"), (1, "1"), (["why"], '["why"]')])
def test_a_plan_withheld_that_is_not_a_reason_is_refused_on_load(
    tmp_path: Path, edited: object, shown: str
) -> None:
    n = np.geomspace(1e7, 1e9, 8)
    saved = sl.fit("chinchilla", _runs(n, 20 * n), bootstrap=0).to_dict()
    saved["plan_withheld"] = edited  # read as the reason "True" before
    path = tmp_path / "fit.json"
    path.write_text(json.dumps(saved))
    with pytest.raises(DataError) as err:
        sl.FitResult.load(path)
    assert err.value.message == (
        f'{path}: the fit\'s "plan_withheld" must be why no plan may be made from it (a '
        f"string, as fit writes it) or null where one may, got {shown}"
    )
    assert err.value.hint == "write it again with `scalinglab fit ... --out fit.json`"


def test_the_refusal_names_the_call_made_with_the_users_own_argument() -> None:
    """compute_for_loss's hint was optimal_allocation's with a budget never given; the
    reason, without fit's pointer to its warnings (none is shown with the refusal)."""
    n = np.geomspace(1e7, 1e9, 8)
    result = sl.fit("chinchilla", _runs(n, 20 * n), bootstrap=0)
    assert "(see the fit's warnings)" in str(result.plan_withheld)  # no "warning above"
    with pytest.raises(ConfigError) as err:
        sl.compute_for_loss(result, target_loss=2.0)
    assert err.value.hint == (
        f"{RATIOS}; or plan from a published law: compute_for_loss('hoffmann2022', target_loss=2.0)"
    )
    assert err.value.message.startswith(
        "plan withheld: the runs do not identify the law's terms separately, so any N*"
    )
    assert sl.optimal_allocation("hoffmann2022", flops=3e23).flops.value == 3e23
    assert _refusal_at(result, 3e23).hint.endswith("optimal_allocation('hoffmann2022', flops=3e23)")


def _refusal_at(result: sl.FitResult, flops: float) -> ConfigError:
    with pytest.raises(ConfigError) as err:
        sl.optimal_allocation(result, flops=flops)
    return err.value
