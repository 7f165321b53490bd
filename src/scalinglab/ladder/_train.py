"""Training one rung: AdamW, clipping, the schedule, held-out evaluation, checkpoints, resume.

Resume is exact because nothing depends on hidden state: the batch of step ``k`` is drawn from
``numpy.random.default_rng([seed, k])``, so the data position *is* the step, and the checkpoint
holds the model, the optimiser, the RNG states, the per-step losses and the curve so far. On
CPU a run killed and resumed ends bit-for-bit where an uninterrupted run ends (tested).

On CUDA the fast paths switch on by themselves (each can be forced off in
:class:`~scalinglab.ladder.TrainConfig`): bf16 autocast, ``torch.compile`` and the fused AdamW
kernel. ``progress`` is called at every curve point, from this process.
"""

from __future__ import annotations

import math
import os
import time
from collections.abc import Callable
from dataclasses import asdict, replace
from pathlib import Path
from typing import Any

import torch

from scalinglab._errors import ConfigError
from scalinglab.ladder._batches import eval_windows, evaluate, sample_batch
from scalinglab.ladder._checkpoint import (
    clear_results,
    finished,
    load_checkpoint,
    save_checkpoint,
    save_result,
)
from scalinglab.ladder._config import RungConfig, TrainConfig
from scalinglab.ladder._corpus import Corpus, load_corpus
from scalinglab.ladder._counts import flops_per_token
from scalinglab.ladder._hardware import hardware_name, peak_flops, software_versions
from scalinglab.ladder._model import GPT
from scalinglab.ladder._result import CurvePoint, RungResult, TrainProgress, beats_uniform
from scalinglab.ladder._schedules import schedule_for

__all__ = ["train_rung"]


class DivergedError(ConfigError):
    """The training loss became NaN or infinite: the rung is recorded as ``diverged`` (a
    setting to change), not ``failed`` (something broke)."""


def pick_device(train: TrainConfig) -> torch.device:
    """The device ``train.device`` asks for; ``"cuda"`` without a GPU is a ConfigError."""
    if train.device == "cuda" and not torch.cuda.is_available():
        raise ConfigError(
            "train.device = 'cuda' but PyTorch sees no CUDA device",
            hint="use device = 'auto' or 'cpu', or install a CUDA build of PyTorch",
        )
    if train.device == "auto":
        return torch.device("cuda" if torch.cuda.is_available() else "cpu")
    return torch.device(train.device)


def _resolve(option: bool | str, device: torch.device) -> bool:
    return device.type == "cuda" if option == "auto" else bool(option)


def train_rung(
    rung: RungConfig,
    *,
    workdir: Path,
    progress: Callable[[TrainProgress], None] | None = None,
) -> RungResult:
    """Train ``rung`` in ``workdir``, resuming from its checkpoint if one is there.

    See :func:`scalinglab.ladder.train_rung` for the contract. On CPU it runs on
    ``$SCALINGLAB_CPU_THREADS`` threads (default 1): ladder models are so small that more
    threads mostly wait on each other, and on a busy machine spinning OpenMP threads made a
    30-step test run 5× slower than one thread (and 26× with other jobs on the cores).
    """
    workdir = Path(workdir)
    workdir.mkdir(parents=True, exist_ok=True)
    done = finished(workdir, rung.run_id)
    if done is not None:
        if done.corpus_hash == load_corpus(rung.corpus).hash:
            return done
        # the corpus's contents changed under its path (the run id names the path): the
        # result and any checkpoint are of other data, so this rung trains afresh
        clear_results(workdir)
    device = pick_device(rung.train)
    if device.type != "cpu":
        return _train(rung, workdir, progress, device)
    before = torch.get_num_threads()
    torch.set_num_threads(_cpu_threads())
    try:
        return _train(rung, workdir, progress, device)
    finally:
        torch.set_num_threads(before)


def _cpu_threads() -> int:
    value = os.environ.get("SCALINGLAB_CPU_THREADS", "1")
    if not value.isdigit() or int(value) < 1:
        raise ConfigError(
            f"SCALINGLAB_CPU_THREADS must be a positive integer, got {value!r}",
            hint="unset it, or set it to the number of cores a rung may use",
        )
    return int(value)


def _train(
    rung: RungConfig,
    workdir: Path,
    progress: Callable[[TrainProgress], None] | None,
    device: torch.device,
) -> RungResult:
    run_id = rung.run_id
    cfg, train = rung.model, rung.train
    corpus: Corpus = load_corpus(rung.corpus)
    train_tokens, held_out = corpus.train_tokens(), corpus.eval_tokens()
    if len(train_tokens) < cfg.context + 2:
        raise ConfigError(
            f"corpus {rung.corpus!r} has {len(train_tokens)} training tokens, fewer than one "
            f"window of {cfg.context + 1}",
            hint="use a larger corpus or a shorter context",
        )
    starts = eval_windows(
        held_out, n_tokens=train.eval_tokens, context=cfg.context, multiple_of=train.batch_size
    )
    steps = rung.steps
    tokens_per_step = train.batch_size * cfg.context

    torch.manual_seed(train.seed)
    model = GPT(cfg).to(device)
    use_bf16 = train.precision == "bf16" or (train.precision == "auto" and device.type == "cuda")
    if device.type == "cuda" and train.precision != "fp32":
        torch.backends.cuda.matmul.allow_tf32 = True  # fp32 leftovers on tensor cores
        torch.backends.cudnn.allow_tf32 = True
    optimizer = torch.optim.AdamW(
        model.param_groups(train.weight_decay),
        lr=train.lr,
        betas=train.betas,
        fused=_resolve(train.fused, device) or None,
    )
    schedule = schedule_for(train, steps)
    losses = torch.zeros(steps, device=device)  # per-step loss, kept on device: no sync
    curve: list[CurvePoint] = []
    step, wall_s, train_s, last_eval, resumed_from = 0, 0.0, 0.0, None, None

    checkpoint = load_checkpoint(workdir, run_id, corpus_hash=corpus.hash)
    if checkpoint is not None:
        model.load_state_dict(checkpoint["model"])
        optimizer.load_state_dict(checkpoint["optimizer"])
        losses.copy_(checkpoint["losses"])
        curve = [CurvePoint(**p) for p in checkpoint["curve"]]
        step, wall_s, train_s = checkpoint["step"], checkpoint["wall_s"], checkpoint["train_s"]
        last_eval = checkpoint["last_eval"]
        torch.set_rng_state(checkpoint["rng_cpu"])
        if device.type == "cuda" and checkpoint.get("rng_cuda") is not None:
            torch.cuda.set_rng_state(checkpoint["rng_cuda"], device)
        resumed_from = step

    forward: torch.nn.Module = model
    if _resolve(train.compile, device):
        forward = torch.compile(model)  # type: ignore[assignment]

    def autocast() -> Any:
        return torch.autocast(device.type, dtype=torch.bfloat16, enabled=use_bf16)

    saved = step  # the latest checkpoint's step: what a resume would start from
    report: TrainProgress | None = None

    def checkpoint_now() -> None:
        nonlocal saved
        state = {
            "run_id": run_id,
            "corpus_hash": corpus.hash,
            "step": step,
            "model": model.state_dict(),
            "optimizer": optimizer.state_dict(),
            "losses": losses.cpu(),
            "curve": [asdict(p) for p in curve],
            "wall_s": wall_s + (time.perf_counter() - began),
            "train_s": train_s,
            "last_eval": last_eval,
            "rng_cpu": torch.get_rng_state(),
            "rng_cuda": torch.cuda.get_rng_state(device) if device.type == "cuda" else None,
        }
        save_checkpoint(workdir, state)
        saved = step

    began = time.perf_counter()
    segment = time.perf_counter()
    logged = curve[-1].step if curve else 0
    for step_index in range(step, steps):
        lr = train.lr * schedule(step_index)
        for group in optimizer.param_groups:
            group["lr"] = lr
        x, y = sample_batch(
            train_tokens,
            seed=train.seed,
            step=step_index,
            batch_size=train.batch_size,
            context=cfg.context,
        )
        if device.type == "cuda":  # pinned: the copy does not wait for the previous step
            x, y = x.pin_memory(), y.pin_memory()
        x, y = x.to(device, non_blocking=True), y.to(device, non_blocking=True)
        with autocast():
            loss = forward(x, y)
        loss.backward()
        if train.grad_clip > 0:
            torch.nn.utils.clip_grad_norm_(model.parameters(), train.grad_clip)
        optimizer.step()
        optimizer.zero_grad(set_to_none=True)
        losses[step_index] = loss.detach()
        step = step_index + 1

        if step % train.log_every and step % train.eval_every and step != steps:
            if step % train.checkpoint_every == 0:
                checkpoint_now()
                if progress is not None and report is not None:  # where a resume starts
                    tokens = step * tokens_per_step
                    report = replace(report, step=step, tokens=tokens, checkpoint_step=saved)
                    progress(report)
            continue
        mean_loss = float(losses[logged:step].mean())  # syncs the device: timing is honest
        now = time.perf_counter()
        train_s += now - segment
        if not math.isfinite(mean_loss):
            raise DivergedError(
                f"rung {rung.name!r} diverged: training loss is {mean_loss} at step {step}",
                hint="lower the learning rate or raise warmup",
            )
        evaluated = step % train.eval_every == 0 or step == steps
        if evaluated:
            last_eval = evaluate(
                forward,
                held_out,
                starts,
                batch_size=train.batch_size,
                context=cfg.context,
                device=device,
                autocast=autocast,
            )
        curve.append(
            CurvePoint(
                step, step * tokens_per_step, lr, mean_loss, last_eval if evaluated else None
            )
        )
        logged = step
        if step % train.checkpoint_every == 0 and step != steps:
            checkpoint_now()  # before the report, which then names it
        if progress is not None:
            report = TrainProgress(
                run_id=run_id,
                step=step,
                steps=steps,
                tokens=step * tokens_per_step,
                train_loss=mean_loss,
                eval_loss=last_eval,
                tokens_per_s=step * tokens_per_step / max(train_s, 1e-9),
                wall_s=wall_s + time.perf_counter() - began,
                checkpoint_step=saved,
            )
            progress(report)
        segment = time.perf_counter()

    wall_s += time.perf_counter() - began
    tail = max(1, min(steps // 10, 100))
    throughput = steps * tokens_per_step / max(train_s, 1e-9)
    peak = peak_flops(hardware_name(device)) if device.type == "cuda" else None
    assert last_eval is not None  # the final step always evaluates
    result = RungResult(
        run_id=run_id,
        name=rung.name,
        # as the driver records it (execute._record.worse_than_uniform): one status
        status="finished" if beats_uniform(last_eval, cfg.vocab_size) else "diverged",
        steps=steps,
        tokens=steps * tokens_per_step,
        train_loss=float(losses[steps - tail :].mean()),
        loss=last_eval,
        wall_s=wall_s,
        tokens_per_s=throughput,
        mfu=None if peak is None else flops_per_token(cfg) * throughput / peak,
        hardware=hardware_name(device),
        software=software_versions(),
        corpus=corpus.name,
        corpus_hash=corpus.hash,
        resumed_from_step=resumed_from,
        curve=tuple(curve),
    )
    save_result(workdir, result)
    return result
