"""The hyperparameter, downstream and isoFLOP sections count the resamples their intervals
kept (a resample whose fit failed is left out of every interval), as the loss page and the
reproducibility card do, with the number requested where the two differ."""

from __future__ import annotations

from dataclasses import replace
from pathlib import Path

import numpy as np
import pytest
from tests._hparam_sweeps import SEQ_LEN, sweep
from tests._pages import page_text
from tests.test_downstream_chain import MULTS, SIZES, models

from scalinglab.downstream import backtest_downstream, fit_downstream, read_evals
from scalinglab.hparams import fit_hparams, read_sweep
from scalinglab.report._downstream import downstream_sections
from scalinglab.report._hparams_report import write_hparams_report


def _cells_kept(hp: object) -> list[int]:
    return [int(np.isfinite(hp.cells[i].samples).all(axis=1).sum()) for i in hp.used]  # type: ignore[attr-defined]


@pytest.mark.heavy
def test_the_hparams_page_counts_the_resamples_kept(tmp_path: Path) -> None:
    data = read_sweep(sweep(3), seq_len=SEQ_LEN)
    full = fit_hparams(data, bootstrap=20)
    out = tmp_path / "hp.html"
    write_hparams_report(full, data, out, command="c")
    text = page_text(out.read_text(encoding="utf-8"))
    assert min(_cells_kept(full)) == 20  # every resample kept: the number alone, as before
    assert "over 20 resamples (each cell's runs resampled" in text
    assert "with their 90% bands (20 bootstrap resamples), one line" in text
    assert (
        "20 resamples of each cell's runs with replacement (20 kept by the laws' fits; 20 per "
        "cell), each cell's"
    ) in text

    # as a fit whose laws failed on 3 resamples, and one cell's surface on 2, has them
    laws = {
        k: replace(law, samples=law.samples[:17])
        for k in ("lr_law", "batch_law", "loss_law")
        if (law := getattr(full, k)) is not None
    }
    first = full.cells[full.used[0]]
    drawn = first.samples.copy()
    drawn[:2] = np.nan
    cells = list(full.cells)
    cells[full.used[0]] = replace(first, samples=drawn)
    hp = replace(full, cells=tuple(cells), **laws)
    write_hparams_report(hp, data, out, command="c")
    text = page_text(out.read_text(encoding="utf-8"))
    assert "over 20 resamples, 18 to 20 kept per cell (each cell's runs resampled" in text
    assert "over 20 resamples, 17 kept (each law refitted to the cells' optima" in text
    assert "with their 90% bands (20 bootstrap resamples, 17 kept), one line" in text
    # the card names what each count counts, as the tables above it do
    assert (
        "20 resamples of each cell's runs with replacement (17 kept by the laws' fits; 18 to "
        "20 per cell), each cell's"
    ) in text


@pytest.mark.heavy
def test_the_downstream_page_counts_the_resamples_kept() -> None:
    evals = read_evals(models(np.random.default_rng(0), SIZES, MULTS), chance={"task": 0.25})
    chain = fit_downstream(evals, bootstrap=60, seed=0)
    bt = backtest_downstream(evals, bootstrap=20, seed=0)

    def text(c: object, b: object) -> str:
        sections = downstream_sections(c, evals, backtest=b, target=(1e9, 2e10))  # type: ignore[arg-type]
        return page_text("".join(s.body for s in sections))

    def failed(c: object, n: int) -> object:
        samples = c.loss_step.samples.copy()  # type: ignore[attr-defined]
        samples[:n] = np.nan  # rows of resamples whose loss-law fit failed
        return replace(c, loss_step=replace(c.loss_step, samples=samples))  # type: ignore[attr-defined,type-var]

    all_kept = text(chain, bt)
    assert "band over the chain's 60 bootstrap resamples (the law's mean)" in all_kept
    assert (  # the chain's loss law measured its extrapolation error: the interval holds it
        "from the chain's 60 shared bootstrap resamples of the models, with the loss law's "
        "measured extrapolation error." in all_kept
    )
    assert "90% backtest-calibrated interval (60 resamples)" in all_kept
    assert "from the refit chain's 20 bootstrap resamples." in all_kept

    said = text(failed(chain, 3), replace(bt, chain=failed(bt.chain, 2)))
    assert "band over the chain's 60 bootstrap resamples, 57 kept (the law's mean)" in said
    assert "from the chain's 60 shared bootstrap resamples of the models, 57 kept, with" in said
    assert "90% backtest-calibrated interval (60 resamples, 57 kept)" in said
    assert "from the refit chain's 20 bootstrap resamples, 18 kept." in said


@pytest.mark.parametrize(("kept", "said"), [
    ([], "20 resamples"), ([20, 20], "20 resamples"), ([17], "20 resamples, 17 kept"),
    ([18, 20], "20 resamples, 18 to 20 kept per cell"),
])  # fmt: skip
def test_kept_said(kept: list[int], said: str) -> None:
    from scalinglab.report._html_parts import kept_said

    assert kept_said(20, kept, per=" per cell") == said


@pytest.mark.heavy  # 1.1 s in the suite on a 2-core AMD EPYC
def test_the_isoflop_section_counts_the_resamples_kept() -> None:
    from scalinglab import isoflop, simulated_runs
    from scalinglab.report._report_isoflop import isoflop_section

    full = isoflop(simulated_runs(), bootstrap=20, seed=0)
    assert full.params_law.samples is not None and len(full.params_law.samples) == 20
    text = page_text(isoflop_section(full).body)
    assert "(90% intervals, 20 resamples)" in text  # every resample kept: the number alone
    # as a result 3 of whose resamples gave no line through the vertices has it: it said
    # "20 resamples", the number requested
    law = replace(full.params_law, samples=full.params_law.samples[:17])
    text = page_text(isoflop_section(replace(full, params_law=law)).body)
    assert "(90% intervals, 20 resamples, 17 kept)" in text
    assert "with 90% intervals, 20 resamples, 17 kept." in text  # the figure's caption
