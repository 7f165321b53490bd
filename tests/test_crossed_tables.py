"""A table or a folder of the wrong kind where a command reads runs, curves or evaluations:
exit 2, one error line and one hint line, no traceback, saying what the input looks like
and which command reads it (the style of ``test_crossed_files.py``)."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest
from tests._cli import refused

from conftest import SHARED
from scalinglab import read_runs
from scalinglab.curves._folder import curve_files
from scalinglab.store import RunStore, StoredRun

#: The extensions a folder of curves is read by, written out here: each is checked to be
#: read (:func:`test_the_extensions_the_hint_names_are_the_ones_read`).
_EXTENSIONS = ".csv .tsv .parquet .pq .jsonl .ndjson .json .csv.gz .tsv.gz"


@pytest.mark.parametrize(
    ("command", "columns"),
    [
        (
            ["envelope", "--bootstrap", "0"],
            "loss, tokens or step (with --tokens-per-step N, tokens_per_step=N in Python) and "
            "params (or a folder named by the size: 25M/cosine.csv)",
        ),
        (
            ["curves", "fit", "--bootstrap", "0"],
            "step, loss and lr (or --schedule, schedule= in Python, for runs that log none)",
        ),
        (
            ["fit", "--bootstrap", "0", "--from-curves"],
            "step, loss and lr (or --schedule, schedule= in Python, for runs that log none)",
        ),
    ],
)
def test_an_empty_folder_of_curves_says_which_files_and_columns_are_read(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], command: list[str], columns: str
) -> None:
    """Before: "no curve files in this folder" and no hint line."""
    folder = tmp_path / "curves"
    folder.mkdir()
    (folder / "notes.txt").write_text("step,loss\n1,3\n")  # not an extension read
    error, hint = refused(capsys, [*command, str(folder)])
    assert error == f"error: {folder}: no curve files in this folder"
    assert hint == (
        f"hint: give a folder of curve files ({_EXTENSIONS}, in it or below it), one run's "
        f"logged points each (a run column for several), with columns {columns}"
    )


def test_the_extensions_the_hint_names_are_the_ones_read(tmp_path: Path) -> None:
    for suffix in _EXTENSIONS.split():
        (tmp_path / f"run{suffix}").write_text("")
    (tmp_path / "run.txt").write_text("")
    files, skipped = curve_files(tmp_path)
    assert sorted(f.name for f in files) == sorted(f"run{s}" for s in _EXTENSIONS.split())
    assert skipped == []


@pytest.mark.parametrize(
    "command", [["fit", "--bootstrap", "0"], ["isoflop", "--bootstrap", "0"], ["backtest"]]
)
def test_a_run_store_given_as_runs_names_the_option_before_python(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], command: list[str]
) -> None:
    """Before: the Python ``RunStore(...).to_run_table()`` call came first, then ``--store``."""
    store = tmp_path / "s.duckdb"
    RunStore(store).put_run(StoredRun(run_id="a", name="a", params=1e6, loss=3.0))
    error, hint = refused(capsys, [command[0], str(store), *command[1:]])
    assert error == f"error: {store}: is a run store (DuckDB), not a table file"
    assert (
        hint
        == f"hint: pass it with --store, in place of RUNS: scalinglab {command[0]} --store {store}"
    )


#: The step column's names, as the curve readers look for them.
_LOOKED = "no step column (looked for step, steps, iter, iteration, global_step, train/global_step, trainer/global_step, _step)"
#: What a curve reader says of final losses after the rows' count and how they were told.
_FINAL = "final losses; this reads loss curves, several checkpoints per run"
#: Each command reading curves from a file, the file following its words.
_CURVE_READERS = {
    "curves fit": ["curves", "fit", "--bootstrap", "0"],
    "curves backtest": ["curves", "backtest", "--train", "r0"],
    "fit --from-curves": ["fit", "--bootstrap", "0", "--from-curves"],
    "report --curves": ["report", "--curves", "--train", "r0"],
}


def _runs_csv(path: Path, *, run: str | None = "run", loss: str = "loss") -> Path:
    """Final losses of six runs at three sizes and two budgets (``params``, ``tokens``),
    with a run column named ``run`` (none where ``None``) and the loss named ``loss``."""
    head = ([run] if run else []) + ["params", "tokens", loss]
    rows = []
    for i, (n, d) in enumerate((n, d) for n in (1e7, 3e7, 1e8) for d in (2e8, 2e9)):
        rows.append(([f"r{i}"] if run else []) + [f"{n:g}", f"{d:g}", f"{2 + 400 / n**0.3:.4f}"])
    path.write_text("\n".join(",".join(r) for r in [head, *rows]) + "\n", encoding="utf-8")
    return path


def _curve_args(reader: str, path: Path) -> list[str]:
    args = _CURVE_READERS[reader]
    if reader == "report --curves":
        return ["report", str(path), *args[1:]]
    return (
        [*args, str(path)] if reader == "fit --from-curves" else [*args[:2], str(path), *args[2:]]
    )


@pytest.mark.parametrize("reader", sorted(_CURVE_READERS))
def test_final_losses_read_as_curves_are_named_with_the_command_that_fits_them(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], reader: str
) -> None:
    """Before: "no step column (...)" with the hint "name the column 'step', or map one:
    --map step=COLUMN", where the file has no step column under any name."""
    path = _runs_csv(tmp_path / "runs.csv")
    error, hint = refused(capsys, _curve_args(reader, path))
    assert error == (
        f"error: {path}: {_LOOKED}, and its 6 rows are one per run (each 'run' once): {_FINAL}"
    )
    assert hint == f"hint: to fit final losses: `scalinglab fit {path}`"
    # what the hint's command reads: the six runs, one a row
    runs = read_runs(path)
    assert list(runs.runs) == [f"r{i}" for i in range(6)]
    np.testing.assert_allclose(runs.columns["params"], [1e7, 1e7, 3e7, 3e7, 1e8, 1e8])


def test_final_losses_without_a_run_column_are_told_by_their_sizes(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """Runs without ids (the Chinchilla points): rows of several sizes, none alike in size
    and budget; a loss column fit does not find by name is named in the hint."""
    path = _runs_csv(tmp_path / "runs.csv", run=None, loss="loss_c4")
    error, hint = refused(capsys, ["curves", "fit", str(path)])
    assert error == (
        f"error: {path}: {_LOOKED}, and its 6 rows are one per run (no two alike in 'params', "
        f"'tokens'): final losses (1 column named as losses: 'loss_c4'); this reads loss "
        "curves, several checkpoints per run"
    )
    assert hint == f"hint: to fit final losses: `scalinglab fit {path} --y loss=COLUMN`"


@pytest.mark.parametrize(
    "table",
    [
        "run,it,loss\na,1,4.0\na,2,3.5\nb,1,4.1\nb,2,3.6\n",  # runs over several rows
        "it,params,loss\n1,1e7,4.0\n2,1e7,3.5\n3,1e7,3.3\n",  # one run, one size: a curve
        "it,loss\n1,4.0\n2,3.5\n",  # nothing tells the rows apart as runs
    ],
)
def test_a_step_column_under_another_name_keeps_the_map_hint(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], table: str
) -> None:
    path = tmp_path / "curves.csv"
    path.write_text(table, encoding="utf-8")
    error, hint = refused(capsys, ["curves", "fit", str(path)])
    assert error == f"error: {path}: {_LOOKED}"
    assert hint == "hint: name the column 'step', or map one: --map step=COLUMN"


def test_python_is_told_the_python_call(tmp_path: Path) -> None:
    import pandas as pd

    from scalinglab import DataError
    from scalinglab.curves import read_lr_curves

    frame = pd.read_csv(_runs_csv(tmp_path / "runs.csv", loss="val"))
    with pytest.raises(DataError) as err:
        read_lr_curves(frame)
    assert err.value.hint == "to fit final losses: `scalinglab.fit(LAW, frame, y=COLUMN)`"


_LOSSES = (
    "final losses (8 columns named as losses: 'loss_openlm', 'loss_c4_val', "
    "'loss_paloma_c4_en', 'loss_paloma_code', 'loss_paloma_refinedweb' and 3 more); this "
    "reads loss curves, several checkpoints per run"
)
#: Was "final losses" and `scalinglab fit FILE`: fitting every run of a sweep as final losses.
_SWEEP = (
    "it looks like an lr × batch sweep: 1746 runs in 15 groups of equal 'N' and 'D', "
    "each over 11-12 learning rates ('lr') and 10 batch sizes ('bs'); this reads loss "
    "curves, several checkpoints per run"
)


@pytest.mark.parametrize(
    ("file", "said", "fit"),
    [
        ("overtraining/models.dev.csv", f"95 rows are one per run (each 'name' once): {_LOSSES}",
         "to fit final losses: `scalinglab fit {} --y loss=COLUMN`"),
        ("steplaw/dense_lr_bs_loss.dev.csv",
         f"1746 rows are one per run (each 'exp_name' once): {_SWEEP}",
         "to fit the optimal learning rate and batch size: `scalinglab hparams fit {}`"),
        ("chinchilla/svg_extracted_data.csv",
         f"245 rows are one per run (no two alike in 'Model Size', 'Training FLOP'): {_FINAL}",
         "to fit final losses: `scalinglab fit {}`"),
    ],
)  # fmt: skip
def test_the_shared_run_tables_given_to_curves_fit(
    capsys: pytest.CaptureFixture[str], file: str, said: str, fit: str
) -> None:
    path = SHARED / file
    if not path.is_file():
        pytest.skip(f"{path} is not here; it lives in ../shared/data")
    error, hint = refused(capsys, ["curves", "fit", str(path)])
    assert error == f"error: {path}: {_LOOKED}, and its {said}"
    assert hint == f"hint: {fit.format(path)}"


_SCORES = "evaluations hold a column acc_<task> per task (acc_hellaswag)"


@pytest.mark.parametrize("tasks", [[], ["--tasks", "hellaswag"]])
@pytest.mark.parametrize(
    ("table", "looks", "hint"),
    [
        ("run,params,tokens,lr,bs,loss\na,1e7,2e8,3e-4,64,3.5\nb,1e7,2e8,1e-3,64,3.4\n",
         "it looks like a hyperparameter sweep (columns 'lr', 'bs'), not evaluations",
         "to fit the optimal learning rate and batch size: `scalinglab hparams fit {}`; "
         f"{_SCORES}"),
        ("run,params,tokens,val_loss\na,1e7,2e8,3.5\nb,3e7,2e8,3.2\n",
         "it looks like final losses (column 'val_loss'), no task scores",
         f"to fit the loss: `scalinglab fit {{}}`; {_SCORES}, beside the loss"),
        ("run,step,lr,loss\na,1,3e-4,4.0\na,2,3e-4,3.5\n",
         "it looks like loss curves (columns 'step', 'loss'), not evaluations",
         f"to fit the curves: `scalinglab curves fit {{}}`; {_SCORES}"),
        ("run,params,tokens\na,1e7,2e8\nb,3e7,2e8\n", "", "name them acc_<task>"),
    ],
)  # fmt: skip
def test_a_table_without_task_scores_says_what_it_looks_like(
    tmp_path: Path,
    capsys: pytest.CaptureFixture[str],
    table: str,
    looks: str,
    hint: str,
    tasks: list[str],
) -> None:
    """Before: "no task columns of metric 'acc' (acc_<task>)" with the hint "name them
    acc_<task>" (with --tasks: "unknown task 'hellaswag'"), whatever the file held."""
    path = tmp_path / "table.csv"
    path.write_text(table, encoding="utf-8")
    error, said = refused(capsys, ["downstream", "fit", str(path), "--bootstrap", "0", *tasks])
    missing = "no task columns of metric 'acc' (acc_<task>)"
    assert error == f"error: {path}: {missing}" + (f": {looks}" if looks else "")
    assert said == "hint: " + hint.format(path)


def test_the_sweep_the_hint_names_is_read_by_hparams_fit(tmp_path: Path) -> None:
    """The command the hint names reads the file: a sweep of its two runs."""
    from scalinglab.hparams import read_sweep

    path = tmp_path / "sweep.csv"
    path.write_text("run,params,tokens,lr,bs,loss\na,1e7,2e8,3e-4,64,3.5\nb,1e7,2e8,1e-3,64,3.4\n")
    sweep = read_sweep(path)
    np.testing.assert_allclose(sweep.lr, [3e-4, 1e-3])


def test_python_is_told_the_python_calls() -> None:
    import pandas as pd

    from scalinglab import DataError, read_evals

    frame = pd.DataFrame({"params": [1e7, 3e7], "tokens": [2e8, 2e8], "lr": [3e-4, 1e-3],
                          "batch_size": [64, 64], "loss": [3.5, 3.2]})  # fmt: skip
    with pytest.raises(DataError) as err:
        read_evals(frame)
    assert err.value.hint == (
        f"to fit the optimal learning rate and batch size: scalinglab.fit_hparams(frame); {_SCORES}"
    )
    with pytest.raises(DataError) as err:
        read_evals(frame.drop(columns=["lr"]))
    assert (
        err.value.hint == f"to fit the loss: scalinglab.fit(LAW, frame); {_SCORES}, beside the loss"
    )


def test_the_shared_sweep_given_to_downstream_fit(capsys: pytest.CaptureFixture[str]) -> None:
    path = SHARED / "steplaw" / "dense_lr_bs_loss.dev.csv"
    if not path.is_file():
        pytest.skip(f"{path} is not here; it lives in ../shared/data")
    error, hint = refused(capsys, ["downstream", "fit", str(path)])
    assert error.endswith(
        ": it looks like a hyperparameter sweep (columns 'lr', 'bs'), not evaluations"
    )
    assert hint.startswith(
        f"hint: to fit the optimal learning rate and batch size: `scalinglab hparams fit {path}`"
    )


def _curve_folder(root: Path, *, column: str = "step") -> Path:
    """A folder ``25M`` of two runs' loss curves, ``column`` (step or tokens), lr and loss."""
    folder = root / "25M"
    folder.mkdir()
    for run, top in (("cosine", 4.0), ("wsd", 4.1)):
        rows = [f"{column},lr,loss"] + [f"{s},3e-4,{top - s / 1000:.3f}" for s in (100, 200, 300)]
        (folder / f"{run}.csv").write_text("\n".join(rows) + "\n", encoding="utf-8")
    return folder


#: Commands reading a run table, each refusing a folder alike.
_TABLE_READERS = [
    ["fit", "--bootstrap", "0"],
    ["isoflop", "--bootstrap", "0"],
    ["backtest"],
    ["hparams", "fit", "--bootstrap", "0"],
]


@pytest.mark.parametrize("command", _TABLE_READERS)
def test_a_folder_of_curves_given_as_runs_names_the_commands_that_read_one(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], command: list[str]
) -> None:
    """Before: "is a folder, not a file" with the hint "pass the run file inside it"."""
    folder = _curve_folder(tmp_path)
    head = 2 if command[0] == "hparams" else 1
    error, hint = refused(capsys, [*command[:head], str(folder), *command[head:]])
    assert error == (
        f"error: {folder}: is a folder, not a file: it holds loss curves (2 table files, "
        "cosine.csv with columns 'step' and 'loss')"
    )
    assert hint == (
        f"hint: read a folder of curves with `scalinglab curves fit {folder}`, `scalinglab "
        f"envelope {folder} --tokens-per-step N` or `scalinglab fit --from-curves {folder}`"
    )


def test_the_curves_the_hint_names_are_read_from_the_folder(tmp_path: Path) -> None:
    from scalinglab.curves import read_lr_curves

    curves = read_lr_curves(_curve_folder(tmp_path))
    assert [c.run for c in curves] == ["25M/cosine", "25M/wsd"]
    assert [c.params for c in curves] == [25e6, 25e6]
    np.testing.assert_array_equal(curves[0].step, [100, 200, 300])


def test_curves_with_tokens_need_no_tokens_per_step(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    (tmp_path / "ladder").mkdir()
    _curve_folder(tmp_path / "ladder", column="tokens")
    folder = tmp_path / "ladder"
    error, hint = refused(capsys, ["fit", str(folder)])
    assert error == (
        f"error: {folder}: is a folder, not a file: it holds loss curves (2 table files, "
        "25M/cosine.csv with columns 'tokens' and 'loss')"
    )
    assert f"`scalinglab envelope {folder}` or" in hint


def test_a_folder_of_run_tables_names_them(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    for name in ("b.csv", "a.parquet", "c.tsv", "d.jsonl"):
        (tmp_path / name).write_text("")
    (tmp_path / "fit.json").write_text('{"format": "scalinglab.fit/1"}')  # a result: not a table
    (tmp_path / "notes.txt").write_text("")
    error, hint = refused(capsys, ["fit", str(tmp_path)])
    assert error == f"error: {tmp_path}: is a folder, not a file"
    assert hint == "hint: pass the run file inside it (4 table files: a.parquet, b.csv, c.tsv, ...)"


def test_a_folder_without_tables_says_it_holds_none(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    (tmp_path / "notes.txt").write_text("")
    error, hint = refused(capsys, ["fit", str(tmp_path)])
    assert error == f"error: {tmp_path}: is a folder, not a file"
    assert hint == (
        "hint: pass a table file of runs (.csv .tsv .parquet .pq .jsonl .ndjson .json .csv.gz "
        ".tsv.gz); this folder holds none"
    )


def test_the_shared_curve_folder_given_to_fit(capsys: pytest.CaptureFixture[str]) -> None:
    folder = SHARED / "lr-schedules" / "25M"
    if not folder.is_dir():
        pytest.skip(f"{folder} is not here; it lives in ../shared/data")
    error, hint = refused(capsys, ["fit", str(folder)])
    assert error == (
        f"error: {folder}: is a folder, not a file: it holds loss curves (9 table files, "
        "constant_24000.csv with columns 'step' and 'loss')"
    )
    assert hint.startswith(f"hint: read a folder of curves with `scalinglab curves fit {folder}`")
