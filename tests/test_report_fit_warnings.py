"""``scalinglab report``'s loss-law page: the fit's warnings are said in "Fitted law" (with a
warning status) and on stderr, as ``scalinglab fit`` says them, and not again as the
backtest's "backtest fit: ..." warnings, nor as the backtest's own in the same words (an lr
x batch sweep), nor in full on the card, which counts them and links to "Fitted law"."""

from __future__ import annotations

from pathlib import Path

import pytest
from tests._pages import page_text
from tests.conftest import SHARED

from scalinglab.cli import main

OVERTRAINING = SHARED / "overtraining" / "models.dev.csv"
SWEEP = SHARED / "steplaw" / "dense_lr_bs_loss.dev.csv"
LOOKS = "look like an lr × batch sweep"
DATASETS = "the runs span 3 values of 'dataset' (c4_original, rpj, rw_original), fitted as one"


@pytest.mark.skipif(not OVERTRAINING.exists(), reason=f"{OVERTRAINING} not found")
@pytest.mark.heavy
def test_fit_warnings_are_in_fitted_law_and_on_stderr_once(
    capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    out = tmp_path / "p.html"
    args = ["report", str(OVERTRAINING), "--y", "loss=loss_c4_val", "--bootstrap", "20"]
    assert main([*args, "--out", str(out)]) == 0
    _, err = capsys.readouterr()
    assert f"warning: {DATASETS}" in " ".join(err.split())
    page = out.read_text(encoding="utf-8")
    fitted = page_text(page, "fit")
    assert f"warning: {DATASETS}" in fitted
    assert "<p class='status warn'>Status: converged" in page
    backtest = page_text(page, "backtest")  # the backtest ran, and does not repeat it
    assert "median absolute relative error" in backtest and DATASETS not in backtest
    card = page_text(page, "card")  # the card's "warnings" item counts them and links there
    assert DATASETS not in card
    fit = page[page.index("<section id='fit'>") :].split("</section>")[0]
    n = fit.count("<li><strong>warning:</strong> ")  # the fit's warnings, said there
    assert n >= 1
    assert f"<a href='#fit'>{n} warning{'s' if n != 1 else ''}, listed with the fitted law</a>" in (
        page
    )


@pytest.mark.skipif(not SWEEP.exists(), reason=f"{SWEEP} not found")
@pytest.mark.heavy
def test_a_sweeps_warning_is_said_once_on_the_page(
    capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    out = tmp_path / "s.html"
    assert main(["report", str(SWEEP), "--bootstrap", "20", "--out", str(out)]) == 0
    err = " ".join(capsys.readouterr().err.split())
    assert err.count(LOOKS) == 1  # as `fit` says it
    page = out.read_text(encoding="utf-8")
    text = page_text(page)
    assert text.count(LOOKS) == 1 and text.count("--best-per-cell") == 1  # it said it 3 times
    assert f"warning: the runs {LOOKS}: 1746 runs in 15 groups" in page_text(page, "fit")
    backtest = page_text(page, "backtest")
    assert "median absolute relative error" in backtest and LOOKS not in backtest
    assert "backtest fit: too few runs: 13 distinct (N, D) from 1507 runs" in backtest  # its own
    assert LOOKS not in page_text(page, "card")


@pytest.mark.parametrize(
    ("holdout", "message"),
    [
        (
            "foo>=3",
            "--holdout 'foo>=3' (holdout= in Python) names column 'foo'; the runs have flops, loss, params",
        ),
        ("largest:0", "--holdout 'largest:0' (holdout= in Python): k must be at least 1"),
        (
            "largest:40",
            "--holdout 'largest:40' (holdout= in Python) holds out all 31 runs, leaving none to fit",
        ),
    ],
)
def test_a_bad_holdout_is_refused_as_by_backtest(
    capsys: pytest.CaptureFixture[str], tmp_path: Path, holdout: str, message: str
) -> None:
    """The user's --holdout that cannot split the runs: exit 2 with `backtest`'s message,
    and no page (the default rule failing for lack of runs is a note instead:
    test_report_html.test_validation_that_cannot_run_is_said)."""
    out = tmp_path / "h.html"
    code = main(["report", "--holdout", holdout, "--bootstrap", "0", "--out", str(out)])
    _, err = capsys.readouterr()
    assert code == 2 and message in err and not out.exists()
    assert main(["backtest", "--holdout", holdout, "--bootstrap", "20"]) == 2
    assert message in capsys.readouterr().err  # the same words


@pytest.mark.heavy
def test_a_holdout_the_runs_are_too_few_for_raises_in_the_library() -> None:
    """Past the rule's own checks (a user's rule whose fit has too few runs): the library
    raises as `backtest` does, rather than drop the section."""
    import numpy as np
    from tests.test_report_html import _frame

    import scalinglab
    from scalinglab._errors import DataError
    from scalinglab.report import render_report

    runs = scalinglab.read_runs(_frame())
    few = runs.select(np.isin(np.arange(len(runs)), [0, 7, 14, 21, 28, 29, 23]))
    result = scalinglab.fit("chinchilla", few, bootstrap=0)
    with pytest.raises(DataError, match=r"5 runs to fit and 2 held out \(the 2 largest runs"):
        render_report(result, few, holdout="largest:2")
