"""A chain fitted to a selection of the models (``downstream fit --where``,
``read_evals(where=...)``) records it: ``DownstreamFit.where``, a source that says how many of
the file's models it holds, both saved and named by the plans and predictions from it."""

from __future__ import annotations

import json
from pathlib import Path

import numpy as np
import pandas as pd
import pytest
from tests._cli import cli
from tests.test_downstream_chain import MULTS, SIZES, models

from scalinglab import ConfigError
from scalinglab.downstream import DownstreamFit, fit_downstream, read_evals


@pytest.fixture(scope="module")
def evals(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """20 models trained on c4 and 20 on another corpus, scored on one task."""
    c4 = models(np.random.default_rng(0), SIZES, MULTS).assign(dataset="c4")
    pile = models(np.random.default_rng(1), SIZES, MULTS).assign(dataset="pile")
    pile["run"] = [f"p{i}" for i in range(len(pile))]
    path = tmp_path_factory.mktemp("where") / "evals.csv"
    pd.concat([c4, pile]).drop(columns=["acc_flat", "acc_hellaswag"]).to_csv(path, index=False)
    return path


def test_the_chain_records_the_selection_and_a_file_keeps_it(evals: Path, tmp_path: Path) -> None:
    kept = read_evals(evals, where=[("dataset", "c4")], chance={"task": 0.25})
    chain = fit_downstream(kept, law="chinchilla", bootstrap=0, max_backtest_error=None)
    assert chain.where == {"dataset": "c4"}
    said = f"{evals} where dataset = c4 (20 of its 40 runs selected, 10M-200M params)"  # as fit
    assert chain.source == said
    chain.save(tmp_path / "ds.json")
    saved = json.loads((tmp_path / "ds.json").read_text())
    assert saved["where"] == {"dataset": "c4"} and saved["source"] == said
    back = DownstreamFit.load(tmp_path / "ds.json")
    assert back.where == {"dataset": "c4"} and back.source == said
    # every model: no selection, the source as before
    whole = fit_downstream(
        read_evals(evals, chance={"task": 0.25}), law="chinchilla", bootstrap=0,
        max_backtest_error=None,
    )  # fmt: skip
    assert whole.where == {} and whole.source == str(evals)
    # a file written before the selection was recorded reads as no selection
    del saved["where"]
    (tmp_path / "old.json").write_text(json.dumps(saved))
    assert DownstreamFit.load(tmp_path / "old.json").where == {}


def test_plans_and_predictions_name_the_selection(
    evals: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    ds = tmp_path / "ds.json"
    code, out, err = cli(
        capsys, "downstream", "fit", str(evals), "--where", "dataset=c4", "--bootstrap", "0",
        "--max-backtest-error", "inf", "--out", str(ds),
    )  # fmt: skip
    said = f"{evals} where dataset = c4 (20 of its 40 runs selected, 10M-200M params)"
    assert code == 0, err
    assert f"20 models from {said};" in " ".join(out.split())
    # the source block every prediction and plan writes: the data say the selection
    named = {"kind": "downstream", "origin": f"--fit {ds}", "via": "loss", "data": said,
             "where": {"dataset": "c4"}}  # fmt: skip
    code, out, err = cli(
        capsys, "downstream", "plan", "--fit", str(ds), "--target-accuracy", "task=0.6", "--json"
    )
    assert code == 0, err
    assert named.items() <= json.loads(out)["source"].items()
    code, out, err = cli(
        capsys, "downstream", "predict", "--fit", str(ds), "--params", "1B", "--tokens", "20B",
        "--json",
    )  # fmt: skip
    assert code == 0, err
    assert named.items() <= json.loads(out)["source"].items()


@pytest.mark.parametrize(
    "where",
    [{"dataset": "c4"}, "dataset=c4", ("dataset", "c4"), [("dataset", "c4")], ["dataset=c4"]],
)
def test_read_evals_takes_where_as_fit_does(evals: Path, where: object) -> None:
    kept = read_evals(evals, where=where)  # type: ignore[arg-type]
    assert len(kept.runs) == 20 and kept.runs.kept_where == {"dataset": "c4"}


def test_a_where_in_no_form_names_the_forms(evals: Path) -> None:
    with pytest.raises(ConfigError, match=r"where holds 'dataset': each condition is") as err:
        read_evals(evals, where=["dataset"])
    assert "where={'dataset': 'c4_original'}" in err.value.hint
    assert "where='dataset=c4_original'" in err.value.hint
