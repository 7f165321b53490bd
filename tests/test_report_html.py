"""The HTML report: its sections, numbers that match the fit and closed forms, escaping of
everything the user wrote, and nothing loaded from outside the file."""

from __future__ import annotations

import html
import re
from pathlib import Path

import numpy as np
import pandas as pd
import pytest
from tests.conftest import isoflop_runs

import scalinglab
from scalinglab import ConfigError, FitResult, RunTable
from scalinglab.report import Section, render_report, write_report
from scalinglab.report._figure import save_figure
from scalinglab.report._html import MAX_TABLE_ROWS
from scalinglab.report._report_figures import fit_figures

EVIL = "<script>alert('x')</script> & \"q\""


def _frame(seed: int = 3) -> pd.DataFrame:
    """30 IsoFLOP runs from the Chinchilla law with TRUTH and 1% noise; one run has a hostile
    name and a label column carries markup."""
    runs = isoflop_runs(seed=seed).drop(columns="flops")
    runs.insert(0, "run", [f"r{i}" for i in range(len(runs))])
    runs["optimizer"] = "<b>adamw</b>"
    runs.loc[4, "run"] = EVIL
    return runs


@pytest.fixture(scope="module")
def runs() -> RunTable:
    return scalinglab.read_runs(_frame())


@pytest.fixture(scope="module")
def result(runs: RunTable) -> FitResult:
    return scalinglab.fit("chinchilla", runs, bootstrap=30, seed=1)


@pytest.fixture(scope="module")
def one_variable(runs: RunTable) -> FitResult:
    return scalinglab.fit("power-law-plus-constant", runs, bootstrap=10)


@pytest.fixture(scope="module")
def page(result: FitResult, runs: RunTable) -> str:
    return render_report(result, runs, budgets=[1e21, 1e23], title="T <i>itle</i>")


def _param_cells(page: str, end: str = "") -> dict[str, float]:
    """``data-value`` of the parameter cells: the value (``end=""``) or an interval end."""
    out = {}
    for tag in re.findall(r"<td [^>]*data-param=[^>]*>", page):
        found = dict(re.findall(r"data-([a-z]+)='([^']*)'", tag))
        if found.get("end", "") == end:
            out[html.unescape(found["param"])] = float(found["value"])
    return out


def test_sections_in_order(page: str) -> None:
    ids = re.findall(r"<section id='([a-z-]+)'>", page)
    assert ids == ["fit", "figures", "plan", "backtest", "isoflop", "data", "card"]
    figures = re.findall(r"<figure id='fig-([a-z-]+)'>", page)
    assert figures == ["loss-scaling", "residuals", "frontier", "backtest", "isoflop"]
    assert page.count("<svg ") == 5
    assert page.startswith("<!DOCTYPE html>") and page.rstrip().endswith("</html>")


def test_parameters_and_intervals_are_the_fit(page: str, result: FitResult) -> None:
    assert _param_cells(page) == dict(result.coefs)  # exact: repr() round-trips a float
    lower, upper = _param_cells(page, "lower"), _param_cells(page, "upper")
    assert set(lower) == set(upper) == set(result.coefs)
    for name, (lo, hi) in result.intervals.items():
        assert lower[name] == lo and upper[name] == hi
        assert lo <= result.coefs[name] <= hi
    shown = re.findall(r"<td class='num' data-value='[^']*' data-param='alpha'>([^<]*)</td>", page)
    # 5 figures, as `scalinglab fit`'s table writes a coefficient (it wrote 4: 0.4259)
    assert 1e-3 <= result.coefs["alpha"] < 1e5  # fixed-point: Python's .5g is the reference
    assert shown == [f"{result.coefs['alpha']:.5g}"]


def test_plan_table_matches_the_closed_form(page: str, result: FitResult) -> None:
    """N* = G·(C/6)^(β/(α+β)), G = (αA/(βB))^(1/(α+β)) (Hoffmann et al. 2022, eq. 4)."""
    p = result.coefs
    a, b = p["alpha"], p["beta"]
    G = (a * p["A"] / (b * p["B"])) ** (1 / (a + b))
    plan = page[
        page.index("<table class='plan'>") : page.index("</table>", page.index("class='plan'"))
    ]
    rows = re.findall(r"<tr>(.*?)</tr>", plan)[1:]
    assert len(rows) == 2
    from scalinglab.plan import optimal_allocation

    for row, C in zip(rows, (1e21, 1e23), strict=True):
        values = [float(v) for v in re.findall(r"data-value='([^']*)'", row)]
        flops, n_opt, d_opt, ratio, loss, distance = values
        assert flops == C
        assert distance == pytest.approx(optimal_allocation(result, flops=C).distance)
        assert n_opt == pytest.approx(G * (C / 6) ** (b / (a + b)), rel=1e-9)
        assert d_opt == pytest.approx(C / (6 * n_opt), rel=1e-9)
        assert ratio == pytest.approx(d_opt / n_opt, rel=1e-9)
        assert loss == pytest.approx(p["E"] + p["A"] / n_opt**a + p["B"] / d_opt**b, rel=1e-9)


def test_data_table_has_every_run_with_fit_and_residual(
    page: str, result: FitResult, runs: RunTable
) -> None:
    data = page[page.index("<table class='data'>") :]
    data = data[: data.index("</table>")]
    rows = re.findall(r"<tr>(.*?)</tr>", data)[1:]
    assert len(rows) == len(runs) == 30
    residuals = [float(re.findall(r"data-value='([^']*)'", r)[-1]) for r in rows]
    np.testing.assert_array_equal(residuals, result.residuals)
    # fitted loss at the first run, from the law by hand
    p, (N, D) = result.coefs, (runs["params"][0], runs["tokens"][0])
    fitted = float(re.findall(r"data-value='([^']*)'", rows[0])[-2])
    assert fitted == pytest.approx(p["E"] + p["A"] * N ** -p["alpha"] + p["B"] * D ** -p["beta"])


def test_user_strings_are_escaped(page: str) -> None:
    assert "<script" not in page  # the hostile run name, and no script of our own
    assert html.escape(EVIL, quote=True) in page
    assert "<b>adamw</b>" not in page and "&lt;b&gt;adamw&lt;/b&gt;" in page
    assert "<i>itle</i>" not in page and "T &lt;i&gt;itle&lt;/i&gt;" in page


def test_formula_column_and_source_are_escaped(tmp_path: Path) -> None:
    frame = _frame().rename(columns={"params": "n<p>&"})
    source = tmp_path / "runs <v1>.csv"
    frame.to_csv(source, index=False)
    table = scalinglab.read_runs(source)
    result = scalinglab.fit("E + A*N**-alpha", table, x={"N": "n<p>&"}, bootstrap=0)
    page = render_report(result, table, validate=False)
    assert "n<p>&" not in page and "n&lt;p&gt;&amp;" in page
    assert "runs <v1>.csv" not in page and "runs &lt;v1&gt;.csv" in page
    assert "E + A * N**(-alpha)" in page or "E + A*N**-alpha" in html.unescape(page)


def test_nothing_is_loaded_from_outside(page: str) -> None:
    assert not re.search(
        r"<(script|iframe|object|embed|img|link(?! rel='icon' href='data:,'))", page
    )
    assert "@import" not in page
    assert re.findall(r"url\(([^)]*)\)", page) and all(
        u.startswith("#") for u in re.findall(r"url\(([^)]*)\)", page)
    )  # clip paths, by id
    for attr, value in re.findall(r"\b((?:xlink:)?href|src)=['\"]([^'\"]*)['\"]", page):
        assert value.startswith(("#", "data:")), (attr, value)
    # namespace names are the only URLs left, and they are never fetched
    assert set(re.findall(r"https?://[^\s'\"<>]+", page)) <= {
        "http://www.w3.org/2000/svg",
        "http://www.w3.org/1999/xlink",
    }


def test_element_ids_are_unique(page: str) -> None:
    ids = re.findall(r"\bid=['\"]([^'\"]+)['\"]", page)
    assert len(ids) > 20
    assert len(ids) == len(set(ids))


@pytest.mark.heavy
def test_same_fit_same_page(one_variable: FitResult, runs: RunTable) -> None:
    """Figures (SVG ids, no dates), backtest and isoFLOP resampling: all deterministic."""
    first = render_report(one_variable, runs, title="T")
    assert "<section id='backtest'>" in first and "<section id='isoflop'>" in first
    assert render_report(one_variable, runs, title="T") == first


def test_card_reports_the_survey_items(page: str, result: FitResult) -> None:
    card = html.unescape(page[page.index("<section id='card'>") :])
    c = result.conventions
    for text in (
        f"which N (parameters)</th><td>{c.params}",
        f"which FLOPs</th><td>{c.flops}",
        "which loss</th><td>",
        f"which tokens</th><td>{c.tokens}",
        "robust loss</th><td>huber (δ = 0.001)</td>",
        "sum over runs of the robust loss of the residual log(law) − log(loss)",
        "4,500 starts, the law's grid: log E ∈ {-1, -0.5, 0, 0.5, 1}",
        f"30 resamples of the runs with replacement ({0 if result.samples is None else len(result.samples)} kept)",
        "90% percentile intervals; seed 1",
        f"numpy {np.__version__}",
        "arXiv:2502.18969",
        "scalinglab.fit('chinchilla', runs, robust_loss='huber', delta=0.001, space='log'",
    ):
        assert text in card, text
    assert "validation</th><td>backtest by scale (the top 10% by flops" in card
    # the 4,500-start grid is screened: the card counts the best among the starts solved
    solved = result.n_starts_solved
    assert solved is not None and solved < result.n_starts
    assert (
        f"{result.n_starts_at_best} of the {solved} starts solved reached the best"
        f" ({result.n_starts:,} screened), {result.n_converged} converged" in card
    )
    assert "isoFLOP (approach 2) exponent a = 0." in card


def _table(page: str, name: str) -> list[list[str]]:
    """Cells of the body rows of ``<table class='name'>``: data-value where there is one."""
    start = page.index(f"<table class='{name}'>")
    body = page[page.index("<tbody>", start) : page.index("</table>", start)]
    rows = []
    for row in re.findall(r"<tr>(.*?)</tr>", body):
        cells = re.findall(r"<td([^>]*)>(.*?)</td>", row)
        rows.append(
            [
                m[1] if (m := re.search(r"data-value='([^']*)'", attrs)) else html.unescape(text)
                for attrs, text in cells
            ]
        )
    return rows


def test_backtest_section_scores_the_largest_runs(page: str, runs: RunTable) -> None:
    rows = _table(page, "backtest")
    flops = dict(zip(runs.runs, runs["flops"], strict=True))
    held = {r[0] for r in rows}
    largest = max(f for r, f in flops.items() if r not in held)
    assert len(rows) >= 3 and min(flops[r] for r in held) > largest  # the largest runs
    for run, size, distance, actual, predicted, _interval, are, inside in rows:
        assert float(size) == flops[run]
        assert float(distance) == pytest.approx(flops[run] / largest)
        assert float(are) == pytest.approx(abs(float(predicted) - float(actual)) / float(actual))
        assert inside in ("yes", "no")
    median = float(np.median([float(r[6]) for r in rows]))
    assert f"median absolute relative error <strong>{median:.2%}</strong>" in page


def test_isoflop_section_has_a_parabola_per_budget(page: str) -> None:
    rows = _table(page, "isoflop")
    budgets = np.geomspace(1e18, 1e20, 5)
    assert [float(r[0]) for r in rows] == pytest.approx(list(budgets))
    assert all(r[1] == "6" for r in rows)
    used = np.array([r[6] == "yes" for r in rows])
    assert used.sum() >= 3 and all(r[5] == "ok" for r in rows if r[6] == "yes")
    n_opt = np.array([float(r[2]) for r in rows])
    # N_opt ∝ C^a: least squares in log-log through the budgets in use, by hand
    slope = np.polyfit(np.log(budgets[used]), np.log(n_opt[used]), 1)[0]
    exponent = re.search(r"N_opt ∝ C\^(0\.\d+) \[", html.unescape(page))
    assert exponent is not None and float(exponent[1]) == pytest.approx(slope, abs=1e-3)


@pytest.mark.heavy  # 4.7 s in the suite on a 2-core AMD EPYC
def test_validation_that_cannot_run_is_said(runs: RunTable) -> None:
    few = runs.select(np.isin(np.arange(len(runs)), [0, 7, 14, 21, 28, 29, 23]))
    result = scalinglab.fit("chinchilla", few, bootstrap=0)
    page = html.unescape(render_report(result, few))  # the default hold-out: a note
    assert re.findall(r"<section id='([a-z-]+)'>", page) == [
        "fit",
        "figures",
        "plan",
        "data",
        "card",
    ]
    card = page[page.index("<section id='card'>") :]
    assert (
        "backtest not run: <DataFrame>: 5 runs to fit and 2 held out (the top 10% by flops: "
        "flops >= 1e20), and law 'chinchilla' has 5 parameters" in card
    )
    assert "isoFLOP analysis not run: <DataFrame>: no budget has 3 or more runs" in card


def test_extra_sections_slot_in_before_the_data(one_variable: FitResult, runs: RunTable) -> None:
    extra = Section("backtest", "Backtest <by scale>", "<p>body</p>", validation="held out 5")
    page = render_report(
        one_variable, runs, sections=[extra], command="scalinglab report x.csv", validate=False
    )
    ids = re.findall(r"<section id='([a-z-]+)'>", page)
    assert ids == ["fit", "figures", "plan", "backtest", "data", "card"]
    assert "Backtest &lt;by scale&gt;" in page
    card = html.unescape(page[page.index("<section id='card'>") :])
    assert "validation</th><td>held out 5" in card
    assert "command</th><td>scalinglab report x.csv" in card


@pytest.mark.heavy  # 1.1 s in the suite on a 2-core AMD EPYC
def test_simulated_data_is_labelled() -> None:
    table = scalinglab.simulated_runs()
    result = scalinglab.fit("power-law-plus-constant", table, bootstrap=0)
    page = render_report(result, table, validate=False)
    assert page.count("SIMULATED DATA") >= 2  # banner and data table
    assert "class='simulated banner'" in page
    assert "SIMULATED runs, not real training" in page  # the card's data item


def test_one_variable_law_has_no_plan(one_variable: FitResult, runs: RunTable) -> None:
    page = render_report(one_variable, runs, validate=False)
    assert re.findall(r"<figure id='fig-([a-z-]+)'>", page) == ["loss-scaling", "residuals"]
    assert "no planning table: the law is not in model size N and tokens D" in page


@pytest.mark.heavy
def test_figure_files(tmp_path: Path, result: FitResult, runs: RunTable) -> None:
    out = write_report(
        result, runs, tmp_path / "r.html", figures=tmp_path, figure_format="png", validate=False
    )
    assert out == tmp_path / "r.html" and out.read_text(encoding="utf-8").startswith("<!DOCTYPE")
    written = sorted(p.name for p in tmp_path.glob("*.png"))
    assert written == ["frontier.png", "loss-scaling.png", "residuals.png"]
    for name in written:
        assert (tmp_path / name).read_bytes().startswith(b"\x89PNG")


@pytest.mark.parametrize(("fmt", "magic"), [("pdf", b"%PDF"), ("svg", b"<?xml")])
def test_save_figure_formats(
    tmp_path: Path, one_variable: FitResult, runs: RunTable, fmt: str, magic: bytes
) -> None:
    figures, notes = fit_figures(one_variable, runs)
    assert [f.key for f in figures] == ["loss-scaling", "residuals"] and notes == []
    path = save_figure(figures[1], tmp_path, fmt=fmt)
    assert path == tmp_path / f"residuals.{fmt}"
    assert path.read_bytes().startswith(magic)
    with pytest.raises(ConfigError, match="cannot write a figure as 'jpg'"):
        save_figure(figures[1], tmp_path, fmt="jpg")


def test_bad_figure_options(tmp_path: Path, result: FitResult, runs: RunTable) -> None:
    with pytest.raises(ConfigError, match="cannot write figures as 'bmp'"):
        write_report(result, runs, tmp_path / "r.html", figure_format="bmp")
    (tmp_path / "file").write_text("x")
    # a missing folder is made as the figures are written; a file in its way is refused
    with pytest.raises(ConfigError, match=r"cannot create the folder .*file' is a file"):
        write_report(result, runs, tmp_path / "r.html", figures=tmp_path / "file" / "figs")
    with pytest.raises(ConfigError, match="is a file"):
        write_report(result, runs, tmp_path / "r.html", figures=tmp_path / "file")
    assert not (tmp_path / "r.html").exists()  # refused before anything was written


@pytest.mark.heavy  # 3.4 s in the suite on a 2-core AMD EPYC
def test_figures_folder_is_created_as_the_command_line_creates_it(
    tmp_path: Path, result: FitResult, runs: RunTable
) -> None:
    write_report(result, runs, tmp_path / "r.html", figures=tmp_path / "figs", validate=False)
    assert (tmp_path / "figs" / "residuals.svg").is_file()


@pytest.mark.heavy  # 1.1 s in the suite on a 2-core AMD EPYC
def test_long_tables_are_cut_and_say_so() -> None:
    rng = np.random.default_rng(0)
    n = MAX_TABLE_ROWS + 50
    params = np.geomspace(1e6, 1e9, n)
    loss = (2.0 + 30.0 * params**-0.3) * np.exp(0.005 * rng.standard_normal(n))
    table = scalinglab.read_runs(pd.DataFrame({"params": params, "loss": loss}))
    result = scalinglab.fit("power-law-plus-constant", table, bootstrap=0)
    page = render_report(result, table, validate=False)
    assert len(_table(page, "data")) == MAX_TABLE_ROWS
    assert f"({n} runs)." in page  # the source line counts them
    assert f"The first {MAX_TABLE_ROWS} are listed; the fit used all of them." in page
