"""``downstream report`` and ``report --downstream`` write one page from one set of options,
with one default: both backtest per task on the top decile unless told (``--holdout``), and
``--no-validate`` drops the backtest on both (``downstream report`` wrote none without
``--holdout``, ``report --downstream`` one on the top decile). ``--task`` takes tasks as
``--tasks`` does, comma-separated, on every command, ``report --downstream`` included."""

from __future__ import annotations

import json
import re
from pathlib import Path
from typing import Any

import numpy as np
import pytest
from tests.test_downstream_chain import MULTS, SIZES, models

from scalinglab.cli import main

_TOP = ["report", "--downstream"]
_OWN = ["downstream", "report"]


@pytest.fixture(scope="module")
def evals(tmp_path_factory: pytest.TempPathFactory) -> Path:
    path = tmp_path_factory.mktemp("agree") / "evals.csv"
    models(np.random.default_rng(0), SIZES, MULTS).to_csv(path, index=False)
    return path


@pytest.fixture
def pages(monkeypatch: pytest.MonkeyPatch) -> list[tuple[Any, dict[str, Any]]]:
    """What each command would write the page from: the evaluations read, and the options."""
    import scalinglab.cli._cmd_downstream_report as page

    seen: list[tuple[Any, dict[str, Any]]] = []
    monkeypatch.setattr(
        page, "write_downstream_report",
        lambda data, out, **options: seen.append((data, options)) or (),
    )  # fmt: skip
    return seen


def _write(command: list[str], evals: Path, tmp_path: Path, *options: str) -> None:
    argv = [*command[:1], str(evals), *command[1:]] if command == _TOP else [*command, str(evals)]
    assert main([*argv, "--bootstrap", "0", *options, "--out", str(tmp_path / "r.html")]) == 0


@pytest.mark.parametrize(
    ("options", "holdout", "card"),
    [
        ((), "top-decile", "--holdout top-decile"),
        (("--holdout", "params>=200M"), "params>=200M", "--holdout 'params>=200M'"),
        (("--no-validate",), None, "--no-validate"),
    ],
)
def test_both_commands_give_the_page_the_same_options(
    evals: Path,
    tmp_path: Path,
    pages: list[tuple[Any, dict[str, Any]]],
    options: tuple[str, ...],
    holdout: str | None,
    card: str,
) -> None:
    for command in (_TOP, _OWN):
        _write(command, evals, tmp_path, *options)
    (top_data, top), (own_data, own) = pages
    assert top["holdout"] == own["holdout"] == holdout
    assert card in top["command"] and card in own["command"]
    assert ("--holdout" in own["command"]) == (holdout is not None)
    assert sorted(top_data.tasks) == sorted(own_data.tasks)
    same = set(own) - {"command"}
    assert {k: top[k] for k in same} == {k: own[k] for k in same}


def test_downstream_report_refuses_holdout_with_no_validate(
    evals: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    out = tmp_path / "r.html"
    argv = [*_OWN, str(evals), "--holdout", "top-decile", "--no-validate", "--out", str(out)]
    assert main(argv) == 2
    err = " ".join(capsys.readouterr().err.split())
    assert "error: --holdout top-decile chooses the runs the backtest holds out, and " in err
    assert "--no-validate turns the backtest off" in err and not out.exists()


def test_the_help_of_both_says_the_one_default(capsys: pytest.CaptureFixture[str]) -> None:
    def helped(*command: str) -> str:
        assert main([*command, "--help"]) == 0
        text = capsys.readouterr().out.replace("│", " ")
        # a word the help's panel broke at its hyphen ("top-" / "decile"), whole again
        return " ".join(re.sub(r"(\w-) *\n *", r"\1", text).split())

    own = helped(*_OWN)
    assert "Models the per-task backtest holds out: a predicate ('params>=400M', " in own
    assert "as scalinglab backtest --holdout takes them [default: top-decile]." in own
    assert "--validate / --no-validate Add the per-task backtest (holding out --holdout), " \
        "as report --downstream does. [default: validate]" in own  # fmt: skip
    top = helped("report")
    assert "write the page `downstream report` writes from the same options, with its " \
        "defaults" in top  # fmt: skip
    assert "the per-task backtest (holding out --holdout, top-decile by default; " \
        "--no-validate: none)" in top  # fmt: skip
    assert "--drop-outliers, --task, --tasks, --chance" in top
    fit = helped("downstream", "fit")
    assert "A task to fit; several: comma-separated or repeated ('all': every task)" in fit


@pytest.mark.heavy
def test_task_takes_commas_as_tasks_does(evals: Path, capsys: pytest.CaptureFixture[str]) -> None:
    # "--task task,flat" was read as one task named 'task,flat': "unknown task 'task,flat'"
    base = ["downstream", "fit", str(evals), "--bootstrap", "0", "--max-backtest-error", "inf"]
    said = []
    for tasks in (["--task", "task,flat"], ["--task", "task", "--task", "flat"],
                  ["--tasks", "task,flat"], ["--task", "task, flat,task"]):  # fmt: skip
        assert main([*base, *tasks, "--json"]) == 0
        said.append(json.loads(capsys.readouterr().out))
    assert sorted(said[0]["tasks"]) == ["flat", "task"]
    assert all(s == said[0] for s in said[1:])
    assert main([*base, "--task", "task,nosuch"]) == 2
    assert "unknown task 'nosuch'" in capsys.readouterr().err


def test_report_downstream_takes_task_as_downstream_report_does(
    evals: Path,
    tmp_path: Path,
    pages: list[tuple[Any, dict[str, Any]]],
    capsys: pytest.CaptureFixture[str],
) -> None:
    # `report EVALS --downstream --task hellaswag` was "No such option: --task"
    for command in (_TOP, _OWN):
        _write(command, evals, tmp_path, "--task", "flat", "--no-validate")
    _write(_TOP, evals, tmp_path, "--task", "flat,task", "--no-validate")
    (top, top_options), (own, own_options), (both, _) = pages
    assert list(top.tasks) == list(own.tasks) == ["flat"]
    assert sorted(both.tasks) == ["flat", "task"]
    assert "--task flat" in top_options["command"] and "--task flat" in own_options["command"]
    out = str(tmp_path / "r.html")
    assert main(["report", str(evals), "--task", "flat", "--out", out]) == 2
    err = " ".join(capsys.readouterr().err.split())
    assert "--task chooses the evaluations of a --downstream page; --downstream was not " \
        "given" in err  # fmt: skip
    assert main([*_TOP[:1], str(evals), *_TOP[1:], "--task", "a", "--tasks", "b"]) == 2
    assert "give --task or --tasks, not both" in capsys.readouterr().err
