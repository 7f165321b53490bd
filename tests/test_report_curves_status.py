"""``scalinglab report CURVES --curves``: the page says what the fit is (the curves read, the
coefficients, its status and warnings, the versions) and what reading the held-out curves
assumed; the warnings go to stderr too, as ``curves backtest`` prints them."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from tests._pages import page_text
from tests.conftest import SHARED
from tests.test_report_curves import TRAIN, cli, curves_csv  # noqa: F401 (a fixture)

from scalinglab.report._html_parts import g

LR = SHARED / "lr-schedules"
needs_lr = pytest.mark.skipif(not LR.exists(), reason=f"shared curves not found at {LR}")


@pytest.mark.heavy  # 1.2 s in the suite on a 2-core AMD EPYC
def test_curves_page_lists_data_coefficients_and_versions(
    capsys: pytest.CaptureFixture[str],
    curves_csv: Path,  # noqa: F811
    tmp_path: Path,
) -> None:
    from scalinglab import __version__
    from scalinglab.curves import backtest_curves, read_lr_curves

    out = tmp_path / "report.html"
    code, _, err = cli(
        capsys, "report", str(curves_csv), "--curves", "--train", TRAIN,
        "--curve-law", "tissue", "--bootstrap", "0", "--out", str(out),
    )  # fmt: skip
    assert code == 0, err
    page = out.read_text(encoding="utf-8")
    text = page_text(page)
    assert f"4 curves read from {curves_csv}: 3 fitted, 1 held out;" in text
    fit = backtest_curves(read_lr_curves([curves_csv]), train=TRAIN.split(","), law="tissue").fit
    for name, value in fit.coefs.items():  # the coefficients, as the library fitted them
        assert f"data-param='{name}'>{g(value, 5)}</td>" in page
    # no bootstrap: no interval column in the coefficients or the comparison
    assert "interval" not in text.split("gain over cosine")[0].split(" coef ")[1]
    assert "[—, —]" not in text
    assert "versions Python " in text and f"scalinglab {__version__}" in text
    assert re.search(r"Status: converged[^.]*\. \d+ of \d+ starts reached the best fit", text)
    # step counts with their digits grouped, as the README writes them (logged every 50 of 3,000)
    assert re.search(r"the longest run 2,9\d\d steps\.", page)
    assert re.search(r"Schedules compared \(final loss after 2,9\d\d steps\)", page)
    assert not re.search(r"\b\d{4,} steps", page)


@needs_lr
@pytest.mark.heavy
def test_curves_page_shows_a_failed_fit_and_its_warnings(
    capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    """Two model sizes fitted as one: the fit fails with C at its bound, and warns of the
    sizes; the page's status line says so in the bad style, and stderr warns too."""
    out = tmp_path / "report.html"
    code, _, err = cli(
        capsys, "report", str(LR), "--curves", "--train", "cosine_24000,constant_24000,wsdcon_9",
        "--bootstrap", "0", "--out", str(out),
    )  # fmt: skip
    assert code == 0, err
    page = out.read_text(encoding="utf-8")
    assert "<p class='status bad'>Status: failed: " in page
    text = page_text(page)
    assert "at bound: C;" in text
    sizes = "the curves are of 2 model sizes (25M, 100M)"
    assert f"warning: {sizes}" in text and "model sizes 25M, 100M" in text
    assert "warning: the curve fit did not converge" in text
    said = " ".join(err.split())
    assert f"warning: {sizes}" in said and "warning: the curve fit did not converge" in said


@needs_lr
@pytest.mark.heavy
def test_curves_page_shows_identification_warnings_and_held_out_notes(
    capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    from scalinglab.cli._curves_input import read_curves
    from scalinglab.curves import backtest_curves

    out = tmp_path / "report.html"
    train = "cosine_24000,constant_24000,wsdcon_9"
    code, _, err = cli(
        capsys, "report", str(LR / "25M"), "--curves", "--train", train, "--bootstrap", "20",
        "--out", str(out),
    )  # fmt: skip
    assert code == 0, err
    page = out.read_text(encoding="utf-8")
    text = page_text(page)
    items, _, _ = read_curves([LR / "25M"], None, warmup=None, columns={})
    fit = backtest_curves(items, train=train.split(","), bootstrap=20).fit
    assert fit.warnings  # B and C are not identified from 3 curves of one size
    assert "<p class='status warn'>Status: converged" in page
    for w in fit.warnings:
        assert f"warning: {' '.join(w.split())}" in text
        assert w.split(":")[0] in err
    # what `curves backtest` says of the held-out curves' reading
    assert "5 held-out curves: not logged before step 2,176" in text
    assert "2 held-out curves: step change between logged steps 7,936 and 8,000" in text
