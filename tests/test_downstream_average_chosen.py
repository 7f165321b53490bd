"""How a chain's average over tasks had its members chosen (``DownstreamFit.average_chosen``):
``"named"`` where ``average_of`` / ``--average-of`` listed them, ``"predictable"`` otherwise;
recorded by ``fit_downstream``, saved and loaded, and said alike by ``downstream fit``'s line
under the table and a notebook's view of the chain."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd
import pytest
from tests.test_downstream_average import models

from scalinglab import DataError
from scalinglab.cli import main
from scalinglab.downstream import DownstreamFit, fit_downstream, read_evals

#: The fit's options: a point fit, no backtest on the fitted sizes (nothing here needs them).
FAST: dict[str, Any] = {"law": "chinchilla", "bootstrap": 0, "max_backtest_error": None}


@pytest.fixture(scope="module")
def frame() -> pd.DataFrame:
    return models(np.random.default_rng(4))


def fitted(frame: pd.DataFrame, **options: Any) -> DownstreamFit:
    return fit_downstream(read_evals(frame, chance={"flat": 0.3}), **FAST, **options)


@pytest.mark.heavy  # 3.4 s in the suite on a 2-core AMD EPYC
def test_the_chain_records_how_its_average_was_chosen(frame: pd.DataFrame) -> None:
    default = fitted(frame)
    assert default.average is not None and default.average.members == ("t1", "t2", "t3")
    assert default.average_chosen == "predictable"
    named = fitted(frame, average_of=["t1", "t2"])
    assert named.average is not None and named.average.members == ("t1", "t2")
    assert named.average_chosen == "named"
    # listing exactly the predictable tasks is still a choice the user made
    assert fitted(frame, average_of="t1,t2,t3").average_chosen == "named"


@pytest.mark.heavy  # 2.7 s in the suite on a 2-core AMD EPYC
def test_the_notebook_view_says_what_the_command_prints(
    frame: pd.DataFrame, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    named = fitted(frame, average_of=["t1", "t2"])
    line = "average: over the 2 named tasks, the mean of their predictions, per resample: t1, t2"
    assert line in named._repr_html_()
    default = fitted(frame)._repr_html_()
    assert "average: over the 3 predictable tasks, the mean of their predictions" in default
    path = tmp_path / "three.csv"
    frame.to_csv(path, index=False)
    code = main(
        ["downstream", "fit", str(path), "--average-of", "t1,t2", "--law", "chinchilla",
         "--bootstrap", "0", "--max-backtest-error", "inf"]
    )  # fmt: skip
    out = capsys.readouterr().out
    assert code == 0 and line in " ".join(out.split())


@pytest.mark.heavy  # 1.2 s in the suite on a 2-core AMD EPYC
def test_saved_and_loaded_and_an_older_file_reads_as_predictable(
    frame: pd.DataFrame, tmp_path: Path
) -> None:
    path = tmp_path / "ds.json"
    fitted(frame, average_of=["t1", "t2"]).save(path)
    data = json.loads(path.read_text())
    assert data["average_chosen"] == "named" and data["average"]["members"] == ["t1", "t2"]
    back = DownstreamFit.load(path)
    assert back.average_chosen == "named"
    assert "over the 2 named tasks" in back._repr_html_()
    del data["average_chosen"]  # a file written before it was recorded
    path.write_text(json.dumps(data))
    assert DownstreamFit.load(path).average_chosen == "predictable"
    data["average_chosen"] = "chosen"
    path.write_text(json.dumps(data))
    with pytest.raises(DataError, match="average_chosen is 'chosen'"):
        DownstreamFit.load(path)
