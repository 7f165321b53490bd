"""Target accuracies a plan takes and refuses: several per task, a percent only suggested
where it is reachable, the range an exp-error law really reaches, what to do for a task at
chance; and a chain's predict of several models says how to loop."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest
from tests.test_downstream_chain import MULTS, SIZES, models

from scalinglab import ConfigError
from scalinglab.cli import main
from scalinglab.downstream import DownstreamFit, fit_downstream, plan_for_accuracy, read_evals


@pytest.fixture(scope="module")
def evals():  # type: ignore[no-untyped-def]
    return read_evals(models(np.random.default_rng(0), SIZES, MULTS), chance={"task": 0.25})


@pytest.fixture(scope="module")
def chain(evals) -> DownstreamFit:  # type: ignore[no-untyped-def]
    return fit_downstream(evals, tasks=["task", "hellaswag"], law="chinchilla", bootstrap=20)


def test_several_targets_of_one_task_are_one_plan_each(
    chain: DownstreamFit, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    path = tmp_path / "ds.json"
    chain.save(path)
    code = main(["downstream", "plan", "--fit", str(path), "--target-accuracy",
                 "task=0.45,task=0.5", "--json"])  # fmt: skip
    out, err = capsys.readouterr()
    assert code == 0, err
    assert out.count('"target_accuracy": 0.45') == 1 and out.count('"target_accuracy": 0.5') == 1


def test_percent_is_suggested_only_when_the_fraction_is_reachable(chain: DownstreamFit) -> None:
    with pytest.raises(ConfigError) as info:
        plan_for_accuracy(chain, "task", 45)
    assert "did you mean 0.45?" in str(info.value.hint)
    with pytest.raises(ConfigError) as info:  # 0.012 is under chance: no suggestion
        plan_for_accuracy(chain, "task", 1.2)
    assert "outside what its law reaches (0.250 at high loss" in str(info.value)
    assert "did you mean" not in str(info.value.hint)


def test_an_unpredictable_task_says_what_to_do(chain: DownstreamFit) -> None:
    with pytest.raises(ConfigError, match="'hellaswag' is not predictable") as info:
        plan_for_accuracy(chain, "hellaswag", 0.3)
    assert info.value.hint == (
        "plan a predictable task (task), or fit the chain again with larger models, where "
        "this task leaves chance"
    )


def test_an_exp_error_law_names_the_loss_where_it_reaches_100_percent(evals) -> None:  # type: ignore[no-untyped-def]
    chain = fit_downstream(evals, tasks=["task"], task_law="exp-error", law="chinchilla",
                           bootstrap=0, max_backtest_error=np.inf)  # fmt: skip
    step = chain.tasks["task"].step
    assert step is not None
    eps, k, gamma = (step.coefs[n] for n in ("epsilon", "k", "gamma"))
    if eps - k >= 0:  # reaches 100% only at zero loss: nothing to name
        pytest.skip(f"this fit stays under 100%: epsilon {eps:.3g}, k {k:.3g}")
    at_one = np.log(k / eps) / gamma  # Err = eps - k·exp(-gamma·L) = 0
    with pytest.raises(ConfigError, match=rf"to 1\.000 at loss {at_one:.3f}\)"):
        plan_for_accuracy(chain, "task", 0.01)


def test_a_chain_asked_several_models_says_how_to_loop(chain: DownstreamFit) -> None:
    with pytest.raises(ConfigError, match="a chain predicts one model at a time") as info:
        chain.predict(params=np.array([1e9, 7e9]), tokens=np.array([2e10, 1.4e11]))
    assert "for n, d in zip(params, tokens)" in str(info.value.hint)
