"""A report written from Python: its card's :func:`scalinglab.fit` call reproduces the fit
(its ``where`` included), and ``write_report`` reads the runs with the loss column the fit
read unless told otherwise."""

from __future__ import annotations

import ast
import html
import json
from pathlib import Path
from typing import Any

import pandas as pd
import pytest
from tests.conftest import isoflop_runs

import scalinglab
from scalinglab import DataError, FitResult
from scalinglab.report import render_report
from scalinglab.report._python_call import python_call


@pytest.fixture(scope="module")
def two_corpora(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """30 runs on corpus ``a`` and 30 at other losses on ``b``; the loss in ``loss_a_val``,
    a column no alias reads."""
    frame = isoflop_runs(seed=3).drop(columns="flops").rename(columns={"loss": "loss_a_val"})
    frame.insert(0, "run", [f"r{i}" for i in range(len(frame))])
    other = frame.assign(run=[f"b{i}" for i in range(len(frame))], loss_a_val=frame.loss_a_val + 1)
    path = tmp_path_factory.mktemp("corpora") / "models.csv"
    pd.concat([frame.assign(dataset="a"), other.assign(dataset="b")]).to_csv(path, index=False)
    return path


@pytest.fixture(scope="module")
def result(two_corpora: Path) -> FitResult:
    return scalinglab.fit(
        "chinchilla", two_corpora, y="loss_a_val", where={"dataset": "a"}, bootstrap=0
    )


def _called(call: str, runs: Path) -> FitResult:
    """Run the card's ``scalinglab.fit(...)`` line on ``runs``, its arguments read as
    literals (no eval)."""
    node = ast.parse(call.partition("  # runs:")[0], mode="eval").body
    assert isinstance(node, ast.Call)
    law = ast.literal_eval(node.args[0])
    options: dict[str, Any] = {k.arg: ast.literal_eval(k.value) for k in node.keywords if k.arg}
    return scalinglab.fit(law, runs, **options)


@pytest.mark.heavy  # 2.1 s in the suite on a 2-core AMD EPYC
def test_the_cards_python_call_keeps_the_fits_where(result: FitResult, two_corpora: Path) -> None:
    """Was ``scalinglab.fit('chinchilla', runs, ..., y='loss_a_val', bootstrap=0, ...)``:
    run, it fitted all 60 runs of the file, not the 30 the comment counts."""
    call = python_call(result, y="loss_a_val")
    assert call == (
        "scalinglab.fit('chinchilla', runs, robust_loss='huber', delta=0.001, space='log', "
        "y='loss_a_val', where={'dataset': 'a'}, bootstrap=0, level=0.9, seed=0)  # runs: "
        f"{result.source}"
    )
    again = _called(call, two_corpora)
    assert again.runs == result.runs and len(again.runs) == 30
    assert again.coefs == result.coefs
    page = html.unescape(render_report(result, two_corpora, y="loss_a_val", validate=False))
    fitted = call.partition("  # runs:")[0]  # then the call that remakes the page on it
    assert f"command</th><td>result = {fitted}; scalinglab.render_report(result, runs," in page
    every = scalinglab.fit("chinchilla", two_corpora, y="loss_a_val", bootstrap=0)
    assert "where=" not in python_call(every, y="loss_a_val")  # every run: nothing to say


@pytest.mark.heavy
def test_write_report_reads_the_loss_column_the_fit_recorded(
    result: FitResult, two_corpora: Path, tmp_path: Path
) -> None:
    """Was "no loss column ... (say which column holds the loss: y=COLUMN ...)" without
    ``y=``: the fit recorded its where but not its loss column."""
    assert result.y == "loss_a_val"
    out = scalinglab.write_report(result, two_corpora, tmp_path / "r.html", validate=False)
    page = html.unescape(out.read_text(encoding="utf-8"))
    assert "y='loss_a_val', where={'dataset': 'a'}" in page  # the card's call
    assert "(column 'loss_a_val')" in page  # the card's "which loss"
    # saved and read back, the file keeps it; one from before it was recorded has none
    saved = tmp_path / "fit.json"
    result.save(saved)
    again = FitResult.load(saved)
    assert again.y == "loss_a_val"
    assert render_report(again, two_corpora, validate=False) == render_report(
        result, two_corpora, y="loss_a_val", validate=False
    )
    old = json.loads(saved.read_text(encoding="utf-8"))
    del old["y"]
    (tmp_path / "old.json").write_text(json.dumps(old), encoding="utf-8")
    older = FitResult.load(tmp_path / "old.json")
    assert older.y is None
    with pytest.raises(DataError) as missing:  # as before: the hint names y=
        render_report(older, two_corpora, validate=False)
    assert "no loss column (looked for loss, " in missing.value.message
    assert missing.value.hint == (
        "say which column holds the loss (1 column named as losses: 'loss_a_val'): "
        "y=COLUMN, the column the fit fitted as the loss"
    )
    # an explicit y= still wins over the recorded one
    with pytest.raises(DataError) as told:
        render_report(result, two_corpora, y="loss", validate=False)
    assert "no loss column (looked for loss, " in told.value.message


@pytest.mark.heavy
def test_the_card_of_a_page_written_from_python_records_the_write_report_call(
    result: FitResult, two_corpora: Path, tmp_path: Path
) -> None:
    """Was ``scalinglab.fit(...)`` alone: the budgets, hold-out rule and figure options the
    page was written with were not recorded, so the card could not remake the page."""
    out, figs = tmp_path / "report.html", tmp_path / "figs"
    scalinglab.write_report(
        result, two_corpora, out, budgets=[1e21, 1e23], figures=figs, figure_format="png",
        holdout="largest:5",
    )  # fmt: skip
    page = html.unescape(out.read_text(encoding="utf-8"))
    line = page.partition("command</th><td>")[2].partition("</td>")[0]
    code = ast.parse(line.partition("  # runs:")[0])
    assigned, called = code.body
    assert isinstance(assigned, ast.Assign) and isinstance(assigned.value, ast.Call)
    assert ast.unparse(assigned.value.func) == "scalinglab.fit"
    assert isinstance(called, ast.Expr) and isinstance(called.value, ast.Call)
    assert ast.unparse(called.value.func) == "scalinglab.write_report"
    assert [ast.unparse(a) for a in called.value.args] == ["result", "runs", repr(str(out))]
    options = {k.arg: ast.literal_eval(k.value) for k in called.value.keywords}
    assert options == {
        "budgets": [1e21, 1e23], "figures": str(figs), "figure_format": "png",
        "holdout": "largest:5",
    }  # fmt: skip
    # render_report's card says render_report, without a path or figures
    shown = html.unescape(render_report(result, two_corpora, budgets=1e22, validate=False))
    assert "; scalinglab.render_report(result, runs, budgets=[1e+22], validate=False)  #" in shown
