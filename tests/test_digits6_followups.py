"""Digits and tables, follow-ups: an interval's two ends in one style (a round bound bare, an
end in exponent form putting both to their figures), an hparams law's warning quoting its
interval as the laws table writes it, and a loss-to-loss fit's warnings written at its
table's figures where they are made."""

from __future__ import annotations

import math

import pytest
from tests.test_digits4_followups import _two_losses

import scalinglab as sl
from scalinglab._cells import estimate, estimate_parts
from scalinglab._hparams_numbers import coef, iv
from scalinglab.fit._diagnostics import diagnose
from scalinglab.hparams._laws import HparamLaw
from scalinglab.hparams._unidentified import interval_lines
from scalinglab.laws import get_law


def test_an_end_on_a_round_bound_of_its_range_is_written_bare() -> None:
    # report --curves: beta [0.00100, 4.3526] and gamma [-1.0000, 3.0000]; curves fit: gamma
    # [0.18465, 3.0000]; [0.0010000, 578.02] (its own figures, zeros padded)
    low = (1e-3, 5.0)
    assert estimate_parts(1.2345, 1e-3, 578.0234, bounds=low)[1] == "[0.001, 578.02]"
    assert estimate_parts(0.51234, -1.0, 3.0, bounds=(-1.0, 3.0))[1] == "[-1, 3]"
    assert estimate_parts(1.2345, -1.0, 3.0, bounds=(-1.0, 3.0))[1] == "[-1, 3]"
    assert estimate_parts(0.12345, 0.001, 4.35261, bounds=low)[1] == "[0.001, 4.3526]"
    assert estimate_parts(0.54152, 0.18465, 3.0, bounds=(-1.0, 3.0))[1] == "[0.18465, 3]"
    # a positive coefficient's bound, back from its log: to float noise
    tiny = math.exp(math.log(1e-6))
    assert estimate_parts(0.21566, tiny, 116.35315, bounds=(1e-6, 1e6))[1] == "[1e-6, 116.35]"
    # an end that is no bound keeps the value's decimals (as before)
    assert estimate_parts(0.51234, -1.0, 3.0)[1] == "[-1.0000, 3.0000]"
    assert estimate_parts(1.99661, 2.0, 2.22381, bounds=low)[1] == "[2.0000, 2.2238]"


def test_a_fit_s_table_and_warning_write_an_end_on_a_bound_bare() -> None:
    # alpha of power-law-plus-constant lies in [0, 5]: its interval reaching 5 wrote 5.0000
    law = get_law("power-law-plus-constant")
    params = {"E": 1.8, "A": 30.0, "alpha": 0.2}
    intervals = {"E": (1.7, 1.9), "A": (20.0, 40.0), "alpha": (0.1234, 5.0)}
    said = diagnose(law, params, intervals, None, n_runs=40, min_loss=2.0)
    assert (
        "alpha is not identified: its interval [0.12340, 5] reaches the upper bound of its "
        "range, which sets that end, not the data"
    ) in said
    ranges = {p.name: (p.lower, p.upper) for p in law.params}  # as the table passes them
    assert estimate_parts(0.2, 0.1234, 5.0, bounds=ranges["alpha"])[1] == "[0.12340, 5]"


def test_an_end_in_exponent_form_puts_both_ends_to_their_figures() -> None:
    # ladder run --predict-top's warning: A [3.53, 1.5721e5], three figures beside five
    assert estimate_parts(123.45, 3.53124, 157213.4) == ("123.45", "[3.5312, 1.5721e5]")
    assert estimate_parts(286.1, 0.0020771, 1.1453e9, 4) == ("286.1", "[0.002077, 1.145e9]")
    # as a value in exponent form has them (unchanged)
    assert estimate_parts(9.82e-10, 9.1691e-10, 1.42894)[1] == "[9.1691e-10, 1.4289]"
    # ends that fit the value's decimals keep them (unchanged)
    assert estimate_parts(1.7449, 1.6021, 1.912) == ("1.7449", "[1.6021, 1.9120]")
    assert estimate(2.735, 2.644, 2.84, 4) == "2.735 [2.644, 2.840]"


def test_an_hparams_law_warning_quotes_its_interval_as_the_laws_table() -> None:
    # the ladder sweep's hparams fit: the table's A 286.1 [0.002077, 1.145e9] beside the
    # warning's [0.00208, 1.14e9]
    law = HparamLaw(
        target="lr", formula="A * N**alpha", coefs={"A": 286.1, "alpha": -0.9824},
        intervals={"A": (0.0020771, 1.1453e9), "alpha": (-2.351, 0.1009)}, samples=None,
        level=0.9, status="converged", n_cells=3,
    )  # fmt: skip
    warnings, _ = interval_lines(law)
    table = iv(law.intervals["A"], coef)  # laws_table's cell
    assert table == "[0.002077, 1.145e9]"
    assert warnings == [
        f"the lr* law's A is not identified: its interval {table} spans 11.7 decades"
    ]


@pytest.mark.heavy
def test_a_loss_to_loss_fit_writes_its_warnings_at_its_tables_figures() -> None:
    # its FitResult's own warnings, not rewritten after they were made (downstream/_l2l_said)
    l2l = sl.fit_loss_to_loss(_two_losses(), x="C4 Loss", y="Pile Loss", bootstrap=200)
    fitted = l2l.fits["all"]
    lines = [w for w in fitted.warnings if " is not identified: its interval [" in w]
    assert lines, fitted.warnings
    for line in lines:
        name = line.split(" ", 1)[0]
        band = estimate_parts(fitted.coefs[name], *fitted.intervals[name], 4)[1]
        assert f"its interval {band} " in line, (band, line)
        assert line in l2l.warnings
