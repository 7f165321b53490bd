"""Tiny TOML ladders the ladder and execute tests train on CPU: 1-block models, steps of 8
sequences of 32 tokens, over a small real-text corpus."""

from __future__ import annotations

import email
import shutil
from collections.abc import Sequence
from pathlib import Path


def make_corpus(folder: Path) -> Path:
    """A small real-text corpus: the standard library's ``email`` package sources."""
    folder.mkdir(parents=True, exist_ok=True)
    for source in sorted(Path(email.__file__).parent.glob("*.py")):
        shutil.copy(source, folder / source.name)
    return folder


def write_ladder(
    path: Path,
    *,
    steps: Sequence[int],
    corpus: Path,
    name: str = "mini",
    eval_every: int = 10,
    checkpoint_every: int = 5,
    warmup_steps: int | None = 2,
) -> Path:
    """A TOML ladder of 1-block models, ``steps[i]`` optimiser steps of 8×32 tokens each
    (``warmup_steps=None`` leaves the warm-up to the trainer's default)."""
    rungs = "".join(
        f"\n[[rungs]]\nwidth = {16 + 8 * i}\ndepth = 1\nheads = 2\ntokens = {n * 8 * 32}\n"
        for i, n in enumerate(steps)
    )
    warmup = "" if warmup_steps is None else f"warmup_steps = {warmup_steps}\n"
    path.write_text(
        f'name = "{name}"\ncorpus = "{corpus}"\n[model]\ncontext = 32\n'
        f"[train]\nbatch_size = 8\nlr = 3e-3\n{warmup}eval_every = {eval_every}\n"
        f"eval_tokens = 1024\nlog_every = 5\ncheckpoint_every = {checkpoint_every}\n"
        'device = "cpu"\n[rules]\ntokens_per_param = 5\n' + rungs
    )
    return path
