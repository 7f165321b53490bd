"""Tracker sources written by the tests themselves, with the trackers' real client libraries
(MLflow's client, TensorBoard's writers) or in the trackers' documented file layouts (W&B
exports, Ray Tune result folders), all from one ladder whose final losses follow a known law.

Each run's curve falls linearly to its final loss at the last step, with one dip below it at
the middle step, so ``last``, ``min`` and ``mean:K`` have closed forms (see ``expected``).
"""

from __future__ import annotations

import json
import os
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd

TRUTH = {"E": 1.8, "A": 400.0, "B": 2000.0, "alpha": 0.34, "beta": 0.37}
STEPS = 20  # logged points per run
DIP = 0.05  # how far the middle point dips below the final loss
RISE = 0.6  # the first point is this far above the final loss


@dataclass(frozen=True)
class LadderRun:
    name: str
    run_key: str
    params: float
    tokens: float
    loss: float  # final (last) eval loss

    def steps(self) -> np.ndarray:
        return np.arange(1, STEPS + 1) * 100

    def eval_curve(self) -> np.ndarray:
        frac = (STEPS - np.arange(1, STEPS + 1)) / (STEPS - 1)  # 1 at the first point, 0 at last
        curve = self.loss + RISE * frac
        curve[STEPS // 2] = self.loss - DIP
        return curve

    def train_curve(self) -> np.ndarray:
        return self.eval_curve() - 0.1


def ladder(n_sizes: int = 5, ratios: tuple[float, ...] = (5.0, 20.0, 80.0)) -> list[LadderRun]:
    """Runs on a grid of sizes and tokens-per-parameter, final loss exactly from TRUTH."""
    runs = []
    for i, n in enumerate(np.geomspace(1e7, 1e9, n_sizes)):
        for j, ratio in enumerate(ratios):
            d = ratio * n
            loss = TRUTH["E"] + TRUTH["A"] * n ** -TRUTH["alpha"] + TRUTH["B"] * d ** -TRUTH["beta"]
            runs.append(LadderRun(f"n{i}-r{j}", f"id{i}{j}x", float(n), float(d), float(loss)))
    return runs


def expected(run: LadderRun, rule: str) -> float:
    """The final eval loss under ``rule``, computed from the curve's definition."""
    curve = run.eval_curve()
    if rule == "last":
        return run.loss
    if rule == "min":
        return run.loss - DIP
    k = int(rule.split(":")[1])
    return float(np.mean(curve[-k:]))


# -- MLflow --------------------------------------------------------------------------------

_START = 1_767_225_600_000  # 2026-01-01, in ms: the runs' start times


def write_mlflow(
    root: Path, runs: list[LadderRun], *, statuses: Mapping[str, str | None] | None = None
) -> dict[str, str]:
    """An MLflow file store with one experiment of ``runs`` (nested ``model.n_params`` params,
    ``eval/loss`` and ``train/loss`` histories); returns run name -> MLflow run id.

    ``statuses`` ends a run of that name with its status (``FAILED``, ``KILLED``) or, where
    ``None``, leaves it ``RUNNING``; every other run ends ``FINISHED``.
    """
    from mlflow.tracking import MlflowClient

    before = os.environ.get("MLFLOW_ALLOW_FILE_STORE")
    os.environ["MLFLOW_ALLOW_FILE_STORE"] = "true"  # MLflow 3 asks for it on file stores
    try:
        client = MlflowClient(tracking_uri=root.resolve().as_uri())
        return _log_mlflow(client, runs, statuses or {})
    finally:
        if before is None:
            os.environ.pop("MLFLOW_ALLOW_FILE_STORE", None)
        else:
            os.environ["MLFLOW_ALLOW_FILE_STORE"] = before


def _log_mlflow(
    client: Any, runs: list[LadderRun], statuses: Mapping[str, str | None]
) -> dict[str, str]:
    from mlflow.entities import Metric

    experiment = client.create_experiment("ladder")
    ids = {}
    for k, run in enumerate(runs):
        # a start time of its own: MLflow lists runs by it, latest first (ties by random id)
        made = client.create_run(experiment, run_name=run.name, start_time=_START + 1000 * k)
        rid = made.info.run_id
        client.log_param(rid, "model.n_params", run.params)
        client.log_param(rid, "model.n_layers", 4)
        client.log_param(rid, "data.tokens", run.tokens)
        client.log_param(rid, "optimizer", "adamw")
        metrics = []
        for step, ev, tr in zip(run.steps(), run.eval_curve(), run.train_curve(), strict=True):
            metrics.append(Metric("eval/loss", float(ev), 0, int(step)))
            metrics.append(Metric("train/loss", float(tr), 0, int(step)))
        client.log_batch(rid, metrics=metrics)
        status = statuses.get(run.name, "FINISHED")
        if status is not None:
            client.set_terminated(rid, status=status)
        ids[run.name] = rid
    return ids


# -- TensorBoard ---------------------------------------------------------------------------


def write_tensorboard(root: Path, runs: list[LadderRun]) -> None:
    """One folder per run: scalars from TensorBoard's own ``Writer`` (tensor-form scalars, as
    TF2 writes them) or PyTorch's ``SummaryWriter`` (``simple_value``, every other run, when
    torch is installed), and an ``hparams.json`` beside them as PyTorch Lightning leaves."""
    from tensorboard.summary import Writer

    try:
        from torch.utils.tensorboard import SummaryWriter
    except ImportError:
        SummaryWriter = None
    for k, run in enumerate(runs):
        folder = root / run.name
        folder.mkdir(parents=True)
        (folder / "hparams.json").write_text(
            json.dumps({"model": {"n_params": run.params}, "tokens": run.tokens})
        )
        pairs = zip(run.steps(), run.eval_curve(), run.train_curve(), strict=True)
        if SummaryWriter is not None and k % 2:
            torch_writer = SummaryWriter(str(folder))
            for step, ev, tr in pairs:
                torch_writer.add_scalar("eval/loss", ev, int(step))
                torch_writer.add_scalar("train/loss", tr, int(step))
            torch_writer.close()
        else:
            writer = Writer(str(folder))
            for step, ev, tr in pairs:
                writer.add_scalar("eval/loss", ev, int(step))
                writer.add_scalar("train/loss", tr, int(step))
            writer.close()


def write_nan_ending(root: Path, diverged: str, fine: str) -> None:
    """Two TensorBoard runs written now by PyTorch's ``SummaryWriter`` (skipped without
    torch), ten falling eval losses each, then a last one: NaN for ``diverged`` (stored
    'diverged'), 3.9 for ``fine``; 70M params and 1.4B tokens in an ``hparams.yaml``."""
    import pytest

    tb = pytest.importorskip("torch.utils.tensorboard", reason="needs torch's SummaryWriter")
    for name, last in ((diverged, float("nan")), (fine, 3.9)):
        folder = root / name
        writer = tb.SummaryWriter(str(folder))
        for s in range(1, 11):
            writer.add_scalar("eval/loss", 5 - 0.1 * s, s)
        writer.add_scalar("eval/loss", last, 11)
        writer.close()
        (folder / "hparams.yaml").write_text("n_params: 70000000\ntokens: 1400000000\n")


# -- W&B -----------------------------------------------------------------------------------


def wandb_table(runs: list[LadderRun], *, with_id: bool = True) -> pd.DataFrame:
    """The run table as the W&B UI exports it: fixed columns, then config and summary keys."""
    rows = []
    for run in runs:
        row = {"Name": run.name}
        if with_id:
            row["ID"] = run.run_key
        row.update(
            {
                "State": "finished",
                "Notes": "-",
                "User": "someone",
                "Tags": "",
                "Created": "2026-11-20T10:00:00.000Z",
                "Runtime": 3600,
                "Sweep": "",
                "model.n_params": run.params,
                "tokens_seen": run.tokens,
                "optimizer": "adamw",
                "_step": int(run.steps()[-1]),
                "eval/loss": run.loss,
                "train/loss": float(run.train_curve()[-1]),
            }
        )
        rows.append(row)
    return pd.DataFrame(rows)


def wandb_history(runs: list[LadderRun]) -> pd.DataFrame:
    """Every logged point, long: ``run_id``, ``_step`` and metrics, as ``run.history()`` per run."""
    parts = []
    for run in runs:
        parts.append(
            pd.DataFrame(
                {
                    "run_id": run.run_key,
                    "_step": run.steps(),
                    "_runtime": np.linspace(1, 3600, STEPS),
                    "eval/loss": run.eval_curve(),
                    "train/loss": run.train_curve(),
                    "lr": np.full(STEPS, 1e-3),
                }
            )
        )
    return pd.concat(parts, ignore_index=True)


def wandb_json(runs: list[LadderRun]) -> list[dict[str, object]]:
    """Runs as the public API gives them: config with W&B's ``{"value": ...}`` wrappers."""
    return [
        {
            "name": run.name,
            "id": run.run_key,
            "state": "finished",
            "config": {
                "model": {"value": {"n_params": run.params}},
                "tokens": {"value": run.tokens},
            },
            "summary": {"eval/loss": run.loss, "_step": int(run.steps()[-1])},
        }
        for run in runs
    ]


def wandb_api_export(runs: list[LadderRun], *, history: bool = False) -> list[dict[str, Any]]:
    """The runs of :func:`wandb_table` as the API gives them (``run.config``, nested, and
    ``run.summary``): the same values as that CSV in the JSON's spelling, with integers
    where the CSV has floats; with ``history``, each run's points as
    :func:`wandb_history` has them."""
    out: list[dict[str, Any]] = []
    for run in runs:
        record: dict[str, Any] = {
            "name": run.name,
            "id": run.run_key,
            "state": "finished",
            "config": {
                "model": {"n_params": int(run.params)},
                "tokens_seen": int(run.tokens),
                "optimizer": "adamw",
            },
            "summary": {
                "_step": int(run.steps()[-1]),
                "eval/loss": run.loss,
                "train/loss": float(run.train_curve()[-1]),
            },
        }
        if history:
            record["history"] = [
                {"_step": int(s), "_runtime": float(t), "eval/loss": float(e),
                 "train/loss": float(tr), "lr": 1e-3}
                for s, t, e, tr in zip(run.steps(), np.linspace(1, 3600, STEPS),
                                       run.eval_curve(), run.train_curve(), strict=True)
            ]  # fmt: skip
        out.append(record)
    return out


# -- Ray Tune ------------------------------------------------------------------------------


def write_raytune(root: Path, runs: list[LadderRun], *, csv_only: int = 1) -> None:
    """An experiment folder in Ray Tune's layout: per trial ``params.json``, ``result.json``
    (one JSON object per report, metrics nested as the trainable returned them) and
    ``progress.csv``; the first ``csv_only`` trials have only ``progress.csv``."""
    root.mkdir(parents=True)
    (root / "experiment_state-2026-11-20_10-00-00.json").write_text("{}")
    for k, run in enumerate(runs):
        trial_id = f"a1b2c_{k:05d}"
        folder = root / f"train_fn_{trial_id}_{k}_n={run.params:.3g}_2026-11-20_10-00-00"
        folder.mkdir()
        config = {"model": {"n_params": run.params}, "tokens": run.tokens, "lr": 1e-3}
        (folder / "params.json").write_text(json.dumps(config))
        rows = []
        for it, (ev, tr) in enumerate(zip(run.eval_curve(), run.train_curve(), strict=True), 1):
            rows.append(
                {
                    "eval": {"loss": float(ev)},
                    "train_loss": float(tr),
                    "timestamp": 1795000000 + it,
                    "done": it == STEPS,
                    "training_iteration": it,
                    "trial_id": trial_id,
                    "date": "2026-11-20_10-00-00",
                    "time_this_iter_s": 0.5,
                    "pid": 4242,
                    "hostname": "node0",
                    "config": config,
                }
            )
        flat = pd.json_normalize(rows, sep="/")
        flat.to_csv(folder / "progress.csv", index=False)
        if k >= csv_only:
            with (folder / "result.json").open("w") as handle:
                for row in rows:
                    handle.write(json.dumps(row) + "\n")


def write_lm_eval_results(folder: Path, model: str, scores: dict[str, float]) -> Path:
    """One lm-evaluation-harness results file of ``model``, as the harness names its folder."""
    path = folder / model.replace("/", "__") / "results_2026-12-02T04-41-41.json"
    path.parent.mkdir(parents=True)
    path.write_text(
        json.dumps(
            {
                "results": {t: {"alias": t, "acc,none": v} for t, v in scores.items()},
                "config": {"model": "hf", "model_args": f"pretrained={model}"},
                "versions": dict.fromkeys(scores, 1.0),
            }
        )
    )
    return folder
