"""Fits of one file's corpora say which corpus each is: the runs ``--where`` kept are named
in the source's description (``runs.csv where dataset = a (30 of its 60 runs selected,
...)``), so the data line of ``fit``, the ``fit:`` line and ``source.data`` of ``plan`` and
``predict``, ``backtest``'s source and a figure's file title tell three corpora apart. They
said only ``runs.csv (30 of its 60 runs selected, ...)``, alike for every corpus."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from tests._cli import cli

import scalinglab
from scalinglab.report._figure_titles import data_name


def test_the_source_names_the_runs_where_kept(two_corpora: Path) -> None:
    runs = scalinglab.read_runs(two_corpora)
    assert runs.describe_source() == f"{two_corpora} (60 runs)"  # every run: nothing to name
    said = runs.where(dataset="b").describe_source()
    assert said.startswith(f"{two_corpora} where dataset = b (30 of its 60 runs selected, ")
    both = runs.where(dataset="b").where("params>=1e8").describe_source()
    assert f"{two_corpora} where dataset = b and params >= 1e8 (" in both
    fitted = scalinglab.fit("chinchilla", two_corpora, where="dataset=a", bootstrap=0)
    assert fitted.source.startswith(f"{two_corpora} where dataset = a (30 of its 60 runs")


def test_fit_plan_predict_and_backtest_name_the_corpus(
    capsys: pytest.CaptureFixture[str], two_corpora: Path, tmp_path: Path
) -> None:
    saved = tmp_path / "fit-b.json"
    code, out, err = cli(capsys, "fit", str(two_corpora), "--where", "dataset=b",
                         "--bootstrap", "0", "--no-compare", "--out", str(saved))  # fmt: skip
    assert code == 0, err
    named = f"{two_corpora} where dataset = b (30 of its 60 runs selected"
    assert f"data: {named}" in out
    assert json.loads(saved.read_text(encoding="utf-8"))["source"].startswith(named)
    code, out, err = cli(capsys, "plan", "--fit", str(saved), "--compute", "1e22")
    assert code == 0, err
    assert f"chinchilla on {named}" in " ".join(out.split())
    code, out, err = cli(capsys, "plan", "--fit", str(saved), "--compute", "1e22", "--json")
    assert code == 0, err
    assert json.loads(out)["source"]["data"].startswith(named)
    code, out, err = cli(capsys, "predict", "--fit", str(saved), "--params", "1B",
                         "--tokens", "20B", "--json")  # fmt: skip
    assert code == 0, err
    assert json.loads(out)["source"]["data"].startswith(named)
    code, out, err = cli(capsys, "backtest", str(two_corpora), "--where", "dataset=b",
                         "--bootstrap", "0", "--no-rolling", "--json")  # fmt: skip
    assert code == 0, err
    assert json.loads(out)["source"].startswith(named)


def test_a_figure_title_names_the_corpus() -> None:
    selected = "/data/runs.csv where dataset = rpj (32 of its 95 runs selected, 10.6M-412M params)"
    assert data_name(selected) == "runs.csv where dataset = rpj (32 of 95 runs)"
    slashed = "/data/curves.csv where run = 25M/cosine (1 of its 9 runs selected, 25M-25M params)"
    assert data_name(slashed) == "curves.csv where run = 25M/cosine (1 of 9 runs)"
    bundled = "overtraining-rpj: open_lm models; MIT license where params >= 2e7 (20 of its 32 runs"
    assert data_name(f"{bundled} selected, 78.9M-412M params)") == (
        "overtraining-rpj where params >= 2e7 (20 of 32 runs)"
    )
