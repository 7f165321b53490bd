"""What the benchmark scripts print says what each figure is (benchmarks/*.py)."""

from __future__ import annotations

from pathlib import Path

import pytest


@pytest.fixture(autouse=True)
def benchmarks(monkeypatch: pytest.MonkeyPatch) -> None:
    """The benchmarks' folder on the path, as they run (``python benchmarks/x.py``)."""
    monkeypatch.syspath_prepend(str(Path(__file__).resolve().parents[1] / "benchmarks"))


def test_backtest_ratio_is_a_labelled_accuracy_column(capsys: pytest.CaptureFixture[str]) -> None:
    from backtest_accuracy import Tally, report

    ours = Tally(are=[0.01, 0.02, 0.03], seconds=3.0, fits=2)
    boot = Tally(are=[0.01, 0.02, 0.03], seconds=3.0, fits=2)
    other = Tally(are=[0.02, 0.03, 0.04], seconds=0.4, fits=2)
    report("t", {"scalinglab": ours, "bootstrap only": boot, "curve_fit": other})
    lines = capsys.readouterr().out.splitlines()
    assert lines[2].endswith("|    s/fit | median ARE / scalinglab's")
    assert lines[3].endswith("|      1.5 | —")
    assert lines[4].endswith("| same fit | 1.00")  # bootstrap only: scalinglab's own fits
    assert lines[5].endswith("|      0.2 | 1.50")  # 3% / 2%: accuracy, not speed
    assert "×" not in "".join(lines)


def test_downstream_speed_judges_the_target_only_at_its_resamples() -> None:
    from _downstream_speed import speed_verdict

    labels = ("round 5 (default)", "round 4 (498ff86)")
    short = speed_verdict(2.6, 2.0, boot=20, labels=labels)
    assert short == (
        "   best CPU: round 5 (default) 2.6 s, round 4 (498ff86) 2.0 s (new/old 1.30x); "
        "target is for 1,000 resamples: not judged"
    )
    assert speed_verdict(12.0, 24.0, boot=1000, labels=labels).endswith(
        "(new/old 0.50x); target <= 20 s: met"
    )
    assert speed_verdict(21.0, 24.0, boot=1000, labels=labels).endswith("target <= 20 s: not met")


def test_downstream_header_and_help_say_what_runs() -> None:
    import downstream_accuracy

    assert downstream_accuracy.header().count("load average") == 1
    text = downstream_accuracy.build_parser().format_help()
    assert "sections 0, 0b, 0c, 3 and 4 only" in " ".join(text.split())
    assert "skips 1 and 2" in " ".join(text.split())
    # the baseline commit is the fourth round, as its label says, not the third
    assert "the third round's code" not in (downstream_accuracy.__doc__ or "")
    assert "fourth round's code" in " ".join((downstream_accuracy.__doc__ or "").split())


def test_reliability_docstring_counts_the_damaged_stores_it_makes() -> None:
    import reliability
    from _reliability_damaged import variants

    doc = " ".join((reliability.__doc__ or "").split())
    full, quick = len(variants(5)), len(variants(2))
    assert f"damaged in {full} ways ({quick} with ``--quick``)" in doc  # 22 and 13
    assert "--variants" not in doc  # no such option


def test_curve_ladder_help_has_its_whole_first_sentence() -> None:
    import curve_ladder

    text = " ".join(curve_ladder.build_parser().format_help().split())
    assert "cooled-down predictions against real cooldowns." in text  # was cut at "against"


def test_curve_ladder_docstring_counts_the_steps_its_final_points_average() -> None:
    import curve_ladder
    from scalinglab.curves import read_lr_curves

    # A logged loss is the mean since the previous logged point, so the final one averages
    # the steps after the one before it, not a fixed 5.
    averaged = {c.run: int(c.step[-1] - c.step[-2]) for c in read_lr_curves(curve_ladder.CURVES)}
    assert {averaged[f"{s}-wsd"] for s in ("w24", "w48")} == {2}
    assert averaged["w32-wsd"] == 4
    doc = " ".join((curve_ladder.__doc__ or "").split())
    assert "2 steps for w24 and w48, 4 for w32" in doc
    assert "last 5 steps" not in doc  # was "a mean over the last 5 steps"


def test_curve_ladder_errors_are_final_and_mean_percent() -> None:
    import numpy as np

    from curve_ladder import _errors

    final, mean = _errors(np.array([1.1, 2.0, 2.94]), np.array([1.0, 2.0, 3.0]))
    assert (round(final, 6), round(mean, 6)) == (2.0, 4.0)


def test_ingest_scale_says_no_linearity_from_one_size_and_small_files_in_kb() -> None:
    from ingest_scale import file_size, linearity

    one = [(50, {"seconds": 0.85, "rows": 1000.0})]
    assert linearity(one) == (
        "linearity: not measured (one size; give two or more, e.g. --sizes 1000,10000)"
    )
    two = [*one, (500, {"seconds": 4.25, "rows": 10000.0})]
    assert linearity(two).startswith("linearity: seconds per row at 500 runs / at 50 runs = 0.50")
    assert file_size(0.02) == "20 KB"  # was "0 MB"
    assert file_size(2.4) == "2 MB"


def test_curve_speed_gives_no_growth_ratio_from_one_t() -> None:
    from curve_speed import growth

    costs = {"linear": [6.45e-6], "per-step (baseline)": [5.87e-6]}
    assert growth(costs, [1000]) == [
        "cost per logged point against T: not measured (one T; give two or more, "
        "e.g. --steps 1000 100000)"
    ]  # was "at T = 1e+03 / at T = 1e+03: 1.00x" per scheme
    costs = {"linear": [6.0e-6, 9.0e-6]}
    assert growth(costs, [1000, 100000]) == [
        "linear: cost per logged point at T = 1e+05 / at T = 1e+03: 1.50x"
    ]


def test_curve_accuracy_fit_times_say_wall() -> None:
    import time

    from curve_accuracy import wall_since

    assert wall_since(time.perf_counter() - 4.2) == "4.2 s wall"
