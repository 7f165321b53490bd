"""Which tracker metric or config value supplies each run-table quantity.

Trackers name things freely (``eval/loss``, ``val_loss``, ``model.n_params``, ``config/lr``),
so each quantity has a list of usual names, tried in order (the table and the matching are
:mod:`scalinglab.data._tracker_names`, which read_runs shares); ``--map params=model/n_params``
overrides one. Names match exactly, then ignoring case and the separators ``/ . - _`` and
spaces, then (for sizes only, never for losses) by their last component, so that a nested
``model.n_params`` is found as ``n_params``.
"""

from __future__ import annotations

import difflib
from collections.abc import Iterable, Mapping, Sequence

from scalinglab._errors import ConfigError, DataError, meant
from scalinglab._format import format_counted, join_more
from scalinglab.data._tracker_names import DEFAULT_NAMES, ending_in, find_name
from scalinglab.ingest._source import Source, number

__all__ = [
    "DEFAULT_NAMES",
    "HPARAMS",
    "TARGETS",
    "available_names",
    "check_targets",
    "config_names",
    "did_you_mean",
    "find_name",
    "lr_curve",
    "lr_notes",
    "resolve_mapping",
    "training_loss_note",
]

TARGETS: tuple[str, ...] = tuple(DEFAULT_NAMES)
#: Quantities that are sizes: their final value is the last one, whatever --final says.
SIZES = ("params", "params_non_embedding", "tokens", "flops")
#: Hyperparameters a run's config states (its peak lr, its batch), looked for there first.
HPARAMS = ("lr", "batch")
_LISTED = 40  # names shown in a message, at most


def available_names(source: Source) -> list[str]:
    """Every name a mapping can point at: metrics with a history, final metrics, config."""
    seen: dict[str, None] = dict.fromkeys(source.metric_names)
    for run in source.runs:
        seen.update(dict.fromkeys(run.summary))
    seen.update(dict.fromkeys(config_names(source)))
    return list(seen)


def config_names(source: Source) -> list[str]:
    """Names of the runs' config values (hyperparameters as the run was set up)."""
    seen: dict[str, None] = {}
    for run in source.runs:
        seen.update(dict.fromkeys(run.config))
    return list(seen)


def _first(
    candidates: Sequence[str], names: Sequence[str], by_last: bool, *, taken: Iterable[str]
) -> str | None:
    """The first of ``candidates`` found in ``names`` and not ``taken`` by another quantity."""
    used = set(taken)
    for candidate in candidates:
        found = find_name(candidate, names, by_last=by_last)
        if found is not None and found not in used:
            return found
    return None


def lr_curve(source: Source, mapping: Mapping[str, str]) -> str | None:
    """The metric whose history is the runs' lr schedule: ``mapping["lr"]`` where it has
    one (``--map lr=train/lr``), else the first usual lr name among the metrics."""
    name = mapping.get("lr")
    if name is not None and name in source.metric_names:
        return name
    return _first(DEFAULT_NAMES["lr"], source.metric_names, False, taken=mapping.values())


def training_loss_note(source: Source, mapping: Mapping[str, str]) -> list[str]:
    """What a loss that is also the training loss was read as: the training loss, fitted
    because the source has no evaluation loss; or a name ``--map`` gave the training loss
    though it was read as the loss (``--map train_loss=eval/loss``)."""
    name = mapping["loss"]
    if mapping.get("train_loss") != name:
        return []
    if _first(DEFAULT_NAMES["loss"], available_names(source), False, taken=()) is None:
        return [f"no evaluation loss found: fitting the training loss {name!r}"]
    return [
        f"{name!r} is read as both the loss and the training loss (train_loss): the runs' "
        "training loss is the loss fitted, not a curve of its own"
    ]


def lr_notes(source: Source, mapping: Mapping[str, str]) -> list[str]:
    """What the lr was read as: each run's peak (a config value, ``extra["lr"]``) and its
    schedule (a metric's history, the curves' ``lr``), which ``read: lr <- NAME`` alone
    cannot say."""
    said = _ambiguous(source, mapping)
    name, curve = mapping.get("lr"), lr_curve(source, mapping)
    if name is None or curve is None:
        return said
    if name in config_names(source):
        return [f"lr: each run's peak from its config's {name!r}, its schedule (the curves' lr) "
                f"from the history of {curve!r}"]  # fmt: skip
    return [
        f"lr: {curve!r} is a logged schedule, stored as each run's lr curve; no config value "
        "gives the runs' peak lr (what scalinglab hparams reads): name one with --map lr=NAME"
    ]


def _ambiguous(source: Source, mapping: Mapping[str, str]) -> list[str]:
    """A note for each hyperparameter not read because several config keys end in one of
    its names (``optim.lr`` and ``warmup.lr``): which one is the peak is the user's to say."""
    notes = []
    for target in (t for t in HPARAMS if t not in mapping):
        for candidate in DEFAULT_NAMES[target]:
            keys = sorted(ending_in(candidate, config_names(source)))
            if len(keys) > 1:
                notes.append(
                    f"{target} not read: the config keys {join_more([repr(k) for k in keys])} "
                    f"each end in {candidate!r}; name the one meant with --map {target}=NAME"
                )
                break
    return notes


def _listing(names: Sequence[str]) -> str:
    return join_more([repr(n) for n in names], _LISTED) or "(none)"


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
        more = f" (and {format_counted(len(bad) - 1, 'more run')})" if len(bad) > 1 else ""
        raise DataError(
            f"--map {target}={name}: {name!r} does not hold numbers: run {run!r} has "
            f"{value!r}{more}, which would store {target} as missing",
            source=source.path,
            column=name,
            hint=f"map {target} to a numeric metric or config value ({UNIT_HINT})",
        )


def check_targets(overrides: Mapping[str, str], *, also: Sequence[str] = ()) -> None:
    """Refuse a ``--map`` target that is not a quantity ingest reads (nor one of ``also``:
    a run table's ``run``), naming the closest one: a misspelt ``--map los=...`` would
    otherwise be read as nothing, or as a column of its own.

    Raises:
        ConfigError: Said as the command line and Python each write it: both come here.
    """
    known = (*TARGETS, *also)
    unknown = sorted(set(overrides) - set(known))
    if unknown:
        name = unknown[0]
        raise ConfigError(
            f"--map {name}=... (mapping={{{name!r}: ...}} in Python): {name!r} is not a "
            "quantity ingest reads",
            hint=did_you_mean(name, also=also) + f"map one of {', '.join(known)}, e.g. "
            "--map loss=eval/loss (mapping={'loss': 'eval/loss'})",
        )


def did_you_mean(target: str, *, also: Sequence[str] = ()) -> str:
    """The start of a hint (:func:`scalinglab._errors.meant`, quoted: ``'loss'``) for a ``--map`` target near a quantity ingest reads (or
    one of ``also``), else ``""``: the start of a refusal's hint."""
    near = difflib.get_close_matches(target, (*TARGETS, *also), n=1)
    # a target that is itself a quantity (lr, a store does not keep) is no misspelling
    return f"{meant(near[0], hint=True)} " if near and near[0] != target else ""


def resolve_mapping(source: Source, overrides: Mapping[str, str] | None = None) -> dict[str, str]:
    """Target quantity -> the source's name for it, for every quantity found.

    Raises:
        ConfigError: For a ``--map`` target that is not a quantity scalinglab reads.
        DataError: For a ``--map`` name the source does not have (listing the names it has
            and the closest ones), one whose values are not numbers (naming a run and its
            value), or when no loss can be found at all.
    """
    overrides = dict(overrides or {})
    check_targets(overrides)
    names, configs = available_names(source), config_names(source)
    out: dict[str, str] = {}
    for target in TARGETS:
        by_last = target in SIZES
        if target in overrides:
            wanted = overrides[target]
            found = find_name(wanted, names, by_last=True)
            if found is None:
                close = difflib.get_close_matches(wanted, names, n=3, cutoff=0.5)
                hint = f"{meant(*close, hint=True)} " if close else ""
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
        # a run's lr and batch are its config's (a logged lr is the schedule, not the peak):
        # config names first, then any (a schedule alone still gives the lr curve)
        for pool in (configs, names) if target in HPARAMS else (names,):
            # a config key by its last part too (optim.lr, train/learning_rate): one alone
            last = by_last or pool is configs
            found = _first(DEFAULT_NAMES[target], pool, last, taken=out.values())
            if found is not None:
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
