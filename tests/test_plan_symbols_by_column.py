"""A formula whose symbols read params and tokens under other names (``P``, ``T``) gets the
plan table, frontier and figures the N, D spelling gets: they are decided by the columns the
symbols read (:func:`scalinglab.fit._withheld.params_tokens`, as planning decides), where
``fit``, ``report`` and ``plot_fit`` checked for the names ``N`` and ``D`` and gave it no
plan table, no frontier and only an observed-against-fitted panel."""

from __future__ import annotations

import json
import re
import struct
from pathlib import Path

import numpy as np
import pandas as pd
import pytest
from tests._cli import cli

import scalinglab as sl
from scalinglab.cli._fit_plan_rows import plan_rows
from scalinglab.fit import FitResult

_ND = "E + A*N**-a + B*D**-b"
_PT = "E + A*P**-a + B*T**-b"
_X = {"P": "params", "T": "tokens"}
_FIELDS = ("flops", "params", "tokens", "loss", "tokens_per_param")


def _frame() -> pd.DataFrame:
    """12 runs of a Chinchilla-like law at several tokens per parameter (N, D identified)."""
    n = np.geomspace(1e7, 1e9, 12)
    d = n * np.array([5, 40, 10, 80, 20, 5, 40, 10, 80, 20, 5, 40])
    noise = 1 + 0.003 * np.sin(np.arange(12) * 1.7)  # fixed, so the fit is not exact
    loss = (1.7 + 400 * n**-0.34 + 410 * d**-0.28) * noise
    return pd.DataFrame({"run": [f"r{i}" for i in range(12)], "params": n, "tokens": d,
                         "loss": loss})  # fmt: skip


@pytest.fixture(scope="module")
def fits() -> dict[str, FitResult]:
    runs = _frame()
    return {
        "ND": sl.fit(_ND, runs, bootstrap=20, seed=3),
        "PT": sl.fit(_PT, runs, x=_X, bootstrap=20, seed=3),
    }


def _numbers(allocation: object) -> list[float]:
    return [getattr(allocation, f).value for f in _FIELDS[:4]] + [
        getattr(allocation, f).upper for f in ("params", "tokens", "loss")
    ]


def test_fit_plan_table_of_p_and_t_is_the_n_and_d_table(fits: dict[str, FitResult]) -> None:
    tables = {k: plan_rows(r, (1e21, 1e23), asked=False) for k, r in fits.items()}
    assert tables["PT"][1] == tables["ND"][1] == ""
    assert len(tables["PT"][0]) == len(tables["ND"][0]) == 2  # it had none
    for pt, nd in zip(tables["PT"][0], tables["ND"][0], strict=True):
        assert _numbers(pt) == pytest.approx(_numbers(nd), rel=1e-6)


@pytest.mark.heavy  # 2.3 s in the suite on a 2-core AMD EPYC
def test_report_figures_of_p_and_t_are_the_n_and_d_figures(fits: dict[str, FitResult]) -> None:
    pytest.importorskip("matplotlib")
    from scalinglab.report._report_figures import fit_figures

    runs = sl.read_runs(_frame())
    drawn = {k: fit_figures(r, runs, budgets=[1e21]) for k, r in fits.items()}
    assert drawn["PT"][1] == drawn["ND"][1] == []  # no note of a frontier not drawn
    ids = {k: [f.key for f in figures] for k, (figures, _) in drawn.items()}
    assert ids["PT"] == ids["ND"] == ["loss-scaling", "residuals", "frontier"]
    for pt, nd in zip(drawn["PT"][0], drawn["ND"][0], strict=True):
        assert len(pt.figure.axes) == len(nd.figure.axes)
        for a, b in zip(pt.figure.axes, nd.figure.axes, strict=True):
            assert a.get_xlabel().replace("P (", "N (").replace("T (", "D (") == b.get_xlabel()
            for line_pt, line_nd in zip(a.lines, b.lines, strict=True):
                assert line_pt.get_ydata() == pytest.approx(line_nd.get_ydata(), rel=1e-6)
    residuals = drawn["PT"][0][1].figure.axes[0]
    assert residuals.get_xlabel() == "compute C (FLOPs)"  # not the first variable, P
    assert drawn["PT"][0][0].figure.axes[0].get_xlabel() == "params P (params)"


def _png_size(path: Path) -> tuple[int, int]:
    width, height = struct.unpack(">II", path.read_bytes()[16:24])  # the IHDR chunk
    return width, height


@pytest.mark.heavy  # 4.7 s in the suite on a 2-core AMD EPYC
def test_plot_fit_of_p_and_t_draws_the_frontier_panels(
    fits: dict[str, FitResult], tmp_path: Path
) -> None:
    pytest.importorskip("matplotlib")
    from scalinglab.report import plot_fit

    runs = sl.read_runs(_frame())
    sizes = {k: _png_size(plot_fit(r, runs, tmp_path / f"{k}.png")) for k, r in fits.items()}
    # frontier and second panel: 12 x 4.8 inches at 130 dpi, where P, T drew one parity panel,
    # and above them the file's title, a strip of 11 pt x 1.25 + 8 pt = 21.75 pt (39 px)
    assert sizes["PT"] == sizes["ND"] == (1560, 624 + 39)


@pytest.mark.heavy  # 4.6 s in the suite on a 2-core AMD EPYC
def test_cli_fit_and_report_plan_p_and_t_as_n_and_d(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """The P, T page's plan table holds the N, D fit's plan (its ``--json`` rows, in the
    page's columns): the fit's numbers are the oracle, not a second page of N, D."""
    runs = tmp_path / "runs.csv"
    _frame().to_csv(runs, index=False)
    common = ("--bootstrap", "0", "--json")
    spellings = {"ND": ("--law", _ND), "PT": ("--law", _PT, "--x", "P=params", "--x", "T=tokens")}
    rows = {}
    for key, law in spellings.items():
        code, out, err = cli(capsys, "fit", str(runs), *law, *common, "--no-compare")
        assert code == 0, err
        rows[key] = json.loads(out)["plan"]
    plans = {k: [[row[f] for f in _FIELDS] for row in r] for k, r in rows.items()}
    assert len(plans["PT"]) == 4
    assert np.array(plans["PT"]) == pytest.approx(np.array(plans["ND"]), rel=1e-6)
    page = tmp_path / "PT.html"
    report = ("report", str(runs), *spellings["PT"], *common, "--no-validate", "--out", str(page))
    code, out, err = cli(capsys, *report)
    assert code == 0, err
    table = re.search(r"<table class='plan'>.*?</table>", page.read_text(), re.S)
    assert table is not None  # P, T had "no planning table"
    shown = [float(v) for v in re.findall(r"data-value='([^']*)'", table.group(0))]
    columns = ("flops", "params", "tokens", "tokens_per_param", "loss", "distance")
    assert shown == pytest.approx([row[c] for row in rows["ND"] for c in columns], rel=1e-6)
