"""``report EVALS --downstream`` says what it did: the card's command names the loss column
the chain went through when --via was not given (and remakes the page), every interval
says the resamples that drew it, and the backtest's average row says which tasks it
averages (its own fit's predictable tasks, not always the full fit's)."""

from __future__ import annotations

import html
import re
import shlex
from pathlib import Path

import pytest
from tests._pages import page_text, write_evals

from scalinglab.cli import main
from scalinglab.report._downstream import _average_members


@pytest.fixture(scope="module")
def evals_csv(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return write_evals(tmp_path_factory.mktemp("evals"))


@pytest.mark.heavy
def test_the_card_names_the_loss_found_and_remakes_the_page(
    evals_csv: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    out = tmp_path / "r.html"
    assert main(["report", str(evals_csv), "--downstream", "--bootstrap", "20",
                 "--out", str(out)]) == 0  # fmt: skip
    err = capsys.readouterr().err  # not a terminal: the loss page's stage lines
    assert (
        "fitting the chain (auto loss law, sigmoid task laws) to 20 models and 1 task "
        "(20 bootstrap resamples)..." in err
    )
    assert "backtesting per task, holding out top-decile (the chain refitted)..." in err
    assert "writing the report (figures)..." in err
    page = out.read_text(encoding="utf-8")
    command = re.search(r"command</th><td>scalinglab ([^<]*)</td>", html.unescape(page))
    assert command is not None and " --via val_loss " in command[1]
    assert (
        "--bootstrap 20 --level 0.9 --seed 0 --max-backtest-error 0.03 --average-law mean "
        "--holdout top-decile" in command[1]
    )  # the chain's every setting, defaults included
    text = page_text(page)
    assert "its 90% band over the chain's 20 bootstrap resamples" in text
    assert "coverage of the 90% intervals from the refit chain's 20 bootstrap resamples" in text
    assert "bootstrap 20 resamples of the models with replacement" in text  # the card's item
    out.unlink()
    capsys.readouterr()
    assert main(shlex.split(command[1])) == 0  # the card's command, run again
    assert "no --via" not in capsys.readouterr().err  # nothing left to find
    assert out.read_text(encoding="utf-8") == page


@pytest.mark.heavy
def test_the_prediction_table_says_its_resamples(evals_csv: Path, tmp_path: Path) -> None:
    out = tmp_path / "r.html"
    assert main(["downstream", "report", str(evals_csv), "--bootstrap", "20", "--out",
                 str(out), "--params", "1B", "--tokens", "20B"]) == 0  # fmt: skip
    text = page_text(out.read_text(encoding="utf-8"))
    assert "accuracy 90% backtest-calibrated interval (20 resamples)" in text
    assert "from the chain's 20 shared bootstrap resamples of the models" in text
    assert "downstream report " in text and " --via val_loss " in text


def test_the_backtest_average_says_which_tasks_it_averages() -> None:
    same = page_text(_average_members(("a", "b"), ("b", "a")))
    assert same == (
        "The backtest's average is over the 2 tasks its own fit (without the held-out "
        "models) found predictable: a, b, the same tasks as the full fit's average."
    )
    other = page_text(_average_members(("a", "b", "c"), ("a", "b", "d")))
    assert other.endswith(
        "found predictable: a, b, c; not the full fit's average of 3 tasks: only here c; "
        "only in the full fit's d."
    )
    assert _average_members((), ("a", "b")) == ""
