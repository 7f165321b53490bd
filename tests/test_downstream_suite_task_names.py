"""Task names as evaluation suites write them (``harness|hellaswag|10``, lighteval's
``leaderboard|arc:challenge|25``) take the built-in chance level and number of examples of
the task they hold, with a note, so that their chains are those of the plain names."""

from __future__ import annotations

import math
from pathlib import Path

import numpy as np
import pandas as pd
import pytest

from scalinglab import ConfigError, fit_downstream, read_evals
from scalinglab.downstream._task_names import task_base

SUITE = {
    "hellaswag": "harness|hellaswag|10",
    "arc_challenge": "leaderboard|arc:challenge|25",
    "mmlu": "lighteval|mmlu:anatomy|5",
    "mytask": "harness|mytask|0",
}


def _files(tmp_path: Path, names: dict[str, str]) -> tuple[Path, Path]:
    rng = np.random.default_rng(0)
    runs, rows = [], []
    for i, (n, d) in enumerate((n, d) for n in (2e7, 6e7, 2e8) for d in (1e9, 4e9, 1.6e10)):
        loss = 1.8 + 400 / n**0.34 + 400 / d**0.28
        runs.append((f"m{i}", n, d, loss))
        for k, task in enumerate(names.values()):
            acc = 0.25 + 0.6 / (1 + math.exp(3.0 * (loss - 3.2 + 0.1 * k))) + rng.normal(0, 0.003)
            rows.append((f"m{i}", task, "acc", acc))
    run_file, eval_file = tmp_path / "runs.csv", tmp_path / "evals.csv"
    pd.DataFrame(runs, columns=["run", "params", "tokens", "loss"]).to_csv(run_file, index=False)
    pd.DataFrame(rows, columns=["run", "task", "metric", "value"]).to_csv(eval_file, index=False)
    return eval_file, run_file


def test_task_base_reads_the_task_between_suite_and_shots() -> None:
    assert task_base("harness|hellaswag|10") == "hellaswag"
    assert task_base("leaderboard|arc:challenge|25") == "arc_challenge"
    assert task_base("leaderboard|hellaswag") == "hellaswag"
    assert task_base("hellaswag") == "hellaswag"


def test_suite_names_take_the_built_in_chance_and_examples(tmp_path: Path) -> None:
    evals = read_evals(*_files(tmp_path, SUITE)[:1], runs=_files(tmp_path, SUITE)[1])
    chance = dict(evals.chance)
    assert chance["harness|hellaswag|10"] == 0.25
    assert chance["leaderboard|arc:challenge|25"] == 0.25
    assert chance["lighteval|mmlu:anatomy|5"] == 0.25  # a subject of MMLU: mmlu's
    assert math.isnan(chance["harness|mytask|0"])  # no task built in: unknown, as before
    assert dict(evals.examples) == {
        "harness|hellaswag|10": 10042,
        "leaderboard|arc:challenge|25": 1172,
        "lighteval|mmlu:anatomy|5": 14042,
    }
    said = [n for n in evals.notes if n.startswith("built-in chance levels")]
    assert said == [
        "built-in chance levels read by the task each suite's name holds (suite|task|shots): "
        "harness|hellaswag|10 as hellaswag (0.25), leaderboard|arc:challenge|25 as "
        "arc_challenge (0.25), lighteval|mmlu:anatomy|5 as mmlu (0.25)"
    ]


def test_a_given_level_wins_over_the_built_in_one_without_the_note(tmp_path: Path) -> None:
    evals_file, runs = _files(tmp_path, SUITE)
    evals = read_evals(evals_file, runs=runs, chance={"harness|hellaswag|10": 0.3})
    assert evals.chance["harness|hellaswag|10"] == pytest.approx(0.3)
    assert not any("harness|hellaswag|10 as" in n for n in evals.notes)


def test_a_suite_name_fits_the_chain_of_its_plain_name(tmp_path: Path) -> None:
    plain_dir, suite_dir = tmp_path / "plain", tmp_path / "suite"
    plain_dir.mkdir(), suite_dir.mkdir()
    plain = read_evals(*_files(plain_dir, {"hellaswag": "hellaswag"})[:1],
                       runs=_files(plain_dir, {"hellaswag": "hellaswag"})[1])  # fmt: skip
    one = {"hellaswag": SUITE["hellaswag"]}
    suite = read_evals(*_files(suite_dir, one)[:1], runs=_files(suite_dir, one)[1])
    options = {"law": "overtraining", "bootstrap": 0, "max_backtest_error": None}
    a = fit_downstream(plain, **options).tasks["hellaswag"]
    b = fit_downstream(suite, **options).tasks[SUITE["hellaswag"]]
    assert a.step is not None and b.step is not None
    assert b.step.law.param_names == a.step.law.param_names == ("a", "k", "L0")  # floor tied
    for name in a.step.law.param_names:
        assert b.step.coefs[name] == pytest.approx(a.step.coefs[name], rel=1e-9)


@pytest.mark.heavy  # 1.0 s in the suite on a 2-core AMD EPYC
def test_the_plain_name_asks_for_the_one_suite_name_holding_it(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """``--tasks hellaswag`` where the file names it ``harness|hellaswag|10`` said "unknown
    task 'hellaswag'": it is that task, with a note, the same chain as its full name."""
    from tests._cli import cli

    evals_file, runs_file = _files(tmp_path, SUITE)
    options = {"law": "overtraining", "bootstrap": 0, "max_backtest_error": None}
    full = fit_downstream(read_evals(evals_file, runs=runs_file), tasks=SUITE["hellaswag"],
                          **options).tasks[SUITE["hellaswag"]]  # fmt: skip
    note = "task 'hellaswag' read as 'harness|hellaswag|10', the one task of the evaluations"
    read = read_evals(evals_file, runs=runs_file, tasks="hellaswag")
    assert read.tasks == (SUITE["hellaswag"],)
    for evals in (read, read_evals(evals_file, runs=runs_file)):  # by the reader, or the fit
        chain = fit_downstream(evals, tasks="hellaswag", **options)
        assert list(chain.tasks) == [SUITE["hellaswag"]]
        assert [n for n in chain.notes if n.startswith("task 'hellaswag'")] == [
            note + " that holds it"
        ]
        got, want = chain.tasks[SUITE["hellaswag"]].step, full.step
        assert got is not None and want is not None
        for name in want.law.param_names:
            assert got.coefs[name] == pytest.approx(want.coefs[name], rel=1e-12)
    arc = read_evals(evals_file, runs=runs_file, tasks=["arc:challenge", "arc_challenge"])
    assert arc.tasks == (SUITE["arc_challenge"],)
    code, out, err = cli(capsys, "downstream", "fit", str(evals_file), "--runs", str(runs_file),
                         "--tasks", "hellaswag", "--law", "overtraining", "--bootstrap", "0")  # fmt: skip
    assert code == 0, err
    assert note in " ".join(out.split()) and "harness|hellaswag|10" in out.split("┡")[1]


def test_a_plain_name_several_suite_names_hold_is_refused_with_them(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    from tests._cli import refused

    both = {"a": "harness|hellaswag|10", "b": "leaderboard|hellaswag|25", "c": "harness|piqa|0"}
    evals_file, runs_file = _files(tmp_path, both)
    error, hint = refused(capsys, ["downstream", "fit", str(evals_file), "--runs", str(runs_file),
                                   "--tasks", "hellaswag", "--bootstrap", "0"])  # fmt: skip
    assert error == (
        f"error: task 'hellaswag' is held by 2 tasks in {evals_file}: "
        "harness|hellaswag|10, leaderboard|hellaswag|25"
    )
    assert hint == "hint: name the one meant in full, e.g. 'harness|hellaswag|10'"
    evals = read_evals(evals_file, runs=runs_file)
    with pytest.raises(ConfigError, match="is held by 2 tasks"):
        evals.task("hellaswag")
    assert evals.task("piqa") == "harness|piqa|0"
    with pytest.raises(ConfigError, match="unknown task 'mmlu'"):
        evals.task("mmlu")


@pytest.mark.heavy  # 1.1 s in the suite on a 2-core AMD EPYC
def test_plan_and_average_of_read_a_plain_name_as_fit_does(tmp_path: Path) -> None:
    """``plan_for_accuracy(chain, 'hellaswag')`` said "unknown task 'hellaswag'" of a chain
    whose task is ``harness|hellaswag|10``, and ``average_of=['hellaswag']`` read it with no
    note: both read it as ``tasks=`` does, with its note, the same plan and average."""
    from scalinglab import plan_for_accuracy

    evals_file, runs_file = _files(tmp_path, SUITE)
    evals = read_evals(evals_file, runs=runs_file)
    options = {"law": "overtraining", "bootstrap": 0, "max_backtest_error": None}
    members = [SUITE["hellaswag"], SUITE["arc_challenge"]]
    full = fit_downstream(evals, average_of=members, **options)
    plain = fit_downstream(evals, average_of=["hellaswag", "arc:challenge"], **options)
    assert full.average is not None and plain.average is not None
    assert plain.average.members == full.average.members == tuple(members)
    for name, task in zip(("hellaswag", "arc:challenge"), members, strict=True):
        note = f"task {name!r} read as {task!r}, the one task of the "
        assert [n for n in plain.notes if n.startswith(note)] == [
            note + "evaluations that holds it"
        ]
        assert not any(n.startswith(note) for n in full.notes)
    want = plan_for_accuracy(full, SUITE["hellaswag"], 0.5)
    got = plan_for_accuracy(full, "hellaswag", 0.5)
    assert got.task == SUITE["hellaswag"]
    assert got.flops[0] == pytest.approx(want.flops[0], rel=1e-12)
    assert got.notes[0] == (
        "task 'hellaswag' read as 'harness|hellaswag|10', the one task of the evaluations "
        "that holds it"
    )
    assert got.notes[1:] == want.notes
    with pytest.raises(ConfigError, match="unknown task 'piqa' in the chain"):
        plan_for_accuracy(full, "piqa", 0.5)
