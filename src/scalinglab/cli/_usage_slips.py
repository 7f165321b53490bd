"""Click's usage errors said for the command line typed: an option's missing value names
the subcommand's ``--help`` (click reports it from the root, ``see 'scalinglab --help'``),
and values of a list option separated by spaces (``--compute 1e22 1e23``) say how to give
several, where click said only "unexpected extra argument"; a number and its unit as two
words (``--tokens 1.4 T``, ``--params 7 billion``) say the one word meant (``1.4T``); another
quantity's word as a word of its own (``--tokens 1.4T params``) is refused as the quoted
value is (``--tokens '1.4T params'``: :func:`other_word_slip`), also where the command reads
it as its positional argument, before click does (``fit --from-curves c.csv
--tokens-per-step 0.5M params``: ``params`` taken as RUNS, :func:`check_other_words`)."""

from __future__ import annotations

import re
from collections.abc import Sequence
from typing import Any

from scalinglab._errors import ConfigError
from scalinglab.cli._argwalk import Words

__all__ = ["check_other_words", "command_path", "extra_values_hint", "other_word_slip"]

_EXTRA = re.compile(r"unexpected extra argument(?:\(s\)|s)? \((?P<words>.+)\)$")
#: A number as typed before its unit word, a unit suffix or not: ``1.4T``, ``1e24``.
_NUMBER = re.compile(r"[+-]?(?:\d+\.?\d*|\.\d+)(?:e[+-]?\d+)?[kmbgtp]?", re.IGNORECASE)


def command_path(ctx: Any, args: Sequence[str], root: Any = None) -> str:
    """The path of the (sub)command ``args`` run, as ``--help`` is asked of it: from
    ``ctx``'s command (else the ``root`` command, ``scalinglab``: click gives an option's
    missing value no context) down through the subcommands named in ``args`` (``scalinglab
    hparams fit``), the words as typed: the descent :func:`~._argwalk.walk` makes."""
    from scalinglab.cli._argwalk import leaf_command

    path, command = (ctx.command_path, ctx.command) if ctx is not None else ("scalinglab", root)
    _, rest = leaf_command(command, args)
    return " ".join([str(path), *args[: len(args) - len(rest)]])


def _option(ctx: Any, name: str) -> Any:
    return next((p for p in getattr(ctx.command, "params", ()) if name in p.opts), None)


def _takes_several(said: str) -> bool:
    """Whether an option's help ``said`` it takes several values in one word:
    ``comma-separated``, or ``several: 1B,7B`` (not ``--where``'s "repeat to require
    several", whose values are never split at commas)."""
    return "comma-separated" in said or "several: " in said


def other_word_slip(ctx: Any, args: Sequence[str], message: str) -> ConfigError | None:
    """The refusal of click's "unexpected extra argument (X ...)" where ``X`` is the unit
    word of another quantity than the option's before it (``--tokens 1.4T params``): the
    one :func:`~scalinglab.cli._options.quantity` gives the quoted value (``--tokens '1.4T
    params' is a count of params, not tokens``), not a hint to join them with a comma."""
    found = _EXTRA.search(message)
    if found is None or ctx is None:
        return None
    first, words = found["words"].split(" ")[0], list(args)
    for i, word in enumerate(words[2:], start=2):
        name, number = words[i - 2], words[i - 1]
        if word != first or _option(ctx, name) is None:
            continue
        if refused := _refused(name, number, word):
            return refused
    return None


def _refused(option: str, number: str, word: str) -> ConfigError | None:
    """The refusal of ``word``, another quantity's unit word, typed after ``option``'s
    value ``number`` as a word of its own; ``None`` for any other words."""
    from scalinglab.cli._options import option_quantity
    from scalinglab.data._unit_words import other_word, refused_word

    if not _NUMBER.fullmatch(number):
        return None
    typed, quantity = f"{number} {word}", option_quantity(option)
    if quantity and (said := other_word(typed, quantity)):
        return refused_word(f"{option} {typed!r}", typed, said=said, quantity=quantity)
    return None


def check_other_words(words: Words) -> None:
    """Refuse a positional word that is another quantity's unit word right after a size's
    or a budget's value (``--tokens-per-step 0.5M params``), as :func:`other_word_slip`
    refuses it where click finds it extra: a command with a positional argument would read
    it there (``fit --from-curves``: "RUNS (params) and --from-curves both given").

    Raises:
        ConfigError: The refusal of the quoted value (``--tokens-per-step '0.5M params'``).
    """
    for before, word in zip(words.given, words.given[1:], strict=False):
        if not word.positional or before.param is None or None in (before.value, word.value):
            continue  # --tokens-per-step=0.5M is read too
        if refused := _refused(before.option, str(before.value), str(word.value)):
            raise refused
        if _reads_positionals(words) and (
            own := _own_word(before.option, str(before.value), str(word.value))
        ):
            raise own  # else click calls it an extra argument, with extra_values_hint's hint


def _reads_positionals(words: Words) -> bool:
    """Whether the command takes a positional argument, which would read a stray word."""
    params = getattr(words.command, "params", ())
    return any(getattr(p, "param_type_name", "") == "argument" for p in params)


def _own_word(option: str, number: str, word: str) -> ConfigError | None:
    """The refusal of ``word``, the option's own unit word typed apart after its value
    (``--tokens-per-step 0.5M tokens``), which a positional argument would read (``fit
    --from-curves``: "RUNS (tokens) ... both given"); ``None`` for any other words."""
    from scalinglab.cli._options import option_quantity
    from scalinglab.data._unit_words import unit_word

    quantity = option_quantity(option)
    if not _NUMBER.fullmatch(number) or quantity is None:
        return None
    if unit_word(f"{number} {word}")[1] != quantity:
        return None
    return ConfigError(
        f"{option} {number} {word}: {word!r}, the unit, is read as an argument of its own",
        hint=f"{_unsaid(option, quantity, number)} (or quote both: {option} '{number} {word}')",
    )


def _unsaid(option: str, quantity: str, number: str) -> str:
    """``--compute is in FLOPs, so the unit goes unsaid: --compute 1e24``: the hint to a
    size option's own unit typed after its value as a word of its own."""
    unit = "FLOPs" if quantity == "flops" else quantity
    return f"{option} is in {unit}, so the unit goes unsaid: {option} {number}"


def extra_values_hint(ctx: Any, args: Sequence[str], message: str) -> str | None:
    """The hint for click's "unexpected extra argument(s) (X ...)" where ``X`` follows the
    value of an option: the one word meant where ``X`` is that value's unit
    (:func:`scalinglab.cli._options.one_word`); else, for an option that takes several
    values in one word (:func:`_takes_several`), that word, and the option repeated where it
    may be; else ``None``.

    It scans the words typed for ``--option value X`` itself rather than use
    :func:`~._argwalk.walk`: the walk reads ``--option=value X`` as the same option and value,
    which would give that line a hint it has never had (``see '... --help'`` today)."""
    found = _EXTRA.search(message)
    if found is None or ctx is None:
        return None
    extra = found["words"].split(" ")
    first = extra[0]
    words = list(args)
    for i, word in enumerate(words[2:], start=2):
        name = words[i - 2]
        if word != first or not name.startswith("--"):
            continue
        option = _option(ctx, name)
        if option is None or option.is_flag:
            continue
        from scalinglab.cli._options import one_word, option_quantity

        if (joined := one_word(name, words[i - 1], word)) is not None:
            if joined == words[i - 1]:  # --compute 1e24 FLOPs, --tokens 1.4T tokens
                return _unsaid(name, option_quantity(name) or "", joined)
            return f"{name} takes a number and its unit as one word: {name} {joined}"
        if (timed := _time_budget_hint(name, words[i - 1], extra)) is not None:
            return timed
        if not _takes_several(str(getattr(option, "help", "") or "")):
            continue
        values = [words[i - 1]]
        for more in words[i:]:
            if more not in extra:
                break
            values.append(more)
        repeat = f" (or repeat {name})" if option.multiple else ""
        return (
            f"{name} takes its values as one word, comma-separated: "
            f"{name} {','.join(values)}{repeat}"
        )
    return None


def _time_budget_hint(name: str, number: str, extra: Sequence[str]) -> str | None:
    """The conversion to FLOPs where a budget option's value and the words after it are a
    time (``--compute 1000 H100-hours``), which :mod:`scalinglab.data._time_budgets` reads
    in one word; joined with a comma, as the list hint wrote them, they were two budgets."""
    from scalinglab.cli._options import _FLOPS_OPTIONS
    from scalinglab.data._time_budgets import time_budget

    if name not in _FLOPS_OPTIONS:
        return None
    found = time_budget(" ".join([number, *extra]), name)
    return None if found is None else f"{found[0]}: {found[1]}"
