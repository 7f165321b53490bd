"""A renamed field's old constructor keyword works for one release: it warns as its
attribute alias does and sets the new field; beside the new name it is refused."""

from __future__ import annotations

import dataclasses
import pickle
import re

import numpy as np
import pytest

from scalinglab import CurveFit, FitResult, Prediction, Preset
from scalinglab.curves import CurveBacktest
from scalinglab.downstream import DownstreamBacktest, Step
from scalinglab.execute import TopPrediction
from scalinglab.fit import SolveResult
from scalinglab.hparams import HparamBacktest, HparamLaw
from scalinglab.ingest import EvalsIngestResult, IngestResult
from scalinglab.ladder import RungResult, TrainProgress
from scalinglab.plan import Allocation
from scalinglab.validate import BudgetFit, Comparison, LawScore, OptimumAt, RollingStep, Split

# (class, old keyword, new field): every pure rename whose old name keeps an attribute alias
RENAMED = [
    (CurveBacktest, "runs", "held_out_runs"),
    (CurveBacktest, "mean_error", "mean_are"),
    (CurveBacktest, "worst_error", "max_are"),
    (CurveFit, "params", "coefs"),
    (CurveFit, "max_steps", "max_iter"),
    (DownstreamBacktest, "held_out", "held_out_runs"),
    (DownstreamBacktest, "description", "holdout_description"),
    (Step, "params", "coefs"),
    (TopPrediction, "interval", "interval_note"),
    (Prediction, "interval", "interval_kind"),
    (FitResult, "params", "coefs"),
    (FitResult, "loss", "robust_loss"),
    (SolveResult, "steps", "n_iter"),
    (HparamBacktest, "scores", "held_out"),
    (HparamLaw, "params", "coefs"),
    (EvalsIngestResult, "seconds", "wall_s"),
    (EvalsIngestResult, "scores", "n_scores"),
    (EvalsIngestResult, "models", "n_models"),
    (EvalsIngestResult, "examples", "n_task_sizes"),
    (IngestResult, "seconds", "wall_s"),
    (TrainProgress, "elapsed_s", "wall_s"),
    (RungResult, "eval_loss", "loss"),
    (Preset, "source", "citation"),
    (Allocation, "loss_interval", "loss_interval_kind"),
    (LawScore, "n_params", "n_coefs"),
    (Comparison, "scores", "laws"),
    (BudgetFit, "coefficients", "coefs"),
    (OptimumAt, "beyond", "distance"),
    (RollingStep, "n_train", "n_fitted"),
    (Split, "train", "fitted"),
    (Split, "test", "held_out"),
]
IDS = [f"{cls.__name__}.{old}" for cls, old, _ in RENAMED]


def _required(cls: type, *, but: str) -> dict[str, object]:
    """A placeholder for every field the constructor needs, ``but`` left out."""
    return {
        f.name: f"<{f.name}>"
        for f in dataclasses.fields(cls)
        if f.init
        and f.name != but
        and f.default is dataclasses.MISSING
        and f.default_factory is dataclasses.MISSING
    }


def _said(cls: type, old: str, new: str) -> str:
    name = cls.__name__
    return re.escape(
        f"{name}({old}=) is deprecated and goes in the next release: use {name}({new}=)"
    )


@pytest.mark.parametrize(("cls", "old", "new"), RENAMED, ids=IDS)
def test_old_keyword_warns_and_builds_the_same_object(cls: type, old: str, new: str) -> None:
    values = _required(cls, but=new)
    with pytest.warns(DeprecationWarning, match=_said(cls, old, new)) as said:
        made = cls(**values, **{old: "<value>"})
    assert said[0].filename == __file__  # at the user's line, not inside scalinglab
    assert made == cls(**values, **{new: "<value>"})
    assert getattr(made, new) == "<value>"
    assert getattr(pickle.loads(pickle.dumps(made)), new) == "<value>"  # NaN defaults: no ==


@pytest.mark.parametrize(("cls", "old", "new"), RENAMED, ids=IDS)
def test_old_and_new_keyword_together_are_refused(cls: type, old: str, new: str) -> None:
    values = _required(cls, but=new)
    with pytest.raises(TypeError, match=rf"{cls.__name__}\(\) got both {new}= and {old}="):
        cls(**values, **{old: "<a>", new: "<b>"})


@pytest.mark.parametrize(("cls", "old", "new"), RENAMED, ids=IDS)
def test_replace_reads_the_new_name_and_the_old(cls: type, old: str, new: str) -> None:
    made = cls(**_required(cls, but=new), **{new: "<value>"})
    assert getattr(dataclasses.replace(made, **{new: "<other>"}), new) == "<other>"
    with pytest.warns(DeprecationWarning, match=_said(cls, old, new)):
        replaced = dataclasses.replace(made, **{old: "<old>"})  # replace passes new beside it
    assert getattr(replaced, new) == "<old>"


def test_positional_new_field_beside_the_old_keyword_is_refused() -> None:
    arrays = (np.zeros((1, 2)), np.zeros(1), np.zeros(1, np.int8), np.array([3]))
    with pytest.raises(TypeError, match=r"SolveResult\(\) got both n_iter= and steps="):
        SolveResult(*arrays, steps=np.array([4]))  # type: ignore[call-arg]
    with pytest.deprecated_call():
        old = SolveResult(*arrays[:3], steps=arrays[3])  # type: ignore[call-arg]
    assert repr(old) == repr(SolveResult(*arrays))
