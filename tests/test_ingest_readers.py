"""Each tracker reader, on sources written by the tests with the trackers' real libraries:
every run found, every logged point kept, final values by the stated rule, names mapped."""

from __future__ import annotations

import json
from pathlib import Path

import numpy as np
import pandas as pd
import pytest
from tests._ingest_sources import (
    STEPS,
    expected,
    ladder,
    wandb_history,
    wandb_json,
    wandb_table,
    write_mlflow,
    write_raytune,
    write_tensorboard,
)

from scalinglab import DataError
from scalinglab.ingest import FinalRule, detect_kind, ingest, read_source
from scalinglab.store import RunStore


def _by_name(store: RunStore) -> dict[str, object]:
    return {r.name: r for r in store.runs()}


# -- MLflow --------------------------------------------------------------------------------


@pytest.fixture(scope="module")
def mlruns(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, dict[str, str]]:
    pytest.importorskip("mlflow", reason="the mlflow client is the [trackers] extra")
    root = tmp_path_factory.mktemp("mlflow") / "mlruns"
    return root, write_mlflow(root, ladder())


@pytest.mark.heavy  # 1.6 s in the suite on a 2-core AMD EPYC
def test_mlflow_runs_nested_params_and_whole_histories(
    mlruns: tuple[Path, dict[str, str]], tmp_path: Path
) -> None:
    root, ids = mlruns
    assert detect_kind(root) == "mlflow"
    store = RunStore(tmp_path / "s.duckdb")
    result = ingest(root, store=store.path)
    truth = {r.name: r for r in ladder()}
    assert result.kind == "mlflow" and result.runs_read == len(truth)
    assert len(result.written.added) == len(truth)
    # nested params were found by their last component; the eval loss preferred over train
    assert result.mapping["params"] == "model.n_params"
    assert result.mapping["tokens"] == "data.tokens"
    assert result.mapping["loss"] == "eval/loss"
    assert result.mapping["train_loss"] == "train/loss"
    assert result.written.curve_points == len(truth) * STEPS
    for name, run in _by_name(store).items():
        want = truth[name]
        assert run.source_run_id == ids[name]
        assert run.params == want.params and run.tokens == want.tokens
        assert run.loss == pytest.approx(want.loss, rel=1e-12)
        assert run.flops_6nd == pytest.approx(6 * want.params * want.tokens)
        assert run.config["optimizer"] == "adamw" and run.config["model.n_layers"] == "4"
        assert run.extra["ingested_from"] == "mlflow" and run.extra["experiment"] == "ladder"
        curve = store.curve(run.run_id)
        np.testing.assert_array_equal(curve["step"], want.steps())
        np.testing.assert_allclose(curve["eval_loss"], want.eval_curve(), rtol=1e-12)
        np.testing.assert_allclose(curve["train_loss"], want.train_curve(), rtol=1e-12)
    again = ingest(root, store=store.path)
    assert len(again.written.unchanged) == len(truth) and again.written.curve_points == 0


def test_mlflow_map_with_slashes_finds_dotted_params_and_min_rule(
    mlruns: tuple[Path, dict[str, str]], tmp_path: Path
) -> None:
    root, _ = mlruns
    store = RunStore(tmp_path / "s.duckdb")
    result = ingest(
        root,
        store=store.path,
        mapping={"params": "model/n_params", "loss": "eval/loss"},
        final="min",
    )
    assert result.mapping["params"] == "model.n_params"
    truth = {r.name: r for r in ladder()}
    for name, run in _by_name(store).items():
        assert run.loss == pytest.approx(expected(truth[name], "min"), rel=1e-12)
        assert run.extra["final_rule"] == "min"


@pytest.mark.slow
def test_mlflow_sqlite_database(tmp_path: Path) -> None:
    pytest.importorskip("sqlalchemy", reason="MLflow's SQLite store needs SQLAlchemy")
    from mlflow.tracking import MlflowClient

    db = tmp_path / "mlflow.db"
    client = MlflowClient(tracking_uri=f"sqlite:///{db}")
    experiment = client.create_experiment("sq")
    for run in ladder(n_sizes=2, ratios=(20.0,)):
        rid = client.create_run(experiment, run_name=run.name).info.run_id
        client.log_param(rid, "n_params", run.params)
        for step, value in zip(run.steps(), run.eval_curve(), strict=True):
            client.log_metric(rid, "val_loss", float(value), step=int(step))
    assert detect_kind(db) == "mlflow"
    result = ingest(db, store=tmp_path / "s.duckdb", final="mean:4")
    assert len(result.written.added) == 2 and result.written.curve_points == 2 * STEPS
    truth = {r.name: r for r in ladder(n_sizes=2, ratios=(20.0,))}
    for run in RunStore(tmp_path / "s.duckdb").runs():
        assert run.loss == pytest.approx(expected(truth[run.name], "mean:4"), rel=1e-12)


# -- TensorBoard ---------------------------------------------------------------------------


def test_tensorboard_scalars_from_both_writers_and_side_config(tmp_path: Path) -> None:
    pytest.importorskip("tensorboard", reason="the tensorboard package is the [trackers] extra")
    runs = ladder(n_sizes=2)
    write_tensorboard(tmp_path / "tb", runs)
    assert detect_kind(tmp_path / "tb") == "tensorboard"
    store = RunStore(tmp_path / "s.duckdb")
    result = ingest(tmp_path / "tb", store=store.path, final="mean:3")
    assert result.mapping["params"] == "model/n_params" and result.mapping["loss"] == "eval/loss"
    truth = {r.name: r for r in runs}
    assert set(_by_name(store)) == set(truth)
    for name, run in _by_name(store).items():
        want = truth[name]
        assert run.params == want.params and run.tokens == want.tokens
        # scalars are float32 in event files
        assert run.loss == pytest.approx(expected(want, "mean:3"), rel=1e-6)
        curve = store.curve(run.run_id)
        np.testing.assert_array_equal(curve["step"], want.steps())
        np.testing.assert_allclose(curve["eval_loss"], want.eval_curve(), rtol=1e-6)
        np.testing.assert_allclose(curve["train_loss"], want.train_curve(), rtol=1e-6)


def test_tensorboard_torch_add_hparams_is_the_runs_config(tmp_path: Path) -> None:
    """PyTorch's add_hparams writes a sub-folder: read as the run's config, not another run."""
    pytest.importorskip("tensorboard", reason="the tensorboard package is the [trackers] extra")
    tb = pytest.importorskip("torch.utils.tensorboard", reason="needs torch's SummaryWriter")
    runs = ladder(n_sizes=5, ratios=(20.0,))
    for run in runs:
        writer = tb.SummaryWriter(str(tmp_path / "tb" / run.name))
        for step, value in zip(run.steps(), run.eval_curve(), strict=True):
            writer.add_scalar("val_loss", value, int(step))
        writer.add_hparams(
            {"n_params": run.params, "n_tokens": run.tokens, "optimizer": "adamw"},
            {"hparam/final": run.loss},
        )
        writer.close()
    assert len(list((tmp_path / "tb").rglob("events.out.tfevents*"))) == 2 * len(runs)
    source = read_source(tmp_path / "tb")
    assert [r.name for r in source.runs] == [r.name for r in runs]
    # one note for every record: a sweep of 100 runs said it 100 times
    (note,) = [n for n in source.notes if "add_hparams" in n]
    records = [next(p for p in (tmp_path / "tb" / r.name).iterdir() if p.is_dir()) for r in runs]
    shown = ", ".join(f"{r.name}/{folder.name}" for r, folder in zip(runs, records, strict=True))
    assert len(runs) == 5 and note == (
        f"5 add_hparams records ({shown[: shown.index(', ' + runs[3].name)]} and 2 more) "
        "merged into their runs: the sub-folder "
        "PyTorch's SummaryWriter.add_hparams writes read as its run's config and final "
        "metrics, not another run"
    )
    store = RunStore(tmp_path / "s.duckdb")
    result = ingest(tmp_path / "tb", store=store.path)
    assert result.mapping["params"] == "n_params" and result.mapping["loss"] == "val_loss"
    truth = {r.name: r for r in runs}
    for name, run in _by_name(store).items():
        assert run.params == truth[name].params and run.tokens == truth[name].tokens
        assert run.config["optimizer"] == "adamw"
        assert run.extra["metrics"]["hparam/final"] == pytest.approx(truth[name].loss, rel=1e-6)
        assert len(store.curve(run.run_id)) == STEPS


@pytest.mark.heavy
def test_tensorboard_keeps_every_point_past_its_10k_reservoir(tmp_path: Path) -> None:
    """TensorBoard's reader keeps a reservoir sample of 10,000 scalars a tag by default:
    2.5 times as many points all reach the store (100k took 5 s of writing events)."""
    pytest.importorskip("tensorboard", reason="the tensorboard package is the [trackers] extra")
    try:  # PyTorch's writer is the faster of the two (both compute CRCs in Python)
        from torch.utils.tensorboard import SummaryWriter as Writer
    except ImportError:
        from tensorboard.summary import Writer

    n = 25_000
    steps = np.arange(n)
    loss = (2.0 + 8.0 / np.sqrt(1.0 + steps)).astype(np.float32)
    writer = Writer(str(tmp_path / "tb" / "long"))
    for s, value in zip(steps.tolist(), loss.tolist(), strict=True):
        writer.add_scalar("loss", value, s)
    writer.close()
    (tmp_path / "tb" / "long" / "hparams.json").write_text('{"params": 1.5e7, "tokens": 3e8}')
    result = ingest(tmp_path / "tb", store=tmp_path / "s.duckdb", final="min")
    assert result.written.curve_points == n
    (run,) = RunStore(tmp_path / "s.duckdb").runs()
    assert run.loss == pytest.approx(float(loss.min()), rel=1e-7)
    curve = RunStore(tmp_path / "s.duckdb").curve(run.run_id)
    assert len(curve) == n  # every point, no reservoir sampling
    np.testing.assert_array_equal(curve["step"], steps)
    np.testing.assert_array_equal(curve["eval_loss"].to_numpy(np.float32), loss)


def test_truncated_event_file_names_the_file(tmp_path: Path) -> None:
    pytest.importorskip("tensorboard", reason="the tensorboard package is the [trackers] extra")
    write_tensorboard(tmp_path / "tb", ladder(n_sizes=1, ratios=(20.0,)))
    (event,) = (tmp_path / "tb").rglob("events.out.tfevents*")
    data = event.read_bytes()
    event.write_bytes(data[: len(data) - 7])  # cut inside the last record
    with pytest.raises(DataError, match="truncated") as info:
        read_source(tmp_path / "tb")
    assert str(event) in str(info.value)


# -- W&B -----------------------------------------------------------------------------------


@pytest.mark.heavy  # 1.3 s in the suite on a 2-core AMD EPYC
def test_wandb_csv_with_long_history(tmp_path: Path) -> None:
    runs = ladder()
    export = tmp_path / "wandb_export.csv"
    wandb_table(runs).to_csv(export, index=False)
    history = tmp_path / "history.parquet"
    wandb_history(runs).to_parquet(history)
    assert detect_kind(export) == "wandb"
    store = RunStore(tmp_path / "s.duckdb")
    result = ingest(export, store=store.path, history=history, final="mean:5")
    assert result.mapping == {
        "params": "model.n_params",
        "tokens": "tokens_seen",
        "loss": "eval/loss",
        "train_loss": "train/loss",
        "lr": "lr",
    }
    assert result.written.curve_points == len(runs) * STEPS
    truth = {r.name: r for r in runs}
    for name, run in _by_name(store).items():
        assert run.source_run_id == truth[name].run_key
        assert run.loss == pytest.approx(expected(truth[name], "mean:5"), rel=1e-12)
        assert run.extra["wandb_state"] == "finished"
        curve = store.curve(run.run_id)
        np.testing.assert_allclose(curve["lr"], 1e-3)
        np.testing.assert_allclose(curve["eval_loss"], truth[name].eval_curve(), rtol=1e-12)


def test_wandb_csv_without_history_uses_summary(tmp_path: Path) -> None:
    runs = ladder(n_sizes=2)
    export = tmp_path / "export.csv"
    table = wandb_table(runs, with_id=False)
    table.loc[1, "State"] = "crashed"
    table.to_csv(export, index=False)
    store = RunStore(tmp_path / "s.duckdb")
    result = ingest(export, store=store.path, final="min")
    assert result.written.curve_points == 0
    assert any("reported value" in note for note in result.notes)
    stored = _by_name(store)
    assert stored[runs[1].name].status == "failed"
    assert stored[runs[0].name].loss == runs[0].loss  # the summary value: no curve to take a min of
    assert stored[runs[0].name].source_run_id == runs[0].name


def test_wandb_json_api_form(tmp_path: Path) -> None:
    runs = ladder(n_sizes=2)
    export = tmp_path / "runs.json"
    export.write_text(json.dumps(wandb_json(runs)))
    assert detect_kind(export) == "wandb"
    store = RunStore(tmp_path / "s.duckdb")
    result = ingest(export, store=store.path)
    assert result.mapping["params"] == "model/n_params"
    truth = {r.name: r for r in runs}
    for name, run in _by_name(store).items():
        assert (run.params, run.tokens, run.loss) == (
            truth[name].params,
            truth[name].tokens,
            truth[name].loss,
        )


def test_wandb_runs_given_twice_are_refused_by_file_row_and_kind_of_repeat(
    tmp_path: Path,
) -> None:
    """Rows are counted as ``fit`` counts them (the CSV's lines, its header line 1); a row
    repeated exactly is named as such, and the ID column is asked for only when it is
    missing."""
    runs = ladder(n_sizes=1)
    last = len(runs) + 2  # the header is line 1, the runs follow, then the repeat
    table = wandb_table(runs)
    export = tmp_path / "export.csv"
    pd.concat([table, table.iloc[[1]]]).to_csv(export, index=False)  # repeats line 3
    store = tmp_path / "s.duckdb"
    with pytest.raises(DataError) as repeated:
        ingest(export, store=store)
    assert str(repeated.value).startswith(
        f"{export}, row {last}, column 'ID': run {runs[1].name!r} ({runs[1].run_key}) is "
        f"given twice, identical (rows 3 and {last})"
    )
    assert (
        repeated.value.hint
        == "remove the repeated row from the export (or export the run table again)"
    )
    other = table.iloc[[1]].assign(**{"eval/loss": 9.0})
    pd.concat([table, other]).to_csv(export, index=False)
    with pytest.raises(
        DataError, match=rf"two different runs have the ID '[^']+' \(rows 3 and {last}\)"
    ) as differ:
        ingest(export, store=store)
    assert "ID column" not in str(differ.value.hint)
    no_id = wandb_table(runs, with_id=False)
    pd.concat([no_id, no_id.iloc[[1]].assign(**{"eval/loss": 9.0})]).to_csv(export, index=False)
    with pytest.raises(DataError, match=r"both named .* and the export has no ID") as unnamed:
        ingest(export, store=store)
    assert "add the ID column" in str(unnamed.value.hint)
    api = tmp_path / "runs.json"  # a JSON list: the n-th run, as fit counts a JSONL file
    records = wandb_json(runs)
    api.write_text(json.dumps([*records, records[0]]))
    with pytest.raises(
        DataError,
        match=rf"row {len(runs) + 1}, column 'id': .* identical \(rows 1 and {len(runs) + 1}\)",
    ):
        ingest(api, store=store)
    assert not store.exists()


def test_wandb_wide_panel_history(tmp_path: Path) -> None:
    runs = ladder(n_sizes=1)
    export = tmp_path / "export.csv"
    wandb_table(runs).to_csv(export, index=False)
    wide = pd.DataFrame({"Step": runs[0].steps()})
    for run in runs:
        wide[f"{run.name} - eval/loss"] = run.eval_curve()
        wide[f"{run.name} - eval/loss__MIN"] = run.eval_curve() - 1
        wide[f"{run.name} - eval/loss__MAX"] = run.eval_curve() + 1
    wide.to_csv(tmp_path / "panel.csv", index=False)
    store = RunStore(tmp_path / "s.duckdb")
    result = ingest(export, store=store.path, history=tmp_path / "panel.csv", final="min")
    assert result.written.curve_points == len(runs) * STEPS
    for run in runs:
        (stored,) = [r for r in store.runs() if r.name == run.name]
        assert stored.loss == pytest.approx(expected(run, "min"), rel=1e-12)
        np.testing.assert_allclose(store.curve(stored.run_id)["eval_loss"], run.eval_curve())


# -- Ray Tune ------------------------------------------------------------------------------


def test_raytune_result_json_and_progress_csv(tmp_path: Path) -> None:
    runs = ladder(n_sizes=2)
    write_raytune(tmp_path / "exp", runs, csv_only=1)
    assert detect_kind(tmp_path / "exp") == "raytune"
    store = RunStore(tmp_path / "s.duckdb")
    result = ingest(tmp_path / "exp", store=store.path, final="last")
    assert result.mapping["loss"] == "eval/loss" and result.mapping["params"] == "model/n_params"
    assert result.written.curve_points == len(runs) * STEPS
    stored = sorted(store.runs(), key=lambda r: r.name)
    assert len(stored) == len(runs)
    for run, want in zip(stored, runs, strict=True):  # trial folders sort in ladder order
        assert run.source_run_id.startswith("a1b2c_")
        assert run.params == want.params and run.tokens == want.tokens
        assert run.loss == pytest.approx(want.loss, rel=1e-12)
        curve = store.curve(run.run_id)
        np.testing.assert_array_equal(curve["step"], np.arange(1, STEPS + 1))
        np.testing.assert_allclose(curve["train_loss"], want.train_curve(), rtol=1e-12)
    again = ingest(tmp_path / "exp", store=store.path, final="last")
    assert len(again.written.unchanged) == len(runs) and again.written.added == ()


def test_raytune_truncated_result_line(tmp_path: Path) -> None:
    write_raytune(tmp_path / "exp", ladder(n_sizes=1, ratios=(20.0,)), csv_only=0)
    (result,) = (tmp_path / "exp").rglob("result.json")
    text = result.read_text()
    result.write_text(text[: len(text) - 30])
    with pytest.raises(DataError, match=r"row 20.*not valid JSON"):
        read_source(tmp_path / "exp")


# -- the final-value rule -----------------------------------------------------------------


def test_final_rule_parsing() -> None:
    assert FinalRule.parse("mean:7") == FinalRule("mean", 7)
    assert str(FinalRule.parse("MIN")) == "min"
    with pytest.raises(Exception, match="last, --final min"):
        FinalRule.parse("median")
    with pytest.raises(Exception, match="whole number"):
        FinalRule.parse("mean:x")
