"""A plain run table with its loss curves (``ingest RUNS.csv --history CURVES.csv``): each
run's curve stored with it, matched by name; what does not match is skipped or refused by
name; a second ingest changes nothing; the curve commands read the curves back."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd
import pytest
from tests._hashes import unchanged
from tests._ingest_sources import STEPS, TRUTH, LadderRun, ladder
from tests.test_cli_ingest import cli

from scalinglab import DataError
from scalinglab.ingest import IngestResult
from scalinglab.ingest import ingest as _ingest
from scalinglab.store import RunStore


def ingest(source: Path, **options: Any) -> IngestResult:
    """:func:`scalinglab.ingest`; the table and the curves keep their bytes either way."""
    with unchanged(source, options.get("history")):
        return _ingest(source, **options)


def _table(tmp_path: Path, runs: list[LadderRun]) -> Path:
    path = tmp_path / "runs.csv"
    pd.DataFrame(
        {
            "name": [r.name for r in runs],
            "params": [r.params for r in runs],
            "tokens": [r.tokens for r in runs],
            "loss": [r.loss for r in runs],
        }
    ).to_csv(path, index=False)
    return path


def _curves(runs: list[LadderRun]) -> pd.DataFrame:
    """``run, step, lr, loss, eval_loss, tokens``: a training loss 0.1 below the eval one."""
    return pd.concat(
        [
            pd.DataFrame(
                {
                    "run": r.name,
                    "step": r.steps(),
                    "lr": np.linspace(1e-3, 1e-4, STEPS),
                    "loss": r.train_curve(),
                    "eval_loss": r.eval_curve(),
                    "tokens": r.steps() * r.tokens / r.steps()[-1],
                }
            )
            for r in runs
        ],
        ignore_index=True,
    )


def _write(frame: pd.DataFrame, path: Path) -> Path:
    suffix = path.suffix
    if suffix == ".parquet":
        frame.to_parquet(path)
    elif suffix == ".jsonl":
        frame.to_json(path, orient="records", lines=True, double_precision=15)
    else:
        frame.to_csv(path, index=False, sep="\t" if suffix == ".tsv" else ",")
    return path


def _stored(store: Path) -> dict[str, pd.DataFrame]:
    """Each stored run's curve, by its name."""
    st = RunStore(store)
    names = dict(zip(st.runs_frame()["run_id"], st.runs_frame()["name"], strict=True))
    curves = st.curves()
    return {names[k]: c.reset_index(drop=True) for k, c in curves.groupby("run_id")}


# .tsv is the CSV reader with tabs: -m heavy runs it
@pytest.mark.parametrize(
    "suffix", [".csv", pytest.param(".tsv", marks=pytest.mark.heavy), ".parquet", ".jsonl"]
)
def test_each_run_keeps_its_curve_and_a_second_ingest_changes_nothing(
    tmp_path: Path, suffix: str
) -> None:
    runs = ladder(n_sizes=2)
    table = _table(tmp_path, runs)
    history = _write(_curves(runs), tmp_path / f"curves{suffix}")
    store = tmp_path / "s.duckdb"
    result = ingest(table, store=store, history=history)
    assert result.kind == "table" and len(result.written.added) == len(runs)
    assert result.written.curve_points == len(runs) * STEPS
    assert result.notes[-1] == (
        f"curves of curves{suffix}: rows matched by 'run'; read train_loss <- loss, "
        "eval_loss <- eval_loss, tokens <- tokens, lr <- lr"
    )
    stored = _stored(store)
    assert sorted(stored) == sorted(r.name for r in runs)
    for run in runs:
        curve = stored[run.name]
        np.testing.assert_array_equal(curve["step"], run.steps())
        np.testing.assert_allclose(curve["train_loss"], run.train_curve(), rtol=1e-9)
        np.testing.assert_allclose(curve["eval_loss"], run.eval_curve(), rtol=1e-9)
        np.testing.assert_allclose(curve["lr"], np.linspace(1e-3, 1e-4, STEPS), rtol=1e-9)
        np.testing.assert_allclose(curve["tokens"].iloc[-1], run.tokens, rtol=1e-9)
    # the final loss is the table's, not the curve's
    final = RunStore(store).runs_frame().set_index("name")["loss"]
    assert final[runs[0].name] == pytest.approx(runs[0].loss, rel=1e-12)
    again = ingest(table, store=store, history=history)
    assert len(again.written.unchanged) == len(runs) and not again.written.added
    assert not again.written.updated and again.written.curve_points == 0


def test_other_runs_are_skipped_and_a_run_without_a_curve_is_kept(tmp_path: Path) -> None:
    runs = ladder(n_sizes=2)
    table = _table(tmp_path, runs)
    others = [LadderRun(f"gone{k}", f"g{k}", 1e7, 1e9, 3.0) for k in range(2)]
    frame = _curves([*runs[1:], *others]).rename(columns={"run": "Name", "step": "Step"})
    history = _write(frame.drop(columns=["eval_loss", "tokens"]), tmp_path / "curves.csv")
    store = tmp_path / "s.duckdb"
    result = ingest(table, store=store, history=history)
    assert len(result.written.added) == len(runs)
    assert result.written.curve_points == (len(runs) - 1) * STEPS
    assert "history rows of 2 runs not in the run table skipped: gone0, gone1" in result.notes
    assert f"1 run of the table has no curve in curves.csv: '{runs[0].name}'" in result.notes
    stored = _stored(store)
    assert runs[0].name not in stored and {len(c) for c in stored.values()} == {STEPS}
    assert stored[runs[1].name]["eval_loss"].isna().all()  # a plain loss is the training loss


@pytest.mark.heavy  # 1.6 s in the suite on a 2-core AMD EPYC
def test_aliases_integer_ids_and_a_one_run_file(tmp_path: Path) -> None:
    """Run ids that are numbers match the table's; a file without a run column is one run's
    curve, named after the file as ``curves fit`` names it."""
    (tmp_path / "runs.csv").write_text("id,params,tokens,val_loss\n7,10M,200M,3.1\n8,20M,400M,3\n")
    (tmp_path / "curves.csv").write_text(
        "run_id,Iteration,Learning Rate,val_loss\n7,10,1e-3,3.5\n7,20,1e-4,3.1\n8,10,1e-3,3.4\n"
    )
    result = ingest(
        tmp_path / "runs.csv", store=tmp_path / "s.duckdb", history=tmp_path / "curves.csv"
    )
    assert result.written.curve_points == 3
    stored = _stored(tmp_path / "s.duckdb")
    np.testing.assert_array_equal(stored["7"]["eval_loss"], [3.5, 3.1])
    np.testing.assert_array_equal(stored["7"]["lr"], [1e-3, 1e-4])
    (tmp_path / "8.csv").write_text("step,lr,loss\n10,1e-3,3.4\n20,1e-3,3.2\n30,1e-3,3.0\n")
    result = ingest(tmp_path / "runs.csv", store=tmp_path / "t.duckdb", history=tmp_path / "8.csv")
    assert (
        result.written.curve_points == 3 and "curves of 8.csv: run '8'; read " in result.notes[-2]
    )
    # run ids with leading zeros stay text, as the run table keeps them (not 7 for '007')
    (tmp_path / "zeros.csv").write_text(
        "run,params,tokens,loss\n007,10M,200M,3.1\n008,20M,400M,3\n"
    )
    (tmp_path / "zc.csv").write_text("run,step,lr,loss\n007,10,1e-3,3.5\n007,20,1e-3,3.2\n")
    ingest(tmp_path / "zeros.csv", store=tmp_path / "z.duckdb", history=tmp_path / "zc.csv")
    np.testing.assert_array_equal(_stored(tmp_path / "z.duckdb")["007"]["train_loss"], [3.5, 3.2])
    # W&B's names: run_name, train/loss (the training loss), train/learning_rate
    (tmp_path / "wandb.csv").write_text(
        "run_name,_step,train/learning_rate,train/loss\n7,10,1e-3,3.5\n7,20,1e-4,3.2\n"
    )
    ingest(tmp_path / "runs.csv", store=tmp_path / "w.duckdb", history=tmp_path / "wandb.csv")
    stored = _stored(tmp_path / "w.duckdb")
    np.testing.assert_array_equal(stored["7"]["train_loss"], [3.5, 3.2])
    np.testing.assert_array_equal(stored["7"]["lr"], [1e-3, 1e-4])


def test_curves_that_cannot_be_stored_are_refused_saying_where(tmp_path: Path) -> None:
    runs = ladder(n_sizes=1)
    table, store = _table(tmp_path, runs), tmp_path / "s.duckdb"
    frame = _curves(runs)
    cases = [
        (
            frame.drop(columns=["step"]),
            "curves.csv: no step column in the loss curves (looked for step, steps, iter, "
            "iteration, global_step, train/global_step, trainer/global_step, _step); the columns are 'run', 'lr', 'loss'",
            "add a step column",
        ),
        (
            frame.assign(run=frame["run"] + "-x"),
            "curves.csv, column 'run': no run of the loss curves is in the run table: 'run' "
            "names 'n0-r0-x', 'n0-r1-x', 'n0-r2-x' (3 runs); the table's runs are 'n0-r0', "
            "'n0-r1', 'n0-r2'",
            "the 'run' column must hold the run table's run names",
        ),
        (
            frame.drop(columns=["run"]),
            "no run column in the loss curves (looked for run, name, run_name, exp_name, run_id, id), so they are "
            "one run's, named 'curves' after the file",
            "add a 'run' column",
        ),
        (
            frame.assign(train_loss=frame["loss"]),
            "curves.csv: columns 'loss', 'train_loss' could each be train_loss; which one is it?",
            "keep one of them: rename or drop the others",
        ),
        (
            frame.drop(columns=["loss", "eval_loss"]),
            "no loss column in the loss curves (looked for loss, train_loss, train/loss, eval_loss",
            "name the loss column 'loss'",
        ),
        (
            frame.assign(loss="diverged"),
            "curves.csv, column 'loss': the loss column holds string, not numbers",
            "write one loss per row as a number",
        ),
        (
            frame.assign(step=frame["step"].astype(object).where(frame.index != 3, "late")),
            "curves.csv, column 'step': step 'late' (data row 4) is not a number",
            "write a whole number of steps on every row",
        ),
    ]
    for bad, message, hint in cases:
        history = _write(
            bad.drop(columns=["eval_loss", "tokens"], errors="ignore"), tmp_path / "curves.csv"
        )
        with pytest.raises(DataError) as err:
            ingest(table, store=store, history=history)
        assert message in str(err.value) and hint in err.value.hint
        assert not store.exists()  # read completely before anything is written


def _law_runs(tmp_path: Path) -> tuple[Path, Path, int]:
    """Five sizes trained to 1e11 tokens along the law of ``TRUTH``: compute ranges that
    overlap, with inner sizes best in between (as the envelope needs)."""
    tokens = np.geomspace(1e8, 1e11, STEPS)
    parts, rows = [], []
    for k, n in enumerate(np.geomspace(1e7, 1e9, 5)):
        loss = (
            TRUTH["E"] + TRUTH["A"] * n ** -TRUTH["alpha"] + TRUTH["B"] * tokens ** -TRUTH["beta"]
        )
        steps = np.arange(1, STEPS + 1) * 100
        lr = np.full(STEPS, 1e-3)  # constant: `fit --from-curves` cools it down
        parts.append(
            pd.DataFrame({"run": f"n{k}", "step": steps, "lr": lr, "loss": loss, "tokens": tokens})
        )
        rows.append({"name": f"n{k}", "params": n, "tokens": tokens[-1], "loss": loss[-1]})
    pd.DataFrame(rows).to_csv(tmp_path / "runs.csv", index=False)
    return tmp_path / "runs.csv", _write(pd.concat(parts), tmp_path / "curves.csv"), len(rows)


@pytest.mark.heavy
def test_the_cli_stores_the_curves_and_the_curve_commands_read_them(
    capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    table, history, n = _law_runs(tmp_path)
    store = tmp_path / "runs.duckdb"
    ingest_args = ("ingest", str(table), "--history", str(history), "--store", str(store))
    code, out, err = cli(capsys, *ingest_args)
    assert code == 0, err
    assert f"read {n} runs from {table} (table) into {store}: {n} added" in out
    assert f"{n * STEPS}" in out
    assert "note: curves of curves.csv: rows matched by 'run'; read train_loss <- loss" in out
    code, out, err = cli(capsys, *ingest_args, "--json")
    data = json.loads(out)
    assert code == 0 and len(data["unchanged"]) == n and data["curve_points"] == 0
    code, out, err = cli(
        capsys, "curves", "fit", "--store", str(store), "--law", "power-steps", "--json"
    )
    assert code == 0, err
    fitted = json.loads(out)
    assert len(fitted["runs"]) == n and len(fitted["residuals"]) == n * STEPS
    code, out, err = cli(capsys, "envelope", "--store", str(store), "--json")
    assert code == 0, err
    found = json.loads(out)
    assert found["n_runs"] == n and found["source"] == f"{store} ({n} runs)"
    # fit --store reads the runs' final values (the table's), fit --from-curves the curves
    law = "power-law-plus-constant:params"  # every run ends at 1e11 tokens: L(N) + const
    code, out, err = cli(
        capsys, "fit", "--store", str(store), "--law", law, "--bootstrap", "0", "--json"
    )
    assert code == 0, err
    coefs = json.loads(out)["coefs"]
    assert coefs["alpha"] == pytest.approx(TRUTH["alpha"], rel=1e-6)
    assert coefs["A"] == pytest.approx(TRUTH["A"], rel=1e-6)
    # Tissue: what is checked is which curves are read, not the curve law (the default is slower)
    curve_fit = ("--curve-law", "tissue", "--bootstrap", "0", "--json")
    code, out, err = cli(capsys, "fit", "--from-curves", str(store), *curve_fit)
    assert code == 0, err
    assert json.loads(out)["source"].startswith(
        f"cooled-down losses predicted from the curves of {store}"
    )
    other = tmp_path / "runs.db"  # a store by its content, whatever its name ends in
    other.write_bytes(store.read_bytes())
    code, out, err = cli(capsys, "fit", "--from-curves", str(other), *curve_fit)
    assert code == 0, err
