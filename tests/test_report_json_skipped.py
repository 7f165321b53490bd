"""``report --json`` says why an analysis the page could not run is ``null``, as the page does
("isoFLOP analysis not run: ..."), in ``isoflop_skipped``: the shape of ``plan_withheld``."""

from __future__ import annotations

import contextlib
import io
import json
from pathlib import Path

import pytest

from scalinglab.cli import main


@pytest.mark.heavy
def test_json_says_why_the_isoflop_analysis_did_not_run(tmp_path: Path) -> None:
    rows = ["run,params,tokens,loss"]
    for n in (1e7, 3e7, 1e8, 3e8, 1e9):  # each run its own budget: no parabola to fit
        for ratio in (5, 20, 80):
            d = ratio * n
            loss = 1.69 + 406.4 / n**0.34 + 410.7 / d**0.28
            rows.append(f"r{n:g}-{ratio},{n},{d},{loss}")
    (tmp_path / "m.csv").write_text("\n".join(rows) + "\n", encoding="utf-8")
    out, err = io.StringIO(), io.StringIO()
    args = ["report", str(tmp_path / "m.csv"), "--bootstrap", "20", "--json"]
    with contextlib.redirect_stdout(out), contextlib.redirect_stderr(err):
        code = main([*args, "--out", str(tmp_path / "p.html")])
    assert code == 0, err.getvalue()
    data = json.loads(out.getvalue())
    why = "no budget has 3 or more runs (the fullest has 1); a parabola per budget needs 3"
    assert data["isoflop"] is None
    assert data["isoflop_skipped"] == f"{tmp_path / 'm.csv'}: {why}"
    page = (tmp_path / "p.html").read_text(encoding="utf-8")
    assert f"isoFLOP analysis not run: {tmp_path / 'm.csv'}: {why}" in page
    assert data["backtest"] is not None and "backtest_skipped" not in data
