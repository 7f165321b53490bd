"""The README says where each kind of fit keeps its coefficients, and every path it names is real."""

from __future__ import annotations

import dataclasses
from pathlib import Path

from scalinglab import CurveFit, DownstreamFit, HparamFit
from scalinglab.downstream._step import Step
from scalinglab.downstream._task import TaskFit
from scalinglab.hparams._laws import HparamLaw

README = Path(__file__).resolve().parents[1] / "README.md"


def _fields(cls: type) -> set[str]:
    return {f.name for f in dataclasses.fields(cls)}


def test_readme_names_where_each_fit_keeps_its_coefficients() -> None:
    text = " ".join(README.read_text(encoding="utf-8").split())
    for said in (
        "`CurveFit.coefs`",
        "`hp.lr_law.coefs` and `hp.batch_law.coefs` (`HparamFit`)",
        '`ds.loss_step.coefs` and `ds.tasks["piqa"].step.coefs` (`DownstreamFit`)',
    ):
        assert said in text
    assert "so are those of curve, hyperparameter and downstream fits" not in text
    # the paths it names exist, and the fits of several laws have no one .coefs to name
    assert "coefs" in _fields(CurveFit)
    assert {"lr_law", "batch_law"} <= _fields(HparamFit) and "coefs" in _fields(HparamLaw)
    assert {"loss_step", "tasks"} <= _fields(DownstreamFit)
    assert "step" in _fields(TaskFit) and "coefs" in _fields(Step)
    assert not hasattr(HparamFit, "coefs") and not hasattr(DownstreamFit, "coefs")
