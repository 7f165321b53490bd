"""A hold-out rule one letter off a named form (``--holdout larges:1``, ``top-decil``) says
the form it most likely meant, its argument kept, in the one place rules are read
(:mod:`scalinglab.validate._rules`): ``backtest``, ``downstream backtest``, ``report`` and,
with its own forms, ``hparams backtest``. A predicate, a form whose argument is wrong, or a
word near no form gets no guess."""

from __future__ import annotations

import numpy as np
import pytest
from tests._hparam_sweeps import SEQ_LEN, sweep

from scalinglab import ConfigError
from scalinglab.data import RunTable
from scalinglab.hparams import read_sweep
from scalinglab.hparams._holdout import split_sweep
from scalinglab.validate._rule_names import near_form
from scalinglab.validate._rules import RULE_HINT, rule_mask


def _table() -> RunTable:
    params = np.array([1e7, 2e7, 4e7, 8e7, 1.6e8, 3.2e8])
    return RunTable(
        columns={"params": params, "tokens": 20 * params, "loss": 3.0 - 0.1 * np.arange(6)},
        runs=tuple(f"r{i}" for i in range(6)),
        rows=tuple(range(1, 7)),
        source="runs.csv",
    )


@pytest.mark.parametrize(
    ("rule", "clause", "meant"),
    [
        ("larges:1", "larges:1", "largest:1"),
        ("top-decil", "top-decil", "top-decile"),
        ("top-quartil", "top-quartil", "top-quartile"),
        ("near-bst:1.5", "near-bst:1.5", "near-best:1.5"),
        ("Largst:2:params", "Largst:2:params", "largest:2:params"),
        ("params>1e7 & larges:1", "larges:1", "largest:1"),
        ("flops=>1e20", "flops=>1e20", "flops>=1e20"),  # an operator written backwards
        ("flops=<1e20", "flops=<1e20", "flops<=1e20"),
    ],
)
def test_a_near_miss_names_the_form_meant(rule: str, clause: str, meant: str) -> None:
    with pytest.raises(ConfigError) as err:
        rule_mask(_table(), rule)
    assert err.value.message == (
        f"--holdout {rule!r} (holdout= in Python): cannot read {clause!r}; did you mean {meant!r}?"
    )
    assert err.value.hint == RULE_HINT


@pytest.mark.parametrize("rule", ["bogus", "largest:x", "size:1B"])
def test_no_guess_where_none_is_near(rule: str) -> None:
    with pytest.raises(ConfigError) as err:
        rule_mask(_table(), rule)
    assert "did you mean" not in err.value.message


def test_near_form_keeps_predicates_and_exact_forms() -> None:
    assert near_form("params>=1e9") is None  # a predicate: its column is checked elsewhere
    assert near_form("largest:abc") is None  # the form is right, its argument is not
    assert near_form("top-scale:2") == "top-scales:2"
    assert near_form("siz:537M", ("top-scales", "size")) == "size:537M"


@pytest.mark.parametrize(
    ("rule", "meant"), [("top-scale:1", "top-scales:1"), ("siz:537M", "size:537M")]
)
def test_hparams_backtest_names_its_own_forms(rule: str, meant: str) -> None:
    cells = read_sweep(sweep(1), seq_len=SEQ_LEN)
    with pytest.raises(ConfigError) as err:
        split_sweep(cells, rule)
    assert err.value.message.endswith(f"cannot read {rule!r}; did you mean {meant!r}?")
    assert "a hyperparameter backtest holds out 'top-scales:K'" in err.value.hint
