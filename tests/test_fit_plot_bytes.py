"""``fit --plot`` writes the same bytes for the same fit: no ``<dc:date>`` in an SVG, no
``/CreationDate`` in a PDF, and an SVG's clip-path and marker ids salted alike (matplotlib
salts them with a random uuid otherwise), as the report's other figures are written."""

from __future__ import annotations

from pathlib import Path

import pytest
from tests._cli import cli
from tests.test_cli import chinchilla_csv


@pytest.mark.parametrize("suffix", [".svg", ".pdf"])
@pytest.mark.heavy  # 3.6 s in the suite on a 2-core AMD EPYC
def test_two_fit_plots_are_the_same_bytes(
    capsys: pytest.CaptureFixture[str], tmp_path: Path, suffix: str
) -> None:
    runs = chinchilla_csv(tmp_path / "runs.csv")
    files = [tmp_path / f"fit{i}{suffix}" for i in range(2)]
    for file in files:
        code, out, _ = cli(
            capsys, "fit", str(runs), "--law", "chinchilla", "--bootstrap", "5", "--plot", str(file)
        )
        assert code == 0 and f"wrote figure: {file}" in out
    first, second = (f.read_bytes() for f in files)
    assert b"<dc:date>" not in first and b"/CreationDate" not in first
    assert first == second


def test_write_figure_salts_svg_ids(tmp_path: Path) -> None:
    """Two figures built alike, each written alone, are the same SVG bytes (clip paths and
    markers included)."""
    from matplotlib.figure import Figure

    from scalinglab.report._figure import write_figure

    def written(name: str) -> bytes:
        fig = Figure(figsize=(4, 3))
        ax = fig.subplots()
        ax.plot([1.0, 2.0, 3.0], [3.0, 2.5, 2.4], marker="o")
        write_figure(fig, tmp_path / name, dpi=100)
        return (tmp_path / name).read_bytes()

    first = written("a.svg")
    assert b'clip-path="url(#' in first  # ids the salt decides
    assert first == written("b.svg")
