"""Pages fitted with ``--bootstrap 0`` claim no interval: they say there are none, and leave
out the interval columns (no "over 0 bootstrap resamples", no column of ``[—, —]``); with
resamples they still say how many, counting those kept where some failed."""

from __future__ import annotations

import html
import re
from dataclasses import replace
from pathlib import Path

import pytest
from tests._hparam_sweeps import SEQ_LEN, sweep
from tests._pages import page_text, write_evals
from tests.conftest import SHARED

import scalinglab as sl
from scalinglab.cli import main
from scalinglab.hparams import fit_hparams, read_sweep
from scalinglab.report._hparams_report import write_hparams_report

LR = SHARED / "lr-schedules" / "25M"

#: The one line of a page with no intervals (:mod:`scalinglab._no_intervals`).
NONE = "no intervals: no bootstrap was asked (--bootstrap 0); run with --bootstrap 200"
#: The same on a downstream or hyperparameter page: their commands' default, 1000.
NONE_1000 = NONE.replace("--bootstrap 200", "--bootstrap 1000")

#: "0 resamples", "0 bootstrap resamples", "over 0 ...": a count of none said as a count.
ZERO = re.compile(r"(?<![\d.,])0 (bootstrap |[a-z-]+ )?resamples")


def _heads(page: str) -> list[list[str]]:
    """Every table's header cells."""
    return [
        [html.unescape(h) for h in re.findall(r"<th>([^<]*)</th>", head)]
        for head in re.findall(r"<thead>(.*?)</thead>", page, flags=re.DOTALL)
    ]


def _claims_none(page: str) -> str:
    """The page's text, once checked to count no resamples and show no empty interval."""
    text = page_text(page)
    assert not ZERO.search(text), ZERO.search(text)
    assert "[—, —]" not in text and "[nan" not in text
    for head in _heads(page):
        assert not any("interval" in h or "coverage" in h for h in head), head
    return text


@pytest.fixture(scope="module")
def evals_csv(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return write_evals(tmp_path_factory.mktemp("evals"))


@pytest.mark.heavy
def test_the_downstream_page_at_no_bootstrap_says_no_band_nor_coverage(
    evals_csv: Path, tmp_path: Path
) -> None:
    out = tmp_path / "r.html"
    assert main(["report", str(evals_csv), "--downstream", "--bootstrap", "0",
                 "--out", str(out)]) == 0  # fmt: skip
    text = _claims_none(out.read_text(encoding="utf-8"))
    assert "the fitted law, without a band (a point fit: the chain has no bootstrap" in text
    assert f"then predicted for them; errors only, with no coverage: {NONE_1000}." in text
    # no coverage column (and no note column: no task has a note, and an empty column goes)
    assert "task mean abs error (points) mean ARE" in text and "90% coverage" not in text
    # the loss law is the chain's first step, fitted with its resamples: downstream's 1000
    assert f"; {NONE_1000}." in text and NONE not in text


@pytest.mark.heavy
def test_the_downstream_prediction_at_no_bootstrap_has_no_interval_column(
    evals_csv: Path, tmp_path: Path
) -> None:
    out = tmp_path / "r.html"
    assert main(["downstream", "report", str(evals_csv), "--bootstrap", "0", "--out",
                 str(out), "--params", "1B", "--tokens", "20B"]) == 0  # fmt: skip
    page = out.read_text(encoding="utf-8")
    text = _claims_none(page)
    said = f"then each task's law; {NONE_1000}."
    assert said in text
    assert ["task", "accuracy"] in _heads(page)


@pytest.mark.heavy
def test_the_loss_page_at_no_bootstrap_says_no_intervals(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    out = tmp_path / "r.html"
    assert main(["report", "--bootstrap", "0", "--out", str(out)]) == 0  # the bundled runs
    err = capsys.readouterr().err  # the stage line off a terminal: no "0 bootstrap resamples"
    assert "fitting chinchilla to 31 runs (no bootstrap: no intervals)..." in err
    text = _claims_none(out.read_text(encoding="utf-8"))
    assert f"; {NONE}." in text  # the status line
    assert f"(Hoffmann et al. 2022 eq. 4)), {NONE}." in text  # the plan
    assert "without intervals (a point fit, without bootstrap resamples)" in text  # frontier
    assert "coverage not scored: with no bootstrap (bootstrap=0, --bootstrap 0)" in text
    assert "(NaN)" not in text  # said in words: no bootstrap, no intervals


@pytest.mark.heavy
def test_the_loss_page_counts_the_resamples_kept(tmp_path: Path) -> None:
    from scalinglab.data import bundled_runs

    runs = bundled_runs("overtraining-c4")
    result = sl.fit("chinchilla", runs, bootstrap=20)
    assert result.samples is not None and len(result.samples) == 20
    kept = replace(result, samples=result.samples[:17])  # as a fit whose 3 resamples failed
    out = tmp_path / "r.html"
    sl.write_report(kept, runs, out, budgets=[1e21], validate=False)
    text = page_text(out.read_text(encoding="utf-8"))
    failed = "(3 of 20 resamples failed and were left out)"
    assert f"; 17 bootstrap resamples {failed}." in text  # the status line
    assert f"the 90% interval over the 17 bootstrap fits' optima {failed}; for the loss" in text
    assert f"with 90% intervals over 17 bootstrap fits' optima {failed}; grey points" in text
    out.unlink()
    sl.write_report(result, runs, out, budgets=[1e21], validate=False)
    text = page_text(out.read_text(encoding="utf-8"))
    assert "; 20 bootstrap resamples." in text and "failed and were left out" not in text
    assert "with 90% intervals over 20 bootstrap fits' optima; grey points" in text


@pytest.mark.heavy
def test_the_hparams_page_at_no_bootstrap_has_no_interval_columns(tmp_path: Path) -> None:
    data = read_sweep(sweep(3), seq_len=SEQ_LEN)
    out = tmp_path / "hp.html"
    write_hparams_report(fit_hparams(data, bootstrap=0), data, out, command="c")
    text = _claims_none(out.read_text(encoding="utf-8"))
    assert text.count(f"{NONE_1000}.") >= 2  # both tables (and the figure's caption)
    said = f"one line per value of the other variable; {NONE_1000} (no bands)."
    assert said in text
    assert "Located optima of the used cells, and the laws (" in text
    assert "bootstrap none: no intervals" in text  # the card says it too


@pytest.mark.heavy
def test_the_hparams_page_says_its_resamples(tmp_path: Path) -> None:
    data = read_sweep(sweep(3), seq_len=SEQ_LEN)
    out = tmp_path / "hp.html"
    write_hparams_report(fit_hparams(data, bootstrap=20), data, out, command="c")
    page = out.read_text(encoding="utf-8")
    text = page_text(page)
    assert "with their 90% bands (20 bootstrap resamples)" in text
    assert "Located optima of the used cells with their bootstrap intervals" in text
    assert ["coef", "value", "90% bootstrap interval"] in _heads(page)  # the law: a row above


@pytest.mark.skipif(not LR.exists(), reason=f"shared lr-schedule curves not found at {LR}")
@pytest.mark.parametrize("bootstrap", [0, 20])
def test_the_curves_page_says_its_resamples_or_none(tmp_path: Path, bootstrap: int) -> None:
    out = tmp_path / "r.html"
    # the page's words of its resamples, whatever the law: the Tissue law's fit is the cheap one
    assert main(["report", str(LR), "--curves", "--train", "cosine_24000,constant_24000,"
                 "wsdcon_9", "--warmup", "2160", "--curve-law", "tissue", "--bootstrap",
                 str(bootstrap), "--out", str(out)]) == 0  # fmt: skip
    page = out.read_text(encoding="utf-8")
    if not bootstrap:
        text = _claims_none(page)
        assert "(no band: the fit has no bootstrap)" in text
        assert ["coef", "value"] in _heads(page)
        return
    text = page_text(page)
    assert re.search(r"with the 90% interval \(20 [a-z-]+ resamples\) as a band", text)
    assert re.search(r"\['coef', 'value', '90% interval \(20 [a-z-]+ resamples\): lower', 'upper'\]",
                     str(_heads(page)))  # fmt: skip
