"""Follow-ups on digits and views: a fit's notes and warnings quote an interval as its table
writes it, the envelope's few-resamples warning counts the resamples kept, ``hparams fit``'s
lr* column keeps one number of decimals, a fit's text and notebook views show its
allocation exponents, and a saved run table keeps its loss convention."""

from __future__ import annotations

import dataclasses
import html
import json
import math
import re
from typing import Any

import numpy as np
import pytest
from tests._chinchilla_draws import HOFFMANN, isoflop_runs, law_curves
from tests._cli import cli
from tests._hparam_sweeps import SEQ_LEN, sweep

import scalinglab as sl
from scalinglab._cells import estimate_parts
from scalinglab.fit._diagnostics import outside_interval
from scalinglab.hparams import fit_hparams, read_sweep
from scalinglab.hparams._rows import cells_table
from scalinglab.validate import _envelope
from scalinglab.validate._saved_parts import table_from, table_state


def _cells(out: str) -> dict[str, str]:
    """The interval cell of each row of ``fit``'s coefficient table, by coefficient."""
    rows = re.findall(r"^│ (\w+)\s*│\s*\S+ │\s*(\[[^\]]*\]) │$", out, flags=re.M)
    return dict(rows)


def test_fit_s_edge_note_quotes_the_interval_as_its_table_writes_it(
    capsys: pytest.CaptureFixture[str],
) -> None:
    # the README's tour: E 1.1366 [0.0582, 1.6949] in the table, [0.0582, 1.69] in the note
    code, out, err = cli(capsys, "fit")
    assert code == 0, err
    cells = _cells(out)
    assert set(cells) == {"E", "A", "B", "alpha", "beta"}
    notes = [line for line in out.splitlines() if " is at the edge of identified: " in line]
    assert notes, out
    for line in notes:
        name = line.removeprefix("note: ").split(" ", 1)[0]
        assert f"interval {cells[name]} spans " in line, (line, cells[name])


def test_a_fit_s_warnings_quote_the_interval_as_its_table_writes_it() -> None:
    # 16 runs of two sizes: A's interval spans ~33 decades, warned of; the line's ends are
    # the table's (to A's decimals), not three figures (28.1 decades while the bootstrap
    # screened its starts: resamples that stopped short of their optimum, fit/_bootstrap.py)
    result = sl.fit("chinchilla", sl.bundled_runs().where("params<1e8"))
    band = estimate_parts(result.coefs["A"], *result.intervals["A"])[1]
    said = [w for w in result.warnings if w.startswith("A is not identified")]
    # the span is the interval's own (about 33 decades; its last digit moves with the build:
    # AVX-512, AVX2 and NumPy solvers end the resamples' fits a hair apart)
    lo, hi = result.intervals["A"]
    decades = math.log10(hi / lo)
    assert 30 < decades < 37
    assert said == [f"A is not identified: its interval {band} spans {decades:.1f} decades"]


def test_an_estimate_outside_its_interval_is_written_as_the_table_writes_it() -> None:
    # beta 1.9966 beside [2.0000, 2.2238] in the table; the warning wrote [2, 2.2238]
    line = outside_interval("beta", 1.99661, (2.0, 2.22381))
    shown, band = estimate_parts(1.99661, 2.0, 2.22381)
    assert band == "[2.0000, 2.2238]"
    assert line is not None and line.startswith(
        f"beta = {shown} lies outside its own interval {band}:"
    )


def test_the_envelope_warns_of_few_resamples_by_the_ones_kept(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    # half of 30 resamples reach no budget (no line): 15 kept, under the 20 a 90% interval's
    # ends need; the warning counted the 30 asked, and was not given
    drawn = _envelope.resampled

    def half_blank(*args: Any, **kwargs: Any) -> np.ndarray:
        rows = drawn(*args, **kwargs).copy()
        rows[::2] = np.nan
        return rows

    monkeypatch.setattr(_envelope, "resampled", half_blank)
    env = sl.envelope(law_curves(HOFFMANN), bootstrap=30)  # 25 sizes: every resample a line
    assert env.params_law.samples is not None and len(env.params_law.samples) == 15
    assert any(w.startswith("intervals from 15 resamples only") for w in env.warnings), env.warnings


def test_hparams_fit_s_lr_column_keeps_its_decimals() -> None:
    # the terminal's cells table wrote 0.001 beside 0.00215 (the report's page: 0.00100)
    hp = fit_hparams(read_sweep(sweep(3), seq_len=SEQ_LEN), bootstrap=0)
    rates = (0.001, 0.00215) * len(hp.cells)
    cells = tuple(dataclasses.replace(c, lr=v) for c, v in zip(hp.cells, rates, strict=False))
    table = cells_table(dataclasses.replace(hp, cells=cells))
    at = [c.header for c in table.columns].index("lr*")
    shown = [row[at].text.strip() for row in table.rows]
    assert shown[:2] == ["0.00100", "0.00215"], shown


def test_a_fit_s_text_and_notebook_views_show_its_allocation_exponents() -> None:
    result = sl.fit("chinchilla", sl.bundled_runs())
    exponents = result.allocation_exponents
    assert exponents is not None
    line = str(exponents)  # the line `scalinglab fit` prints under its plan
    assert line.startswith("allocation exponents: N* ∝ C^a, a = beta/(alpha+beta) = ")
    assert str(result).splitlines()[-1] == line
    assert html.escape(line) in result._repr_html_()
    # a law without the closed form has none to show
    bare = sl.fit("power-law-plus-constant:params", sl.bundled_runs(), bootstrap=0)
    assert bare.allocation_exponents is None
    assert "allocation exponents" not in str(bare) + bare._repr_html_()


def test_a_saved_run_table_keeps_its_loss_convention() -> None:
    # a store's runs read from a tracker's metric say so; a saved backtest's split dropped it
    said = "eval/loss, ingested from a W&B export"
    table = dataclasses.replace(sl.read_runs(isoflop_runs()), loss_convention=said)
    state = json.loads(json.dumps(table_state(table)))
    assert table_from(state).loss_convention == said
    del state["loss_convention"]  # a file saved before: not known, as a table read without one
    assert table_from(state).loss_convention == ""
