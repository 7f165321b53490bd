"""``scalinglab.plan.frontier`` gives a :class:`Frontier`: a sequence of allocations as the
list was, a short repr, ``to_dict()`` equal to ``plan --compute C1,C2 --json``, and the HTML
table from the rows ``fit``'s plan table prints (one builder, ``frontier_text``)."""

from __future__ import annotations

import json
from collections.abc import Sequence
from dataclasses import replace
from pathlib import Path

import pytest
from rich.console import Console
from tests._cli import cli
from tests.test_plan_html_view import _Cells

from scalinglab import FitResult, fit, get_preset, optimal_allocation, simulated_runs
from scalinglab.cli._fit_views import print_plan_summary
from scalinglab.plan import Allocation, Frontier, frontier

BUDGETS = [1e21, 1e23]


@pytest.fixture(scope="module")
def saved(tmp_path_factory: pytest.TempPathFactory) -> tuple[FitResult, Path]:
    result = fit("chinchilla", simulated_runs(), bootstrap=20, seed=0)
    path = tmp_path_factory.mktemp("frontier") / "fit.json"
    result.save(path)
    return result, path


def test_a_frontier_is_the_sequence_the_list_was() -> None:
    f = frontier("hoffmann2022", budgets=BUDGETS)
    assert isinstance(f, Frontier) and isinstance(f, Sequence) and len(f) == 2
    one = [optimal_allocation("hoffmann2022", flops=c) for c in BUDGETS]
    assert list(f) == one and f[0] == one[0] and f[-1] == one[1] and f[:1] == one[:1]
    assert all(isinstance(a, Allocation) for a in f)
    # Hoffmann et al. 2022 eq. 4: N_opt = G (C/6)^(b/(a+b)), G = (a A / (b B))^(1/(a+b))
    A, B, a, b = 406.4, 410.7, 0.34, 0.28
    g = (a * A / (b * B)) ** (1 / (a + b))
    params = [p["allocation"]["params"] for p in f.to_dict()["plans"]]
    assert params == pytest.approx([g * (c / 6) ** (b / (a + b)) for c in BUDGETS], rel=1e-9)
    assert repr(f) == "Frontier(law='chinchilla', budgets=1e21..1e23 FLOPs, 2 allocations)"
    assert repr(frontier(get_preset("hoffmann2022"), budgets=[5.76e23])) == (
        "Frontier(law='chinchilla', budgets=5.76e23 FLOPs, 1 allocation)"
    )


def test_a_frontier_equals_the_list_it_was() -> None:
    """``frontier(...) == [...]`` held when frontier gave a list; it holds for a Frontier."""
    f = frontier("hoffmann2022", budgets=BUDGETS)
    one = [optimal_allocation("hoffmann2022", flops=c) for c in BUDGETS]
    assert f == one and one == f and f == f[:] and f == list(f)
    assert f != one[:1] and f != one[::-1] and f != tuple(one)  # a tuple was never equal
    assert f == frontier("hoffmann2022", budgets=BUDGETS)
    assert f != frontier("hoffmann2022", budgets=BUDGETS[:1])
    assert hash(f) == hash(frontier("hoffmann2022", budgets=BUDGETS))


def test_to_dict_is_what_plan_json_prints_of_a_preset(capsys: pytest.CaptureFixture[str]) -> None:
    for budgets, given in ((BUDGETS, "1e21,1e23"), ([1e22], "1e22")):
        code, out, _ = cli(capsys, "plan", "--preset", "hoffmann2022", "--compute", given, "--json")
        assert code == 0
        assert frontier("hoffmann2022", budgets=budgets).to_dict() == json.loads(out)


def test_to_dict_is_what_plan_json_prints_of_a_fit(
    capsys: pytest.CaptureFixture[str], saved: tuple[FitResult, Path]
) -> None:
    result, path = saved
    code, out, _ = cli(capsys, "plan", "--fit", str(path), "--compute", "1e21,1e23", "--json")
    printed = json.loads(out)
    mine = frontier(str(path), budgets=BUDGETS).to_dict()
    assert code == 0 and json.dumps(mine, allow_nan=False)  # strict JSON
    # the option plan was given, and the file a Python call read: else the same
    assert printed["source"].pop("origin") == f"--fit {path}"
    assert mine["source"].pop("origin") == str(path)
    assert mine == printed and len(mine["plans"]) == 2
    assert frontier(result, budgets=BUDGETS).to_dict()["source"]["origin"] is None


def _printed(allocations: Sequence[Allocation]) -> list[list[str]]:
    """The rows ``fit``'s plan table prints (header first), a cell's lines joined."""
    console = Console(record=True, width=200)
    print_plan_summary(console, allocations)
    rows: list[list[str]] = []
    for line in console.export_text().splitlines():
        if not line.startswith(("│", "┃")):
            continue
        cells = [c.strip() for c in line.strip("│┃").replace("┃", "│").split("│")]
        if rows and not cells[0]:  # a continuation: the intervals, a distance's decades
            rows[-1] = [f"{a}\n{b}" if b else a for a, b in zip(rows[-1], cells, strict=True)]
        else:
            rows.append(cells)
    return rows


def test_html_is_the_table_fit_prints(saved: tuple[FitResult, Path]) -> None:
    result, _ = saved
    for source in (result, "hoffmann2022"):
        f = frontier(source, budgets=[1e20, 1e22, 1e24])
        parser = _Cells()
        parser.feed(f._repr_html_())
        assert parser.rows == _printed(list(f)) and len(parser.rows) == 4
    fitted = frontier(result, budgets=[1e20, 1e24])
    html = _Cells()
    html.feed(fitted._repr_html_())
    assert html.rows[1][1].count("\n") == 1 and html.rows[0][-1] == "beyond data"
    text = " ".join(html.text)
    assert f"method: {fitted[0].method}" in text and "(see above)" not in text


def test_html_escapes_every_word() -> None:
    f = frontier("hoffmann2022", budgets=BUDGETS)
    a = replace(f[0], notes=("<b>x</b> & y",), warnings=("a < b",))
    shown = replace(f, allocations=(a, f[1]))._repr_html_()
    assert "<b>x</b>" not in shown and "&lt;b&gt;x&lt;/b&gt; &amp; y" in shown
    assert "a &lt; b" in shown


def test_html_says_what_the_loss_interval_is_as_fit_does(saved: tuple[FitResult, Path]) -> None:
    result, _ = saved
    f = frontier(result, budgets=BUDGETS)
    console = Console(record=True, width=1000)
    print_plan_summary(console, list(f))
    said = [ln for ln in console.export_text().splitlines() if ln.startswith("loss interval: ")]
    line = (f"loss interval: the fit's {f[0].loss_interval_kind} prediction interval for one "
            "run at (N*, D*); the other intervals: over the bootstrap fits' optima, one per resample")  # fmt: skip
    assert said == [line]
    html = _Cells()
    html.feed(f._repr_html_())
    assert line in html.text
    preset = _Cells()  # a preset's loss interval is no prediction interval: no line
    preset.feed(frontier("hoffmann2022", budgets=BUDGETS)._repr_html_())
    assert not any(t.startswith("loss interval") for t in preset.text)


def test_html_says_why_there_are_no_intervals_as_plan_does(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    result = fit("chinchilla", simulated_runs(), bootstrap=0, seed=0)
    path = tmp_path / "fit.json"
    result.save(path)
    code, out, _ = cli(capsys, "plan", "--fit", str(path), "--compute", "1e21,1e23")
    assert code == 0
    why = ("no intervals: the fit was made with no bootstrap (--bootstrap 0); refit with "
           "scalinglab fit --bootstrap 200")  # fmt: skip
    assert why in " ".join(out.split())  # plan says it under its tables (lines wrapped)
    html = _Cells()
    html.feed(frontier(result, budgets=BUDGETS)._repr_html_())
    assert html.rows[0][0] == "compute (FLOPs)" and "no intervals)" in html.text[0]
    assert why in html.text
    preset = _Cells()
    preset.feed(frontier("hoffmann2022", budgets=BUDGETS)._repr_html_())
    assert "no intervals: a preset is a point estimate" in preset.text
    banded = _Cells()  # a fit with a bootstrap has intervals: nothing to say
    banded.feed(
        frontier(fit("chinchilla", simulated_runs(), bootstrap=20), budgets=BUDGETS)._repr_html_()
    )
    assert not any(t.startswith("no intervals") for t in banded.text)
