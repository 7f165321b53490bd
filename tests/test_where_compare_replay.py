"""A recorded comparison (``{"params>=": "2e7"}``) is shown and replayed as it was written,
``params>=2e7``, where it came out as ``params>==2e7``: the reproducibility card's command
of ``report --curves`` and ``report --hparams`` runs again and keeps the same runs, and the
fit card and curve messages say ``params >= 2e7``."""

from __future__ import annotations

import html
import re
import shlex
from pathlib import Path

import pandas as pd
import pytest
from tests._cli import cli
from tests._hparam_sweeps import sweep
from tests._pages import page_text
from tests.conftest import isoflop_runs
from tests.test_where_curves import _rows

from scalinglab.curves._backtest import not_read


def _card_command(page: Path) -> list[str]:
    found = re.search(r"scalinglab report [^<]*", page.read_text(encoding="utf-8"))
    assert found is not None
    return shlex.split(html.unescape(found.group(0)))


def _replayed(capsys: pytest.CaptureFixture[str], first: Path, second: Path) -> list[str]:
    """The card's command of ``first``, run again to write ``second``: its words."""
    words = _card_command(first)
    words[words.index("--out") + 1] = str(second)
    code, _, err = cli(capsys, *words[1:])
    assert code == 0, err
    return words


def _wheres(words: list[str]) -> list[str]:
    return [words[i + 1] for i, w in enumerate(words) if w == "--where"]


@pytest.mark.heavy  # 1.3 s in the suite on a 2-core AMD EPYC
def test_report_curves_card_replays_a_comparison(
    capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    path = tmp_path / "both.csv"
    rows = [r.replace(",", ",2e8,", 1) for r in _rows("a", 6)]
    rows += [r.replace(",", ",1e8,", 1) for r in _rows("b", 7)]
    path.write_text("run,params,dataset,step,lr,loss\n" + "\n".join(rows) + "\n")
    first, second = tmp_path / "a.html", tmp_path / "b.html"
    code, _, err = cli(capsys, "report", str(path), "--curves", "--train", "a0,a1,a2",
                       "--curve-law", "tissue", "--where", "params>=1.5e8", "--bootstrap", "0",
                       "--out", str(first))  # fmt: skip
    assert code == 0, err
    words = _replayed(capsys, first, second)
    assert _wheres(words) == ["params>=1.5e8"]
    for page in (first, second):
        text = page.read_text()
        assert re.search(r"\ba3\b", text) and not re.search(r"\bb[0-3]\b", text)
        assert f"{path.name} where params &gt;= 1.5e8 (" in text  # named in the source, once


@pytest.mark.heavy
def test_report_hparams_card_replays_a_comparison(
    capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    a, b = sweep(1), sweep(2)
    b["loss"], b["lr"] = 0.9 * b["loss"], 2.0 * b["lr"]
    a["dataset"], b["dataset"] = "a", "b"
    path = tmp_path / "both.csv"
    pd.concat([b, a], ignore_index=True).to_csv(path, index=False)
    first, second = tmp_path / "a.html", tmp_path / "b.html"
    code, _, err = cli(capsys, "report", str(path), "--hparams", "--where", "params>=2e8",
                       "--where", "dataset=a", "--bootstrap", "0", "--out", str(first))  # fmt: skip
    assert code == 0, err
    words = _replayed(capsys, first, second)
    assert _wheres(words) == ["params>=2e8", "dataset=a"]
    cells = [_cells(page) for page in (first, second)]
    assert cells[0] == cells[1] and "N=200M D=2B" in cells[0]  # the same cells: the same runs
    assert not any(c.startswith("N=100M") for c in cells[0])


def _cells(page: Path) -> list[str]:
    """The cells a sweep's page names, in order."""
    return re.findall(r"N=\d+[KMB] D=\d+[KMB]", page_text(page.read_text(encoding="utf-8")))


@pytest.mark.heavy  # 3.0 s in the suite on a 2-core AMD EPYC
def test_fit_card_says_a_comparison_as_written(
    capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    path = tmp_path / "runs.csv"
    isoflop_runs(seed=1).to_csv(path, index=False)
    out = tmp_path / "fit.html"
    code, _, err = cli(capsys, "report", str(path), "--where", "params<1B", "--bootstrap", "0",
                       "--no-validate", "--out", str(out))  # fmt: skip
    assert code == 0, err
    text = page_text(out.read_text(encoding="utf-8"))
    # the data item names the selection once, in the source's words (describe_source)
    assert "runs.csv where params < 1B (24 of its" in text and "params<=" not in text
    assert "kept where" not in text


def test_a_recorded_comparison_in_a_sentence() -> None:
    from scalinglab.data._compare import condition_words

    assert condition_words("params>=", "2e7") == "params >= 2e7"
    assert condition_words("dataset", "c4", quoted=True) == "dataset = 'c4'"
    err = not_read(["x9"], [], [("params>=", "2e7"), ("dataset", "a")])
    assert err is not None and err.message == (
        "training curve 'x9' is not among the curves read: --where kept the runs with "
        "params >= 2e7 and dataset = 'a' alone"
    )
