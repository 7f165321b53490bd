"""The other spelling of a compute option, read as a hidden alias, and suggestions of the
documented option where click would suggest a hidden one or an unrelated one.

A budget is ``--compute`` on ``plan``, ``fit``, ``isoflop`` and ``report``; a run's
compute is ``--flops`` on ``predict`` and ``hparams predict`` (the law's variable C, beside
``--params`` and ``--tokens``). Each command reads the other spelling as its own (same
value, shown in no help), so ``plan --flops 1e23`` and ``predict --compute 1e23`` do what
they say; an unknown option near either is answered with the command's documented one.
Messages name the spelling typed (:func:`flops_option`, :func:`budgets_option`,
:func:`spelled`): ``predict --compute 1e23`` is refused as ``--compute 1e23``, not ``--flops``.
"""

from __future__ import annotations

import difflib
import re
from collections.abc import Sequence
from typing import Annotated, Any

import typer

from scalinglab._errors import ConfigError
from scalinglab._format import join_more

__all__ = [
    "ComputeAsFlops",
    "FlopsAsCompute",
    "budgets",
    "budgets_option",
    "flops",
    "flops_option",
    "spelled",
    "suggested",
]

#: ``--flops`` where the budget option is ``--compute`` (``plan``, ``fit``, ``isoflop``,
#: ``report``): read as ``--compute``, never beside it (:func:`budgets_option`).
FlopsAsCompute = Annotated[list[str] | None, typer.Option("--flops", hidden=True)]
#: ``--compute`` where compute is ``--flops`` (``predict``, ``hparams predict``).
ComputeAsFlops = Annotated[str | None, typer.Option("--compute", hidden=True)]

#: A hidden spelling -> the documented option it is read as, where that one is the
#: command's (the unknown-option message names it, never the hidden one).
_DOCUMENTED = {
    "--flops": "--compute",
    "--compute": "--flops",
    "--loss": "--robust-loss",
    "--max-steps": "--max-iter",
}
#: Names of a compute, which an unknown option near one of them means: ``--budget`` on
#: ``predict`` means its ``--flops``.
_COMPUTE = ("--compute", "--flops", "--budget", "--budgets")
#: How close a name typed must be to an option's (difflib's ratio, less the dashes) to be a
#: slip of it: ``los`` of ``loss`` (0.86) and ``flop`` of ``flops`` (0.89), not ``los`` of
#: ``flops`` (0.75), which click's looser matching suggests.
_SLIP = 0.8


def budgets(compute: list[str] | None, flops: list[str] | None) -> list[str] | None:
    """The budgets of ``--compute`` or of ``--flops``, its hidden alias (each repeatable;
    both at once are refused by :func:`budgets_option`); ``None`` when neither is given."""
    both = [*(compute or ()), *(flops or ())]
    return both or None


def budgets_option(compute: list[str] | None, flops: list[str] | None) -> str:
    """The budget option as typed, for messages: ``--flops`` where it was given (the
    hidden alias), else ``--compute``.

    Raises:
        ConfigError: When both are given, as ``predict`` refuses its two spellings: a
            message on a value would name one spelling for the values of both.
    """
    if compute and flops:
        every = " ".join(f"--compute {v}" for v in (*compute, *flops))
        raise ConfigError(
            f"--compute {' '.join(compute)} and --flops {' '.join(flops)} both given: here "
            "--flops is read as --compute, the compute budget",
            hint=f"give --compute or --flops, not both: {every}",
        )
    return "--flops" if flops else "--compute"


def flops_option(compute: str | None) -> str:
    """The compute option of ``predict`` and ``hparams predict`` as typed, for messages:
    ``--compute`` where the hidden alias gave it, else ``--flops``."""
    return "--flops" if compute is None else "--compute"


#: ``--flops`` as the library's messages name the command-line option (``(--flops, Python:
#: flops=)``): not ``--flopsx``, a longer name.
_FLOPS = re.compile(r"--flops(?![\w-])")


def spelled(text: str, option: str) -> str:
    """``text`` (a library message naming ``--flops``) with ``option``, the spelling typed,
    in its place: ``predict``'s and ``hparams predict``'s messages name what the user wrote."""
    return text if option == "--flops" else _FLOPS.sub(option, text)


def flops(given: str | None, compute: str | None) -> str | None:
    """``--flops``, or ``--compute`` (its hidden alias on ``predict`` and ``hparams
    predict``) in its place.

    Raises:
        ConfigError: When both are given: one value, two options (click would keep one).
    """
    if compute is None:
        return given
    if given is not None:
        raise ConfigError(
            f"--flops {given} and --compute {compute} both given: here --compute is read as "
            "--flops, the run's training compute",
            hint=f"give one: --flops {given}",
        )
    return compute


def suggested(err: Any, command: Any) -> str | None:
    """The message of click's unknown-option error ``err`` on ``command`` with the options
    it meant: click's near matches among the documented options, and a hidden spelling
    where what was typed is a slip of it, named by the documented option it is read as
    (``fit --los``: ``--robust-loss`` for ``--loss``; ``plan --flop``: ``--compute``); a
    hidden spelling it is not near is no suggestion (``fit --los`` is not ``--flops``, so
    not ``--compute``). A name near a compute's names suggests the command's own
    (``predict --budget``: ``--flops``); ``None`` when nothing changes."""
    name = getattr(err, "option_name", None)
    if not isinstance(name, str) or command is None:
        return None
    from scalinglab.cli._plan_slips import fixed_size_message

    if (fixed := fixed_size_message(name, command)) is not None:  # plan --params: predict's
        return fixed
    from scalinglab.cli._l2l_slips import column_option_message

    if (column := column_option_message(name, command)) is not None:  # l2l predict --x 3.1
        return column
    from scalinglab.cli._curves_slips import spec_key_message

    if (key := spec_key_message(name, command)) is not None:  # curves predict --steps
        return key
    shown: set[str] = {"--help"}
    hidden: set[str] = set()
    for param in getattr(command, "params", ()):
        if getattr(param, "param_type_name", "") == "option":
            names = (*param.opts, *param.secondary_opts)  # --no-validate too
            (hidden if getattr(param, "hidden", False) else shown).update(names)
    slips = [h for h in hidden if _near(name, [h])]
    # click's matching (3 at most, as its message lists) over the options a user may mean:
    # a hidden spelling that is not near would take the place of a documented one
    found = difflib.get_close_matches(name, sorted(o for o in {*shown, *slips} if o[:2] == "--"))
    meant = [_DOCUMENTED.get(p, p) if p in hidden else p for p in found]
    # a compute's name misspelt (the names less their dashes, as click's near matches of
    # `--flop` hold --help and --plot): the command's compute option alone
    if _near(name, _COMPUTE):
        meant = [o for o in ("--compute", "--flops") if o in shown] or meant
    meant = list(dict.fromkeys(o for o in meant if o in shown))
    # no guess (none near, or only --help, not near either): what the command takes
    if meant in ([], ["--help"]) and not _near(name, ["--help"]):
        return f"{err.message} ({_takes(command, getattr(err, 'ctx', None))})"
    if meant == list(err.possibilities or ()):
        return None
    said = f" (Possible options: {', '.join(meant)})" if meant else ""
    return f"{err.message}{said}"


def _near(name: str, options: Sequence[str]) -> bool:
    """Whether ``name`` is a slip of one of ``options`` (compared less their dashes, closer
    than click's matching: ``los`` is ``loss`` slipped, not ``flops``)."""
    return bool(difflib.get_close_matches(name.lstrip("-"), [o.lstrip("-") for o in options],
                                          cutoff=_SLIP))  # fmt: skip


def _takes(command: Any, ctx: Any) -> str:
    """The options ``command`` documents, its required ones first (``downstream plan takes
    --fit, --target-accuracy, --level, --json, --out``): said where click's one guess for
    an unknown option would be ``--help`` (``downstream plan --flops``)."""
    shown = [
        p for p in getattr(command, "params", ())
        if getattr(p, "param_type_name", "") == "option" and not getattr(p, "hidden", False)
    ]  # fmt: skip
    names = [
        max(p.opts, key=len) for p in sorted(shown, key=lambda p: not getattr(p, "required", False))
    ]
    path = " ".join(str(getattr(ctx, "command_path", "") or "this command").split()[1:])
    return f"{path or 'it'} takes {join_more(names, 8, noun='option')}"
