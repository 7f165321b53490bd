"""Typed configs of a ladder: the model, the training run and one rung (the whole ladder:
:mod:`scalinglab.ladder._spec`).

Every config is a frozen, keyword-only dataclass that validates itself on construction, so
an impossible shape (width not divisible by heads) fails where it is written, not in the
middle of training. ``RungConfig.run_id`` hashes the canonical JSON of a rung: it is the key
under which a run is stored, checkpointed and skipped when it has finished.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Mapping
from dataclasses import asdict, dataclass, fields
from typing import Any, Literal

from scalinglab._errors import ConfigError
from scalinglab._format import format_grouped, noun_for
from scalinglab.ladder._config_checks import check_choice as _check_choice
from scalinglab.ladder._config_checks import check_float as _check_float
from scalinglab.ladder._config_checks import check_int as _check_int
from scalinglab.ladder._toml_value import toml_value

__all__ = ["ModelConfig", "RungConfig", "TrainConfig"]

Positions = Literal["rope", "learned"]
Mlp = Literal["swiglu", "gelu"]
Norm = Literal["rmsnorm", "layernorm"]
Schedule = Literal["cosine", "linear", "constant", "wsd"]
Device = Literal["auto", "cpu", "cuda"]
Auto = Literal["auto"]


@dataclass(frozen=True, kw_only=True)
class ModelConfig:
    """Shape of a decoder-only GPT (see :mod:`scalinglab.ladder._model`)."""

    width: int
    """Width of the residual stream, ``d_model``."""
    depth: int
    """Number of transformer blocks, ``n_layers``."""
    heads: int
    """Attention heads per block; must divide ``width`` (head size = width / heads)."""
    context: int = 256
    """Tokens per training sequence (the attention window)."""
    vocab_size: int = 256
    """Vocabulary size; 256 for the byte-level tokens of :mod:`scalinglab.ladder._corpus`."""
    positions: Positions = "rope"
    """``"rope"`` (rotary, Su et al. 2021, no parameters) or ``"learned"`` absolute embeddings."""
    mlp: Mlp = "swiglu"
    """``"swiglu"`` (Shazeer 2020, three matrices) or ``"gelu"`` (two matrices)."""
    ffn_width: int | None = None
    """Hidden width of the MLP; ``None`` = 4·width for GELU, 8/3·width for SwiGLU (so both
    have about 8·width² MLP parameters), rounded up to a multiple of 64 from width 256 on
    (tensor-core friendly matmul shapes, as LLaMA rounds to 256) and of 8 below."""
    norm: Norm = "rmsnorm"
    """Pre-norm type: ``"rmsnorm"`` (weight only) or ``"layernorm"`` (weight and bias)."""
    tied: bool = False
    """Whether the output head shares the token-embedding matrix."""

    def __post_init__(self) -> None:
        where = "model"
        for name in ("width", "depth", "heads", "context", "vocab_size"):
            _check_int(where, name, getattr(self, name))
        if self.ffn_width is not None:
            _check_int(where, "ffn_width", self.ffn_width)
        _check_choice(where, "positions", self.positions, ("rope", "learned"))
        _check_choice(where, "mlp", self.mlp, ("swiglu", "gelu"))
        _check_choice(where, "norm", self.norm, ("rmsnorm", "layernorm"))
        if not isinstance(self.tied, bool):
            raise ConfigError(f"model: tied must be true or false, got {toml_value(self.tied)}")
        if self.width % self.heads:
            raise ConfigError(
                f"model: width = {self.width} is not divisible by heads = {self.heads}",
                hint="choose heads that divides width (for example width/64 heads of size 64)",
            )
        if self.positions == "rope" and self.head_size % 2:
            raise ConfigError(
                f"model: rotary positions need an even head size, got {self.head_size} "
                f"(width {self.width} / heads {self.heads})",
                hint="change heads so that width/heads is even, or use positions = 'learned'",
            )

    @property
    def head_size(self) -> int:
        """Width of one attention head."""
        return self.width // self.heads

    @property
    def hidden(self) -> int:
        """The MLP's hidden width actually used (``ffn_width`` or its default)."""
        if self.ffn_width is not None:
            return self.ffn_width
        if self.mlp == "gelu":
            return 4 * self.width
        multiple = 64 if self.width >= 256 else 8
        return -(-(8 * self.width // 3) // multiple) * multiple  # round up


@dataclass(frozen=True, kw_only=True)
class TrainConfig:
    """How one rung is trained: budget, batch, optimiser, schedule, evaluation, checkpoints."""

    tokens: int
    """Training tokens in total; steps = tokens // (batch_size·context), at least one."""
    batch_size: int
    """Sequences per optimiser step."""
    lr: float
    """Peak learning rate of AdamW."""
    min_lr_ratio: float = 0.1
    """Final learning rate as a fraction of ``lr`` (cosine, linear and WSD decay to it)."""
    schedule: Schedule = "cosine"
    """Learning-rate schedule after warmup: ``cosine``, ``linear``, ``constant`` or ``wsd``."""
    warmup_steps: int | None = None
    """Linear warmup length in steps; ``None`` uses ``warmup_fraction`` of the steps."""
    warmup_fraction: float = 0.05
    """Warmup as a fraction of the steps when ``warmup_steps`` is ``None``."""
    decay_fraction: float = 0.2
    """WSD only: the final fraction of the steps spent decaying (Hägele et al. 2024)."""
    weight_decay: float = 0.1
    """AdamW decoupled weight decay, applied to matrices only (not norms or embeddings)."""
    betas: tuple[float, float] = (0.9, 0.95)
    """AdamW ``(β1, β2)``."""
    grad_clip: float = 1.0
    """Clip the global gradient norm to this; 0 disables clipping."""
    seed: int = 0
    """Seed of the initialisation and of the data order."""
    eval_every: int = 100
    """Evaluate on the held-out split every this many steps (and always at the end)."""
    eval_tokens: int = 32768
    """Held-out tokens per evaluation (the same fixed windows every time)."""
    log_every: int = 10
    """Record a curve point (and call ``progress``) every this many steps."""
    checkpoint_every: int = 100
    """Write ``checkpoint.pt`` every this many steps."""
    device: Device = "auto"
    """``"auto"`` (CUDA when available), ``"cpu"`` or ``"cuda"``."""
    compile: bool | Auto = "auto"
    """``torch.compile`` the model; ``"auto"`` = on CUDA only."""
    precision: Literal["auto", "fp32", "bf16"] = "auto"
    """Matmul precision: ``"auto"`` = bf16 autocast on CUDA, fp32 on CPU."""
    fused: bool | Auto = "auto"
    """Fused AdamW kernel; ``"auto"`` = on CUDA only."""

    def __post_init__(self) -> None:
        where = "train"
        for name in ("tokens", "batch_size", "eval_every", "eval_tokens", "log_every"):
            _check_int(where, name, getattr(self, name))
        _check_int(where, "checkpoint_every", self.checkpoint_every)
        _check_int(where, "seed", self.seed, minimum=0)
        if self.warmup_steps is not None:
            _check_int(where, "warmup_steps", self.warmup_steps, minimum=0)
        _check_float(where, "lr", self.lr, low=1e-12, high=10.0)
        _check_float(where, "min_lr_ratio", self.min_lr_ratio, low=0.0, high=1.0)
        _check_float(where, "warmup_fraction", self.warmup_fraction, low=0.0, high=1.0)
        _check_float(where, "decay_fraction", self.decay_fraction, low=0.0, high=1.0)
        _check_float(where, "weight_decay", self.weight_decay, low=0.0, high=10.0)
        _check_float(where, "grad_clip", self.grad_clip, low=0.0, high=1e6)
        if len(self.betas) != 2:
            raise ConfigError(f"train: betas must be two numbers, got {toml_value(self.betas)}")
        for beta in self.betas:
            _check_float(where, "betas", beta, low=0.0, high=0.999999)
        _check_choice(where, "schedule", self.schedule, ("cosine", "linear", "constant", "wsd"))
        _check_choice(where, "device", self.device, ("auto", "cpu", "cuda"))
        _check_choice(where, "precision", self.precision, ("auto", "fp32", "bf16"))
        for name in ("compile", "fused"):
            if getattr(self, name) not in (True, False, "auto"):
                raise ConfigError(f"train: {name} must be true, false or 'auto'")
        # tuples from TOML/JSON arrive as lists; normalise so equal configs hash equally
        object.__setattr__(self, "betas", (float(self.betas[0]), float(self.betas[1])))

    def steps(self, context: int) -> int:
        """Optimiser steps for sequences of ``context`` tokens.

        Args:
            context: Tokens per sequence.

        Returns:
            ``tokens // (batch_size · context)``.
        """
        return self.tokens // (self.batch_size * context)

    def warmup(self, steps: int) -> int:
        """Warmup steps actually used out of ``steps``.

        Args:
            steps: The run's optimiser steps.

        Returns:
            ``warmup_steps``, else ``warmup_fraction`` of ``steps`` rounded; never above ``steps``.
        """
        if self.warmup_steps is not None:
            return min(self.warmup_steps, steps)
        return min(round(self.warmup_fraction * steps), steps)


@dataclass(frozen=True, kw_only=True)
class RungConfig:
    """One rung of a ladder: a model trained one way on one corpus."""

    name: str
    """Human name, unique in its ladder (for example ``"w128-d4"``)."""
    model: ModelConfig
    """The model's shape."""
    train: TrainConfig
    """How it is trained."""
    corpus: str = "stdlib"
    """``"stdlib"`` (the Python standard library's sources) or a text file or folder."""

    def __post_init__(self) -> None:
        if not isinstance(self.name, str) or not self.name:
            raise ConfigError("rung: name must be a non-empty string")
        steps = self.train.steps(self.model.context)
        if steps < 1:
            per_step = self.train.batch_size * self.model.context
            raise ConfigError(
                f"rung {self.name!r}: budget of {format_grouped(self.train.tokens)} tokens is less than one "
                f"step of {format_grouped(per_step)} tokens ({self.train.batch_size} sequences × "
                f"{self.model.context} tokens)",
                hint="raise tokens, or lower batch_size or context",
            )

    @property
    def steps(self) -> int:
        """Optimiser steps this rung takes."""
        return self.train.steps(self.model.context)

    @property
    def run_id(self) -> str:
        """16 hex digits of the SHA-256 of the canonical JSON of :meth:`to_dict` (store key)."""
        text = json.dumps(self.to_dict(), sort_keys=True, separators=(",", ":"))
        return hashlib.sha256(text.encode()).hexdigest()[:16]

    def to_dict(self) -> dict[str, Any]:
        """Plain JSON-ready dictionary; :meth:`from_dict` reads it back.

        Returns:
            ``{"model": ..., "train": ..., ...}``: the config's fields, nested as they are.
        """
        out = asdict(self)
        out["train"]["betas"] = list(self.train.betas)
        return out

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> RungConfig:
        """Rebuild a rung from :meth:`to_dict` output (unknown keys are a ConfigError).

        Args:
            data: The dictionary :meth:`to_dict` wrote.

        Returns:
            The rung's config.
        """
        try:
            model = _build(ModelConfig, data["model"], "model")
            train_data = dict(data["train"])
            if "betas" in train_data:
                train_data["betas"] = tuple(train_data["betas"])
            train = _build(TrainConfig, train_data, "train")
            return cls(
                name=data["name"], model=model, train=train, corpus=data.get("corpus", "stdlib")
            )
        except KeyError as e:
            raise ConfigError(f"rung config is missing {e.args[0]!r}") from None


def _build(kind: Any, data: dict[str, Any], where: str) -> Any:
    known = {f.name for f in fields(kind)}
    unknown = sorted(set(data) - known)
    if unknown:
        raise ConfigError(
            f"{where}: unknown {noun_for(len(unknown), 'key')} {', '.join(unknown)}",
            hint=f"known keys: {', '.join(sorted(known))}",
        )
    try:
        return kind(**data)
    except TypeError as e:  # a required key is missing
        raise ConfigError(f"{where}: {e}") from None


def check_train_defaults(defaults: Mapping[str, Any], *, ladder: str) -> None:
    """A bad value in a ladder's ``[train]`` defaults, named there (``ladder 'x', [train]:
    schedule = ...``) rather than at the first rung that takes it; the budget, batch and
    lr the rules set for each rung stand in where ``[train]`` gives none."""
    try:
        TrainConfig(**{"tokens": 1, "batch_size": 1, "lr": 1e-3, **defaults})
    except ConfigError as e:
        message = e.message.removeprefix("train: ")
        raise ConfigError(f"ladder {ladder!r}, [train]: {message}", hint=e.hint) from None
