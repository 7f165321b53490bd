"""``downstream backtest --json`` in the words of the other results: each task's interval as
``downstream predict`` writes it (``accuracy_lower``, ``accuracy_upper``; the old ``lower``
and ``upper`` beside them), and the models' ``source``, the ``level``, the chain's ``notes``
and, apart, its ``warnings`` (said on stderr with ``--json``, printed by the text)."""

from __future__ import annotations

import json
import math
from pathlib import Path

import numpy as np
import pandas as pd
import pytest
from tests.test_cli_downstream import run
from tests.test_downstream_backtest_unscored import HOLDOUT, _frame

from scalinglab.downstream import backtest_downstream, read_evals


def _mixed() -> pd.DataFrame:
    """Every held-out model scored; the models of two training corpora (a chain warns)."""
    frame = _frame(0)
    frame["dataset"] = np.where(np.arange(len(frame)) % 2, "c4", "rpj")
    return frame


def test_the_backtest_names_where_its_models_came_from() -> None:
    evals = read_evals(_mixed(), chance={"task": 0.25, "task2": 0.25})
    result = backtest_downstream(
        evals, holdout=HOLDOUT, law="chinchilla", bootstrap=30, max_backtest_error=None
    )
    assert result.source == "<DataFrame> (25 runs)"  # every model, as a loss backtest says


@pytest.mark.heavy  # 1.7 s in the suite on a 2-core AMD EPYC
def test_cli_json_has_predicts_keys_source_level_notes_and_warnings(
    capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    path = tmp_path / "evals.csv"
    _mixed().to_csv(path, index=False)
    args = ["downstream", "backtest", str(path), "--holdout", HOLDOUT, "--bootstrap", "30",
            "--law", "chinchilla", "--max-backtest-error", "inf", "--level", "0.8"]  # fmt: skip
    code, out, err = run(capsys, *args, "--json")
    assert code == 0, err
    data = json.loads(out)
    assert data["source"] == f"{path} (25 runs)" and data["level"] == 0.8
    for row in (data["tasks"]["task"], data["tasks"]["task2"], data["average"]):
        assert row["accuracy_lower"] == row["lower"] and row["accuracy_upper"] == row["upper"]
        assert len(row["accuracy_lower"]) == 5 and all(map(math.isfinite, row["accuracy_lower"]))
        assert all(
            lo < hi for lo, hi in zip(row["accuracy_lower"], row["accuracy_upper"], strict=True)
        )
    warned = data["warnings"]
    assert warned[0].startswith("the models span 2 values of 'dataset' (rpj, c4)")
    assert any(w.startswith("loss law: too few runs: 20 for 5 parameters") for w in warned)
    assert "law chinchilla as given" in data["notes"]
    assert not [n for n in data["notes"] if n.startswith(("warning: ", "loss law: "))]
    assert err.splitlines() == [f"warning: {w}" for w in warned]  # stdout: the JSON alone
    code, text, _ = run(capsys, *args)
    assert code == 0
    said = " ".join(text.split())
    assert all(" ".join(f"warning: {w}".split()) in said for w in warned)
