"""--predict-top predicts an extrapolation: a ladder whose top rung shares its compute budget
with other rungs (an IsoFLOP ladder's largest budget, another seed) is refused before anything
trains, and the hint names only built-in recipes where it works."""

from __future__ import annotations

from pathlib import Path

import pytest

from scalinglab import ConfigError
from scalinglab.cli import main
from scalinglab.execute import predict_top
from scalinglab.execute._top import PREDICTABLE_RECIPES, check_ladder, top_rung
from scalinglab.ladder import get_recipe, recipe_names, rung_counts
from scalinglab.store import StoredRun


def test_isoflop_tiny_is_refused_naming_the_rungs_at_its_top_budget() -> None:
    spec = get_recipe("isoflop-tiny")
    assert top_rung(spec).name == "w16-d2-8e11"
    with pytest.raises(ConfigError) as err:
        check_ladder(spec)
    # it called w16-d2-8e11, the smallest of four equal-compute rungs, "its top rung"
    assert err.value.message == (
        "--predict-top predicts the top rung, the one of the largest training compute, from "
        "the rungs of less; in this ladder 4 rungs share the largest compute, 8e11 FLOPs "
        "within 1% (w16-d2-8e11, w24-d2-8e11, w32-d2-8e11, w48-d2-8e11), so there is no one "
        "top rung: each is measured at the compute a prediction of another is for, and no "
        "prediction would be an extrapolation"
    )
    assert err.value.hint is not None
    assert "chinchilla-tiny on a CPU, gpu on a GPU" in err.value.hint
    assert "--holdout top-scales:1" in err.value.hint and "isoflop-tiny" not in err.value.hint


def test_the_hint_names_exactly_the_built_in_recipes_that_pass() -> None:
    passing = []
    for name in recipe_names():
        try:
            check_ladder(get_recipe(name))
        except ConfigError:
            continue
        passing.append(name)
    assert tuple(passing) == PREDICTABLE_RECIPES


def test_the_cli_refuses_before_the_store_is_written(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    store = tmp_path / "s.duckdb"
    args = ["ladder", "run", "isoflop-tiny", "--store", str(store), "--predict-top"]
    assert main([*args, "--gpus", "none"]) == 2
    err = " ".join(capsys.readouterr().err.split())
    assert err.startswith("error: --predict-top predicts the top rung, the one of the largest")
    assert "Traceback" not in err and not store.exists()


def test_predict_top_itself_refuses_lower_runs_at_the_top_compute() -> None:
    spec = get_recipe("isoflop-tiny")
    runs = [
        StoredRun(
            run_id=r.run_id,
            name=r.name,
            params=float(rung_counts(r).params_non_embedding),
            tokens=float(r.train.tokens),
            flops=rung_counts(r).flops,
            loss=2.0 + 0.1 * i,
        )
        for i, r in enumerate(spec.rungs)
    ]
    top = next(r for r in runs if r.name == "w16-d2-8e11")
    with pytest.raises(ConfigError, match=r"4 rungs share the largest compute, 8e11 FLOPs"):
        predict_top([r for r in runs if r is not top], top)
