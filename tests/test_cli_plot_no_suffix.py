"""``--plot`` named without a figure's suffix says the name it cannot tell the format of
(not "a name without a suffix", quoted as if it were the file) and that ``--format`` names
the format, as well as the suffixes; a command without ``--format`` names the suffixes."""

from __future__ import annotations

from pathlib import Path

import pytest
from tests._cli import cli


def _runs(tmp_path: Path) -> Path:
    rows = [
        f"r{i},{1e7 * 2 ** (i % 4):g},{1e9 * 2 ** (i // 4):g},"
        f"{1.9 + 500 * (1e7 * 2 ** (i % 4)) ** -0.35 + 1500 * (1e9 * 2 ** (i // 4)) ** -0.3:.5f}"
        for i in range(12)
    ]
    path = tmp_path / "runs.csv"
    path.write_text("run,params,tokens,loss\n" + "\n".join(rows) + "\n")
    return path


@pytest.mark.heavy  # 2.1 s in the suite on a 2-core AMD EPYC
def test_a_plot_without_a_suffix_says_its_name_and_format(
    capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    runs = _runs(tmp_path)
    figure = tmp_path / "myfig"
    code, out, err = cli(capsys, "fit", str(runs), "--plot", str(figure))
    assert code == 2 and out == ""
    assert err.splitlines() == [
        f"error: --plot {str(figure)!r}: cannot tell the format of 'myfig' (no suffix)",
        "hint: end the name with one of .png, .svg, .pdf, or add --format png|svg|pdf",
    ]
    # the hint's --format works: myfig.png
    args = ["fit", str(runs), "--bootstrap", "0", "--plot", str(figure), "--format", "png"]
    code, _, err = cli(capsys, *args)
    assert code == 0, err
    assert (tmp_path / "myfig.png").stat().st_size > 0


def test_another_suffix_is_named(capsys: pytest.CaptureFixture[str], tmp_path: Path) -> None:
    runs = _runs(tmp_path)
    code, _, err = cli(capsys, "backtest", str(runs), "--plot", str(tmp_path / "bt.gif"))
    assert code == 2
    assert err.splitlines()[0].endswith(": cannot tell the format from '.gif'")
    assert err.splitlines()[1] == (
        "hint: end the name with one of .png, .svg, .pdf, or add --format png|svg|pdf"
    )


def test_an_output_without_format_option_names_the_suffixes(
    capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    runs = _runs(tmp_path)
    page = tmp_path / "page"
    code, _, err = cli(capsys, "report", str(runs), "--out", str(page))
    assert code == 2
    assert err.splitlines() == [
        f"error: --out {str(page)!r}: cannot tell the format of 'page' (no suffix): report "
        "writes an HTML page (.html or .htm)",
        "hint: name the page page.html; a figure alone: `scalinglab fit RUNS --plot fit.png` "
        "(.png, .svg or .pdf)",
    ]
