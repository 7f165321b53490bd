"""Ladders written as TOML files.

The schema is :func:`load_toml`'s (public: ``help(scalinglab.ladder.load_toml)``).

:func:`ladder_to_toml` writes a built ladder back as explicit rungs (every value spelled out),
which :func:`load_toml` reads into the same rungs with the same run ids.
"""

from __future__ import annotations

import json
import tomllib
from dataclasses import fields
from pathlib import Path
from typing import Any

from scalinglab._errors import ConfigError, meant
from scalinglab._format import noun_for
from scalinglab._paths import close_file
from scalinglab._signatures import text_start
from scalinglab.ladder._config import ModelConfig, TrainConfig
from scalinglab.ladder._recipes import build_ladder, recipe_names
from scalinglab.ladder._rules import Rules
from scalinglab.ladder._spec import LadderSpec
from scalinglab.ladder._table_keys import known_keys
from scalinglab.ladder._toml_value import toml_value

__all__ = ["ladder_to_toml", "load_toml"]

_TOP = {"name", "notes", "corpus", "seeds", "model", "train", "rules", "rungs"}


def load_toml(path: Path) -> LadderSpec:
    """Read a ladder from the TOML file at ``path``.

    Schema (every key but ``rungs`` is optional; ``scalinglab ladder plan tiny
    --toml`` prints a built-in recipe as one)::

        name = "my-ladder"              # default: the file's stem
        notes = "free text"
        corpus = "stdlib"               # or a text file, folder or glob, relative to this file
        seeds = [0]                     # one rung per seed for each shape

        [model]                         # defaults for every rung: any ModelConfig field
        context = 128                   #   (positions, mlp, ffn_width, norm, tied, vocab_size)

        [train]                         # defaults for every rung: any TrainConfig field
        schedule = "cosine"             #   (they override the rules below)

        [rules]                         # budget, LR and batch rules (scalinglab.ladder.Rules)
        tokens_per_param = 20           # or: flops = [1e13, 3e13] for an IsoFLOP ladder
        lr = "porian"                   # or a number
        lr_scale = 1.0
        max_lr = 0.01
        batch = "porian"                # or a number of sequences
        min_batch = 8
        lr_sweep = [0.25, 1, 4]         # an lr sweep: every shape at each multiple of its lr

        [[rungs]]                       # one table per model size, smallest first
        width = 64
        depth = 2
        heads = 4                       # plus optional name and any model/train field override
                                        # (lr_multiplier: its multiple in an lr sweep spelled
                                        # out, as --toml writes one; --hparams keeps it)

    Args:
        path: The TOML file.

    Returns:
        The ladder it describes.

    Raises:
        ConfigError: If the file is missing, is not valid TOML (with its line and column), or
            describes an invalid ladder (naming the rung and key).
    """
    if not path.is_file():
        near = close_file(path)
        raise ConfigError(
            f"ladder file {str(path)!r} does not exist",
            hint=(meant(str(near), hint=True) + " " if near else "")
            + "check the path, or use a built-in recipe name",
        )
    try:
        data = tomllib.loads(path.read_text(encoding="utf-8"))
    except tomllib.TOMLDecodeError as e:  # its message ends "(at line L, column C)"
        raise _not_toml(path) or ConfigError(
            f"{path}: malformed TOML: {e}", hint="fix the TOML syntax at that line"
        ) from None
    except UnicodeDecodeError:
        raise _not_toml(path) or ConfigError(f"{path}: not a UTF-8 text file") from None
    try:
        return _from_data(data, path)
    except ConfigError as e:
        raise ConfigError(f"{path}: {e.message}", hint=e.hint) from None


def _not_toml(path: Path) -> ConfigError | None:
    """The error for a file given as a ladder that is another kind of file, not a TOML file
    with a slip: a result of scalinglab's (by its JSON ``"format"``: a ladder plan, a fit),
    a run table or store, any JSON; what it is and what reads it. ``None`` for any other
    file: its TOML error names the line."""
    from scalinglab._formats import format_of, kind_name, kind_use
    from scalinglab._looks import looks_like

    found = format_of(path)
    what = kind_name(found) if found else looks_like(path) or _json(path)
    if what is None:
        return None
    use = kind_use(found, reader=None) if found else ""
    if found and found.startswith("scalinglab.ladder_plan/"):  # it names what it planned
        use = _planned(path) or use
    recipes = ", ".join(recipe_names())
    return ConfigError(
        f"{path} is {what}, not a ladder file (a ladder is a built-in recipe or a .toml file)",
        hint=(f"{use}; " if use else "") + f"a ladder: one of {recipes}, or a .toml file "
        "(scalinglab ladder plan tiny --toml prints one to start from)",
    )


def _json(path: Path) -> str | None:
    """``"a JSON file"`` for a file that begins as a JSON object does, else ``None``."""
    with open(path, "rb") as file:
        head = text_start(file.read(64))
    return "a JSON file" if head.startswith(b"{") else None


def _planned(path: Path) -> str:
    """What a ladder plan's file says it planned: ``plan the ladder it planned: tiny``
    (``ladder_plan/2``: its ``source`` block's name or path; ``/1``: ``source`` itself);
    ``""`` where it does not say."""
    try:
        source = json.loads(path.read_bytes()).get("source")
    except (OSError, ValueError, AttributeError):
        return ""
    if isinstance(source, dict):
        source = source.get("name") or source.get("path")
    return f"give the ladder it planned: {source}" if isinstance(source, str) and source else ""


def _from_data(data: dict[str, Any], path: Path) -> LadderSpec:
    unknown = sorted(set(data) - _TOP)
    if unknown:
        raise ConfigError(
            f"unknown top-level {noun_for(len(unknown), 'key')} {', '.join(unknown)}",
            hint=known_keys(unknown, _TOP),
        )
    rungs = data.get("rungs")
    if not isinstance(rungs, list) or not rungs or not all(isinstance(r, dict) for r in rungs):
        raise ConfigError("no [[rungs]] tables", hint="add one [[rungs]] table per model size")
    rule_keys = {f.name for f in fields(Rules)}
    for table in ("model", "train", "rules"):
        if not isinstance(data.get(table, {}), dict):
            raise ConfigError(f"{table} must be a table ([{table}])")
    rules_data = dict(data.get("rules", {}))
    bad = sorted(set(rules_data) - rule_keys)
    if bad:
        raise ConfigError(
            f"[rules]: unknown {noun_for(len(bad), 'key')} {', '.join(bad)}",
            hint=known_keys(bad, rule_keys),
        )
    if isinstance(rules_data.get("flops"), list):
        rules_data["flops"] = tuple(rules_data["flops"])
    seeds = data.get("seeds", [0])
    if not isinstance(seeds, list) or not all(
        isinstance(s, int) and not isinstance(s, bool) and s >= 0 for s in seeds
    ):
        raise ConfigError(
            f"seeds must be a list of non-negative integers, got {toml_value(seeds)}",
            hint="for example seeds = [0, 1, 2]",
        )
    corpus = str(data.get("corpus", "stdlib"))
    if corpus != "stdlib" and not Path(corpus).is_absolute():
        corpus = str((path.parent / corpus).resolve())  # relative to the TOML file
    train = dict(data.get("train", {}))
    if "betas" in train:
        train["betas"] = tuple(train["betas"])
    return build_ladder(
        name=str(data.get("name", path.stem)),
        shapes=[_rung_table(r) for r in rungs],
        rules=Rules(**rules_data),
        model=data.get("model", {}),
        train=train,
        corpus=corpus,
        seeds=tuple(seeds),
        source=str(path),
        notes=str(data.get("notes", "")),
    )


def _rung_table(table: dict[str, Any]) -> dict[str, Any]:
    out = dict(table)
    if "betas" in out:
        out["betas"] = tuple(out["betas"])
    return out


def _value(v: Any) -> str:
    if isinstance(v, bool):
        return "true" if v else "false"
    if isinstance(v, float):
        return repr(v)
    if isinstance(v, tuple | list):
        return "[" + ", ".join(_value(x) for x in v) + "]"
    return json.dumps(v)  # strings and ints: TOML accepts JSON's spelling of both


def ladder_to_toml(spec: LadderSpec) -> str:
    """The ladder as TOML with every rung spelled out (constant rules, explicit values).

    Every rung must share one corpus; ``None`` values (defaults) are left out. The ladder's
    ``max_lr`` is kept under ``[rules]``: it caps no rung of explicit lr, but a rule that
    replaces their lr (``--hparams``) is held to it; so is an lr sweep's multiple of each
    rung's lr (``lr_multiplier``), which such a rule keeps.

    Args:
        spec: The ladder.

    Returns:
        The TOML text, which :func:`load_toml` reads back.

    Raises:
        ConfigError: For rungs on more than one corpus.
    """
    corpora = {r.corpus for r in spec.rungs}
    if len(corpora) != 1:
        raise ConfigError("ladder_to_toml needs every rung on the same corpus")
    lines = [
        f"name = {_value(spec.name)}",
        f"notes = {_value(spec.notes)}",
        f"corpus = {_value(corpora.pop())}",
        "seeds = [0]",
        "",
        "[rules]",
        "tokens_per_param = 1.0",
        *([f"max_lr = {_value(float(spec.max_lr))}"] if spec.max_lr is not None else []),
        "",
    ]
    for i, rung in enumerate(spec.rungs):
        lines.append("[[rungs]]")
        lines.append(f"name = {_value(rung.name)}")
        if spec.lr_multipliers:  # an lr sweep: its multiple, which --hparams keeps
            lines.append(f"lr_multiplier = {_value(spec.lr_multipliers[i])}")
        for kind, obj in ((ModelConfig, rung.model), (TrainConfig, rung.train)):
            for f in fields(kind):
                value = getattr(obj, f.name)
                if value is not None:
                    lines.append(f"{f.name} = {_value(value)}")
        lines.append("")
    return "\n".join(lines)
