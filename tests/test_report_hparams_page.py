"""``scalinglab report SWEEP --hparams``: the page says its data (the sweep, its cells, the
sizes and grid), the software versions, and a cell without an interval as ``—`` (as
``hparams fit`` leaves it), never ``nan – nan``."""

from __future__ import annotations

import dataclasses
import html
import math
import re
from pathlib import Path

from tests._hparam_sweeps import SEQ_LEN, sweep

from scalinglab.hparams import fit_hparams, read_sweep
from scalinglab.report._hparams_report import write_hparams_report
from scalinglab.report._html_parts import span


def _text(page: str) -> str:
    page = re.sub(r"<svg.*?</svg>", "", page, flags=re.DOTALL)
    return re.sub(r"\s+", " ", html.unescape(re.sub(r"<[^>]+>", " ", page)))


def test_span_says_no_interval_with_a_dash() -> None:
    assert span(math.nan, math.nan) == "—" and span(1.0, math.nan) == "—"
    assert span(0.00126, 0.00453, lambda v: f"{v:.3g}") == "0.00126 – 0.00453"


def test_hparams_page_says_its_data_versions_and_no_nan(tmp_path: Path) -> None:
    from scalinglab import __version__

    data = read_sweep(sweep(3), seq_len=SEQ_LEN)
    hp = fit_hparams(data, bootstrap=0)
    # one cell without intervals, as a cell whose resamples failed has
    first = dataclasses.replace(
        hp.cells[0], lr_interval=(math.nan, math.nan), batch_interval=(math.nan, math.nan)
    )
    hp = dataclasses.replace(hp, cells=(first, *hp.cells[1:]))
    out = tmp_path / "hp.html"
    write_hparams_report(hp, data, out, command="scalinglab report s.csv --hparams")
    text = _text(out.read_text(encoding="utf-8"))
    assert "nan" not in text.lower().replace("nanoseconds", "")
    row = re.search(rf"{re.escape(first.label())} (\d+) (\d+) (\S+) (\S+) (\S+) (\S+)", text)
    assert row is not None and row[4] == "—" and row[6] == "—", text
    n_runs, cells = len(data.lr), len(data.keys)
    assert f"({n_runs} runs)" in text and f"in {cells} cells of N 100M–800M and D " in text
    assert "batch " in text and " tokens; loss from column 'loss'." in text
    assert "versions Python " in text and f"scalinglab {__version__}" in text
    assert "command scalinglab report s.csv --hparams" in text
    assert text.count("lr* 90% interval") == 1  # the level, as hparams fit titles its table


def test_a_huge_batch_bound_prints_without_a_unit_suffix() -> None:
    # a piped `hparams fit` table printed "[16.6, 1.24e+24T]"
    from scalinglab.cli._hparams_views import _si

    assert _si(1.24e36) == "1.24e+36" and _si(2.5e12) == "2.5T" and _si(65536) == "65.5K"
