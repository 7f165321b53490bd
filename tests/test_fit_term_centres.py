"""The confounding check judges a coefficient at the runs' centre whichever way the term's
base is written: ``B*D**-beta`` and ``B*(F/(6*M))**-beta`` (``D = F/(6M)``) alike."""

from __future__ import annotations

import numpy as np
import pytest

from scalinglab.fit._diagnostics import diagnose
from scalinglab.fit._term_centres import term_centres
from scalinglab.laws import FormulaLaw

PLAIN = "E + A*N**-alpha + B*D**-beta"
DERIVED = "E + A*M**-alpha + B*(F/(6*M))**-beta"
MAPPED = {"M": "params", "F": "flops"}


def _data() -> tuple[dict[str, np.ndarray], dict[str, np.ndarray]]:
    n = np.repeat(np.geomspace(1e8, 1e10, 8), 4)
    d = n * np.tile([5.0, 10.0, 20.0, 40.0], 8)
    return {"N": n, "D": d}, {"M": n, "F": 6 * n * d}


def _log_means(data: dict[str, np.ndarray]) -> dict[str, float]:
    return {s: float(np.mean(np.log(v))) for s, v in data.items()}


def test_an_expression_base_is_centred_at_its_mean_log_over_the_runs() -> None:
    plain, derived = _data()
    want = float(np.mean(np.log(plain["D"])))
    got = term_centres(FormulaLaw(DERIVED, columns=MAPPED), _log_means(derived), derived)
    assert got["B"] == ("beta", pytest.approx(want, rel=1e-12))
    assert got["A"] == ("alpha", pytest.approx(_log_means(derived)["M"], rel=1e-12))
    assert term_centres(FormulaLaw(PLAIN), _log_means(plain), plain)["B"][1] == pytest.approx(
        want, rel=1e-12
    )
    # a base with a parameter in it has no centre the runs fix
    assert "B" not in term_centres(FormulaLaw("E + B*(D/D0)**-beta"), {}, {"D": plain["D"]})


def test_both_writings_of_a_law_report_the_same_correlation() -> None:
    """Bootstrap fits whose B and beta move together along the valley through the runs'
    centre (correlated +1 at D = 1 by construction, -1.000 at the centre): the same
    warning for both writings, with the same sign."""
    plain, derived = _data()
    centre = float(np.mean(np.log(plain["D"])))
    rng = np.random.default_rng(0)
    beta = 0.3 + 0.02 * rng.standard_normal(40)
    log_b_centre = 2.0 - 0.5 * (beta - 0.3) + 0.0002 * rng.standard_normal(40)
    b = np.exp(log_b_centre + beta * centre)
    e, a, alpha = (np.full(40, v) + 0.01 * rng.standard_normal(40) for v in (1.8, 400, 0.34))
    samples = np.column_stack([e, a, alpha, b, beta])
    said = []
    for text, data in ((PLAIN, plain), (DERIVED, derived)):
        law = FormulaLaw(text, columns=MAPPED if text == DERIVED else {})
        params = dict(zip(law.param_names, np.median(samples, axis=0), strict=True))
        warnings = diagnose(
            law, params, {}, samples, n_runs=1000, min_loss=2.0, log_means=_log_means(data),
            data=data,
        )  # fmt: skip
        said.append([w for w in warnings if w.startswith("B and beta")])
    assert said[0] == said[1]
    assert said[0] and said[0][0].startswith(
        "B and beta are confounded: their bootstrap fits correlate at -"
    )
