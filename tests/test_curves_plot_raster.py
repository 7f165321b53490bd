"""A figure of many long loss curves draws its lines (and dots and bands) as one embedded
image, axes and text still vector, so 50 curves of 5,000 steps make a figure of a few hundred
kB, not megabytes of ``<path>``; a figure of a few short curves stays all vector. The same
for the envelope plot's training curves."""

from __future__ import annotations

import warnings
from pathlib import Path

import numpy as np
import pytest

from scalinglab import fit_curves, parse_schedule
from scalinglab.curves import Curve
from scalinglab.curves._plot import plot_curves
from scalinglab.report._raster import RASTER_POINTS, rasterize_dense


def _curves(n: int, steps: int, *, seed: int = 0) -> list[Curve]:
    """``n`` cosine curves of ``steps`` logged steps each, peak lr spread over 1e-4 to 1e-3,
    a power law in step with 0.3% noise."""
    rng = np.random.default_rng(seed)
    out = []
    for i, peak in enumerate(np.geomspace(1e-4, 1e-3, n)):
        schedule = parse_schedule(
            f"cosine:peak={peak:.3g},end={peak / 10:.3g},warmup=100,steps={steps + 100}"
        )
        step = np.arange(100, steps + 100)
        loss = (2.5 + 8.0 * step**-0.3) * np.exp(0.003 * rng.standard_normal(steps))
        out.append(Curve(f"run{i}", step, loss, schedule))
    return out


@pytest.fixture(scope="module")
def fitted() -> object:
    return fit_curves(_curves(3, 400), law="tissue", bootstrap=0)


@pytest.mark.heavy  # 1.0 s in the suite on a 2-core AMD EPYC
def test_50_curves_of_5000_steps_are_one_image_and_small(fitted: object, tmp_path: Path) -> None:
    curves = _curves(50, 5000, seed=1)
    path = tmp_path / "curves.svg"
    with warnings.catch_warnings():  # a legend of 50 names collapsed the layout (a warning)
        warnings.simplefilter("error")
        plot_curves(fitted, curves, path, held_out=["run3", "run7"])  # type: ignore[arg-type]
    svg = path.read_text(encoding="utf-8")
    assert "50 curves: too many to name here" in svg  # the one line in place of 50 names
    assert svg.count("<image") == 2  # one per panel: not one per curve
    assert "data:image/png;base64," in svg
    # drawn vector (750,000 dots and vertices) it was 63 MB
    assert len(svg) < 1_000_000, len(svg)  # 0.35 MB
    assert "<text" in svg or "<use" in svg  # the labels still vector (glyphs)


def test_a_few_short_curves_stay_vector(fitted: object, tmp_path: Path) -> None:
    path = tmp_path / "curves.svg"
    # 3 x 150 dots, lines and residual dots, and a band of 300 vertices: 1,650 points
    plot_curves(fitted, _curves(3, 150), path, held_out=["run2"])  # type: ignore[arg-type]
    assert "<image" not in path.read_text(encoding="utf-8")


def test_lines_count_with_markers_only_when_asked() -> None:
    from matplotlib.figure import Figure

    fig = Figure()
    ax = fig.subplots()
    x = np.arange(RASTER_POINTS // 2)
    ax.plot(x, x)  # a line of 1,000 points
    ax.fill_between(x[:2], [0, 0], [1, 1])  # a band of a few vertices
    ax.plot(x[:500], x[:500], ".")  # 500 dots
    assert not rasterize_dense(fig, lines=True)  # 1,500 + the band's few: vector
    ax.plot(x, x + 1)  # another 1,000
    assert not rasterize_dense(fig)  # markers alone: 500
    assert rasterize_dense(fig, lines=True)
    assert all(a.get_rasterized() for a in (*ax.lines, *ax.collections))


def _sweep(sizes: int, points: int) -> object:
    """``sizes`` curves of ``points`` from 5e5 to 1e10 tokens under a Chinchilla law, with
    0.5% noise (as ``tests.test_envelope_edge.sweep``, of any length)."""
    import pandas as pd

    rng = np.random.default_rng(0)
    d = np.geomspace(5e5, 1e10, points)
    frames = []
    for i, n in enumerate(np.geomspace(1e7, 1e9, sizes)):
        loss = (1.7 + 400.0 * n**-0.34 + 410.0 * d**-0.28) * (
            1 + 0.005 * rng.standard_normal(points)
        )
        frames.append(pd.DataFrame({"run": f"m{i}", "params": n, "tokens": d, "loss": loss}))
    return pd.concat(frames, ignore_index=True)


@pytest.mark.heavy
def test_the_envelope_plot_of_many_long_curves_draws_them_as_an_image(tmp_path: Path) -> None:
    from scalinglab import envelope
    from scalinglab.data import read_curves
    from scalinglab.report import plot_envelope

    def drawn(frame: object, name: str) -> str:
        result = envelope(frame, bootstrap=0)
        path = plot_envelope(result, read_curves(frame), tmp_path / name)
        return path.read_text(encoding="utf-8")

    many = drawn(_sweep(40, 5000), "many.svg")  # 200,000 vertices: 3.4 MB drawn vector
    assert many.count("<image") > 1 and len(many) < 600_000, len(many)  # 0.28 MB
    few = drawn(_sweep(5, 200), "few.svg")  # 1,000 vertices and the fitted lines: vector
    assert few.count("<image") == 1  # the colour bar's gradient only
