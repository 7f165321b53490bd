"""Reprs a notebook shows: one line each, numbers at the digits the other results print,
nothing said twice."""

from __future__ import annotations

import numpy as np

import scalinglab
from scalinglab.curves._schedules import Schedule
from scalinglab.validate import BacktestSummary, RollingStep


def test_a_rolling_step_and_its_summary_print_percentages_not_full_floats() -> None:
    summary = BacktestSummary(
        n=4, median_are=0.13879526978555365, mean_are=0.2, max_are=0.25, coverage={0.9: 0.75}
    )
    step = RollingStep(scales=3, n_fitted=25, largest=3.9336014637724196e18, summary=summary)
    # over 4 runs a coverage is the count the CLI's tables show, not a percentage
    assert repr(step) == (
        "RollingStep(scales=3, n_fitted=25, largest=3.9336e18, median_are=13.9%, "
        "max_are=25%, coverage={90%: 3 of 4})"
    )
    assert repr(summary) == (
        "BacktestSummary(n=4, median_are=13.9%, max_are=25%, mean_are=20%, coverage={90%: 3 of 4})"
    )


def test_a_coverage_is_a_percentage_over_ten_runs_and_a_count_under() -> None:
    many = BacktestSummary(
        n=12, median_are=0.01, mean_are=0.01, max_are=0.02, coverage={0.5: 0.5, 0.9: 11 / 12}
    )
    assert repr(many).endswith("coverage={50%: 50%, 90%: 91.7%})")
    some = BacktestSummary(
        n=4, median_are=0.01, mean_are=0.01, max_are=0.02, coverage={0.9: 1.0, 0.99: 0.5},
        scored={0.9: 4, 0.99: 2},
    )  # fmt: skip
    assert repr(some).endswith("coverage={90%: 4 of 4, 99%: 1 of 2}, scored={99%: 2 of 4})")
    none = BacktestSummary(n=4, median_are=0.01, mean_are=0.01, max_are=0.02,
                           coverage={0.9: float("nan")})  # fmt: skip
    assert repr(none).endswith("coverage={90%: nan})")  # no bootstrap: nothing scored


def test_a_schedule_says_its_steps_and_warmup_once() -> None:
    spec = scalinglab.parse_schedule("wsd:peak=3e-4,decay=0.2,steps=24000,warmup=2160")
    assert repr(spec) == "Schedule(wsd:decay=0.2,peak=0.0003,steps=24000,warmup=2160)"
    assert repr(Schedule(np.full(10, 1e-3))) == "Schedule(custom, steps=10, warmup=0)"


def test_a_spec_without_its_peak_says_a_fit_fills_it() -> None:
    import pytest

    from scalinglab._errors import ConfigError

    with pytest.raises(ConfigError, match="peak= is missing") as err:
        scalinglab.parse_schedule("wsd:decay=0.2,steps=24000")
    assert "a fitted curve law fills it from its curves (CurveFit.predict(spec)" in str(
        err.value.hint
    )


def test_a_table_of_another_library_is_told_how_to_convert() -> None:
    import pytest

    from scalinglab._errors import ConfigError

    class Table:  # stands for a polars or pyarrow table
        def to_pandas(self) -> None: ...

    with pytest.raises(ConfigError, match="cannot read runs from a Table") as err:
        scalinglab.read_runs(Table())  # type: ignore[arg-type]
    assert err.value.hint == "convert it first: table.to_pandas()"
    with pytest.raises(ConfigError) as err:  # a dict of columns is read (test_plain_runs)
        scalinglab.read_runs({1e8, 2e8})  # type: ignore[arg-type]
    assert err.value.hint.startswith("or a dict of columns")


def test_a_flops_convention_is_one_line_without_its_sizes() -> None:
    from scalinglab.data._flops_rule import FlopsConvention

    sizes = tuple(float(n) for n in np.geomspace(5e7, 1.6e10, 238))  # the Chinchilla runs'
    rule = FlopsConvention(
        counted="exact, with attention and the head", coef=3.2, power=-0.3, sizes=sizes,
        largest=5.76e23,
    )  # fmt: skip
    assert repr(rule) == (
        "FlopsConvention('C = 6·N·D·(1 + 3.2·N^-0.3)', sizes=238 (N = 50M to 16B), "
        "largest=5.76e23, counted='exact, with attention and the head')"
    )
    unclear = FlopsConvention(counted="given", base=1.31, unclear="the ratio " + "x" * 80)
    assert repr(unclear) == (
        "FlopsConvention('C = 1.31·6·N·D', sizes=0, unclear='the ratio "
        + "x" * 47
        + "...', counted='given')"
    )


def test_a_clipped_source_ends_at_a_word() -> None:
    from scalinglab._repr import clip

    source = "overtraining-c4: open_lm models of 10.6M-411.6M params trained on c4_original"
    assert clip(source) == "'overtraining-c4: open_lm models of 10.6M-411.6M params...'"
    assert len(clip(source)) <= 60 + 2  # the quotes
    assert clip("x" * 80) == "'" + "x" * 57 + "...'"  # one long word: cut where it falls
    assert clip("short") == "'short'"
