"""A new user's walk through ``scalinglab downstream``: a run table whose size column is not
recognised is named (the file that should hold it) and refused before any fit; a run
skipped at ingest is said to be missing from the store, not "ingest the runs first"; a
backtest of one task has no average; the page writes accuracy and a loss's interval as the
terminal does; an unknown option says what the command takes."""

from __future__ import annotations

import json
import math
from dataclasses import replace
from pathlib import Path

import numpy as np
import pandas as pd
import pytest
from tests._ingest_sources import write_lm_eval_results as _results
from tests.test_downstream_chain import MULTS, SIZES, models

from scalinglab import DataError
from scalinglab.cli import main
from scalinglab.downstream import backtest_downstream, fit_downstream, read_evals


def run(capsys: pytest.CaptureFixture[str], *args: str) -> tuple[int, str, str]:
    """The exit code, stdout, and both streams on one line (notes go to either)."""
    code = main(list(args))
    out, err = capsys.readouterr()
    return code, out, " ".join((out + err).split())


@pytest.fixture(scope="module")
def harness(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, Path]:
    """18 models' results, and their run table with its own names: 'Model Name' for the
    runs, 'Size (N)' for the sizes (no name ``fit`` finds), 'loss_c4_val' for the loss."""
    folder = tmp_path_factory.mktemp("walk")
    rows = []
    for i, (n, m) in enumerate(
        (n, m) for n in (1e7, 3e7, 1e8, 3e8, 1e9, 3e9) for m in (10, 20, 40)
    ):
        loss = 1.69 + 406.4 * n**-0.34 + 410.7 * (n * m) ** -0.28
        acc = 0.7 / (1 + math.exp(4 * (loss - 3.0))) + 0.25
        _results(folder / "lmeval", f"org/m{i:02d}", {"hellaswag": acc, "piqa": 0.5 + acc / 3})
        rows.append({"Model Name": f"org/m{i:02d}", "Size (N)": n, "tokens": n * m,
                     "loss_c4_val": loss})  # fmt: skip
    pd.DataFrame(rows).to_csv(folder / "myruns.csv", index=False)
    return folder / "lmeval", folder / "myruns.csv"


def test_an_unrecognised_size_is_named_in_the_run_table_before_any_fit(
    harness: tuple[Path, Path], capsys: pytest.CaptureFixture[str]
) -> None:
    lmeval, runs = harness
    # refused when read (was: read, then "lmeval: no column 'params'" once the chain was fitted)
    with pytest.raises(DataError, match=r"no column 'params'") as err:
        read_evals(lmeval, runs=runs, columns={"run": "Model Name"})
    assert err.value.source == f"{runs} (joined to {lmeval})"
    code, _, text = run(capsys, "downstream", "fit", str(lmeval), "--runs", str(runs),
                        "--map", "run=Model Name", "--tasks", "all")  # fmt: skip
    assert code == 2
    assert f"error: {runs} (joined to {lmeval}): no column 'params'" in text
    assert "hint: map a column to it, e.g. --map params=COLUMN" in text


def test_the_default_via_note_names_the_run_table(
    harness: tuple[Path, Path], capsys: pytest.CaptureFixture[str]
) -> None:
    lmeval, runs = harness
    code, _, text = run(capsys, "downstream", "fit", str(lmeval), "--runs", str(runs),
                        "--map", "run=Model Name", "--map", "params=Size (N)", "--tasks", "all",
                        "--law", "chinchilla", "--bootstrap", "0")  # fmt: skip
    assert code == 0, text
    # the losses are the run table's: the file of scores holds none
    assert f"the loss column found in {runs} (joined to {lmeval}) (loss columns:" in text


def test_scores_of_a_run_skipped_at_ingest_say_so(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    for model in ("org/a", "org/b"):
        _results(tmp_path / "lmeval", model, {"hellaswag": 0.3})
    table = tmp_path / "runs.csv"
    table.write_text("run,params,tokens,loss\norg/a,1e7,2e8,4.1\norg/b,4e7,8e8,\n")
    store = tmp_path / "s.duckdb"
    code, _, text = run(capsys, "ingest", str(table), "--store", str(store))
    assert code == 0 and "skipped org/b: no value of 'loss'" in text
    code, _, text = run(capsys, "ingest", str(tmp_path / "lmeval"), "--store", str(store))
    assert code == 2
    assert "1 evaluated model is not a run of the store: 'org/b' (stored runs: org/a)" in text
    # the runs were ingested: not "ingest the runs first", but why one is not there
    assert "ingest the runs first" not in text
    assert "hint: the store has runs, but not these: a run that ingest skipped" in text
    # a store with no runs at all: said so, and then the runs come first
    code, _, text = run(capsys, "ingest", str(tmp_path / "lmeval"), "--store",
                        str(tmp_path / "empty.duckdb"))  # fmt: skip
    assert code == 2 and "(the store holds no runs)" in text
    assert "hint: ingest the runs first" in text


@pytest.fixture(scope="module")
def one_task(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The chain's synthetic models, and beside them the chance level of their task."""
    path = tmp_path_factory.mktemp("one") / "evals.csv"
    models(np.random.default_rng(0), SIZES, MULTS).to_csv(path, index=False)
    path.with_name("chance.csv").write_text("task,chance\ntask,0.25\n")
    return path


@pytest.mark.heavy  # 1.7 s in the suite on a 2-core AMD EPYC
def test_a_backtest_of_one_task_has_no_average(
    one_task: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    from scalinglab.report._downstream import _backtest_section

    chance = str(one_task.with_name("chance.csv"))
    # below 200M the task leaves chance only at 100M: no screen by the refit's backtest
    args = ("downstream", "backtest", str(one_task), "--holdout", "params>=200M", "--tasks",
            "task", "--chance", chance, "--bootstrap", "20", "--law", "chinchilla",
            "--max-backtest-error", "inf")  # fmt: skip
    code, out, err = run(capsys, *args)
    assert code == 0, err
    rows = [line.split("│")[1].strip() for line in out.splitlines() if line.startswith("│")]
    assert [r for r in rows if r] == ["task"]  # as `downstream fit` shows no average of one task
    code, out, err = run(capsys, *args, "--json")
    assert code == 0, err
    assert "average" not in json.loads(out) and "nan" not in out.lower()
    evals = read_evals(one_task, chance={"task": 0.25})
    result = backtest_downstream(evals, holdout="params>=200M", tasks=["task"],
                                 law="chinchilla", bootstrap=20, max_backtest_error=None)  # fmt: skip
    assert list(result.rows()) == ["task"]
    body = _backtest_section(result).body
    assert "<th scope='row'>average</th>" not in body and "over the 1 tasks" not in body


def test_the_page_counts_and_writes_accuracy_as_the_terminal_does(
    one_task: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from scalinglab.downstream import _result
    from scalinglab.report._downstream import _average_members, _prediction_section

    assert "over the 1 task its own fit" in _average_members(("piqa",), ())
    chain = fit_downstream(read_evals(one_task, chance={"task": 0.25}), tasks=["task"],
                           law="chinchilla", bootstrap=20, max_backtest_error=None)  # fmt: skip
    real = _result.predict_model(chain, params=8e8, tokens=1.6e10)
    task = replace(real.tasks["task"], accuracy=0.85, lower=0.761, upper=0.9,
                   loss=2.735, loss_lower=2.644, loss_upper=2.84)  # fmt: skip
    shown = replace(real, tasks={"task": task})
    monkeypatch.setattr(_result, "predict_model", lambda *args, **kwargs: shown)
    body = _prediction_section(chain, 8e8, 1.6e10).body
    # the CLI's table writes 0.850 [0.761, 0.900]: three decimals, never 0.85 [0.761, 0.9]
    assert "<td class='num'>0.850</td><td class='num'>[0.761, 0.900]</td>" in body
    assert "loss 2.735 [2.644, 2.840], then each" in body


def test_an_estimate_and_its_interval_have_the_same_decimals() -> None:
    from scalinglab.cli._render import estimate  # downstream predict's and loss2loss's

    # downstream predict printed "loss_c4_val 2.735 [2.644, 2.84]"
    assert estimate(2.735, 2.644, 2.84, 4) == "2.735 [2.644, 2.840]"
    assert estimate(2.7, 2.6441, 2.84, 4) == "2.700 [2.644, 2.840]"
    assert estimate(0.0123, 0.01, 0.02, 4) == "0.01230 [0.01000, 0.02000]"
    assert estimate(3.2, 1.0, math.inf, 4) == "3.200 [1.000, ∞]"
    assert estimate(2.7, math.nan, math.nan, 4) == "2.7"  # no interval: as it was
    assert estimate(1e-5, 1e-6, 1e-4, 4) == "1e-5 [1e-6, 1e-4]"  # exponents: figures


@pytest.mark.parametrize(
    ("command", "takes"),
    [
        (["downstream", "plan"], "downstream plan takes --fit, --target-accuracy, --level"),
        (["downstream", "predict"], "downstream predict takes --fit, --params, --tokens"),
    ],
)
def test_an_unknown_option_says_what_the_command_takes(
    capsys: pytest.CaptureFixture[str], tmp_path: Path, command: list[str], takes: str
) -> None:
    code, _, text = run(capsys, *command, "--fit", str(tmp_path / "ds.json"), "--flops", "1e22")
    assert code == 2
    assert f"error: No such option: --flops ({takes}" in text
    assert "Possible options: --help" not in text
    # an option near none of its own (click guessed nothing, and the message said nothing
    # more): the same list
    code, _, text = run(capsys, *command, "--fit", str(tmp_path / "ds.json"), "--quux", "x")
    assert code == 2 and f"error: No such option: --quux ({takes}" in text
