"""What a reader saw on the report pages drawn in Chromium (the README's commands): the
downstream page's residual histogram wrote seven ticks (``-0.125 -0.100 ... 0.025``) that
ran into each other, and piqa's dotted chance line (0.5) lay on the panel's frame, where
the accuracy curve falls to chance, hidden."""

from __future__ import annotations

import itertools
from typing import Any

import pytest
from tests.conftest import SHARED

from scalinglab import fit, read_runs

MODELS = SHARED / "overtraining" / "models.dev.csv"


@pytest.fixture(scope="module", autouse=True)
def _shared() -> None:
    if not MODELS.exists():
        pytest.skip("shared over-training data not present")


def _drawn(draw: Any) -> list[Any]:
    """The matplotlib figures ``draw()`` saves (as the page inlines them)."""
    from matplotlib.figure import Figure

    figures: list[Any] = []
    save = Figure.savefig

    def saved(self: Figure, *args: object, **kwargs: object) -> None:
        save(self, *args, **kwargs)
        figures.append(self)

    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(Figure, "savefig", saved)
        draw()
    return figures


def test_residual_histogram_ticks_stand_apart() -> None:
    """The downstream page's loss law (its delta): the histogram, a third of the figure
    wide, labels at most five ticks, none touching its neighbour."""
    from scalinglab.report._figure import svg_markup
    from scalinglab.report._report_figures import _residuals

    runs = read_runs(MODELS, columns={"loss": "loss_c4_val"}).where(dataset="c4_original")
    result = fit("overtraining", runs, bootstrap=0, delta=0.0198692)
    item = _residuals(result, runs)
    (figure,) = _drawn(lambda: svg_markup(item))
    hist = figure.axes[1]
    low, high = hist.get_xlim()
    labels = [
        label
        for label in hist.get_xticklabels()
        if label.get_text() and low <= label.get_position()[0] <= high
    ]
    assert 3 <= len(labels) <= 5, [label.get_text() for label in labels]
    boxes = sorted((label.get_window_extent() for label in labels), key=lambda b: b.x0)
    for a, b in itertools.pairwise(boxes):
        assert b.x0 - a.x1 >= a.height / 2, [label.get_text() for label in labels]


@pytest.mark.heavy  # 3.5 s in the suite on a 2-core AMD EPYC
def test_chance_line_stands_off_the_frame() -> None:
    """piqa's accuracy, and its band, fall to its chance level, 0.5: the dotted line at
    0.5 is drawn inside the panel, not on its lower edge (the axis stopped at 0.49998)."""
    from scalinglab.downstream import fit_downstream, read_evals
    from scalinglab.report._downstream import _figure_section

    evals = read_evals(
        MODELS,
        loss="loss_c4_val",
        chance=MODELS.parent / "eval_metadata.csv",
        where={"dataset": "c4_original"},
    )
    # the band over the resamples reaches chance: the axis stopped there, with no margin
    chain = fit_downstream(evals, tasks="piqa,hellaswag", bootstrap=100)
    (figure,) = _drawn(lambda: _figure_section(chain, evals))
    panels = [ax for ax in figure.axes if ax.get_title()]
    assert [ax.get_title() for ax in panels] == ["piqa", "hellaswag"]
    for ax, chance in zip(panels, (0.5, 0.25), strict=True):
        (line,) = [line for line in ax.get_lines() if line.get_linestyle() == ":"]
        assert line.get_ydata()[0] == chance
        low, high = ax.get_ylim()
        assert chance - low >= 0.04 * (high - low), (ax.get_title(), low, high)


def _cells(html: str) -> list[tuple[str, str]]:
    """Every ``<td>`` of ``html``: its attributes and its text."""
    import re

    return re.findall(r"<td([^>]*)>([^<]*)</td>", html)


def test_hparams_tables_right_align_their_numbers() -> None:
    """The hparams page wrote its numbers left-aligned (its law-choice table alone, as every
    other page's tables, right-aligned them): every cell of a number, an interval or a
    percentage is a ``num`` cell; names, formulas and statuses stay text."""
    import re

    from tests._hparam_sweeps import SEQ_LEN, sweep
    from tests.test_hparams_backtest_max_regret import _backtest

    from scalinglab.hparams import fit_hparams, read_sweep
    from scalinglab.report._hparams_tables import cells_table, laws_table, regret_table

    hp = fit_hparams(read_sweep(sweep(3), seq_len=SEQ_LEN), bootstrap=20)
    number = re.compile(r"[-+\[]*\d[\d.,e%KMB\s\[\]+-]*( \(beyond \w+\))?|—")
    for table in (cells_table(hp), laws_table(hp), regret_table(_backtest())):
        cells = _cells(table)
        assert cells
        for attributes, text in cells:
            numeric = number.fullmatch(text) is not None
            assert numeric == ("class='num'" in attributes), (text, attributes)


def test_printed_numbers_may_wrap_at_an_interval_space() -> None:
    """On paper a number's cell may wrap ("8.96B [2.15B, 20.8B]" at its spaces): the plan
    table, held on one line, was 920 px wide on a 739 px sheet, and the hparams page's
    cells table, its numbers now right-aligned, 803 px, so the browser shrank the whole
    printed page to fit."""
    from tests.test_report_print_breaks import _print_rules

    assert "white-space: normal" in _print_rules()["td.num"]


def test_delta_lines_stand_apart_from_zero() -> None:
    """The fit page's residual plot: ±δ (0.001 on the bundled runs) lay on the zero line, both
    thin lines; now dashed orange over a band, named in a legend beside the zero line."""
    from scalinglab.report._figure import svg_markup
    from scalinglab.report._report_figures import _residuals

    runs = read_runs(MODELS, columns={"loss": "loss_c4_val"}).where(dataset="c4_original")
    result = fit("overtraining", runs, bootstrap=0, delta=0.0198692)
    (figure,) = _drawn(lambda: svg_markup(_residuals(result, runs)))
    left = figure.axes[0]
    zero = [line for line in left.get_lines() if line.get_ydata()[0] == 0.0]
    delta = [line for line in left.get_lines() if abs(line.get_ydata()[0]) == result.delta]
    assert len(zero) == 1 and len(delta) == 2
    for line in delta:
        assert line.get_color() != zero[0].get_color()
        assert line.get_linestyle() != zero[0].get_linestyle()
    legend = left.get_legend()
    assert legend is not None
    assert [t.get_text() for t in legend.get_texts()] == ["zero", "±δ = 0.0198692"]


def test_held_out_runs_listed_farthest_first() -> None:
    """The fit page's held-out runs table (the bundled runs': 3.25e20 above 8.13e19, in no
    order), in one order: ``scalinglab backtest``'s, farthest past the largest fitted first
    (it was the figure's axis, nearest first, against the command's)."""
    import re

    from scalinglab.data._bundled import bundled_runs
    from scalinglab.report._report_validation import backtest_section
    from scalinglab.validate import backtest

    bt = backtest(bundled_runs(), law="chinchilla", bootstrap=0)
    body = backtest_section(bt, level=0.9).body
    rows = re.findall(r"<tr><td>[^<]*</td><td class='num' data-value='([^']+)'>", body)
    scales = [float(v) for v in rows]
    assert len(scales) == len(bt.runs) >= 2
    assert scales == sorted(scales, reverse=True)


def test_hparams_law_written_once() -> None:
    """The hparams page's laws table wrote the law's formula on every coefficient's row."""
    from tests._hparam_sweeps import SEQ_LEN, sweep

    from scalinglab.hparams import fit_hparams, read_sweep
    from scalinglab.report._hparams_tables import laws_table

    hp = fit_hparams(read_sweep(sweep(3), seq_len=SEQ_LEN), bootstrap=20)
    table = laws_table(hp).split("</table>")[0]
    for law in (hp.lr_law, hp.batch_law, hp.loss_law):
        if law is not None:
            assert table.count(escape_html(law.formula)) == 1, law.formula


def escape_html(text: str) -> str:
    from html import escape

    return escape(text, quote=True)
