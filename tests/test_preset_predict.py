"""``Preset.predict``: a published law's loss at new points, the same ``Prediction`` a fit
gives, with no interval (the paper's point values) and no distance (its runs are unknown)."""

from __future__ import annotations

import math

import numpy as np
import pytest

from scalinglab import ConfigError, DataError, Prediction, get_preset


def test_hoffmann_at_chinchilla_is_the_papers_formula_by_hand() -> None:
    pred = get_preset("hoffmann2022").predict(params=70e9, tokens=1.4e12)
    by_hand = 1.69 + 406.4 / 70e9**0.34 + 410.7 / 1.4e12**0.28
    assert isinstance(pred, Prediction)
    assert pred.loss.shape == (1,) and pred.loss[0] == pytest.approx(by_hand, rel=1e-12)
    assert pred.interval_kind == "none" and pred.noise == 0.0 and pred.level == 0.9
    assert np.isnan(pred.lower).all() and np.isnan(pred.upper).all()
    assert pred.distance is not None and np.isnan(pred.distance).all()
    # the repr of a point fit's prediction
    shown = f"Prediction(loss={by_hand:.5g} [nan, nan] at 90%, interval_kind='none', noise=0)"
    assert repr(pred) == shown


def test_the_law_s_symbols_flops_and_arrays_name_the_same_points() -> None:
    preset = get_preset("hoffmann2022")
    n, d = np.array([1e9, 70e9]), np.array([2e10, 1.4e12])
    by_hand = 1.69 + 406.4 / n**0.34 + 410.7 / d**0.28
    for given in (
        {"params": n, "tokens": d},
        {"N": n, "D": d},
        {"params": n, "flops": 6 * n * d},  # D = C / (6 N)
        {"params": ["1B", "70B"], "tokens": ["20B", "1.4T"]},
    ):
        pred = preset.predict(**given, level=0.8)
        np.testing.assert_allclose(pred.loss, by_hand, rtol=1e-12)
        assert pred.level == 0.8 and pred.lower.shape == pred.distance.shape == (2,)  # type: ignore[union-attr]


def test_kaplan_preset_predicts_its_own_form() -> None:
    pred = get_preset("kaplan2020").predict(params=1e9, tokens=1e10)
    by_hand = ((8.8e13 / 1e9) ** (0.076 / 0.095) + 5.4e13 / 1e10) ** 0.095
    assert pred.loss[0] == pytest.approx(by_hand, rel=1e-12)


def test_what_fit_result_predict_refuses_a_preset_refuses_too() -> None:
    preset = get_preset("hoffmann2022")
    with pytest.raises(ConfigError, match=r"predict needs tokens= \(the law's D"):
        preset.predict(params=70e9)
    with pytest.raises(ConfigError, match=r"predict got levle=.*did you mean level=\?"):
        preset.predict(params=70e9, tokens=1.4e12, levle=0.5)
    with pytest.raises(ConfigError, match=r"N is given twice, via params= and N="):
        preset.predict(params=70e9, N=70e9, tokens=1.4e12)
    with pytest.raises(DataError, match="positive and finite"):
        preset.predict(params=-1.0, tokens=1.4e12)
    with pytest.raises(ConfigError, match="level"):
        preset.predict(params=70e9, tokens=1.4e12, level=1.5)
    assert not math.isnan(preset.predict(params=70e9, tokens=1.4e12, noise=False).loss[0])
