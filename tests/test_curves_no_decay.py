"""A curve fit none of whose curves decays measures nothing of what a decay gains: the fit
warns that its loss-drop parameters are held by the warm-up alone or by nothing, and so
does every prediction from it (saved or not) under a schedule that decays; a constant
schedule's prediction, a fit with a decaying curve and a law with no drop term do not."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from tests._cli import cli
from tests.test_curves import _synthetic
from tests.test_curves_notes import TISSUE
from tests.test_fit_from_curves import _write

from scalinglab import CurveFit, fit_curves
from scalinglab.curves import PowerS1, Tissue

_CONSTANT = ("constant:peak=3e-4,warmup=200,steps=3000", "constant:peak=6e-4,warmup=200,steps=3000")
_COSINE = "cosine:peak=3e-4,end=3e-5,warmup=200,steps=3000"
_WARNED = (
    "no fitted curve decays (each of the 2 ends within 1% of its peak rate): no curve "
    "measures what a decay gains, so C, the law's loss drop under a falling rate, is held by "
    "the warm-up alone or by nothing, and a prediction under a decaying schedule (cosine, "
    "WSD, a cooldown) is the law's guess; fit a curve that decays too"
)


@pytest.fixture(scope="module")
def constant_fit() -> CurveFit:
    curves = _synthetic(Tissue(), TISSUE, _CONSTANT, noise=0.001, seed=0, every=100)
    return fit_curves(curves, law="tissue", bootstrap=0)


def test_a_fit_of_curves_none_of_which_decays_warns(constant_fit: CurveFit) -> None:
    assert _WARNED in constant_fit.warnings
    # Tissue's C multiplies S2, the momentum of the rate's drops: 0 past the warm-up here
    assert constant_fit.predict("cosine:steps=3000").warnings.count(_WARNED) == 1
    assert _WARNED not in constant_fit.predict("constant:steps=3000").warnings
    with_decay = _synthetic(Tissue(), TISSUE, (*_CONSTANT, _COSINE), noise=0.001, seed=0, every=100)
    assert not any(
        "decays" in w for w in fit_curves(with_decay, law="tissue", bootstrap=0).warnings
    )
    # a law without a drop term has nothing to warn of
    flat = _synthetic(
        PowerS1(), {"L0": 2.5, "A": 0.5, "alpha": 0.3}, _CONSTANT, noise=0, seed=0, every=100
    )
    assert not any("decays" in w for w in fit_curves(flat, law="power-s1", bootstrap=0).warnings)


def test_a_saved_fit_warns_in_compare_under_decaying_schedules_only(
    capsys: pytest.CaptureFixture[str], tmp_path: Path, constant_fit: CurveFit
) -> None:
    saved = tmp_path / "fit.json"
    constant_fit.save(saved)
    base = ("curves", "compare", "--fit", str(saved), "--steps", "3000", "--json")
    code, out, _ = cli(capsys, *base, "--schedules", "wsd:0.2")
    assert code == 0 and _WARNED in json.loads(out)["warnings"]
    code, out, _ = cli(capsys, *base, "--schedules", "constant", "--baseline", "constant:peak=6e-4")
    assert code == 0 and _WARNED not in json.loads(out)["warnings"]


def test_fit_from_curves_none_of_which_decays_warns_of_its_cooldowns(
    capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    curves = _synthetic(Tissue(), TISSUE, _CONSTANT, noise=0.001, seed=0, every=100)
    path = _write(tmp_path, curves)
    args = ("--law", "E + B*D**-beta", "--curve-law", "tissue", "--bootstrap", "0", "--json")
    code, out, _ = cli(capsys, "fit", "--from-curves", path, *args)
    assert code == 0
    assert f"the curve fit (tissue): {_WARNED}" in json.loads(out)["warnings"]
