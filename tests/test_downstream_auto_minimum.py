"""The chain's fewest models under ``law="auto"``: sized on the law it may fit, Chinchilla's
(5 parameters), which it fits without comparing where too few scales leave no laws to
compare, as at a chain's fewest models; it was sized on the over-training law (4), so a
table at that minimum got a 5-parameter loss law with as many parameters as models."""

from __future__ import annotations

import numpy as np
import pytest
from tests.test_downstream_chain import MULTS, SIZES, models

from scalinglab import DataError
from scalinglab.downstream import fit_downstream, read_evals
from scalinglab.downstream._chain_checks import auto_largest, check_chain
from scalinglab.validate._choose import choose_law

CHANCE = {"task": 0.25}  # the sigmoid's floor tied to chance: 3 parameters


def _evals(sizes: int, mults: int):  # type: ignore[no-untyped-def]
    return read_evals(models(np.random.default_rng(1), SIZES[:sizes], MULTS[:mults]), chance=CHANCE)


def test_auto_at_the_over_training_laws_minimum_is_refused_naming_chinchilla() -> None:
    evals = _evals(2, 4)  # 8 models: 4 + 3 + 1, the over-training law's minimum
    assert len(evals.runs) == 8
    # what auto would fit on them: Chinchilla's law, compared with none
    choice = choose_law(evals.runs, laws=("chinchilla", "overtraining", "kaplan"), fallback=True)
    assert choice.fallback and choice.chosen == "chinchilla" == auto_largest().name
    with pytest.raises(DataError) as caught:
        fit_downstream(evals, bootstrap=0, tasks=["task"])
    assert caught.value.message == (
        "<DataFrame>: 8 models are too few for the chain: law 'chinchilla' (5 parameters, the most law "
        "'auto' may fit: it fits this law where too few scales leave no laws to compare) and "
        "'sigmoid' (up to 3, its floor the tasks' chance level) need at least 9 models"
    )
    assert (
        caught.value.hint is not None and "--law overtraining (4 parameters)" in caught.value.hint
    )
    # the over-training law named: 8 models are its 4 + 3 + 1
    check_chain(evals, law="overtraining", tasks=["task"])


def test_auto_at_chinchillas_minimum_fits_it() -> None:
    evals = _evals(3, 3)  # 9 models: 5 + 3 + 1
    assert len(evals.runs) == 9
    check_chain(evals, tasks=["task"])
    chain = fit_downstream(evals, bootstrap=0, tasks=["task"])
    assert chain.loss_step.law.name == "chinchilla"
    assert len(chain.runs) == 9


def test_one_model_is_counted_in_the_singular() -> None:
    evals = _evals(1, 1)  # one model: "1 model is too few", not "1 models are"
    assert len(evals.runs) == 1
    with pytest.raises(DataError) as caught:
        check_chain(evals, law="auto", tasks=["task"])
    assert caught.value.message.startswith("<DataFrame>: 1 model is too few for the chain: ")
