"""Every result's plain dictionary is ``to_dict``: the old ``as_dict`` of the results that had
it warns for one release and returns the same dictionary."""

from __future__ import annotations

from typing import Any

import numpy as np
import pytest
from tests._hparam_sweeps import SEQ_LEN, sweep

import scalinglab
from scalinglab._deprecated import AsDictAlias
from scalinglab.downstream._l2l_predict import LossToLossPrediction
from scalinglab.hparams import fit_hparams, get_critical_batch_preset


def _old_names() -> list[Any]:
    """One of each class that had ``as_dict``, from the calls that make them."""
    hp = fit_hparams(sweep(21), seq_len=SEQ_LEN, bootstrap=0)
    preset = scalinglab.get_preset("hoffmann2022")
    one = np.array([3.0])
    l2l = LossToLossPrediction(one, one - 0.5, one - 0.6, one - 0.4, 0.9, "bootstrap")
    return [
        hp,
        hp.cells[0],
        hp.lr_law,
        hp.law_choice,
        hp.predict(params=1e9, tokens=2e10),
        get_critical_batch_preset("kaplan2020").predict(loss=2.5, seq_len=2048),
        preset.conventions,
        scalinglab.optimal_allocation(preset, flops=1e22),
        l2l,
    ]


def test_each_old_as_dict_warns_and_returns_to_dict() -> None:
    objects = _old_names()
    names = {type(o).__name__ for o in objects}
    assert names == {
        "HparamFit",
        "CellOptimum",
        "HparamLaw",
        "HparamLawChoice",
        "HparamPrediction",
        "CriticalBatch",
        "Conventions",
        "Allocation",
        "LossToLossPrediction",
    }
    for obj in objects:
        name = type(obj).__name__
        with pytest.warns(
            DeprecationWarning,
            match=rf"^{name}\.as_dict is deprecated and goes in the next release: use "
            rf"{name}\.to_dict",
        ) as record:
            old = obj.as_dict()
        assert len(record) == 1  # the class's own warning, not a second one from @deprecated
        np.testing.assert_equal(old, obj.to_dict())  # NaN equals NaN here
        assert old and isinstance(old, dict)


def test_no_class_in_the_package_still_defines_as_dict() -> None:
    # the alias lives once, in AsDictAlias; the classes define to_dict alone
    for obj in _old_names():
        assert "as_dict" not in vars(type(obj)) and "to_dict" in vars(type(obj))
        assert type(obj).as_dict is AsDictAlias.as_dict
    # static checkers see it deprecated (PEP 702)
    assert "as_dict is deprecated" in AsDictAlias.as_dict.__deprecated__  # type: ignore[attr-defined]
