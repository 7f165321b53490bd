"""Recipes: functions that turn shapes and scaling rules into a ladder, and the built-in ones.

::

    spec = get_recipe("chinchilla-tiny")        # a built-in, or get_recipe("my_ladder.toml")
    for rung in spec.rungs:
        print(rung.name, rung_counts(rung).params_non_embedding, rung.train.lr)

:func:`build_ladder` is what the built-ins and TOML files both go through: each shape is a
mapping with ``width``, ``depth``, ``heads`` and optionally any other :class:`ModelConfig` or
:class:`TrainConfig` field (and ``name``) that overrides the rules for that rung.
"""

from __future__ import annotations

import difflib
from collections.abc import Callable, Mapping, Sequence
from itertools import product
from pathlib import Path
from typing import Any

from scalinglab._errors import ConfigError, meant
from scalinglab._format import format_g, noun_for
from scalinglab._paths import close_file
from scalinglab.ladder._config import ModelConfig, RungConfig, TrainConfig, check_train_defaults
from scalinglab.ladder._counts import flops_per_token, model_params
from scalinglab.ladder._lr_sweep import _recorded, sweep_note
from scalinglab.ladder._rules import Rules
from scalinglab.ladder._spec import LadderSpec
from scalinglab.ladder._table_keys import MODEL_FIELDS, TRAIN_FIELDS, check_defaults
from scalinglab.ladder._toml_value import located

__all__ = ["CAP_NOTE", "build_ladder", "get_recipe", "recipe_names"]

#: How the line of a ladder's notes on the lr ``max_lr`` capped begins: a rule that
#: replaces the recipe's lr (``--hparams``) drops it, and says what it capped itself.
CAP_NOTE = "lr capped at max_lr"


def _split(where: str, values: Mapping[str, Any]) -> tuple[dict[str, Any], dict[str, Any]]:
    unknown = sorted(set(values) - MODEL_FIELDS - TRAIN_FIELDS - {"name", "lr_multiplier"})
    if unknown:
        close = difflib.get_close_matches(unknown[0], sorted(MODEL_FIELDS | TRAIN_FIELDS), n=1)
        raise ConfigError(
            f"{where}: unknown {noun_for(len(unknown), 'key')} {', '.join(unknown)}",
            hint=meant(close[0], hint=True)
            if close
            else "a rung takes ModelConfig and TrainConfig fields: scalinglab ladder plan tiny "
            "--toml prints a ladder with its rungs' keys",
        )
    model = {k: v for k, v in values.items() if k in MODEL_FIELDS}
    train = {k: v for k, v in values.items() if k in TRAIN_FIELDS}
    return model, train


def build_ladder(
    *,
    name: str,
    shapes: Sequence[Mapping[str, Any]],
    rules: Rules,
    model: Mapping[str, Any] | None = None,
    train: Mapping[str, Any] | None = None,
    corpus: str = "stdlib",
    seeds: Sequence[int] = (0,),
    source: str = "",
    notes: str = "",
) -> LadderSpec:
    """Build a ladder: every shape × every FLOP budget (if any) × every lr of the rules'
    ``lr_sweep`` (if any) × every seed.

    Args:
        name: The ladder's name.
        shapes: One mapping per model size: ``width``, ``depth``, ``heads`` and any overrides.
        rules: Budget, learning-rate and batch rules (:class:`Rules`).
        model: Defaults for every :class:`ModelConfig` (``context``, ``mlp``, ...).
        train: Defaults for every :class:`TrainConfig` (``schedule``, ``eval_every``, ...).
        corpus: ``"stdlib"`` or a text file, folder or glob.
        seeds: One rung per seed for each shape (and budget).
        source: Where the recipe came from (a name or a path).
        notes: Free text kept with the ladder.

    Returns:
        The :class:`LadderSpec`, rungs ordered by budget, then size, then lr, then seed.

    Raises:
        ConfigError: For unknown keys, impossible shapes, or a budget below one step.
    """
    check_defaults("[model]", model or {})  # each its own keys: one of the other's was lost
    check_defaults("[train]", train or {})
    model_defaults, train_defaults = dict(model or {}), dict(train or {})
    check_train_defaults(train_defaults, ladder=name)
    if not shapes:
        raise ConfigError(f"ladder {name!r} has no shapes", hint="add at least one rung")
    if not seeds:
        raise ConfigError(f"ladder {name!r} has no seeds", hint="use seeds = [0]")
    budgets: Sequence[float | None] = rules.flops or (None,)
    rungs = []
    capped: dict[str, float] = {}  # rung -> the rule's learning rate that max_lr capped
    multipliers: tuple[float, ...] = ()  # each rung's multiple of its lr (an lr sweep)
    swept = False  # lr_sweep, or a rung's lr_multiplier (a sweep spelled out by --toml)
    for budget in budgets:
        for i, shape in enumerate(shapes):
            where = f"ladder {name!r}, rung {i + 1}"
            m_over, t_over = _split(where, shape)
            recorded = _recorded(where, shape.get("lr_multiplier"), sweep=rules.lr_sweep)
            try:
                with located(where):  # width = 60 is not divisible by heads = 8
                    cfg = ModelConfig(**{**model_defaults, **m_over})
            except TypeError as e:
                raise ConfigError(
                    f"{where}: {e}", hint="every rung needs width, depth, heads"
                ) from None
            n = model_params(cfg).non_embedding
            if budget is None:
                tokens = round(float(rules.tokens_per_param or 0) * n)
            else:
                tokens = int(budget // flops_per_token(cfg))
            for multiplier, seed in product(rules.lr_sweep or (1.0,), seeds):
                values: dict[str, Any] = {
                    "tokens": tokens,
                    "batch_size": rules.batch_for(n, cfg.context),
                    "lr": rules.lr_for(n),
                    **train_defaults,
                    "seed": seed,
                    **t_over,
                }
                if rules.lr_sweep and isinstance(values["lr"], int | float):
                    values["lr"] *= multiplier  # the sweep's multiple of the rung's own lr
                rung_name = str(shape.get("name", f"w{cfg.width}-d{cfg.depth}"))
                if budget is not None:
                    rung_name += f"-{budget:.2g}".replace("+", "")
                if rules.lr_sweep:
                    rung_name += f"-lr{multiplier:g}x"
                if len(seeds) > 1:
                    rung_name += f"-s{seed}"
                rule_lr = rules.capped_lr(n)
                if rule_lr is not None and "lr" not in {**train_defaults, **t_over}:
                    capped[rung_name] = rule_lr
                multipliers += (multiplier if rules.lr_sweep else recorded or 1.0,)
                swept = swept or bool(rules.lr_sweep) or recorded is not None
                with located(where, rung=rung_name):  # train: schedule = ..., too few tokens
                    trained = TrainConfig(**values)
                    rungs.append(
                        RungConfig(name=rung_name, model=cfg, train=trained, corpus=corpus)
                    )
    if capped and rules.max_lr is not None:  # the rule the table would otherwise seem to follow
        which = (
            "every rung" if len(capped) == len(rungs) else f"{len(capped)} of {len(rungs)} rungs"
        )
        said = ", ".join(f"{k} {format_g(v, 3)}" for k, v in capped.items())
        line = (
            f"{CAP_NOTE} = {format_g(rules.max_lr)} on {which}: the rule"
            + (f" (x lr_scale {format_g(rules.lr_scale)})" if rules.lr_scale != 1 else "")
            + f" gives {said}"
        )
        notes = f"{notes}\n{line}" if notes else line
    if rules.lr_sweep:
        line = sweep_note(rules.lr_sweep, len(rungs))
        notes = f"{notes}\n{line}" if notes else line
    return LadderSpec(
        name=name,
        rungs=tuple(rungs),
        source=source or name,
        notes=notes,
        max_lr=rules.max_lr,
        lr_multipliers=multipliers if swept else (),
    )


def _shapes(*triples: tuple[int, int, int]) -> list[dict[str, int]]:
    return [{"width": w, "depth": d, "heads": h} for w, d, h in triples]


_CPU_TRAIN = {"eval_every": 100, "eval_tokens": 16384, "checkpoint_every": 100, "log_every": 10}


def _tiny() -> LadderSpec:
    return build_ladder(
        name="tiny",
        shapes=_shapes((32, 2, 2), (48, 2, 2), (64, 2, 4)),
        rules=Rules(tokens_per_param=5, batch=16, lr=3e-3),
        model={"context": 64},
        train={**_CPU_TRAIN, "eval_tokens": 8192},
        notes="CI ladder: three CPU-sized rungs of a few hundred steps; constant LR and batch "
        "rules, 5 tokens per parameter. For tests, not for science.",
    )


def _chinchilla_tiny() -> LadderSpec:
    return build_ladder(
        name="chinchilla-tiny",
        shapes=_shapes((24, 2, 2), (32, 2, 2), (48, 2, 2), (64, 2, 4), (80, 2, 4)),
        rules=Rules(tokens_per_param=20, lr_scale=0.1, min_batch=8),
        model={"context": 128},
        train=_CPU_TRAIN,
        notes="20 tokens per non-embedding parameter: Hoffmann et al. 2022's ~20 per parameter "
        "counted total parameters (Pearce & Song 2024 trace the Kaplan/Chinchilla gap to this "
        "choice); at these widths the embeddings are a large share, so these rungs see 10.6 to "
        "15.8 tokens per total parameter; LR and batch "
        "by the Porian et al. 2024 / OLMo ladder rules, LR × 0.1: the rule was fitted on BPE "
        "models ≥ 5M parameters, and a sweep of ×0.03/×0.1/×0.3 on w32-d2 and w64-d2 of this "
        "ladder (stdlib corpus, seed 0) put the best eval loss at ×0.1 for w64 (1.44 vs "
        "1.55/1.68) and at ×0.03 for w32 (2.21 vs 2.29/2.30).",
    )


def _isoflop_tiny() -> LadderSpec:
    return build_ladder(
        name="isoflop-tiny",
        shapes=_shapes((16, 2, 2), (24, 2, 2), (32, 2, 2), (48, 2, 2)),
        rules=Rules(flops=(2e11, 4e11, 8e11), batch=8, lr_scale=0.1),
        model={"context": 128},
        train=_CPU_TRAIN,
        notes="IsoFLOP profiles (Hoffmann et al. 2022, approach 2): four sizes at each of three "
        "exact-FLOP budgets; Porian/OLMo LR rule × 0.1 (as chinchilla-tiny), constant batch of "
        "8 sequences. Budgets chosen so each profile brackets its minimum: measured at 2.5e11 "
        "(eval 1.76/1.70/1.88/2.28 for w16/w24/w32/w48) and 6e11 (w24 1.51, w32 1.50, w48 "
        "1.80), while at 1e11 the loss still fell toward the smallest size.",
    )


def _gpu() -> LadderSpec:
    return build_ladder(
        name="gpu",
        shapes=_shapes(
            (128, 5, 2), (192, 6, 3), (256, 8, 4), (384, 8, 6), (512, 10, 8), (640, 10, 10)
        ),
        rules=Rules(tokens_per_param=20, min_batch=16),
        model={"context": 1024},
        train={"eval_every": 250, "eval_tokens": 1 << 20, "checkpoint_every": 500, "log_every": 25},
        notes="About 1M to 50M non-embedding parameters, head size 64, 20 tokens per parameter "
        "(Hoffmann et al. 2022); LR and batch by Porian et al. 2024 / the OLMo ladder "
        "(η = 0.0047·(N/108e6)^(-1/3), B = 160·2048·(N/108e6)^(2/3) tokens). For one H100. "
        "Caveat: the default stdlib corpus has ~12M training bytes, so the top rung (~1B "
        "tokens) repeats it ~80 times; pass a larger corpus for unrepeated data.",
    )


_BUILT_IN: dict[str, Callable[[], LadderSpec]] = {
    "tiny": _tiny,
    "chinchilla-tiny": _chinchilla_tiny,
    "isoflop-tiny": _isoflop_tiny,
    "gpu": _gpu,
}


def recipe_names() -> tuple[str, ...]:
    """Names of the built-in recipes.

    Returns:
        Each name :func:`get_recipe` takes.
    """
    return tuple(_BUILT_IN)


def get_recipe(name_or_path: str) -> LadderSpec:
    """A built-in recipe by name, or a ladder from a TOML file (:func:`load_toml`'s schema).

    Args:
        name_or_path: A name from :func:`recipe_names`, or a ``.toml`` file's path.

    Returns:
        The ladder.

    Raises:
        ConfigError: For an unknown name (with the closest one), a missing or malformed file
            (naming the line), or any invalid rung.
    """
    if name_or_path in _BUILT_IN:
        return _BUILT_IN[name_or_path]()
    if name_or_path.endswith(".toml") or Path(name_or_path).is_file():
        from scalinglab.ladder._toml import load_toml

        return load_toml(Path(name_or_path))
    close = difflib.get_close_matches(name_or_path, list(_BUILT_IN), n=1)
    if not close and (near := close_file(name_or_path)) is not None:  # my.tml for my.toml
        close = [str(near)]
    raise ConfigError(
        f"unknown ladder recipe {name_or_path!r}",
        hint=(f"{meant(close[0], hint=True)} " if close else "")
        + f"built-in recipes: {', '.join(_BUILT_IN)}; or pass a .toml file",
    )
