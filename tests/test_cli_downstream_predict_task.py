"""``downstream predict --task``: only the tasks named (and the average where named), with
the numbers the whole prediction gives them; a task the chain lacks is refused with those
it holds, ``average`` of a chain without one with why."""

from __future__ import annotations

import json
from pathlib import Path

import numpy as np
import pytest
from tests.test_downstream_chain import MULTS, SIZES, models

from scalinglab.cli import main
from scalinglab.cli._cmd_downstream_predict import _AVERAGE
from scalinglab.downstream._average import AVERAGE


def _fit(tmp: Path, *tasks: str) -> Path:
    frame = models(np.random.default_rng(0), SIZES, MULTS)
    # a second task that leaves chance (piqa's built-in level, 0.5): the chain averages two
    frame["acc_piqa"] = 0.5 + 0.4 / (1 + np.exp(3.0 * (frame["loss"] - 3.0)))
    evals, chain = tmp / "evals.csv", tmp / f"chain_{len(tasks)}.json"
    frame.to_csv(evals, index=False)
    args = ["downstream", "fit", str(evals), "--tasks", ",".join(tasks), "--law", "chinchilla"]
    assert main([*args, "--bootstrap", "20", "--out", str(chain)]) == 0
    return chain


@pytest.fixture(scope="module")
def chain(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return _fit(tmp_path_factory.mktemp("ds"), "task", "piqa", "hellaswag")


def _predict(capsys: pytest.CaptureFixture[str], chain: Path, *extra: str) -> tuple[int, str, str]:
    capsys.readouterr()
    code = main(["downstream", "predict", "--fit", str(chain), "--params", "400M",
                 "--tokens", "8B", *extra])  # fmt: skip
    out, err = capsys.readouterr()
    return code, out, err


def test_average_name_is_the_librarys() -> None:
    assert _AVERAGE == AVERAGE


def test_only_the_tasks_named_with_the_whole_predictions_numbers(
    capsys: pytest.CaptureFixture[str], chain: Path
) -> None:
    code, out, err = _predict(capsys, chain, "--json")
    assert code == 0, err
    whole = json.loads(out)
    assert set(whole["tasks"]) == {"task", "piqa", "hellaswag"} and "average" in whole
    code, out, err = _predict(capsys, chain, "--task", "piqa", "--task", "average", "--json")
    assert code == 0, err
    some = json.loads(out)
    assert list(some["tasks"]) == ["piqa"]
    assert some["tasks"]["piqa"] == whole["tasks"]["piqa"]  # each task draws its own stream
    assert some["average"] == whole["average"]
    code, out, err = _predict(capsys, chain, "--task", "hellaswag,task")
    assert code == 0, err
    rows = [line.split("│")[1].strip() for line in out.splitlines() if line.startswith("│")]
    assert [r for r in rows if r] == ["task", "hellaswag"]  # the chain's order
    assert "average" not in out and "piqa" not in out


def test_an_unknown_task_names_the_chains(capsys: pytest.CaptureFixture[str], chain: Path) -> None:
    code, out, err = _predict(capsys, chain, "--task", "piqq")
    assert code == 2 and out == ""
    assert "unknown task 'piqq' in the chain; did you mean 'piqa'?" in err
    assert "the tasks are task, piqa, hellaswag, average" in err
    assert "Traceback" not in err
    code, _, err = _predict(capsys, chain, "--task", "averge")
    assert code == 2 and "did you mean 'average'?" in err


def test_average_of_a_chain_without_one(capsys: pytest.CaptureFixture[str], tmp_path: Path) -> None:
    one = _fit(tmp_path, "task")
    code, out, err = _predict(capsys, one, "--task", "average")
    assert code == 2 and out == ""
    assert "the chain has no average" in err and "1 task (task)" in err


def test_the_note_column_only_where_a_task_has_a_note(
    capsys: pytest.CaptureFixture[str], chain: Path
) -> None:
    """A table of predictable tasks alone had an empty "note" column: it is there only for a
    task not predictable, which is what it says."""
    code, out, _ = _predict(capsys, chain)  # hellaswag at chance in every fitted run
    head = next(line for line in out.splitlines() if line.startswith("┃"))
    assert code == 0 and "not predictable from these runs: at chance" in out
    assert [c.strip() for c in head.strip("┃").split("┃")][-1] == "note"
    code, out, _ = _predict(capsys, chain, "--task", "task,piqa")
    head = next(line for line in out.splitlines() if line.startswith("┃"))
    assert code == 0 and "not predictable" not in out
    assert [c.strip() for c in head.strip("┃").split("┃")][-1] != "note"
