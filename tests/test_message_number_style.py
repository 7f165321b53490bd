"""Warnings, notes and errors write a number as the tables do: ``3.98e7`` and ``1e-6``,
never Python's ``3.98e+07`` or ``1e-06``. Each expected line is written out by hand (the
reference), and none holds an ``e+`` or a padded ``e-0``."""

from __future__ import annotations

import re

import numpy as np
import pytest

from scalinglab._errors import ConfigError
from scalinglab.curves._schedule_defaults import schedule_defaults
from scalinglab.curves._schedule_spec import parse_schedule
from scalinglab.downstream._one_model import one_size
from scalinglab.fit._implausible import value_warnings
from scalinglab.fit._spans import unidentified
from scalinglab.hparams._unidentified import interval_lines

PYTHON_EXPONENT = re.compile(r"\de\+|\de-0")


def _plain(text: str) -> str:
    assert not PYTHON_EXPONENT.search(text), text
    return text


def test_a_coefficient_that_is_not_identified_writes_its_interval_as_the_tables_do() -> None:
    # the README's curves fit: A's interval [18.3, 3.98e+07] before
    line = unidentified("A", (18.3, 3.98e7), True)
    assert (
        _plain(line or "") == "A is not identified: its interval [18.3, 3.98e7] spans 6.3 decades"
    )


def test_a_bound_warning_writes_the_range_as_the_tables_do() -> None:
    # the README's curves fit: C's interval [1e-06, 1e+06], its whole allowed range, before
    whole = unidentified("C", (1e-6, 1e6), True, bounds=(1e-6, 1e6))
    assert (
        _plain(whole or "")
        == "C is not identified: its interval [1e-6, 1e6] is its whole allowed range"
    )
    lower = unidentified("C", (1e-6, 116.0), True, bounds=(1e-6, 1e6))
    assert _plain(lower or "") == (
        "C is not identified: its interval [1e-6, 116] spans 8.1 decades and reaches the lower "
        "bound of its range, which sets that end, not the data"
    )


def test_a_collapsed_coefficient_and_exponent_are_written_as_the_tables_do() -> None:
    # the range was written [1e-10, 1e+10] before
    assert [_plain(w) for w in value_warnings("A", 4.2e11, "coefficient")] == [
        "A = 4.2e11 is outside [1e-10, 1e10]: the term has collapsed or exploded, and its "
        "exponent with it"
    ]
    assert [_plain(w) for w in value_warnings("alpha", 2.5e-5, "exponent")] == [
        "alpha = 2.5e-5 is implausible (~0: its term is a constant, not separable from E)"
    ]


def test_an_hparams_law_names_its_loose_coefficient_as_the_tables_do() -> None:
    from tests.test_hparams_interval_warnings import _law

    wide = _law({"A": (508.3, 3.679e33), "alpha": (-1.3, -0.8), "beta": (0.08, 0.25)})
    warnings, notes = interval_lines(wide, None)
    assert [_plain(w) for w in warnings] == [
        "the lr* law's A is not identified: its interval [508.3, 3.679e33] spans 30.9 decades"
    ]
    assert notes == []


def test_a_schedule_error_and_the_fitted_defaults_note_write_small_rates_plainly() -> None:
    with pytest.raises(ConfigError) as err:
        parse_schedule("cosine:peak=1e-13,steps=1000")
    assert _plain(err.value.message) == (
        "schedule 'cosine:peak=1e-13,steps=1000': peak=1e-13 is below 1e-12, far from any "
        "learning rate a model trains with"
    )
    fitted = [parse_schedule(f"cosine:peak=3e-4,end=3e-5,steps=1000,warmup={w}") for w in (10, 20)]
    _, note = schedule_defaults(fitted)
    assert "peak=0.0003 (their median peak), end=3e-5 (0.1 of the peak:" in _plain(note)


def test_a_downstream_model_refused_writes_its_size_as_the_tables_do() -> None:
    with pytest.raises(ConfigError) as err:
        one_size(7e9, -2.8e10)
    assert _plain(err.value.message) == (
        "params and tokens must be positive and finite, got params=7e9, tokens=-2.8e10"
    )


def test_a_curve_with_a_tiny_rms_residual_says_it_without_a_padded_exponent() -> None:
    from scalinglab.fit._text import fmt

    # the fit's text summary: 5 figures, scientific outside 1e-3..1e5, as format_number
    assert fmt(123456.7) == "1.2346e5" and fmt(4.5e-6) == "4.5e-6"  # no padded zeros
    assert fmt(float(np.float64(2.5))) == "2.5" and fmt(float("nan")) == "—"
