"""The downstream commands as the issue spells them at the top level: ``scalinglab plan
--target-accuracy TASK=ACC --downstream DS.json`` and ``scalinglab report EVALS --downstream``,
checked against ``downstream plan`` and ``downstream report``, which they reuse."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import numpy as np
import pytest
from tests.test_downstream_chain import MULTS, SIZES, models

from scalinglab.cli import main
from scalinglab.downstream import DownstreamFit, plan_for_accuracy


@pytest.fixture(scope="module")
def chain(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, Path]:
    folder = tmp_path_factory.mktemp("top")
    evals = folder / "evals.csv"
    models(np.random.default_rng(0), SIZES, MULTS).to_csv(evals, index=False)
    path = folder / "ds.json"
    assert main(["downstream", "fit", str(evals), "--bootstrap", "50", "--out", str(path)]) == 0
    return evals, path


def run(capsys: pytest.CaptureFixture[str], *args: str) -> tuple[int, str, str]:
    code = main(list(args))
    out, err = capsys.readouterr()
    return code, out, err


@pytest.mark.heavy
def test_plan_target_accuracy_is_downstream_plan(
    capsys: pytest.CaptureFixture[str], chain: tuple[Path, Path]
) -> None:
    _, path = chain
    capsys.readouterr()
    code, top, err = run(capsys, "plan", "--target-accuracy", "task=0.7", "--downstream", str(path))
    assert code == 0, err
    code, sub, err = run(capsys, "downstream", "plan", "--fit", str(path),
                         "--target-accuracy", "task=0.7")  # fmt: skip
    assert code == 0, err
    assert top == sub  # one implementation, two spellings
    # the table shows the library's plan: its compute-optimal params and the interval
    p = plan_for_accuracy(DownstreamFit.load(path), "task", 0.7)
    assert p.params[1] <= p.params[0] <= p.params[2]
    assert "task" in top and "0.7" in top and "90% intervals" in top
    # --out saves what --json prints, as for a loss plan
    code, printed, _ = run(capsys, "plan", "--target-accuracy", "task=0.7", "--downstream",
                           str(path), "--json")  # fmt: skip
    saved = path.with_name("accuracy-plan.json")
    code, out, _ = run(capsys, "plan", "--target-accuracy", "task=0.7", "--downstream",
                       str(path), "--out", str(saved))  # fmt: skip
    assert code == 0 and out.startswith(top) and out.endswith(f"wrote plan: {saved}\n")
    assert saved.read_text(encoding="utf-8") == printed


@pytest.mark.heavy
def test_accuracy_plans_and_the_chain_as_json(
    capsys: pytest.CaptureFixture[str], chain: tuple[Path, Path], tmp_path: Path
) -> None:
    evals, path = chain
    capsys.readouterr()
    code, out, err = run(capsys, "plan", "--target-accuracy", "task=0.7",
                         "--downstream", str(path), "--json", "--level", "0.8")  # fmt: skip
    assert code == 0, err
    data = json.loads(out)  # nothing else on stdout
    assert data["source"]["kind"] == "downstream" and data["source"]["origin"].endswith("ds.json")
    loaded = DownstreamFit.load(path)
    assert data["query"] == {"task": "task", "target_accuracy": 0.7}  # as `plan --compute`
    for row, goal in zip([data["allocation"]], (0.7,), strict=True):
        p = plan_for_accuracy(loaded, "task", goal, level=0.8)
        assert row["task"] == "task" and row["target"] == goal and row["level"] == 0.8
        # JSON writes an unbounded end as "inf"
        got = [float(row[k]) for k in ("params", "params_lower", "params_upper")]
        assert got == pytest.approx(p.params)
        assert float(row["flops_lower"]) <= row["flops"] <= float(row["flops_upper"])
        assert row["notes"] == list(p.notes)  # a list, as a loss plan's allocation has
    code, sub, err = run(capsys, "downstream", "plan", "--fit", str(path), "--json",
                         "--target-accuracy", "task=0.7", "--level", "0.8")  # fmt: skip
    assert code == 0, err
    assert json.loads(sub)["allocation"] == data["allocation"]  # one implementation
    # downstream fit --json prints what --out writes, and only that
    saved = tmp_path / "again.json"
    code, out, err = run(capsys, "downstream", "fit", str(evals), "--bootstrap", "50",
                         "--json", "--out", str(saved))  # fmt: skip
    assert code == 0, err
    assert json.loads(out) == json.loads(saved.read_text())
    assert json.loads(out)["tasks"]["task"]["step"] is not None and f"wrote fit: {saved}" in err


@pytest.mark.parametrize(
    ("extra", "message"),
    [
        (["--target-accuracy", "task=0.7"], "--target-accuracy and --downstream go together"),
        (["--downstream", "DS"], "--target-accuracy and --downstream go together"),
        (["--target-accuracy", "task=0.7", "--downstream", "DS", "--compute", "1e21"],
         "drop --compute"),
        (["--target-accuracy", "task=x", "--downstream", "DS"], "is not a number"),
        (["--target-accuracy", "nosuch=0.7", "--downstream", "DS"], "nosuch"),
    ],
)  # fmt: skip
def test_plan_target_accuracy_bad_input(
    capsys: pytest.CaptureFixture[str],
    chain: tuple[Path, Path],
    extra: list[str],
    message: str,
) -> None:
    args = [str(chain[1]) if a == "DS" else a for a in extra]
    code, _, err = run(capsys, "plan", *args)
    assert code == 2 and message in err
    assert len(err.strip().splitlines()) <= 2 and "Traceback" not in err


def test_plan_without_a_target_still_plans(capsys: pytest.CaptureFixture[str]) -> None:
    code, out, err = run(capsys, "plan", "--compute", "1e21", "--preset", "hoffmann2022", "--json")
    assert code == 0, err
    assert json.loads(out)["allocation"]["params"] > 0


def test_report_downstream_needs_an_evaluation_table(
    capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    code, _, err = run(capsys, "report", "--downstream", "--out", str(tmp_path / "r.html"))
    assert code == 2 and "--downstream reads evaluations" in err
    code, _, err = run(capsys, "report", "--downstream", "--store", str(tmp_path / "no.duckdb"),
                       "--out", str(tmp_path / "r.html"))  # fmt: skip
    assert code == 2 and "run store not found" in err


def test_report_downstream_chooses_the_loss_law_as_downstream_report_does(
    capsys: pytest.CaptureFixture[str],
    chain: tuple[Path, Path],
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    import scalinglab.cli._cmd_downstream_report as page

    laws: list[str] = []
    monkeypatch.setattr(
        page, "write_downstream_report",
        lambda data, out, **options: laws.append(options["law"]) or (),  # (): no warnings
    )  # fmt: skip
    out = str(tmp_path / "r.html")
    assert main(["report", str(chain[0]), "--downstream", "--out", out]) == 0
    assert main(["report", str(chain[0]), "--downstream", "--law", "kaplan", "--out", out]) == 0
    assert laws == ["auto", "kaplan"]  # `report`'s own default (chinchilla) is for loss pages
    capsys.readouterr()
    code, _, err = run(capsys, "report", str(chain[0]), "--downstream", "--json", "--out", out)
    assert code == 2 and "the --downstream page has no JSON form" in err
    assert "downstream fit or downstream backtest --json" in " ".join(err.split())


@pytest.mark.slow  # ~10 s: the page renders the loss fit and the per-task figures
def test_report_downstream_has_the_sections(
    capsys: pytest.CaptureFixture[str], chain: tuple[Path, Path], tmp_path: Path
) -> None:
    page = tmp_path / "report.html"
    code, out, err = run(capsys, "report", str(chain[0]), "--downstream", "--bootstrap", "20",
                         "--holdout", "params>=200M", "--out", str(page))  # fmt: skip
    assert code == 0, err
    html = page.read_text()
    for heading in ("Downstream: accuracy against loss", "Downstream: backtest per task"):
        assert heading in html
    assert "not predictable from these runs: at chance" in html and f"wrote report: {page}" in out
    assert "not predictable: " not in html  # the prediction table says the task table's words


@pytest.mark.heavy  # 1.0 s in the suite on a 2-core AMD EPYC
def test_average_of_names_the_averaged_tasks(
    capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    """``--average-of`` averages the tasks named, read even where ``--tasks`` leaves them
    out (a flat task included): the backtest's average row is the library's."""
    from tests.test_downstream_average import models as three_tasks

    from scalinglab.downstream import backtest_downstream, read_evals

    path = tmp_path / "three.csv"
    frame = three_tasks(np.random.default_rng(6))
    frame.to_csv(path, index=False)
    code, out, err = run(
        capsys, "downstream", "backtest", str(path), "--holdout", "params>=200M", "--tasks",
        "t1", "--average-of", "t1,t2,t3,flat", "--task-law", "exp-error", "--law", "chinchilla",
        "--bootstrap", "0", "--max-backtest-error", "inf", "--json", "--average-law", "exp-error",
    )  # fmt: skip
    assert code == 0, err
    result = json.loads(out)
    assert result["average"]["members"] == ["t1", "t2", "t3", "flat"]
    expected = backtest_downstream(
        read_evals(frame), holdout="params>=200M", tasks=["t1"], task_law="exp-error",
        law="chinchilla", bootstrap=0, max_backtest_error=None, average_of=["t1", "t2", "t3", "flat"],
        average_law="exp-error",
    ).average()  # fmt: skip
    held = frame[frame.params >= 2e8]
    truth = held[["acc_t1", "acc_t2", "acc_t3", "acc_flat"]].mean(axis=1).to_numpy()
    np.testing.assert_allclose(expected.actual, truth)
    assert result["average"]["abs_error"] == pytest.approx(expected.abs_error, rel=1e-9)
    code, out, err = run(
        capsys, "downstream", "fit", str(path), "--task", "t1", "--average-of", "t1",
        "--bootstrap", "0",
    )  # fmt: skip
    assert code == 2 and "--average-of needs two tasks or more" in err


def test_report_downstream_reads_via_and_where_as_downstream_report_does(
    capsys: pytest.CaptureFixture[str],
    chain: tuple[Path, Path],
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """``--via`` (the loss column the chain goes through) and ``--where`` (the runs kept)
    mean on ``report --downstream`` what they mean on ``downstream report``: the same
    evaluations reach the page; without --downstream they are refused."""
    import pandas as pd

    import scalinglab.cli._cmd_downstream_report as page

    frame = pd.read_csv(chain[0])
    frame["loss_c4"] = frame["loss"] * 1.1
    frame["dataset"] = np.where(np.arange(len(frame)) % 2 == 0, "a", "b")
    path = tmp_path / "evals.csv"
    frame.to_csv(path, index=False)
    seen: list[Any] = []
    out = str(tmp_path / "r.html")
    chance = tmp_path / "chance.csv"
    chance.write_text("task,chance\ntask,0.25\nflat,0.5\n")
    commands: list[str] = []
    monkeypatch.setattr(
        page, "write_downstream_report",
        lambda data, out, **options: seen.append(data) or commands.append(options["command"])
        or (),  # (): no warnings
    )  # fmt: skip
    choose = ["--via", "loss_c4", "--where", "dataset=a", "--tasks", "task,flat",
              "--chance", str(chance)]  # fmt: skip
    assert main(["report", str(path), "--downstream", *choose, "--out", out]) == 0
    assert main(["downstream", "report", str(path), *choose, "--out", out]) == 0
    top, own = seen
    assert top.via == own.via == "loss_c4"
    assert sorted(top.tasks) == sorted(own.tasks) == ["flat", "task"]
    assert top.chance == own.chance and top.chance["task"] == 0.25
    # the page's card holds the command that made it, every reading option spelled out
    for command, words in zip(commands, (["report", str(path), "--downstream"],
                                          ["downstream", "report", str(path)]), strict=True):  # fmt: skip
        assert command.startswith("scalinglab " + " ".join(words))
        assert all(w in command for w in ("--tasks task,flat", "--chance", "--bootstrap")), command
    assert top.runs.runs == own.runs.runs
    assert len(top.runs) == (len(frame) + 1) // 2
    assert np.array_equal(top.runs["loss"], own.runs["loss"])
    capsys.readouterr()
    # --where keeps runs on every page (tests/test_cli_where.py, tests/test_where_hparams.py)
    code, _, err = run(capsys, "report", str(path), "--chance", str(chance), "--out", out)
    assert code == 2 and "--chance chooses the evaluations of a --downstream page" in err
    # and the loss page's --y is not silently ignored (the chain went through another loss)
    code, _, err = run(capsys, "report", str(path), "--downstream", "--y", "loss_c4", "--out", out)
    assert code == 2 and "--y is an option of the loss-law report" in err and "--via" in err


def test_report_downstream_reads_map_and_drop_outliers_as_downstream_fit_does(
    capsys: pytest.CaptureFixture[str], tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """``--map`` and ``--drop-outliers`` reach both downstream pages, as ``downstream fit``
    reads them: a renamed size column, a diverged model left out."""
    import scalinglab.cli._cmd_downstream_report as page

    frame = models(np.random.default_rng(3), SIZES, MULTS).rename(columns={"tokens": "seen"})
    frame.loc[3, "loss"] *= 3  # m3: a diverged run
    path = tmp_path / "evals.csv"
    frame.to_csv(path, index=False)
    seen: list[Any] = []
    monkeypatch.setattr(
        page, "write_downstream_report",
        lambda data, out, **options: seen.append((data, options["command"])) or (),
    )  # fmt: skip
    out = str(tmp_path / "r.html")
    choose = ["--map", "tokens=seen", "--drop-outliers"]
    assert main(["report", str(path), "--downstream", *choose, "--out", out]) == 0
    assert main(["downstream", "report", str(path), *choose, "--out", out]) == 0
    capsys.readouterr()
    code, fitted, err = run(capsys, "downstream", "fit", str(path), *choose, "--bootstrap", "0",
                            "--max-backtest-error", "inf", "--json")  # fmt: skip
    assert code == 0, err
    for data, command in seen:
        assert list(data.runs.runs) == json.loads(fitted)["runs"]
        assert "m3" not in data.runs.runs and len(data.runs) == len(frame) - 1
        np.testing.assert_allclose(data.runs["tokens"], frame["seen"].drop(index=3))
        assert "--map tokens=seen --drop-outliers" in command
    # the refusal of the loss page's fitting options no longer says every model is fitted
    code, _, err = run(capsys, "report", str(path), "--downstream", "--robust-loss", "squared")
    assert code == 2 and "on the models kept" in err and "(and --drop-outliers)" in err
