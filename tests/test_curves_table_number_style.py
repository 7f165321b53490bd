"""Curve tables write a loss and its interval in one style (``3.4390``, not ``3.439`` beside
``3.4361``), a gain and its interval signed to four decimals (``[-0.0178, +0.0629]``, not
``[-0.017842, 0.062865]`` or ``3.0599e-4``), and a number in exponent form without padded
zeros (``1e-6``, not ``1.0000e-6``), in the terminal and in the report alike."""

from __future__ import annotations

import re

import pytest
from tests.test_cli_curves_compare import fit_file  # noqa: F401  (the module fixture)

from scalinglab._format import format_gain, format_number
from scalinglab.cli import main
from scalinglab.curves import CurveFit, compare_schedules
from scalinglab.curves._report import _comparison

LOSS = r"\d\.\d{4}"
GAIN = r"[+-]\d\.\d{4}"


def test_exponent_form_drops_padded_zeros_as_the_fixed_form_does() -> None:
    assert format_number(1e-6) == "1e-6" and format_number(4.5e-6) == "4.5e-6"
    assert format_number(123456.7) == "1.2346e5" and format_number(-3.0599e-4) == "-3.0599e-4"
    assert format_number(2.0) == "2" and format_number(2.98) == "2.98"  # g, as before
    assert format_gain(3.0599e-4) == "+0.0003" and format_gain(-0.017842) == "-0.0178"
    assert format_gain(0.0) == "+0.0000" and format_gain(float("nan")) == "—"


def test_compare_writes_losses_and_gains_in_one_style(fit_file, capsys) -> None:  # type: ignore[no-untyped-def]  # noqa: F811
    code = main(["curves", "compare", "--fit", fit_file, "--steps", "3000",
                 "--schedules", "wsd:0.1,wsd:0.2,linear"])  # fmt: skip
    out = capsys.readouterr().out
    assert code == 0
    rows = [line for line in out.splitlines() if line.startswith("│")]
    assert len(rows) == 4  # the baseline and the three compared
    fit = CurveFit.load(fit_file)
    wanted = compare_schedules(fit, steps=3000, schedules=["wsd:0.1", "wsd:0.2", "linear"],
                               include_baseline=True)  # fmt: skip
    for line, r in zip(rows, wanted, strict=True):
        cells = [c.strip() for c in line.strip("│").split("│")]
        assert re.fullmatch(LOSS, cells[1]) and float(cells[1]) == pytest.approx(r.loss, abs=5e-5)
        assert re.fullmatch(rf"\[{LOSS}, {LOSS}\]", cells[2]), cells[2]
        assert re.fullmatch(GAIN, cells[3]) and float(cells[3]) == pytest.approx(r.gain, abs=5e-5)
        assert re.fullmatch(rf"\[{GAIN}, {GAIN}\]", cells[4]), cells[4]
        lo, hi = (float(x) for x in cells[4].strip("[]").split(", "))
        assert lo == pytest.approx(r.gain_lower, abs=5e-5) and hi == pytest.approx(
            r.gain_upper, abs=5e-5
        )
    # the report's table: the same cells
    html = _comparison(wanted, "90% interval", 3000)
    cells = re.findall(r"<td class='num'>([^<]*)</td>", html)
    assert len(cells) == 4 * len(wanted)
    for k, cell in enumerate(cells):
        form = (LOSS, rf"\[{LOSS}, {LOSS}\]", GAIN, rf"\[{GAIN}, {GAIN}\]")[k % 4]
        assert re.fullmatch(form, cell), cell


def test_predict_writes_each_interval_as_its_loss(fit_file, capsys) -> None:  # type: ignore[no-untyped-def]  # noqa: F811
    code = main(["curves", "predict", "--fit", fit_file, "--schedule", "cosine:steps=3000"])
    out = capsys.readouterr().out
    assert code == 0
    rows = [line for line in out.splitlines() if line.startswith("│")]
    assert rows
    for line in rows:
        cells = [c.strip() for c in line.strip("│").split("│")]
        assert re.fullmatch(LOSS, cells[2]) and re.fullmatch(rf"\[{LOSS}, {LOSS}\]", cells[3])
