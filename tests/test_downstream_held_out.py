"""The backtest on the fitted sizes holds out a band at the largest size: on sizes that are all
different (a sweep) the models near the largest, at least three where the sizes allow; on a
grid its largest size alone, as before; a verdict resting on one or two models warns so."""

from __future__ import annotations

import json
from pathlib import Path

import numpy as np
import pandas as pd
import pytest
from tests.conftest import SHARED
from tests.test_downstream_chain import MULTS, true_acc, true_loss

from scalinglab.cli import main
from scalinglab.downstream import fit_downstream, read_evals
from scalinglab.downstream._held_out import (
    FEWEST_HELD_OUT,
    few_held_out_warning,
    held_out_models,
    narrowed_why,
    sizes_said,
)

OVERTRAINED = SHARED / "overtraining" / "models.dev.csv"
# one model at 400M above a grid whose next size is 200M (x2): 1 held out, and no wider band
_ONE = (
    "warning: the backtest on the fitted sizes rests on 1 held-out model (400M), too few to "
    "judge which tasks extrapolate: each task's verdict (predictable or not) is that model's "
    "miss, its evaluation noise included; hold out 3 or more models to judge it (no other "
    "fitted model lies within a factor 1.58 of the largest, where the backtest looks: fit or "
    "evaluate more models near the largest size)"
)


def frame(params: np.ndarray, rng: np.random.Generator, *, band: float = 0.0) -> pd.DataFrame:
    """Models at ``params`` (tokens 5-80 per parameter in turn) whose loss follows Chinchilla
    and whose accuracy the sigmoid of it; ``acc_breaks`` jumps 8 points at the models within
    ``band`` of the largest (none: 0)."""
    n = np.asarray(params, dtype=np.float64)
    d = n * np.resize(MULTS, n.size)
    loss = true_loss(n, d) * np.exp(rng.normal(0, 0.01, n.size))
    acc = true_acc(loss) + rng.normal(0, 0.01, n.size)
    top = n >= n.max() / band if band else np.zeros(n.size, dtype=bool)
    return pd.DataFrame(
        {"run": [f"m{i}" for i in range(n.size)], "params": n, "tokens": d, "loss": loss,
         "acc_steady": acc, "acc_breaks": acc + 0.08 * top}
    )  # fmt: skip


@pytest.mark.heavy  # 1.2 s in the suite on a 2-core AMD EPYC
def test_sizes_all_different_hold_out_the_band_near_the_largest() -> None:
    # 100 sizes 2/99 of a decade apart, 10M-1B: the five within a tenth of a decade of 1B,
    # from 1e9 / 10**(8/99) = 830.2M (it held out 1B alone: every verdict one model's miss)
    params = np.geomspace(1e7, 1e9, 100)
    held = held_out_models(params)
    np.testing.assert_array_equal(np.flatnonzero(held), [95, 96, 97, 98, 99])
    assert sizes_said(params[held]) == "830.2M-1B"
    evals = read_evals(frame(params, np.random.default_rng(0), band=10**0.1))
    chain = fit_downstream(evals, law="chinchilla", bootstrap=0)
    note = "backtest on the fitted sizes: 95 models below 830.2M parameters fitted, the 5 at "
    assert note + "830.2M-1B predicted" in chain.notes
    assert not any("rests on" in w for w in chain.warnings)
    # the 8-point jump over the whole band is what the backtest scores, not one model's
    breaks = chain.tasks["breaks"]
    assert breaks.backtest_error == pytest.approx(0.08, abs=0.02)
    assert "misses the 830.2M-1B models by" in breaks.reason
    assert chain.tasks["steady"].predictable


def test_a_sparse_band_is_widened_to_the_fewest_within_a_fifth_of_a_decade() -> None:
    # a twelfth of a decade apart: two within a tenth, the third within a fifth of a decade
    params = np.geomspace(1e7, 1e9, 25)
    assert int(held_out_models(params).sum()) == FEWEST_HELD_OUT == 3
    # 0.18 decades apart: the third lies past a fifth of a decade, two are held out
    params = np.geomspace(1e7, 1e9, 12)
    np.testing.assert_array_equal(np.flatnonzero(held_out_models(params)), [10, 11])


def test_a_grid_holds_out_its_largest_size_alone() -> None:
    # the shared over-trained models' design: 7-8 models at each of 10.6M-411.6M (x1.95 to
    # x7.5 apart), and a ladder of one model per size doubling: the largest size alone
    sizes = np.array([10569312, 78914048, 153677376, 411616256], dtype=np.float64)
    for top in (3, 4):
        params = np.repeat(sizes[:top], 8)
        np.testing.assert_array_equal(held_out_models(params), params == sizes[top - 1])
    params = 1e7 * 2.0 ** np.arange(12)
    np.testing.assert_array_equal(held_out_models(params), params == params.max())


@pytest.mark.skipif(not OVERTRAINED.exists(), reason=f"shared data not at {OVERTRAINED}")
def test_the_shared_models_hold_out_what_they_did() -> None:
    data = pd.read_csv(OVERTRAINED)
    for corpus in [None, *sorted(data["dataset"].unique())]:
        part = data if corpus is None else data[data["dataset"] == corpus]
        for cut in (4.2e8, 1.6e8, 8e7):  # all of it, <= 154M (the benchmark's), <= 78.9M
            params = part.loc[part["params"] <= cut, "params"].to_numpy(np.float64)
            for need in (0, 10):
                np.testing.assert_array_equal(
                    held_out_models(params, need=need), params == params.max()
                )


def test_a_band_that_would_leave_too_few_below_is_narrowed_and_says_why() -> None:
    params = np.geomspace(1e7, 1e9, 100)
    assert int(held_out_models(params, need=98).sum()) == 2  # of the band's 5
    held = held_out_models(params, need=98)
    text = few_held_out_warning(2, "955M-1B", narrowed=narrowed_why(params, held, need=98))
    assert text.startswith(
        "the backtest on the fitted sizes rests on 2 held-out models (955M-1B), too few to "
        "judge which tasks extrapolate: each task's verdict (predictable or not) is the mean "
        "miss of those 2 models, their evaluation noise included; hold out 3 or more"
    )
    assert text.endswith("(holding out the 3 models down to 911.2M would leave 97 models at "
                         "97 sizes below them, fewer than the 98 models the chain is fitted "
                         "on)")  # fmt: skip
    assert few_held_out_warning(3, "1B", narrowed="") == ""


@pytest.fixture(scope="module")
def one_on_top(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A grid of 20 models (4 sizes to 200M) and one model at 400M."""
    params = np.concatenate([np.repeat([1e7, 3e7, 1e8, 2e8], len(MULTS)), [4e8]])
    path = tmp_path_factory.mktemp("top") / "evals.csv"
    frame(params, np.random.default_rng(1)).to_csv(path, index=False)
    return path


@pytest.mark.heavy  # 2.2 s in the suite on a 2-core AMD EPYC
def test_one_held_out_model_is_warned_of_in_text_and_json(
    one_on_top: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    args = ["downstream", "fit", str(one_on_top), "--law", "chinchilla", "--bootstrap", "0"]
    assert main(args) == 0
    out, err = capsys.readouterr()
    said = " ".join(out.split())
    assert "the 1 at 400M predicted" in said and _ONE in said, err
    assert main([*args, "--json"]) == 0
    data = json.loads(capsys.readouterr().out)
    assert _ONE.removeprefix("warning: ") in data["warnings"]


@pytest.mark.heavy
def test_one_held_out_model_is_warned_of_in_the_report(
    one_on_top: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    page = tmp_path / "r.html"
    args = ["downstream", "report", str(one_on_top), "--law", "chinchilla", "--bootstrap", "0"]
    assert main([*args, "--out", str(page)]) == 0
    err = capsys.readouterr().err
    assert _ONE in " ".join(err.split())
    html = " ".join(page.read_text(encoding="utf-8").split())
    assert _ONE.removeprefix("warning: ").replace("'", "&#x27;") in html
