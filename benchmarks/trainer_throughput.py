"""Trainer throughput and MFU: scalinglab's GPU fast path against a plain PyTorch baseline.

In one run, on one CUDA GPU:

1. the measured bf16 matmul peak of this GPU (8192³ matmuls, CUDA events);
2. for four GPT sizes from ~10M to ~300M parameters (context 1024, byte-level vocabulary),
   ``scalinglab.ladder.train_rung`` as users run it — bf16 autocast, ``torch.compile``,
   fused AdamW, flash attention through SDPA — and, on the same model, data and step count,
   the plain baseline: fp32, no compile, unfused AdamW (``precision="fp32", compile=False,
   fused=False``);
3. tokens/s between two progress reports after the warm-up (so compilation is excluded) and
   before the final one (whose time includes the final evaluation), and
   MFU = exact training FLOPs per token (``scalinglab.ladder.flops_per_token``: every matmul,
   attention over the full context as Kaplan/PaLM count it, forward + backward) × tokens/s,
   divided by the GPU's dense bf16 peak from its data sheet (989 TFLOP/s for H100 SXM; looked
   up by device name, never assumed) and by the measured matmul peak.

Usage::

    python benchmarks/trainer_throughput.py              # needs CUDA; ~5 minutes on an H100
    python benchmarks/trainer_throughput.py --cpu        # tiny CPU smoke run of the same code
    python benchmarks/trainer_throughput.py --json out.json

Exit codes: 0 measured; 2 a bad option (``--steps`` below :data:`MIN_STEPS`); 3 skipped: no
CUDA GPU visible to PyTorch and no ``--cpu``, so nothing was measured.

Target (issue 4): ≥ 50% MFU at ~150M parameters on one H100 SXM.
"""

from __future__ import annotations

import argparse
import gc
import json
import sys
import tempfile
import time
from dataclasses import dataclass
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from _machine import describe, load_average
from scalinglab.ladder import (
    ModelConfig,
    RungConfig,
    TrainConfig,
    TrainProgress,
    flops_per_token,
    model_params,
    train_rung,
)

#: (label, width, depth, heads, batch) — context 1024; params are almost all non-embedding.
GPU_SIZES = (
    ("~10M", 384, 6, 6, 32),
    ("~40M", 512, 12, 8, 32),
    ("~150M", 1024, 12, 16, 32),
    ("~300M", 1024, 24, 16, 16),
)
CPU_SIZES = (("cpu-a", 64, 2, 4, 8), ("cpu-b", 128, 2, 4, 8))
#: The exit code when nothing was measured because no CUDA GPU is visible (and no ``--cpu``).
SKIPPED = 3
#: The fewest steps with a measured window: a 2-step warm-up, then two reports before the last.
MIN_STEPS = 5


def warmup_steps(steps: int) -> int:
    """Steps before the window (compilation): a sixth of the run, at least 2."""
    return max(steps // 6, 2)


def window(marks: list[TrainProgress], *, steps: int) -> tuple[TrainProgress, TrainProgress]:
    """The first and last progress reports of the measured window: from the end of the
    warm-up to the last report before the final one, whose time includes the evaluation.

    Raises:
        ValueError: Fewer than two reports before the final one (``steps < MIN_STEPS``).
    """
    inside = [m for m in marks if m.step < steps]
    if len(inside) < 2:
        raise ValueError(
            f"{steps} steps leave no measured window (reports at steps "
            f"{[m.step for m in marks]}); use at least {MIN_STEPS} steps"
        )
    return inside[0], inside[-1]


@dataclass(frozen=True)
class Measurement:
    label: str
    variant: str
    params: int
    tokens_per_s: float
    mfu_datasheet: float | None
    mfu_measured: float | None


def matmul_peak(device: str = "cuda", n: int = 8192, reps: int = 20) -> float:
    """Measured dense bf16 matmul FLOP/s on this GPU."""
    import torch

    a = torch.randn(n, n, device=device, dtype=torch.bfloat16)
    b = torch.randn(n, n, device=device, dtype=torch.bfloat16)
    for _ in range(3):
        a @ b
    start, end = torch.cuda.Event(enable_timing=True), torch.cuda.Event(enable_timing=True)
    torch.cuda.synchronize()
    start.record()
    for _ in range(reps):
        a @ b
    end.record()
    torch.cuda.synchronize()
    return 2 * n**3 * reps / (start.elapsed_time(end) / 1e3)


def measure(
    label: str,
    model: ModelConfig,
    batch: int,
    *,
    variant: str,
    steps: int,
    warmup: int,
    device: str,
    workdir: Path,
    peak: float | None,
    measured_peak: float | None,
) -> Measurement:
    """Train ``steps`` steps with the real trainer; tokens/s over the steps after ``warmup``."""
    fast = variant == "scalinglab"
    train = TrainConfig(
        tokens=steps * batch * model.context,
        batch_size=batch,
        lr=1e-3,
        warmup_steps=0,
        eval_every=10**6,
        eval_tokens=model.context * batch,
        log_every=warmup,
        checkpoint_every=10**6,
        device=device,  # type: ignore[arg-type]
        precision="auto" if fast else "fp32",
        compile="auto" if fast else False,
        fused="auto" if fast else False,
    )
    rung = RungConfig(name=f"{label}-{variant}", model=model, train=train)
    marks: list[TrainProgress] = []
    train_rung(rung, workdir=workdir / rung.run_id, progress=marks.append)
    # reports at warmup, 2·warmup, ... and at the last step, after the final evaluation
    first, last = window(marks, steps=steps)
    tokens_per_s = (last.tokens - first.tokens) / (last.wall_s - first.wall_s)
    achieved = flops_per_token(model) * tokens_per_s
    return Measurement(
        label=label,
        variant=variant,
        params=model_params(model).total,
        tokens_per_s=tokens_per_s,
        mfu_datasheet=None if peak is None else achieved / peak,
        mfu_measured=None if measured_peak is None else achieved / measured_peak,
    )


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        description=__doc__.split("\n\n")[0],
        epilog=f"Exit codes: 0 measured; 2 a bad option; {SKIPPED} skipped (no CUDA GPU and no "
        "--cpu: nothing measured).",
    )
    parser.add_argument("--cpu", action="store_true", help="tiny CPU smoke run, no MFU")
    parser.add_argument(
        "--steps",
        type=int,
        default=None,
        help=f"steps per measurement (at least {MIN_STEPS}) [default: 12 with --cpu, else 60]",
    )
    parser.add_argument("--json", type=Path, default=None, help="also write results here")
    args = parser.parse_args(argv)
    steps = args.steps if args.steps is not None else (12 if args.cpu else 60)
    if steps < MIN_STEPS:
        parser.error(
            f"--steps {steps}: too few for a measured window; use at least {MIN_STEPS} (a "
            f"{warmup_steps(steps)}-step warm-up, then two progress reports before the final one, "
            "whose time includes the evaluation)"
        )

    import torch

    from scalinglab.ladder._hardware import peak_flops

    if not args.cpu and not torch.cuda.is_available():
        print(
            "skipped: trainer_throughput needs CUDA (no GPU visible to PyTorch); nothing "
            f"measured (exit code {SKIPPED}).\n"
            "Run it on a GPU machine, or pass --cpu for a tiny smoke run of the same code."
        )
        return SKIPPED
    device = "cpu" if args.cpu else "cuda"
    sizes = CPU_SIZES if args.cpu else GPU_SIZES
    context = 64 if args.cpu else 1024
    warmup = warmup_steps(steps)
    name = "cpu" if args.cpu else torch.cuda.get_device_name()
    peak = None if args.cpu else peak_flops(name)
    measured = None if args.cpu else matmul_peak()
    print(f"device: {name}; torch {torch.__version__}")
    print(f"machine: {describe(solver=False)}")
    if not args.cpu:
        sheet = "unknown" if peak is None else f"{peak / 1e12:.0f} TFLOP/s"
        print(f"dense bf16 peak: data sheet {sheet}; measured matmul {measured / 1e12:.0f} TFLOP/s")  # type: ignore[operator]
    print(
        f"{steps} steps per measurement; tokens/s after a {warmup}-step warm-up (compilation), "
        "up to the last report before the final evaluation\n"
    )

    rows: list[Measurement] = []
    with tempfile.TemporaryDirectory() as tmp:
        for label, width, depth, heads, batch in sizes:
            model = ModelConfig(width=width, depth=depth, heads=heads, context=context)
            for variant in ("scalinglab", "baseline"):
                # every model compiles the same forward code: without a reset, dynamo's
                # per-code cache limit (8) would send later sizes back to eager mode
                torch._dynamo.reset()
                gc.collect()
                m = measure(
                    label,
                    model,
                    batch,
                    variant=variant,
                    steps=steps,
                    warmup=warmup,
                    device=device,
                    workdir=Path(tmp),
                    peak=peak,
                    measured_peak=measured,
                )
                rows.append(m)
                if device == "cuda":
                    torch.cuda.empty_cache()

    def pct(x: float | None) -> str:
        return "—" if x is None else f"{100 * x:.1f}%"

    print(
        f"{'size':7s} {'params':>12s} {'variant':11s} {'tokens/s':>12s} {'MFU sheet':>10s} "
        f"{'MFU meas.':>10s} {'speed-up':>9s}"
    )
    for fast, base in zip(rows[::2], rows[1::2], strict=True):
        for m in (fast, base):
            ratio = f"{fast.tokens_per_s / base.tokens_per_s:.2f}×" if m is fast else ""
            print(
                f"{m.label:7s} {m.params:>12,d} {m.variant:11s} {m.tokens_per_s:>12,.0f} "
                f"{pct(m.mfu_datasheet):>10s} {pct(m.mfu_measured):>10s} {ratio:>9s}"
            )
    if args.cpu:
        print(
            "\n(--cpu: a smoke run. On CPU both variants take the same path — fp32, eager, "
            "unfused — so the ratio is noise, not a speed-up.)"
        )
    print(f"\nload average at the end: {load_average()}")
    if args.json:
        payload = {
            "device": name,
            "peak_datasheet": peak,
            "peak_measured": measured,
            "date": time.strftime("%Y-%m-%d"),
            "rows": [m.__dict__ for m in rows],
        }
        args.json.write_text(json.dumps(payload, indent=1))
    return 0


if __name__ == "__main__":
    sys.exit(main())
