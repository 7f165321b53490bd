"""Bounds seen in a fit's intervals and predictions: an interval with an end on a bound of its
range is the range's, not the data's (a warning in the fit, its JSON and the report's lines),
the whole range at both ends; and a prediction or comparison from a fit whose coefficients
ended at a bound says so once."""

from __future__ import annotations

import json
import math
from dataclasses import replace

from tests._cli import cli
from tests.test_curves import SPECS, _synthetic

from scalinglab import fit_curves
from scalinglab._cells import estimate_parts
from scalinglab.curves import CurveFit, PowerS1
from scalinglab.curves._report_parts import fit_warnings
from scalinglab.fit._diagnostics import diagnose, unidentified
from scalinglab.laws import get_law

#: The multi-power law's ranges (curves/_multipower.py): C in [1e-6, 1e6], beta in
#: [1e-3, 10], gamma in [-1, 3].
C, BETA, GAMMA = (1e-6, 1e6), (1e-3, 10.0), (-1.0, 3.0)


def test_an_interval_on_a_bound_is_named_and_the_whole_range_is_not_identified() -> None:
    # the report's 3-curve fit: gamma [-1, 3] and C [1e-6, 1e6] are their whole ranges
    assert unidentified("gamma", (-1.0, 3.0), False, bounds=GAMMA) == (
        "gamma is not identified: its interval [-1, 3] is its whole allowed range"
    )
    assert unidentified("C", (1.0000000000000004e-06, 1e6), True, bounds=C) == (
        "C is not identified: its interval [1e-6, 1e6] is its whole allowed range"
    )
    # the README's 9-curve fit: gamma's upper end is the bound 3
    assert unidentified("gamma", (0.18465, 3.0), False, bounds=GAMMA) == (
        "gamma is not identified: its interval [0.185, 3] reaches the upper bound of its "
        "range, which sets that end, not the data"
    )
    # beta's lower end at 1e-3 (the report's): a signed parameter, judged without decades
    assert "reaches the lower bound" in str(
        unidentified("beta", (0.001, 4.3526), False, bounds=BETA)
    )
    assert unidentified("C", (1e-6, 116.0), True, bounds=C) == (
        "C is not identified: its interval [1e-6, 116] spans 8.1 decades and reaches the "
        "lower bound of its range, which sets that end, not the data"
    )
    # inside the range (and a coefficient judged in log space, as it is fitted): nothing
    assert unidentified("gamma", (0.2, 2.99), False, bounds=GAMMA) is None
    assert unidentified("C", (1.01e-6, 1e-5), True, bounds=C) is None
    assert unidentified("gamma", (math.nan, math.nan), False, bounds=GAMMA) is None
    # without bounds, the decades alone (as before)
    assert unidentified("C", (1e-6, 116.0), True) == (
        "C is not identified: its interval [1e-6, 116] spans 8.1 decades"
    )


def _below_power_law(bootstrap: int) -> CurveFit:
    """A power law in S1 fitted to curves 0.2 below a pure one: L0 wants to be negative and
    stops at its bound 0, in the fit and in resamples."""
    curves = _synthetic(PowerS1(), {"L0": 0.0, "A": 3.0, "alpha": 0.3}, SPECS, noise=1e-3, seed=0)
    below = [replace(c, loss=c.loss - 0.2) for c in curves]
    return fit_curves(below, law="power-s1", bootstrap=bootstrap)


def test_a_curve_fit_warns_of_an_interval_on_a_bound() -> None:
    fit = _below_power_law(20)
    assert fit.at_bound == ("L0",) and fit.intervals["L0"][0] == 0.0
    line = (
        f"L0 is not identified: its interval {estimate_parts(fit.coefs['L0'], *fit.intervals['L0'])[1]} reaches the "
        "lower bound of its range, which sets that end, not the data"
    )
    assert line in fit.warnings
    assert line in fit.to_dict()["warnings"]  # the JSON's diagnostics
    assert line in fit_warnings(fit)  # the report's page and its stderr lines


def test_a_final_loss_fit_judges_its_intervals_against_the_law_s_ranges() -> None:
    law = get_law("power-law-plus-constant")  # alpha in [0, 5]
    params = {"E": 1.8, "A": 30.0, "alpha": 0.2}
    inside = {"E": (1.7, 1.9), "A": (20.0, 40.0), "alpha": (0.1, 0.3)}
    common = {"samples": None, "n_runs": 40, "min_loss": 2.0}
    assert not any("bound" in w for w in diagnose(law, params, inside, **common))
    low = {**inside, "alpha": (0.0, 0.3)}
    said = diagnose(law, params, low, **common)
    assert (
        # to alpha's decimals (0.20000), as the fit's table writes the interval
        "alpha is not identified: its interval [0, 0.30000] reaches the lower bound of its range, "
        "which sets that end, not the data"
    ) in said


def test_predict_and_compare_from_a_fit_at_a_bound_say_so_once(tmp_path, capsys) -> None:  # type: ignore[no-untyped-def]
    fit = _below_power_law(0)
    assert fit.at_bound == ("L0",)
    warning = (
        "warning: the fit's L0 = 0 ended at a bound of its range: the bound, not the curves, "
        "holds it, so these predictions rest on the range chosen; fit more curves (other "
        "schedules) before choosing by them"
    )
    said = warning.removeprefix("warning: ")  # a warning, not a note
    assert fit.predict("wsd:0.2,steps=3000").warnings.count(said) == 1
    assert said in fit.final_loss("cosine:steps=3000").warnings
    assert not any("bound" in n for n in fit.predict("wsd:0.2,steps=3000").notes)
    path = str(tmp_path / "fit.json")
    fit.save(path)
    code, out, err = cli(capsys, "curves", "compare", "--fit", path, "--steps", "3000")
    assert code == 0, err
    assert " ".join(out.split()).count(warning) == 1
    # --json: among the warnings, without the prefix, not among the notes
    code, out, err = cli(capsys, "curves", "compare", "--fit", path, "--steps", "3000", "--json")
    data = json.loads(out)
    assert data["warnings"].count(warning.removeprefix("warning: ")) == 1
    assert not any(n.startswith("warning") for n in data["notes"])
    code, out, err = cli(
        capsys, "curves", "predict", "--fit", path, "--schedule", "wsd:0.2,steps=3000"
    )
    assert code == 0, err
    assert " ".join(out.split()).count(warning) == 1
    code, out, err = cli(capsys, "curves", "predict", "--fit", path, "--schedule",
                         "wsd:0.2,steps=3000", "--json")  # fmt: skip
    data = json.loads(out)
    assert data["warnings"] == [warning.removeprefix("warning: ")]
    assert not any(n.startswith("warning") for n in data["notes"])
    # a fit with nothing at a bound says nothing of bounds
    free = replace(fit, at_bound=())
    assert not any("bound" in n for n in free.predict("wsd:0.2,steps=3000").warnings)
