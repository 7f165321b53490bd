"""One rule per kind of number, on every command, before click reads the option (it said
only "'5%' is not a valid float" or "'1k' is not a valid int range"): a percentage on a
fraction option is refused with the fraction meant (as ``--level 90%`` is), ``--tolerance``
(decades of FLOPs) with the decades a ±5% budget is; a count with a unit with the integer
meant; a negative ``--seed`` by its flag, not the Python argument ``seed``."""

from __future__ import annotations

import math

import pytest
from tests._cli import refused


@pytest.mark.parametrize(
    ("args", "error", "hint"),
    [
        (["downstream", "fit", "evals.csv", "--max-backtest-error", "3%"],
         "error: --max-backtest-error '3%': an accuracy error is a fraction, not a percentage",
         "hint: --max-backtest-error 0.03 for 3%"),
        (["fit", "--data", "simulated", "--delta", "5%"],
         "error: --delta '5%': --delta takes a plain number, not a percentage",
         "hint: --delta 0.05 if 5% is meant (see --help for its unit)"),
        (["fit", "--data", "simulated", "--bootstrap", "1k"],
         "error: --bootstrap '1k': a count is a plain whole number, without a unit or "
         "separators (those are for sizes and budgets)",
         "hint: --bootstrap 1000"),
        (["hparams", "fit", "sweep.csv", "--bootstrap=1.5K"],
         "error: --bootstrap '1.5K': a count is a plain whole number, without a unit or "
         "separators (those are for sizes and budgets)",
         "hint: --bootstrap 1500"),
        (["ladder", "run", "tiny", "--parallel", "1,000"],
         "error: --parallel '1,000': a count is a plain whole number, without a unit or "
         "separators (those are for sizes and budgets)",
         "hint: --parallel 1000"),
        (["fit", "--data", "simulated", "--seed", "-1"],
         "error: --seed must be a whole number at least 0, got -1",
         "hint: e.g. --seed 0 (any seed from 0 up draws the resamples reproducibly)"),
        (["backtest", "--data", "simulated", "--seed=-3"],
         "error: --seed must be a whole number at least 0, got -3",
         "hint: e.g. --seed 0 (any seed from 0 up draws the resamples reproducibly)"),
    ],
)  # fmt: skip
def test_refused_with_the_value_meant(
    capsys: pytest.CaptureFixture[str], args: list[str], error: str, hint: str
) -> None:
    assert refused(capsys, args) == (error, hint)


def test_tolerance_as_a_percentage_gives_its_decades(capsys: pytest.CaptureFixture[str]) -> None:
    error, hint = refused(capsys, ["isoflop", "runs.csv", "--tolerance", "5%"])
    assert error == (
        "error: --tolerance '5%': the half-width of a budget is in decades of FLOPs, "
        "not a percentage"
    )
    assert math.isclose(math.log10(1.05), 0.0211893, rel_tol=1e-6)  # the decades shown
    assert hint == (
        "hint: --tolerance 0.0211893 for a budget ±5% (log10 of 1.05); the default 0.05 is ×1.12"
    )


@pytest.mark.parametrize(
    ("text", "value"),
    [("90%", 90.0), (" 2.5% ", 2.5), ("-5%", -5.0), ("90", None), ("%", None), ("abc%", None)],
)
def test_percent_written_is_the_one_reading_of_a_percent(text: str, value: float | None) -> None:
    """The number before a trailing ``%``, read once for ``--level`` and every other number
    option (the two checks parsed it apart before)."""
    from scalinglab.cli._options import percent_written

    assert percent_written(text) == value
