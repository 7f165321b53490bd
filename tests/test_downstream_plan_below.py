"""``downstream plan`` says "below" for a row whose (N*, D*) lies under the fitted models, as
``plan`` does (:attr:`AccuracyPlan.below`, ``"below"`` beside ``"distance"`` in its JSON): it
printed a row 0.16 decades under them as ``x1.5`` under "beyond data"."""

from __future__ import annotations

import json
from pathlib import Path

import numpy as np
import pytest
from tests._cli import cli
from tests.test_downstream_chain import MULTS, SIZES, models

from scalinglab.downstream import fit_downstream, plan_for_accuracy, read_evals


@pytest.fixture(scope="module")
def chain_file(tmp_path_factory: pytest.TempPathFactory) -> Path:
    evals = read_evals(models(np.random.default_rng(0), SIZES, MULTS), chance={"task": 0.25})
    path = tmp_path_factory.mktemp("below") / "ds.json"
    fit_downstream(evals, tasks=["task"], law="chinchilla", bootstrap=20).save(path)
    return path


def _rows(out: str) -> dict[str, str]:
    """Each table row's cells joined by spaces, by its target (first line of each row)."""
    rows = [[c.strip() for c in line.split("│")[1:-1]] for line in out.splitlines()]
    return {r[1]: " ".join(r) for r in rows if len(r) > 1 and r[1]}


@pytest.mark.heavy  # 1.5 s in the suite on a 2-core AMD EPYC
def test_a_plan_below_the_models_says_below(
    capsys: pytest.CaptureFixture[str], chain_file: Path
) -> None:
    from scalinglab.downstream import DownstreamFit

    chain = DownstreamFit.load(chain_file)
    low, high = plan_for_accuracy(chain, "task", 0.2501), plan_for_accuracy(chain, "task", 0.6)
    assert low.params[0] < min(SIZES) and low.distance > 0.1 and low.below is True
    assert high.distance > 0.1 and high.below is False
    code, out, err = cli(capsys, "downstream", "plan", "--fit", str(chain_file),
                         "--target-accuracy", "task=0.2501,task=0.6")  # fmt: skip
    assert code == 0, err
    rows = _rows(out)
    factor = f"x{10**low.distance:.2g}"
    assert f"{factor} below" in rows["0.2501"] and " below" not in rows["0.6"]
    code, out, err = cli(capsys, "downstream", "plan", "--fit", str(chain_file),
                         "--target-accuracy", "task=0.2501,task=0.6", "--json")  # fmt: skip
    assert code == 0, err
    plans = json.loads(out)["plans"]
    assert [(p["allocation"]["distance"], p["allocation"]["below"]) for p in plans] == [
        (low.distance, True), (high.distance, False)
    ]  # fmt: skip


def test_downstream_predict_json_says_below_beside_distance(
    capsys: pytest.CaptureFixture[str], chain_file: Path
) -> None:
    """``downstream predict --json`` carries ``below`` beside ``distance``, as ``predict`` and
    ``plan`` do (it had the distance only: 0.5 decades under the models read as beyond)."""
    from scalinglab.downstream import DownstreamFit

    chain = DownstreamFit.load(chain_file)
    small, large = (min(SIZES) / 10, 20 * min(SIZES) / 10), (7e9, 2e12)
    assert chain.below(params=small[0], tokens=small[1]) is True
    code, out, err = cli(capsys, "downstream", "predict", "--fit", str(chain_file),
                         "--params", f"{small[0]:g},{large[0]:g}",
                         "--tokens", f"{small[1]:g},{large[1]:g}", "--json")  # fmt: skip
    assert code == 0, err
    got = [(p["distance"], p["below"]) for p in json.loads(out)["predictions"]]
    assert got == [
        (pytest.approx(chain.distance(params=n, tokens=d)), down)
        for (n, d), down in ((small, True), (large, False))
    ]
    assert got[0][0] > 0.5 and got[1][0] > 0.5
