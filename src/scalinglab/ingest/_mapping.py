"""Which tracker metric or config value supplies each run-table quantity.

Trackers name things freely (``eval/loss``, ``val_loss``, ``model.n_params``, ``config/lr``),
so each quantity has a list of usual names, tried in order; ``--map params=model/n_params``
overrides one. Names match exactly, then ignoring case and the separators ``/ . - _`` and
spaces, then (for sizes only, never for losses) by their last component, so that a nested
``model.n_params`` is found as ``n_params``.
"""

from __future__ import annotations

import difflib
import re
from collections.abc import Mapping, Sequence

from scalinglab._errors import ConfigError, DataError
from scalinglab.ingest._source import Source, number

__all__ = ["DEFAULT_NAMES", "TARGETS", "available_names", "find_name", "resolve_mapping"]

#: Quantities ``--map`` sets, and the names tried for each when it does not.
DEFAULT_NAMES: Mapping[str, tuple[str, ...]] = {
    "params": (
        "params",
        "n_params",
        "num_params",
        "nparams",
        "parameters",
        "num_parameters",
        "n_parameters",
        "model_params",
        "model_size",
        "total_params",
    ),
    "params_non_embedding": (
        "params_non_embedding",
        "non_embedding_params",
        "n_params_non_embedding",
        "num_params_non_embedding",
    ),
    "tokens": (
        "tokens",
        "n_tokens",
        "num_tokens",
        "tokens_seen",
        "training_tokens",
        "train_tokens",
        "total_tokens",
    ),
    "flops": ("flops", "compute", "training_flops", "train_flops", "total_flops", "flop"),
    "loss": (
        "eval_loss",
        "val_loss",
        "validation_loss",
        "valid_loss",
        "loss_eval",
        "loss_val",
        "test_loss",
        "final_loss",
        "loss",
    ),
    "train_loss": ("train_loss", "training_loss", "loss_train"),
    # train/learning_rate: what the Hugging Face Trainer logs to W&B (the curve readers' too)
    "lr": (
        "lr",
        "learning_rate",
        "train_lr",
        "train/learning_rate",
        "optimizer_lr",
        "peak_lr",
        "max_lr",
    ),
    "batch": ("batch_size", "global_batch_size", "train_batch_size", "bs", "batch"),
}
TARGETS: tuple[str, ...] = tuple(DEFAULT_NAMES)
#: Quantities that are sizes: their final value is the last one, whatever --final says.
SIZES = ("params", "params_non_embedding", "tokens", "flops")
_LISTED = 40  # names shown in a message, at most


def _norm(name: str) -> str:
    return re.sub(r"[\s./\\\-_]+", "_", name.strip().lower()).strip("_")


def _last(name: str) -> str:
    return re.split(r"[./\\]", name.strip())[-1].lower()


def available_names(source: Source) -> list[str]:
    """Every name a mapping can point at: metrics with a history, final metrics, config."""
    seen: dict[str, None] = dict.fromkeys(source.metric_names)
    for run in source.runs:
        seen.update(dict.fromkeys(run.summary))
    for run in source.runs:
        seen.update(dict.fromkeys(run.config))
    return list(seen)


def find_name(wanted: str, names: Sequence[str], *, by_last: bool) -> str | None:
    """The name in ``names`` that ``wanted`` means, or ``None`` (also when it is ambiguous)."""
    if wanted in names:
        return wanted
    key = _norm(wanted)
    matches = [n for n in names if _norm(n) == key]
    if len(matches) == 1:
        return matches[0]
    if by_last and not matches:
        matches = [n for n in names if _last(n) == key]
        if len(matches) == 1:
            return matches[0]
    return None


def _listing(names: Sequence[str]) -> str:
    shown = ", ".join(repr(n) for n in names[:_LISTED])
    more = len(names) - _LISTED
    return f"{shown} and {more} more" if more > 0 else shown or "(none)"


def _check_numbers(source: Source, target: str, name: str) -> None:
    """Refuse ``--map params=optimizer``: a name whose values are text (not a number in any
    notation ``70M``, ``1.4e9``) would store every run without that quantity."""
    from scalinglab.data._units import UNIT_HINT, is_missing

    bad = [
        (run.name, value)
        for run in source.runs
        if name not in run.summary  # summaries hold numbers only
        and (value := run.config.get(name)) is not None
        and not is_missing(value)
        and number(value) is None
    ]
    if bad:
        run, value = bad[0]
        more = f" (and {len(bad) - 1} more run(s))" if len(bad) > 1 else ""
        raise DataError(
            f"--map {target}={name}: {name!r} does not hold numbers: run {run!r} has "
            f"{value!r}{more}, which would store {target} as missing",
            source=source.path,
            column=name,
            hint=f"map {target} to a numeric metric or config value ({UNIT_HINT})",
        )


def resolve_mapping(source: Source, overrides: Mapping[str, str] | None = None) -> dict[str, str]:
    """Target quantity -> the source's name for it, for every quantity found.

    Raises:
        ConfigError: For a ``--map`` target that is not a quantity scalinglab reads.
        DataError: For a ``--map`` name the source does not have (listing the names it has
            and the closest ones), one whose values are not numbers (naming a run and its
            value), or when no loss can be found at all.
    """
    overrides = dict(overrides or {})
    unknown = sorted(set(overrides) - set(TARGETS))
    if unknown:
        raise ConfigError(
            f"--map {unknown[0]}=...: {unknown[0]!r} is not a quantity ingest reads",
            hint=f"map one of {', '.join(TARGETS)}, e.g. --map loss=eval/loss",
        )
    names = available_names(source)
    out: dict[str, str] = {}
    for target in TARGETS:
        by_last = target in SIZES
        if target in overrides:
            wanted = overrides[target]
            found = find_name(wanted, names, by_last=True)
            if found is None:
                close = difflib.get_close_matches(wanted, names, n=3, cutoff=0.5)
                hint = f"did you mean {' or '.join(map(repr, close))}? " if close else ""
                raise DataError(
                    f"--map {target}={wanted}: no metric or config value {wanted!r} in this "
                    f"{source.kind} source; it has {_listing(names)}",
                    source=source.path,
                    column=wanted,
                    hint=f"{hint}pass --map {target}=NAME with one of the names listed",
                )
            _check_numbers(source, target, found)
            out[target] = found
            continue
        for candidate in DEFAULT_NAMES[target]:
            found = find_name(candidate, names, by_last=by_last)
            if found is not None and found not in out.values():
                out[target] = found
                break
    if "loss" not in out:
        if "train_loss" in out:  # a tracker that logs only a training loss: fit that, and say so
            out["loss"] = out["train_loss"]
        else:
            raise DataError(
                f"no loss metric in this {source.kind} source (looked for "
                f"{', '.join(DEFAULT_NAMES['loss'][:6])}, ...); it has {_listing(names)}",
                source=source.path,
                hint="name the metric to fit: --map loss=NAME (e.g. --map loss=eval/loss)",
            )
    return out
