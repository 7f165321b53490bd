"""Report follow-ups: ``report --out r.png`` says report writes an HTML page and which
command writes a figure; every output option makes a missing folder on its way, as
``report --figures DIR`` makes its own; the page's print style sheet narrows the wide
tables (:mod:`tests.test_report_browser` checks the printed width); ``curves compare``
groups its step count's digits (24,000)."""

from __future__ import annotations

from pathlib import Path

import pytest
from tests._cli import cli
from tests.test_cli_curves_compare import fit_file  # noqa: F401 (a fixture)
from tests.test_cli_plot_no_suffix import _runs

from scalinglab.report._html_style import STYLE


def test_report_out_named_as_a_figure_says_what_report_writes(
    capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    page = tmp_path / "r.png"
    code, out, err = cli(capsys, "report", str(_runs(tmp_path)), "--out", str(page))
    assert (code, out) == (2, "")
    assert err.splitlines() == [
        f"error: --out {str(page)!r}: report writes an HTML page (.html or .htm), not a png figure",
        "hint: name the page r.html (--figures DIR --format png writes its figures as files "
        "too); a figure alone: `scalinglab fit RUNS --plot r.png`",
    ]
    assert not page.exists()


def test_report_out_of_another_suffix_names_the_page_suffixes(
    capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    page = tmp_path / "r.txt"
    code, _, err = cli(capsys, "report", str(_runs(tmp_path)), "--out", str(page))
    assert code == 2
    assert err.splitlines()[0] == (
        f"error: --out {str(page)!r}: cannot tell the format from '.txt': report writes an "
        "HTML page (.html or .htm)"
    )


@pytest.mark.parametrize(
    "args",
    [
        ["report", "{runs}", "--bootstrap", "0", "--no-validate", "--out", "{tmp}/a/b/r.html"],
        ["report", "{runs}", "--bootstrap", "0", "--no-validate", "--out", "{tmp}/r.html",
         "--figures", "{tmp}/a/b/figs"],
        ["fit", "{runs}", "--bootstrap", "0", "--out", "{tmp}/a/b/fit.json"],
        ["fit", "{runs}", "--bootstrap", "0", "--plot", "{tmp}/a/b/fit.svg"],
        ["backtest", "{runs}", "--law", "E + A*N**-alpha", "--holdout", "largest:3",
         "--no-rolling", "--out", "{tmp}/a/b/bt.json"],
    ],
)  # fmt: skip
@pytest.mark.heavy  # 7.3 s in the suite on a 2-core AMD EPYC
def test_every_output_makes_a_missing_folder(
    capsys: pytest.CaptureFixture[str], tmp_path: Path, args: list[str]
) -> None:
    """Before: ``--out sub/r.html`` refused a missing folder (``does not exist``) while
    ``--figures DIR`` made its own."""
    runs = _runs(tmp_path)
    argv = [a.replace("{runs}", str(runs)).replace("{tmp}", str(tmp_path)) for a in args]
    code, _, err = cli(capsys, *argv)
    assert code == 0, err
    written = Path(next(a for a in argv if "/a/b/" in a))
    assert written.exists() and written.parent == tmp_path / "a" / "b"


def test_a_file_on_the_way_is_refused_before_any_work(
    capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    runs = _runs(tmp_path)
    code, out, err = cli(capsys, "fit", str(runs), "--out", str(runs / "fit.json"))
    assert (code, out) == (2, "")
    assert err.startswith(
        f"error: --out {str(runs / 'fit.json')!r}: cannot create the folder {str(runs)!r}"
    )


def test_the_print_style_narrows_the_tables() -> None:
    """In print a table's text is smaller and may wrap anywhere (a long run name), so the
    data table fits the sheet rather than the page shrinking to fit it."""
    printed = STYLE[STYLE.index("@media print") :]
    assert "table { font-size: 0.8em; }" in printed
    assert "th, td { padding: 3px 6px; overflow-wrap: anywhere; }" in printed


def test_curves_compare_groups_the_step_count(
    capsys: pytest.CaptureFixture[str],
    fit_file: str,  # noqa: F811
) -> None:
    code, out, _ = cli(
        capsys, "curves", "compare", "--fit", fit_file, "--steps", "24000", "--schedules", "linear"
    )
    assert code == 0
    assert "tissue: final loss after 24,000 steps" in out
    assert "note: each schedule over 24,000 steps, with the fit's" in " ".join(out.split())


def test_format_column_keeps_a_columns_decimals() -> None:
    from scalinglab._format import format_column  # new: imported here, so main collects

    assert format_column([1.79, 2.0, 3.59, 7.17]) == ["1.79", "2.00", "3.59", "7.17"]
    # never more figures than asked: the plan's tokens/param column as the README shows it
    assert format_column([2.08, 1.45, 1.01, 0.703]) == ["2.08", "1.45", "1.01", "0.703"]
    assert format_column([20.0, 30.0]) == ["20", "30"]
    assert format_column([20.04, 7.5]) == ["20.0", "7.5"]
    assert format_column([123456.0, 2.0, 1.5]) == ["1.23e5", "2.0", "1.5"]


@pytest.mark.heavy  # 4.3 s in the suite on a 2-core AMD EPYC
def test_the_held_out_distances_share_their_decimals(tmp_path: Path) -> None:
    """The backtest's distance column read 1.79, 2, 3.59, 7.17 on the page and the CLI's
    held-out table alike (a value at a time, by format_g)."""
    import re

    from scalinglab import backtest, fit
    from scalinglab.data import default_runs
    from scalinglab.report import write_report
    from scalinglab.validate._rows import held_out_rows

    runs = default_runs()
    page = write_report(fit("chinchilla", runs, bootstrap=0), runs, tmp_path / "r.html")
    table = page.read_text(encoding="utf-8").split("<table class='backtest'>")[1]
    cells = [re.findall(r"<td class='num'[^>]*>([^<]*)</td>", row)[1] for row in
             table.split("</table>")[0].split("<tr>")[2:]]  # fmt: skip
    assert "2.00" in cells and len({len(c.partition(".")[2]) for c in cells}) == 1, cells
    bt = backtest(runs, law="chinchilla", holdout="largest:4", bootstrap=0)
    shown = [r[2].text for r in held_out_rows(bt, bt.runs).rows]
    assert len({len(c.partition(".")[2]) for c in shown}) == 1, shown
