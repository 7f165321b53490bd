"""``scalinglab ladder plan``'s numbers: each rung's counts and an estimated training time."""

from __future__ import annotations

import shutil
import subprocess
import sys
from collections.abc import Sequence
from dataclasses import dataclass, replace
from pathlib import Path
from typing import TYPE_CHECKING, Any

from scalinglab._format import format_g

if TYPE_CHECKING:
    from scalinglab.ladder import LadderSpec
    from scalinglab.store import StoredRun

__all__ = [
    "RUNG_OVERHEAD_S",
    "Speed",
    "default_speed",
    "duration",
    "gpu_found",
    "plan_json",
    "plan_rows",
    "plan_source",
    "plan_speed",
    "store_finished",
    "store_speed",
]

#: The "format" of what ``ladder plan --json`` prints and ``--out`` saves: /2 holds ``notes``
#: and ``warnings`` as lists and ``source`` as a block, as every plan does; /1 held the notes
#: as one string (a warning a line of it) and ``source`` as the recipe's name or path.
PLAN_FORMAT = "scalinglab.ladder_plan/2"

# CPU rungs train on one thread each ($SCALINGLAB_CPU_THREADS); a rung's time is about
# steps x _CPU_STEP_S (Python, launches, the optimizer, small non-matmul ops: most of the time
# of these tiny models) + FLOPs / _CPU_FLOPS. Fitted (least squares on relative error) to the
# project's two real CPU sessions on a 2-core VM: the README's chinchilla-tiny (5 rungs,
# 3-87 s) and examples/isoflop-tiny (12 rungs, 6-70 s): every rung within 10%, where one
# rate of 1e10 FLOP/s made chinchilla-tiny's plan 4x too long and 1-block rungs 6x too short.
# `ladder run tiny --gpus none` here (load 6 on 2 cores) took 1.5/5.3/15.1 s: 1.0-1.35x it.
_CPU_FLOPS = 5.5e10
_CPU_STEP_S = 0.008
_GPU_FLOPS = 1e14  # ~25-40% of an A100/H100's bf16 peak, what small ladders reach
#: Seconds each rung costs beyond its training: a fresh worker process, the torch import, the
#: corpus load and the store write. An estimate, measured on a shared 2-core VM: a 4-rung
#: ladder of 1-block widths 16-48 took 18.4 s and 23.7 s in two runs, 4-5.5 s a rung beyond
#: the ~1 s each rung trained.
RUNG_OVERHEAD_S = 5.0
_SMI_TIMEOUT_S = 5.0


def duration(seconds: float) -> str:
    """``42 s``, ``3.5 min``, ``1.2 h``, ``123 days``."""
    if seconds < 60:
        return f"{seconds:.0f} s"
    if seconds < 3600:
        return f"{seconds / 60:.1f} min"
    if seconds < 2 * 86400:
        return f"{seconds / 3600:.1f} h"
    return f"{seconds / 86400:,.0f} days"


def gpu_found() -> bool:
    """Whether a CUDA GPU is usable here: ``torch.cuda.is_available()`` when torch is
    already loaded (importing it costs seconds), else ``nvidia-smi -L`` answering within a
    few seconds with exit 0 and a ``GPU ...`` line (a broken driver's ``nvidia-smi``
    fails, and its mere presence on PATH says nothing)."""
    torch = sys.modules.get("torch")
    if torch is not None:
        return bool(torch.cuda.is_available())
    smi = shutil.which("nvidia-smi")
    if smi is None:
        return False
    try:
        done = subprocess.run(
            [smi, "-L"], capture_output=True, text=True, timeout=_SMI_TIMEOUT_S, check=False
        )
    except (OSError, subprocess.TimeoutExpired):
        return False
    return done.returncode == 0 and any(
        line.startswith("GPU ") for line in done.stdout.splitlines()
    )


@dataclass(frozen=True)
class Speed:
    """How fast rungs train, for the estimate: ``steps * step_s + flops / flops_per_s``
    seconds a rung, plus :data:`RUNG_OVERHEAD_S`.

    Attributes:
        flops_per_s: Training FLOPs a second.
        step_s: Seconds each optimizer step costs beyond its FLOPs.
        why: Where the figures come from, as the plan's note says it.
        on_cpu: Whether the rungs train on the CPU here.
    """

    flops_per_s: float
    step_s: float
    why: str
    on_cpu: bool

    def train_s(self, flops: float, steps: int) -> float:
        """A rung's training time (its ``wall_s`` once trained)."""
        return steps * self.step_s + flops / self.flops_per_s

    def estimate_s(self, flops: float, steps: int) -> float:
        """A rung's estimated wall time: training plus :data:`RUNG_OVERHEAD_S`."""
        return self.train_s(flops, steps) + RUNG_OVERHEAD_S


def default_speed(
    spec: LadderSpec | None = None,
    *,
    runs: Sequence[StoredRun] = (),
    store: str = "",
    cpu: bool = False,
) -> Speed:
    """The speed the estimate assumes where none is given: a GPU's only when one is usable
    and the rungs may use it (``device`` not ``"cpu"``) and ``cpu`` does not ask for the
    CPU's; scaled to what the finished ladder rungs ``runs`` of ``store`` on the same kind
    of device (CPU or GPU) measured, if any."""
    on_cpu = spec is not None and all(r.train.device == "cpu" for r in spec.rungs)
    if not (on_cpu or cpu) and gpu_found():
        base = Speed(_GPU_FLOPS, 0.0, "a GPU was found: assumed 1e14 FLOP/s", on_cpu=False)
    else:
        why = "the rungs ask for the CPU" if on_cpu else "no GPU"
        base = Speed(
            _CPU_FLOPS,
            _CPU_STEP_S,
            f"{why}: assumed {_CPU_STEP_S * 1e3:.0f} ms a step plus {_e(_CPU_FLOPS)} FLOP/s, "
            "one CPU thread a rung, as this project's CPU ladders measured",
            on_cpu=True,
        )
    return _measured(base, runs, store) if store else base


def store_speed(
    spec: LadderSpec, store: Path | None, *, cpu: bool = False, missing_ok: bool = False
) -> Speed:
    """:func:`default_speed` for ``spec``, measured by the runs of ``store`` if given.

    Args:
        spec: The ladder.
        store: A run store, or ``None``.
        cpu: The CPU's speed, even where a GPU is found.
        missing_ok: A ``store`` not yet written is no error (nothing measured).

    Raises:
        StoreError: ``store`` given but not there (unless ``missing_ok``), or not a
            readable run store.
    """
    if store is None or (missing_ok and not store.exists()):
        return default_speed(spec, cpu=cpu)
    from scalinglab.store import RunStore  # a missing store: said as by every command

    return default_speed(spec, runs=RunStore(store).runs(), store=str(store), cpu=cpu)


def plan_speed(spec: LadderSpec, store: Path | None) -> Speed:
    """:func:`store_speed` for ``ladder plan``: a store not yet written means no rung has
    finished (``ladder run`` creates it), which the speed's ``why`` says, not an error."""
    speed = store_speed(spec, store, missing_ok=True)
    if store is None or store.exists():
        return speed
    created = f"{store} does not exist yet: no rung is finished (`ladder run` creates it)"
    return replace(speed, why=f"{speed.why}; {created}")


def _e(x: float) -> str:
    """``5.5e10``: two digits, the exponent as the tables write one."""
    return format_g(x, 2)


def _measured(base: Speed, runs: Sequence[StoredRun], store: str) -> Speed:
    """``base`` scaled by how long the finished ladder rungs of its kind of device in
    ``runs`` trained against what it predicts for them (summed: long rungs weigh most)."""
    kind = "CPU" if base.on_cpu else "GPU"
    took = predicted = 0.0
    hardware: set[str] = set()
    for run in runs:
        steps = (run.extra.get("training") or {}).get("steps")
        if (
            run.status != "finished"
            or not str(run.source).startswith("ladder:")
            or not (run.wall_s and run.flops and isinstance(steps, int))
            or str(run.hardware).startswith("cpu") != base.on_cpu
        ):
            continue
        took += run.wall_s
        predicted += base.train_s(run.flops, steps)
        hardware.add(str(run.hardware))
    if not hardware:
        return replace(base, why=f"{base.why} ({store} holds no finished {kind} ladder rung)")
    slow = took / predicted
    return replace(
        base,
        flops_per_s=base.flops_per_s / slow,
        step_s=base.step_s * slow,
        why=f"measured: the finished {kind} rungs in {store} ({', '.join(sorted(hardware))}) "
        f"trained {format_g(slow, 2)}x as long as assumed, so "
        + (f"{format_g(base.step_s * slow * 1e3, 2)} ms a step plus " if base.step_s else "")
        + f"{_e(base.flops_per_s / slow)} FLOP/s",
    )


def store_finished(spec: LadderSpec, store: Path | None) -> set[str]:
    """The ``run_id`` of each rung of ``spec`` that ``store`` holds finished: those
    ``ladder run`` would skip, matched as it matches them (none without a store, or with
    one not yet written: ``ladder run`` creates it)."""
    if store is None or not store.exists():
        return set()
    from scalinglab.execute._stored_rungs import finished_rungs
    from scalinglab.store import RunStore

    return set(finished_rungs(spec, RunStore(store).runs()))


def plan_rows(spec: LadderSpec, *, done: set[str] | None = None) -> list[dict[str, Any]]:
    """One row per rung: its name (``rung``, as the table's column; ``name``, its old key,
    for one release), its shape, exact counts and training settings, and ``finished``:
    whether its ``run_id`` is in ``done`` (finished in the store, skipped by ``ladder run``)."""
    from scalinglab.ladder import rung_counts

    rows: list[dict[str, Any]] = []
    for rung in spec.rungs:
        c = rung_counts(rung)
        rows.append(
            {
                "rung": rung.name,
                "name": rung.name,  # the old key of "rung", kept one release
                "run_id": rung.run_id,
                "width": rung.model.width,
                "depth": rung.model.depth,
                "heads": rung.model.heads,
                "context": rung.model.context,
                "params": c.params,
                "params_non_embedding": c.params_non_embedding,
                "tokens": c.tokens,
                "steps": c.steps,
                "batch_size": rung.train.batch_size,
                "lr": rung.train.lr,
                "flops": c.flops,
                "flops_6nd": c.flops_6nd,
                "tokens_per_param": c.tokens / c.params_non_embedding,
                "finished": rung.run_id in (done or set()),
            }
        )
    return rows


def plan_source(recipe: str, rule: Any, *, origin: str) -> dict[str, Any]:
    """The ``source`` block of a ladder plan, in the words of every plan's
    (:mod:`scalinglab.cli._sources`): ``kind`` ``"recipe"`` (a built-in, its ``name``) or
    ``"toml"`` (a file, its ``path``), ``origin`` the argument as given (``LADDER tiny``), and
    ``hparams`` the block of the rule that set every rung's lr and batch, given by ``origin``
    (``--hparams hp.json``), or ``None`` where the recipe's rules set them."""
    from scalinglab.cli._sources import source_dict
    from scalinglab.ladder import recipe_names

    where = {"name": recipe} if recipe in recipe_names() else {"path": recipe}
    return {
        "kind": "recipe" if "name" in where else "toml",
        "origin": f"LADDER {recipe}",
        **where,
        "hparams": None if rule is None else source_dict(rule, origin),
    }


def plan_json(
    spec: LadderSpec, speed: Speed, rows: Sequence[dict[str, Any]], *, source: dict[str, Any]
) -> dict[str, Any]:
    """What ``ladder plan --json`` prints and ``--out`` saves: the ladder, where it came from
    (``source``, :func:`plan_source`), its notes and, apart, its warnings (rungs outside what
    an ``--hparams`` rule was fitted to), the speed its estimate assumed and why, and the
    rungs (each with its estimate, ``est_s``)."""
    from scalinglab.cli._render import split_warnings

    notes, warnings = split_warnings(spec.notes.splitlines())
    return {
        "format": PLAN_FORMAT,
        "ladder": spec.name,
        "source": source,
        "notes": notes,
        "warnings": warnings,
        "flops_per_s": speed.flops_per_s,
        "step_overhead_s": speed.step_s,
        "rung_overhead_s": RUNG_OVERHEAD_S,
        "estimate_note": speed.why,
        "rungs": list(rows),
    }
