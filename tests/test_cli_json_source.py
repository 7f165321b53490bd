"""Every prediction's and plan's ``--json`` says what its numbers were read from in one
``source`` block, the one ``predict`` and ``plan`` write: the kind of fit (its format's
name) or ``preset``, the ``origin`` (the option that gave it), the ``law`` and the ``data``
it was fitted to."""

from __future__ import annotations

import json
from typing import Any

import pytest
from tests._cli import cli
from tests.test_cli_json_all import _RUNS

from scalinglab import FitResult
from scalinglab.curves import CurveFit
from scalinglab.downstream import DownstreamFit, LossToLossFit
from scalinglab.hparams import HparamFit

#: command -> (the fit file it reads, by its name in ``given``; its kind; how to load it)
_READS: dict[str, tuple[str, str, Any]] = {
    "predict": ("fit", "fit", FitResult.load),
    "plan --fit": ("fit", "fit", FitResult.load),
    "downstream predict": ("ds", "downstream", DownstreamFit.load),
    "downstream plan": ("ds", "downstream", DownstreamFit.load),
    "curves predict": ("curve", "curve_fit", CurveFit.load),
    "curves compare": ("curve", "curve_fit", CurveFit.load),
    "hparams predict": ("hp", "hparams", HparamFit.load),
    "loss2loss predict": ("l2l", "loss2loss", LossToLossFit.load),
}
_PLAN = ["plan", "--fit", "{fit}", "--target-loss", "2.6"]


def _json(capsys: pytest.CaptureFixture[str], args: list[str]) -> dict[str, Any]:
    code, out, err = cli(capsys, *args, "--json")
    assert code == 0, err
    return dict(json.loads(out))


@pytest.mark.parametrize("name", list(_READS))
@pytest.mark.heavy
def test_a_prediction_names_its_fit_in_a_source_block(
    capsys: pytest.CaptureFixture[str],
    given: dict[str, str],
    name: str,
) -> None:
    words = _PLAN if name == "plan --fit" else _RUNS[name]
    data = _json(capsys, [w.format(**given) for w in words])
    key, kind, load = _READS[name]
    assert list(data)[:2] == ["format", "source"]
    source = data["source"]
    assert (source["kind"], source["origin"]) == (kind, f"--fit {given[key]}")
    fit = load(given[key])
    assert source["data"] == fit.source and source["data"]  # what it was fitted to
    assert isinstance(source["law"], str) and source["law"]


@pytest.mark.heavy  # the shared `given` fixture: 7.0 s in the suite on a 2-core AMD EPYC
def test_each_kind_names_its_law(capsys: pytest.CaptureFixture[str], given: dict[str, str]) -> None:
    law = {
        name: _json(capsys, [w.format(**given) for w in _RUNS[name]])["source"]["law"]
        for name in ("downstream predict", "curves predict", "hparams predict", "loss2loss predict")
    }
    assert law["downstream predict"] == DownstreamFit.load(given["ds"]).loss_step.law.name
    assert law["curves predict"] == "tissue"  # as `curves fit --law tissue` fitted it
    hp = HparamFit.load(given["hp"])
    assert hp.batch_law is not None
    assert law["hparams predict"] == f"{hp.lr_law.formula}; {hp.batch_law.formula}"
    assert law["loss2loss predict"] == "loss-to-loss"
    plan = _json(capsys, ["downstream", "plan", "--fit", given["ds"], "--target-accuracy",
                          "task=0.5"])["source"]  # fmt: skip
    assert plan["via"] == DownstreamFit.load(given["ds"]).via  # the loss it goes through


def test_a_preset_is_named_with_its_paper(capsys: pytest.CaptureFixture[str]) -> None:
    base = ["hparams", "predict", "--params", "1B", "--tokens", "20B"]
    source = _json(capsys, [*base, "--preset", "steplaw2025"])["source"]
    assert (source["kind"], source["name"]) == ("preset", "steplaw2025")
    assert "Li et al" in source["source"] and "N" in source["law"] and "origin" not in source
    critical = _json(capsys, ["hparams", "predict", "--preset", "kaplan2020", "--loss", "2.5"])
    assert critical["source"]["name"] == "kaplan2020" and "Kaplan" in critical["source"]["source"]
    # the shape a loss-law preset has in `plan --preset`'s block
    plan = _json(capsys, ["plan", "--preset", "hoffmann2022", "--compute", "1e22"])["source"]
    assert {"kind", "name", "law", "source"} <= set(plan) and plan["kind"] == "preset"
