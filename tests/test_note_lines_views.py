"""Past ten runs kept though they look diverged, one line counts the rest in the terminal
(``data._noted_runs.note_lines``); the notebook views of a fit (and ``str(FitResult)``), a
curve fit, a hyperparameter fit and a chain's task notes say the lines their commands
print, as the Comparison and Backtest views do (tests/test_backtest_repr_html.py)."""

from __future__ import annotations

import dataclasses
from typing import Any

import numpy as np
import pytest
from rich.console import Console
from tests.test_backtest_repr_html import _diverged, _note_lines
from tests.test_curves import SPECS, _synthetic
from tests.test_downstream_chain import MULTS, SIZES, models
from tests.test_report_hparams_page import SEQ_LEN, sweep

from scalinglab import fit, fit_curves, fit_downstream, read_evals, simulated_runs
from scalinglab.cli._fit_views import print_fit
from scalinglab.cli._hparams_views import print_fit as print_hparams_fit
from scalinglab.cli._render import print_notes
from scalinglab.curves import Tissue
from scalinglab.hparams import fit_hparams, read_sweep

NOTES = ("first", *(_diverged(k) for k in range(13)), "warning: a warned note", "last")


def _printed(draw: Any) -> list[str]:
    console = Console(record=True, width=2000)  # wide: no line wraps
    draw(console)
    lines = console.export_text().splitlines()
    return [line for line in lines if line.startswith(("note: ", "warning: "))]


def _collapsed(lines: list[str]) -> None:
    """Ten diverged runs named, one line for the other three, the rest kept in order."""
    assert sum("looks diverged:" in line for line in lines) == 10
    more = lines.index(f"note: {_diverged(9)}") + 1
    assert lines[more].startswith("note: ... and 3 more runs look diverged, kept")
    assert lines[more + 1 : more + 3] == ["warning: a warned note", "note: last"]


def test_a_fit_says_what_scalinglab_fit_prints() -> None:
    result = fit("chinchilla", simulated_runs(), bootstrap=0)
    result = dataclasses.replace(result, notes=NOTES)
    printed = _printed(lambda c: print_fit(c, result))
    _collapsed(printed)
    text = [ln for ln in str(result).splitlines() if ln.startswith(("note: ", "warning: "))]
    assert text == printed
    assert _note_lines(result._repr_html_()) == printed


def test_a_curve_fit_view_says_its_notes_as_printed() -> None:
    truth = {"L0": 2.8, "A": 0.6, "alpha": 0.45, "C": 0.8}
    curves = _synthetic(Tissue(), truth, SPECS, noise=2e-3, seed=3)
    result = dataclasses.replace(fit_curves(curves, law="tissue", bootstrap=0), notes=NOTES)
    shown = _note_lines(result._repr_html_())
    warned = [f"warning: {w}" for w in result.warnings]
    assert shown == warned + _printed(lambda c: print_notes(c, result.notes))
    _collapsed(shown[len(warned) :])


def test_a_hyperparameter_fit_view_says_what_hparams_fit_prints() -> None:
    hp = fit_hparams(read_sweep(sweep(3), seq_len=SEQ_LEN), bootstrap=0)
    hp = dataclasses.replace(hp, notes=NOTES)
    printed = _printed(lambda c: print_hparams_fit(c, hp))
    _collapsed(printed)
    assert _note_lines(hp._repr_html_()) == printed


@pytest.mark.heavy  # 1.8 s in the suite on a 2-core AMD EPYC
def test_a_chains_task_notes_as_downstream_fit_prints_them(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    chain = fit_downstream(read_evals(models(np.random.default_rng(0), SIZES, MULTS)), bootstrap=0)
    monkeypatch.setattr("scalinglab.downstream._html_view.task_notes", lambda _: list(NOTES))
    shown = _note_lines(chain._repr_html_())
    printed = _printed(lambda c: print_notes(c, list(NOTES)))  # `downstream fit`'s print_notes
    assert shown[-len(printed) :] == printed
    _collapsed(shown)
