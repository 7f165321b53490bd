"""``scalinglab report SWEEP --hparams``: the page says its data (the sweep, its cells, the
sizes and grid), the software versions, and a cell without an interval as ``—`` (as
``hparams fit`` leaves it), never ``nan – nan`` (a fit without intervals has no interval
columns: tests/test_report_no_resamples.py)."""

from __future__ import annotations

import dataclasses
import math
import re
from pathlib import Path

import pytest
from tests._hparam_sweeps import SEQ_LEN, sweep
from tests._pages import page_text
from tests.conftest import SHARED

from scalinglab.hparams import fit_hparams, read_sweep
from scalinglab.report._hparams_report import write_hparams_report
from scalinglab.report._html_parts import span

STEPLAW = SHARED / "steplaw" / "dense_lr_bs_loss.dev.csv"


def test_span_says_no_interval_with_a_dash() -> None:
    assert span(math.nan, math.nan) == "—" and span(1.0, math.nan) == "—"
    # an interval as the command line writes it, [a, b] (it was "0.00126 – 0.00453")
    assert span(0.00126, 0.00453, lambda v: f"{v:.3g}") == "[0.00126, 0.00453]"


@pytest.mark.heavy  # 7.0 s in the suite on a 2-core AMD EPYC
def test_hparams_page_says_its_data_versions_and_no_nan(tmp_path: Path) -> None:
    from scalinglab import __version__

    data = read_sweep(sweep(3), seq_len=SEQ_LEN)
    hp = fit_hparams(data, bootstrap=20)  # intervals: at --bootstrap 0 no interval columns
    # one cell without intervals, as a cell whose resamples failed has
    first = dataclasses.replace(
        hp.cells[0], lr_interval=(math.nan, math.nan), batch_interval=(math.nan, math.nan)
    )
    hp = dataclasses.replace(hp, cells=(first, *hp.cells[1:]))
    out = tmp_path / "hp.html"
    write_hparams_report(hp, data, out, command="scalinglab report s.csv --hparams")
    text = page_text(out.read_text(encoding="utf-8"))
    assert "nan" not in text.lower().replace("nanoseconds", "")
    row = re.search(rf"{re.escape(first.label())} (\d+) (\d+) (\S+) (\S+) (\S+) (\S+)", text)
    assert row is not None and row[4] == "—" and row[6] == "—", text
    n_runs, cells = len(data.lr), len(data.keys)
    assert f"({n_runs} runs)" in text and f"in {cells} cells of N 100M–800M and D " in text
    assert "batch " in text and " tokens; loss from column 'loss'." in text
    assert "versions Python " in text and f"scalinglab {__version__}" in text
    assert "command scalinglab report s.csv --hparams" in text
    assert text.count("lr* 90% bootstrap interval") == 1  # its level and kind
    assert "Intervals: 90% bootstrap percentile intervals over 20 resamples (each cell" in text
    assert "bootstrap 20 resamples of each cell's runs with replacement" in text  # the card


def test_a_huge_batch_bound_prints_without_a_unit_suffix() -> None:
    # a piped `hparams fit` table printed "[16.6, 1.24e+24T]"
    from scalinglab._hparams_numbers import si as _si

    # as the page prints a count: no suffix from 1e15 on, 999.7M rounds up to 1B
    assert _si(1.24e24) == "1.24e24" and _si(2.5e12) == "2.5T" and _si(65536) == "65.5K"
    # a missing count as every table writes it: "—" (it was "-")
    assert _si(999.7e6) == "1B" and _si(float("nan")) == "—"


@pytest.mark.skipif(not STEPLAW.exists(), reason=f"{STEPLAW} not found")
def _cells_column(table: list[str], at: int) -> list[list[str]]:
    """Each body row's words in column ``at`` of a Rich table's lines, its wrapped lines
    joined (a row starts where the first column is not blank)."""
    rows: list[list[str]] = []
    for line in table:
        if not line.startswith("│"):
            continue
        cells = [c.strip() for c in line.strip("│").split("│")]
        if cells[0]:
            rows.append([])
        if rows and cells[at]:
            rows[-1].append(cells[at])
    return rows


def test_a_piped_hparams_fit_table_is_whole(
    capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    # piped, stdout is 120 columns: the cells table cut "flagged (see note…" and "1.43…";
    # now the status wraps at its spaces (lr* and its interval never do) and nothing is cut
    from scalinglab.cli import main

    monkeypatch.delenv("COLUMNS", raising=False)
    assert main(["hparams", "fit", str(STEPLAW), "--bootstrap", "20"]) == 0
    out = capsys.readouterr().out
    table = [line for line in out.splitlines() if line[:1] in "┏┃┡│└"]  # notes soft-wrap
    assert "…" not in out and max(len(line) for line in table) <= 120
    statuses = [" ".join(r) for r in _cells_column(table, -1)]
    assert statuses.count("flagged (see notes)") == 4 and "1.36M [1.27M, 1.43M]" in out


@pytest.mark.heavy
def test_hparams_page_says_its_intervals_resamples_and_variables(tmp_path: Path) -> None:
    from scalinglab.cli import main

    frame = sweep(3)
    frame["flops"] = 6.0 * frame["params"] * frame["tokens"]
    csv = tmp_path / "s.csv"
    frame.rename(columns={"params": "params_non_embedding"}).to_csv(csv, index=False)
    out = tmp_path / "hp.html"
    argv = ["report", str(csv), "--hparams", "--bootstrap", "30", "--out", str(out)]
    argv += ["--map", "params=params_non_embedding"]
    assert main([*argv, "--seq-len", str(SEQ_LEN), "--title", "My sweep"]) == 0
    text = page_text(out.read_text(encoding="utf-8"))
    # each interval column says its level and kind; beside each table, the resamples
    assert "lr* 90% bootstrap interval" in text and "coef value 90% bootstrap interval" in text
    assert text.count("90% bootstrap percentile intervals over 30 resamples") == 2
    assert "with their 90% bands (30 bootstrap resamples)" in text  # the laws' figure
    # the laws' variables: which N (the fit's params_convention), and C where a law uses it
    columns = {"params": "params_non_embedding"}
    hp = fit_hparams(read_sweep(csv, seq_len=SEQ_LEN, columns=columns), bootstrap=0)
    assert hp.params_convention.startswith("non-embedding parameters")
    assert f"Variables: N: {hp.params_convention}; D: training tokens of the cell" in text
    # the card: the resamples, and a command that remakes the page (title and seq-len too)
    assert "bootstrap 30 resamples of each cell's runs with replacement" in text
    assert "--bootstrap 30 --level 0.9 --seed 0 --holdout top-scales:1" in text
    assert f"--seq-len {SEQ_LEN} --title 'My sweep' --map params=params_non_embedding" in text


def test_variables_line_defines_c_for_a_law_of_c(tmp_path: Path) -> None:
    from scalinglab.report._hparams_tables import variables_line

    data = read_sweep(sweep(3), seq_len=SEQ_LEN)
    hp = fit_hparams(data, bootstrap=0)
    law = dataclasses.replace(hp.lr_law, formula="A * C**alpha")
    line = page_text(variables_line(dataclasses.replace(hp, lr_law=law), data))
    assert "C: training FLOPs of the cell: C = 6·N·D, computed from params and tokens" in line
