"""Model ladders: configs, recipes, exact counts, schedules, byte-level data and the trainer.

::

    from scalinglab.ladder import get_recipe, rung_counts, train_rung

    spec = get_recipe("tiny")                      # or "chinchilla-tiny", "gpu", "my.toml"
    rung = spec.rungs[0]
    rung_counts(rung).params_non_embedding         # exact, from the config
    result = train_rung(rung, workdir=Path("runs") / rung.run_id)
    result.loss, result.tokens_per_s

Everything here but :func:`train_rung` and :func:`build_model` works without PyTorch; those
two import it when called (``pip install "scalinglab[train]"``, PyTorch pinned first).
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING

from scalinglab._errors import ConfigError
from scalinglab._extras import install_hint
from scalinglab.ladder._config import ModelConfig, RungConfig, TrainConfig
from scalinglab.ladder._corpus import Corpus, cache_dir, load_corpus
from scalinglab.ladder._counts import RungCounts, flops_per_token, model_params, rung_counts
from scalinglab.ladder._recipes import build_ladder, get_recipe, recipe_names
from scalinglab.ladder._result import CurvePoint, RungResult, TrainProgress
from scalinglab.ladder._rules import Rules, batch_tokens, learning_rate
from scalinglab.ladder._schedules import (
    Schedule,
    constant,
    cosine,
    join,
    linear,
    schedule_for,
    warmup,
    wsd,
)
from scalinglab.ladder._spec import LadderSpec
from scalinglab.ladder._toml import ladder_to_toml, load_toml

if TYPE_CHECKING:
    from scalinglab.ladder._model import GPT

__all__ = [
    "Corpus",
    "CurvePoint",
    "LadderSpec",
    "ModelConfig",
    "Rules",
    "RungConfig",
    "RungCounts",
    "RungResult",
    "Schedule",
    "TrainConfig",
    "TrainProgress",
    "batch_tokens",
    "build_ladder",
    "build_model",
    "cache_dir",
    "constant",
    "cosine",
    "flops_per_token",
    "get_recipe",
    "join",
    "ladder_to_toml",
    "learning_rate",
    "linear",
    "load_corpus",
    "load_toml",
    "model_params",
    "recipe_names",
    "rung_counts",
    "schedule_for",
    "train_rung",
    "warmup",
    "wsd",
]

_NO_TORCH_HINT = "install PyTorch and the training extra: " + install_hint("train")


def _require_torch() -> None:
    try:
        import torch  # noqa: F401
    except ImportError:
        raise ConfigError(
            "training a rung needs PyTorch, which is not installed", hint=_NO_TORCH_HINT
        ) from None


def build_model(model: ModelConfig) -> GPT:
    """The PyTorch GPT for ``model`` (on CPU, initialised from the current torch seed).

    Args:
        model: The model's shape.

    Returns:
        The untrained model.
    """
    _require_torch()
    from scalinglab.ladder._model import GPT

    return GPT(model)


def train_rung(
    rung: RungConfig,
    *,
    workdir: Path,
    progress: Callable[[TrainProgress], None] | None = None,
) -> RungResult:
    """Train one rung in ``workdir``; resume it if it was interrupted; return its result.

    Contract (what execution backends rely on):

    - every ``train.checkpoint_every`` steps, ``workdir/checkpoint.pt`` is written atomically
      (temporary file, fsync, rename) with the model, optimiser, RNG states, step (which is
      also the data position) and the curve so far;
    - on start, a checkpoint with the same :attr:`RungConfig.run_id` is resumed
      (``resumed_from_step`` is set); one from another rung is ignored and overwritten;
    - the data order is a pure function of ``(seed, step)``, so a resumed run matches an
      uninterrupted one (bit for bit on CPU);
    - at the end ``workdir/result.json`` (:meth:`RungResult.to_dict`) is written atomically
      and the checkpoint removed; called again, it returns that result without training.

    Args:
        rung: The rung to train.
        workdir: Its own folder (created if missing).
        progress: Called at every curve point with a :class:`TrainProgress`.

    Returns:
        The :class:`RungResult`.

    Raises:
        ConfigError: Without PyTorch, for a missing corpus, ``device = "cuda"`` without a GPU,
            or a diverged run (non-finite loss).
    """
    _require_torch()
    from scalinglab.ladder._train import train_rung as _train

    return _train(rung, workdir=Path(workdir), progress=progress)
