"""A compute budget written in time (``1000 GPU-hours``, ``50 H100-days``, ``3.5e3
PF-days``) is refused naming its unit, with the conversion to FLOPs (PF-days: the FLOPs
themselves), on the command line and in Python; it was "is not a number", with a hint of
size units (70M, 1.4T) that said nothing of time."""

from __future__ import annotations

import pytest
from tests._cli import cli

from scalinglab import ConfigError, optimal_allocation


def test_plan_compute_in_gpu_hours_says_how_to_convert(
    capsys: pytest.CaptureFixture[str],
) -> None:
    code, _, err = cli(capsys, "plan", "--preset", "epoch2024", "--compute", "1000 H100-hours")
    assert code == 2
    assert "--compute '1000 H100-hours' is accelerator time (hours), not FLOPs" in err
    # 1000 h × 3600 s × 989e12 FLOP/s × 0.4
    assert "× 3,600 s × the accelerator's peak FLOP/s" in err and "--compute 1.42e21" in err
    assert "Traceback" not in err


def test_pf_days_are_converted_in_the_hint(capsys: pytest.CaptureFixture[str]) -> None:
    code, _, err = cli(capsys, "plan", "--preset", "epoch2024", "--compute", "3.5e3 PF-days")
    assert code == 2 and "is in petaflop/s-days, not FLOPs" in err
    assert "--compute 3.02e23" in err  # 3.5e3 × 8.64e19 FLOPs a PF-day
    code, _, err = cli(capsys, "predict", "--preset", "epoch2024", "--params", "7B",
                       "--flops", "50 GPU-days")  # fmt: skip
    assert code == 2 and "--flops '50 GPU-days' is accelerator time (days)" in err


def test_python_budgets_in_time_name_the_argument() -> None:
    with pytest.raises(ConfigError, match=r"flops='1000 GPU-hours' is accelerator time"):
        optimal_allocation("hoffmann2022", flops="1000 GPU-hours")


def test_other_words_are_still_not_a_number(capsys: pytest.CaptureFixture[str]) -> None:
    for text in ("abc", "5h"):
        code, _, err = cli(capsys, "plan", "--preset", "epoch2024", "--compute", text)
        assert code == 2 and f"--compute {text!r} is not a number" in err, err
    code, _, err = cli(capsys, "plan", "--preset", "epoch2024", "--compute", "1e24 tokens")
    assert code == 2 and "--compute '1e24 tokens' is a count of tokens, not FLOPs" in err, err
