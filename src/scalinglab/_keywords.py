"""The arguments of a public function or method checked before it runs, by the one decorator
every one of them wears (:func:`keywords_checked`): a keyword it does not take, one it needs
and was not given, an option given by position where it takes keywords
(``optimal_allocation(r, 1e22)``, ``result.predict(df)``), or one given both by position
and by keyword; each a :class:`~scalinglab._errors.ConfigError` saying what to write,
rather than Python's bare ``TypeError``."""

from __future__ import annotations

import functools
import inspect
import numbers
import re
from collections.abc import Callable, Mapping, Sequence
from typing import ParamSpec, TypeVar

from scalinglab._errors import ConfigError, check_keywords
from scalinglab._format import format_g

__all__ = ["keywords_checked", "methods_checked", "shown_value"]

_P = ParamSpec("_P")
_R = TypeVar("_R")
_T = TypeVar("_T", bound=type)

_KINDS = (inspect.Parameter.POSITIONAL_ONLY, inspect.Parameter.POSITIONAL_OR_KEYWORD)
#: The longest string a hint writes as it was given; a longer one is written ``...``.
_LONGEST = 40


def keywords_checked(
    call: str,
    *,
    also: Sequence[str] = (),
    deprecated: Sequence[str] = (),
    hints: Mapping[str, str] | None = None,
    otherwise: str = "",
    missing: Callable[..., object] | None = None,
    example: Callable[..., str] | None = None,
) -> Callable[[Callable[_P, _R]], Callable[_P, _R]]:
    """Make a function refuse a keyword it does not take as :func:`check_keywords` does
    (``fit(bootstarp=10)``: :func:`~scalinglab._errors.keyword_meant`, ``bootstrap=``), one it needs and was not given
    (``compare(runs)``: "needs laws="), a keyword option annotated ``bool`` given other than
    True or False (``drop_outliers="no"``, which is truthy), more arguments by position than
    it takes (``optimal_allocation(r, 1e22)``: the call to write, ``flops=1e22``), and an
    argument given both by position and by keyword, not with Python's bare ``TypeError``;
    its signature, for ``help()`` and type checkers, stays its own. A method's hint writes
    its receiver as the last word of its class's name (``FitResult.predict``:
    ``result.predict(...)``).

    Args:
        call: The name the message gives the function (``"scalinglab.fit"``).
        also: Options its ``**options`` pass on (``backtest``'s to :func:`scalinglab.fit`);
            without them, keywords its ``**columns`` take are its own to check.
        deprecated: Old names it still reads, with a warning: taken, never suggested.
        hints: What to say of a name given that is a known slip, or needed and missing
            (``compare``: ``law=`` and ``laws=``), instead of the nearest option; of a
            True/False option given otherwise, instead of "pass name=True or name=False".
        otherwise: The hint where neither applies (default: ``see help(call)``), for a
            ``call`` that is no expression ``help()`` takes (a method two classes share).
        missing: Called with the arguments where a positional one without a default was
            not given, or was given by position and by keyword too, before any other
            error: it raises the error that names the slip (``fit(runs)``: the runs given
            where the law goes; ``fit("chinchilla", law="kaplan")``: the law twice).
        example: Called with the arguments given where more came by position than it
            takes: the hint (the call to write), where the options do not say it (the
            points of ``predict(df)`` go by column name, not as ``level=``).
    """

    def wrap(func: Callable[_P, _R]) -> Callable[_P, _R]:
        kinds = (inspect.Parameter.POSITIONAL_OR_KEYWORD, inspect.Parameter.KEYWORD_ONLY)
        params = inspect.signature(func).parameters
        names = [n for n, p in params.items() if p.kind in kinds and n != "self"]
        # a classmethod's cls is no option to list: the caller never gives it (self is not in names)
        receiver = "cls" if next(iter(params), "") == "cls" else ""
        known = tuple(n for n in dict.fromkeys([*names, *also]) if n not in (*deprecated, receiver))
        taken = frozenset((*known, *deprecated))
        empty, keyword = inspect.Parameter.empty, kinds[1]
        needed = tuple(n for n in names if params[n].kind is keyword and params[n].default is empty)
        positional = [n for n in names if params[n].kind is kinds[0] and params[n].default is empty]
        required = {n for n, p in params.items() if p.kind in _KINDS and p.default is empty}
        flags = [n for n in names if params[n].kind is keyword and params[n].annotation == "bool"]
        slots = [n for n, p in params.items() if p.kind in _KINDS]  # self and cls too
        only = {n for n, p in params.items() if p.kind is _KINDS[0]}  # where(column, /, **named)
        spread = any(p.kind is inspect.Parameter.VAR_POSITIONAL for p in params.values())
        # **columns with no options passed on: the function checks its own keywords
        more = [n for n, p in params.items() if p.kind is inspect.Parameter.VAR_KEYWORD]
        own = bool(more) and not also
        options = [n for n in names if params[n].kind is keyword and n not in deprecated]
        from scalinglab._checks import check_flag  # (it imports _errors, which this does)

        @functools.wraps(func)
        def checked(*args: _P.args, **kwargs: _P.kwargs) -> _R:
            if not own and not kwargs.keys() <= taken:  # a misspelt keyword first: the slip
                check_keywords(
                    kwargs, known, call=call, hints=hints, accepted=deprecated,
                    otherwise=otherwise,
                )  # fmt: skip
            twice = [n for n in slots[: len(args)] if n in kwargs and n not in only]
            absent = any(n not in kwargs for n in positional[len(args) :])
            if missing is not None and (absent or twice):
                missing(*args, **kwargs)
            if twice:
                raise _twice(call, slots, twice[0], args[slots.index(twice[0])], kwargs)
            # a bad flag value before a missing argument: the slip the user just typed
            for name in (n for n in flags if n in kwargs):
                check_flag(name, kwargs[name], hint=(hints or {}).get(name))
            lacking = [n for n in slots[len(args) :] if n in required and n not in kwargs]
            if lacking:  # Python's own "missing 1 required positional argument" otherwise
                raise _lacking(call, slots, lacking)
            if len(args) > len(slots) and not spread:
                hint = example(*args, **kwargs) if example is not None else None
                raise _by_position(
                    call, slots, options, args, kwargs, hint=hint, more=more[:1] * own
                )
            for name in (n for n in needed if n not in kwargs):
                raise ConfigError(
                    f"{call} needs {name}=",
                    hint=(hints or {}).get(name) or otherwise or f"see help({call})",
                )
            return func(*args, **kwargs)

        return checked

    return wrap


def methods_checked(
    *, examples: Mapping[str, Callable[..., str]] | None = None, owner: str = ""
) -> Callable[[_T], _T]:
    """Check the arguments of every public method of a class that takes keywords (one
    with keyword-only parameters or ``**columns``) or needs an argument (``save(path)``),
    a class or static method too, as
    :func:`keywords_checked` does a function's, named ``Class.method``: a public class's
    methods are called as its functions are (``result.predict(df)``).

    Args:
        examples: Method name -> its ``example`` (:func:`keywords_checked`): the call to
            write where one got more by position than it takes.
        owner: The class the messages name, for a base of a public class (the readers of
            a ``RunStore``), which wears this itself: one set on the public class would
            hide the base's own (and a test's patch of it). Default: the class's name.
    """
    keyed = (inspect.Parameter.KEYWORD_ONLY, inspect.Parameter.VAR_KEYWORD)

    def wrap(cls: _T) -> _T:
        for name, member in list(vars(cls).items()):
            kind = type(member) if isinstance(member, classmethod | staticmethod) else None
            func = member.__func__ if kind is not None else member
            if name.startswith("_") or not inspect.isfunction(func) or hasattr(func, "__wrapped__"):
                continue  # private, a property, one checked already
            given = list(inspect.signature(func).parameters.values())[kind is not staticmethod :]
            needs = any(p.kind in _KINDS and p.default is p.empty for p in given)
            if not needs and not any(p.kind in keyed for p in given):
                continue  # takes nothing to check: no option, nothing it needs
            call = f"{owner or cls.__name__}.{name}"
            check = keywords_checked(call, example=(examples or {}).get(name))
            checked = check(func)
            setattr(cls, name, kind(checked) if kind is not None else checked)
        return cls

    return wrap


def shown_value(value: object, *, literal: bool = False) -> str:
    """``value`` as a message writes what was given: a number as the tables write one
    (``1e22``), a short string as Python does (``'kaplan'``), anything else by its type
    (``a DataFrame``); ``literal``: as a call in a hint writes it, ``...`` for the rest."""
    if isinstance(value, bool) or value is None:
        return repr(value)
    if isinstance(value, numbers.Real):
        return format_g(float(value))
    if isinstance(value, str) and len(value) <= _LONGEST:
        return repr(value)
    if literal:
        return "..."
    kind = type(value).__name__
    return f"{'an' if kind[:1].lower() in 'aeiou' else 'a'} {kind}"


def _callee(call: str, slots: Sequence[str]) -> tuple[str, list[str]]:
    """The call as a hint writes it, and the positional parameters it shows: a method's
    receiver by its class's last word (``FitResult.predict``: ``result.predict``)."""
    call = call.split(" (")[0]  # a method two classes share: "A.at (B.at)" is A.at
    if slots[:1] == ["self"]:
        owner, _, method = call.rpartition(".")
        words = re.findall(r"[A-Z][a-z0-9]*", owner.rpartition(".")[2]) or [owner]
        return f"{words[-1].lower()}.{method}", list(slots[1:])
    return call, [n for n in slots if n != "cls"]


def _by_position(
    call: str,
    slots: Sequence[str],
    options: Sequence[str],
    args: Sequence[object],
    kwargs: Mapping[str, object],
    *,
    hint: str | None,
    more: Sequence[str] = (),
) -> ConfigError:
    """The error for more arguments by position than ``call`` takes: what was given by
    position, the options it takes as keywords (and its ``**more``, which it reads itself), and the call to write, each value given
    by position named by the option it most likely was (the first options not given)."""
    callee, shown = _callee(call, slots)
    extra = args[len(slots) :]
    takes = f"{len(shown)} argument{'s' * (len(shown) != 1)} ({', '.join(shown)})"
    free = [n for n in options if n not in kwargs]
    listed = [*(f"{n}=" for n in options[:6]), *(f"**{n}" for n in more)]
    rest = f", and {len(options) - 6} more" * (len(options) > 6)
    message = (
        f"{call} got {', '.join(map(shown_value, extra))} by position, but takes "
        f"{takes if shown else 'no argument'} by position: the rest go by keyword "
        f"({', '.join(listed)}{rest})"
    )
    if hint is None and not free:
        hint = f"see help({call})"
    if hint is None:
        named = [f"{n}={shown_value(v, literal=True)}" for n, v in zip(free, extra, strict=False)]
        kept = [f"{k}={shown_value(v, literal=True)}" for k, v in kwargs.items()]
        hint = f"name {'it' if len(extra) == 1 else 'them'}: " + (
            f"{callee}({', '.join([*shown, *named, *kept])})"
        )
    return ConfigError(message, hint=hint)


def _twice(
    call: str, slots: Sequence[str], name: str, value: object, kwargs: Mapping[str, object]
) -> ConfigError:
    """The error for ``name`` given both by position and as ``name=``."""
    callee, shown = _callee(call, slots)
    return ConfigError(
        f"{call} got {name} twice: {shown_value(value)} by position and "
        f"{name}={shown_value(kwargs[name])}",
        hint=f"give it once: {callee}({', '.join(shown)}), by position or by keyword",
    )


def _lacking(call: str, slots: Sequence[str], lacking: Sequence[str]) -> ConfigError:
    """The error for arguments without a default that were not given (``write_report(fit,
    "page.html")``: no ``path``), with the call to write."""
    callee, shown = _callee(call, slots)
    names = " and ".join([", ".join(lacking[:-1]), lacking[-1]] if len(lacking) > 1 else lacking)
    return ConfigError(
        f"{call} needs {names}: not given, by position or by keyword",
        hint=f"give {'it' if len(lacking) == 1 else 'them'}: {callee}({', '.join(shown)})",
    )
