"""Runs stored under one name with different recipes (a ladder rerun with another lr into
the same store): which config keys differ, and the words that say it, at ``ladder run``
time and when a fit reads the store. Both are kept (each config is its own ``run_id``), and
a fit of the store pools them unless told."""

from __future__ import annotations

import shlex
from collections.abc import Mapping, Sequence
from typing import Any

from scalinglab._format import format_counted, join_more

__all__ = ["differing", "pooled_configs_warning", "said", "selection_hint"]


def _flat(config: Mapping[str, Any]) -> dict[str, Any]:
    """``config`` by the names ``runs --where`` selects on (``train.lr``: a section's key)."""
    out: dict[str, Any] = {}
    for key, value in config.items():
        if isinstance(value, Mapping):
            out.update({f"{key}.{k}": v for k, v in value.items()})
        else:
            out[str(key)] = value
    return out


def differing(configs: Sequence[Mapping[str, Any]]) -> dict[str, list[Any]]:
    """The keys whose values differ among ``configs``, each with its values in order."""
    flats = [_flat(c) for c in configs]
    out: dict[str, list[Any]] = {}
    for key in sorted({k for f in flats for k in f}):
        values: list[Any] = []
        for f in flats:
            if (v := f.get(key)) not in values:
                values.append(v)
        if len(values) > 1:
            out[key] = values
    return out


def said(keys: Mapping[str, Sequence[Any]], *, sep: str = ", ") -> str:
    """``train.lr 0.003, 0.004``: each key with its values, the first three keys."""
    parts = [f"{k} {sep.join(str(v) for v in vs)}" for k, vs in keys.items()]
    return join_more(parts, 3, sep="; ", noun="key")


def _selectable(value: Any) -> bool:
    """Whether ``--where`` selects runs by ``value``: text or a number, as ``runs --where``
    matches them (a list such as ``train.betas``, a bool or ``None`` it never selects)."""
    return isinstance(value, str | int | float) and not isinstance(value, bool) and value != ""


def selection_hint(keys: Mapping[str, Sequence[Any]]) -> str:
    """The selection that keeps one config's runs, on every command that reads a store: by
    the first key of ``keys`` whose values are all selectable, as its last value; where
    none is, to keep each config's runs in a store of its own."""
    for key, values in keys.items():
        if all(_selectable(v) for v in values):
            where = shlex.quote(f"{key}={values[-1]}")
            return (
                f"`--where {where}` keeps one config's runs: `scalinglab fit --store STORE "
                f"--where {where}` fits them, `runs --where` lists them, `curves fit "
                "--where` reads their curves"
            )
    return (
        f"no key they differ in ({', '.join(list(keys)[:3])}) is one `--where` selects (it "
        "selects by text and numbers): keep each config's runs in a store of its own"
    )


def pooled_configs_warning(names: Sequence[str], configs: Sequence[Mapping[str, Any]]) -> str:
    """The warning of a fit reading runs of one name stored under different configs
    (``""`` where every name's runs share one): both are fitted, as separate runs."""
    groups: dict[str, list[Mapping[str, Any]]] = {}
    for name, config in zip(names, configs, strict=True):
        groups.setdefault(name, []).append(config)
    split = {n: differing(cs) for n, cs in groups.items() if len(cs) > 1}
    split = {n: keys for n, keys in split.items() if keys}
    if not split:
        return ""
    keys = differing([c for n in split for c in groups[n]])
    keys = {k: v for k, v in keys.items() if any(k in d for d in split.values())}
    shown = join_more(list(split), 3)
    return (
        f"warning: {format_counted(len(split), 'run name')} {'is' if len(split) == 1 else 'are'} "
        "stored under configs that differ in "
        f"{said(keys)} ({shown}): all are fitted together, as if one recipe; "
        + selection_hint(keys)
    )
