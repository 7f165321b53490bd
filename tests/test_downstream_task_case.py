"""Task columns of a wide evaluation table read regardless of case (``Acc_arc_easy``,
``ACC_HellaSwag``), as a run table reads ``Loss``: with a note, each task by its name
lower-cased, whose built-in chance level it keeps."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pandas as pd
import pytest
from tests._cli import cli

import scalinglab
from scalinglab.downstream._evals_scores import scores_by_task


def _evals() -> pd.DataFrame:
    """12 models on a Chinchilla law's losses; accuracies on a sigmoid of the loss above
    chance (0.25 for both tasks: four choices each)."""
    rng = np.random.default_rng(0)
    n = np.repeat(np.geomspace(2e7, 1e9, 6), 2)
    d = n * np.tile([20.0, 80.0], 6)
    loss = 1.8 + 400 * n**-0.34 + 400 * d**-0.28
    acc = {
        task: 0.25 + (top - 0.25) / (1 + np.exp(k * (loss - 3.0))) + rng.normal(0, 0.005, 12)
        for task, top, k in (("arc_easy", 0.9, 4.0), ("hellaswag", 0.85, 3.0))
    }
    return pd.DataFrame(
        {
            "run": [f"m{i}" for i in range(12)],
            "params": n,
            "tokens": d,
            "loss": loss,
            **{f"acc_{t}": v for t, v in acc.items()},
        }
    )


def test_mixed_case_task_columns_are_read_as_their_tasks() -> None:
    plain = _evals()
    cased = plain.rename(columns={"acc_arc_easy": "Acc_arc_easy", "acc_hellaswag": "ACC_HellaSwag"})
    ours, theirs = scalinglab.read_evals(plain), scalinglab.read_evals(cased)
    assert theirs.tasks == ("arc_easy", "hellaswag") == ours.tasks
    assert theirs.chance == {"arc_easy": 0.25, "hellaswag": 0.25}  # by the lower-cased name
    assert (
        "task columns read regardless of case: 'Acc_arc_easy' read as acc_arc_easy, "
        "'ACC_HellaSwag' read as acc_hellaswag"
    ) in theirs.notes
    for task in ours.tasks:
        np.testing.assert_array_equal(theirs.accuracy(task), plain[f"acc_{task}"].to_numpy())


def test_a_column_named_exactly_wins_over_one_alike_but_for_case() -> None:
    both = _evals().assign(ACC_ARC_EASY=0.5)
    evals = scalinglab.read_evals(both)
    np.testing.assert_array_equal(evals.accuracy("arc_easy"), both["acc_arc_easy"].to_numpy())
    assert (
        "task columns read regardless of case: 'ACC_ARC_EASY' left out: acc_arc_easy is read "
        "from 'acc_arc_easy'"
    ) in evals.notes


def test_downstream_fit_reads_mixed_case_columns(
    capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    path = tmp_path / "evals.csv"
    cased = _evals().rename(columns={"acc_arc_easy": "Acc_arc_easy"})
    cased.to_csv(path, index=False)
    code, out, err = cli(
        capsys, "downstream", "fit", str(path), "--law", "chinchilla", "--bootstrap", "0"
    )
    said = " ".join((out + err).split())
    assert code == 0, said
    assert "'Acc_arc_easy' read as acc_arc_easy" in said and "no task columns" not in said


def test_a_task_named_in_mixed_case_keeps_its_chance_level() -> None:
    plain = _evals()
    cased = plain.rename(columns={"acc_hellaswag": "acc_HellaSwag"})  # metric exact, task not
    evals = scalinglab.read_evals(cased)
    assert evals.tasks == ("arc_easy", "hellaswag")
    assert evals.chance["hellaswag"] == 0.25
    assert "task columns read regardless of case: 'acc_HellaSwag' read as acc_hellaswag" in (
        evals.notes
    )
    # a task's column named outright, as --task ACC_HellaSwag names it
    named = scalinglab.read_evals(
        plain.rename(columns={"acc_hellaswag": "ACC_HellaSwag"}), tasks=["ACC_HellaSwag"]
    )
    assert named.tasks == ("hellaswag",) and named.chance == {"hellaswag": 0.25}
    np.testing.assert_array_equal(named.accuracy("hellaswag"), plain["acc_hellaswag"].to_numpy())


@pytest.mark.parametrize(
    ("name", "expected"),
    [
        ("Acc_arc_easy", ("arc_easy", "acc")),
        ("ACC_NORM_HellaSwag", ("hellaswag", "acc_norm")),  # not acc of norm_hellaswag
        ("acc_HellaSwag", ("hellaswag", "acc")),
        ("Acc_Stderr_PIQA", ("piqa", "acc_stderr")),
    ],
)
def test_ingest_names_a_mixed_case_score_as_downstream_reads_it(
    name: str, expected: tuple[str, str]
) -> None:
    from scalinglab.ingest._scores import score_name

    assert score_name(name) == expected
    column = f"{expected[1]}_{expected[0]}"  # the lower-case column downstream reads it as
    by_task, notes = scores_by_task([name])
    assert by_task == {expected[0]: {expected[1]: name}}
    assert notes == [f"task columns read regardless of case: {name!r} read as {column}"]


@pytest.mark.heavy
def test_ingest_stores_mixed_case_score_columns_as_their_tasks(
    capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    from scalinglab.store import RunStore

    plain = _evals()
    cased = plain.rename(columns={"acc_arc_easy": "Acc_arc_easy", "acc_hellaswag": "ACC_HellaSwag"})
    cased = cased.assign(ACC_PIQA=0.5, acc_piqa=plain["acc_arc_easy"] - 0.1)  # both: lower wins
    path, store = tmp_path / "evals.csv", tmp_path / "s.duckdb"
    cased.to_csv(path, index=False)
    code, out, _ = cli(capsys, "ingest", str(path), "--store", str(store))
    said = " ".join(out.split())
    assert code == 0, said
    assert "evaluation scores: 36 added" in said  # 12 runs, 3 tasks
    assert (
        "note: task columns read regardless of case: 'Acc_arc_easy' read as acc_arc_easy, "
        "'ACC_HellaSwag' read as acc_hellaswag, 'ACC_PIQA' left out: acc_piqa is read from "
        "'acc_piqa'"
    ) in said
    names = RunStore(store).runs_frame().set_index("run_id")["name"]
    got = {(names[r], t, m): v for r, t, m, v in RunStore(store).evals().itertuples(index=False)}
    assert {(t, m) for _, t, m in got} == {
        ("arc_easy", "acc"),
        ("hellaswag", "acc"),
        ("piqa", "acc"),
    }
    for k, run in enumerate(plain["run"]):
        for task, column in (("arc_easy", "Acc_arc_easy"), ("hellaswag", "ACC_HellaSwag")):
            assert got[(run, task, "acc")] == pytest.approx(cased[column][k], rel=1e-12)
        assert got[(run, "piqa", "acc")] == pytest.approx(cased["acc_piqa"][k], rel=1e-12)
    # downstream reads the store as one of the same scores named in lower case: the same fit
    lower, again = tmp_path / "lower.csv", tmp_path / "lower.duckdb"
    plain.assign(acc_piqa=cased["acc_piqa"]).to_csv(lower, index=False)
    assert cli(capsys, "ingest", str(lower), "--store", str(again))[0] == 0
    shown = []
    for stored in (store, again):
        args = ("downstream", "fit", "--store", str(stored), "--law", "chinchilla", "--bootstrap")
        code, out, err = cli(capsys, *args, "0", "--tasks", "all")
        assert code == 0, out + err
        shown.append(" ".join(out.replace(str(stored), "STORE").split()))
    assert shown[0] == shown[1] and "read regardless of case" not in shown[0]
    assert "hellaswag │ 0.25 │" in shown[0]  # its built-in chance level, by its lower-case name


def test_a_bare_task_column_is_matched_regardless_of_case() -> None:
    """``HellaSwag`` and ``ARC_Easy`` named as tasks ``hellaswag`` and ``arc_easy``: read as
    the bare lower-case columns are, with each task's built-in chance level, and a note
    naming the user's column."""
    bare = _evals().rename(columns={"acc_arc_easy": "arc_easy", "acc_hellaswag": "hellaswag"})
    cased = bare.rename(columns={"arc_easy": "ARC_Easy", "hellaswag": "HellaSwag"})
    ours = scalinglab.read_evals(bare, tasks=["hellaswag", "arc_easy"])
    theirs = scalinglab.read_evals(cased, tasks=["hellaswag", "arc_easy"])
    assert theirs.tasks == ("hellaswag", "arc_easy") == ours.tasks
    assert theirs.chance == {"hellaswag": 0.25, "arc_easy": 0.25}
    for task in ours.tasks:
        np.testing.assert_array_equal(theirs.accuracy(task), bare[task].to_numpy())
    assert "column 'HellaSwag' read as task hellaswag (regardless of case)" in theirs.notes
    assert "column 'ARC_Easy' read as task arc_easy (regardless of case)" in theirs.notes
    assert not any("regardless of case" in n for n in ours.notes)


def test_bare_task_columns_alike_but_for_case_are_refused_naming_both(
    capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    frame = _evals().rename(columns={"acc_hellaswag": "HellaSwag"}).drop(columns="acc_arc_easy")
    frame["HELLASWAG"] = frame["HellaSwag"]
    with pytest.raises(scalinglab.DataError, match="'HellaSwag', 'HELLASWAG' differ only by case"):
        scalinglab.read_evals(frame, tasks=["hellaswag"])
    path = tmp_path / "evals.csv"
    frame.to_csv(path, index=False)
    code, _, err = cli(capsys, "downstream", "fit", str(path), "--task", "hellaswag", one_line=True)
    assert code == 2
    assert "columns 'HellaSwag', 'HELLASWAG' differ only by case" in err


def test_a_bare_task_column_named_exactly_wins_over_one_alike_but_for_case() -> None:
    """``--task hellaswag`` with columns ``hellaswag`` and ``HELLASWAG``: the one named
    exactly is read (as it was before case was ignored, and as a score column in lower case
    wins over one alike but for case), the other left out with a note; with none named
    exactly the two are refused (above)."""
    frame = _evals().rename(columns={"acc_hellaswag": "hellaswag"}).drop(columns="acc_arc_easy")
    frame["HELLASWAG"] = 1.0 - frame["hellaswag"]
    evals = scalinglab.read_evals(frame, tasks=["hellaswag"])
    assert evals.tasks == ("hellaswag",) and evals.chance == {"hellaswag": 0.25}
    np.testing.assert_array_equal(evals.accuracy("hellaswag"), frame["hellaswag"].to_numpy())
    assert "column 'HELLASWAG' left out: task hellaswag is read from 'hellaswag'" in evals.notes
    assert not any("read as task" in n for n in evals.notes)
