"""Old names kept for one release: :class:`AsDictAlias`, ``as_dict`` of every result whose
plain dictionary is now ``to_dict``, :func:`renamed_robust_loss`, the ``loss=`` keyword
that is now ``robust_loss=``, :func:`renamed_max_iter`, the ``max_steps=`` keyword that
is now ``max_iter=`` (one name per concept), and :func:`old_fields`, the constructor
keywords of a result's renamed fields, read as their attribute aliases are."""

from __future__ import annotations

import dataclasses
import functools
import re
import sys
import warnings
from collections.abc import Callable
from typing import Any, Protocol, TypeVar

from typing_extensions import deprecated

from scalinglab._warn import warn_at_caller

__all__ = ["AsDictAlias", "old_fields", "renamed_max_iter", "renamed_robust_loss"]

_T = TypeVar("_T")
_T_co = TypeVar("_T_co", covariant=True)
_C = TypeVar("_C", bound=type)


class _HasToDict(Protocol[_T_co]):
    def to_dict(self) -> _T_co: ...


class AsDictAlias:
    """A base for results that had ``as_dict``: the old name warns, then calls ``to_dict``.

    One method for all of them, so type checkers see it deprecated (``@deprecated``, no
    runtime warning of its own) with each class's own return type, and the runtime warning
    names the class.
    """

    __slots__ = ()

    @deprecated("as_dict is deprecated and goes in the next release: use to_dict", category=None)
    def as_dict(self: _HasToDict[_T]) -> _T:
        """Deprecated alias of ``to_dict`` (one release).

        Returns:
            What the class's ``to_dict`` returns.
        """
        warnings.warn(
            f"{type(self).__name__}.as_dict is deprecated and goes in the next release: use "
            f"{type(self).__name__}.to_dict (every result's plain dictionary is to_dict)",
            DeprecationWarning,
            stacklevel=2,
        )
        return self.to_dict()


def renamed_robust_loss(
    robust_loss: _T | None, loss: _T | None, *, call: str, default: _T, column: str = ""
) -> _T:
    """The robust loss ``call`` fits with: ``robust_loss``, or ``loss``, its old name, read
    for one release with a :class:`DeprecationWarning` (``loss`` means a measured loss
    everywhere else: one name per concept).

    Args:
        robust_loss: The value of ``robust_loss=``, or ``None`` when not given (an explicit
            ``"huber"`` is given: beside ``loss=`` it is refused, not overridden).
        loss: The value of the old ``loss=``, or ``None`` when not given.
        call: The function as the user called it (``"scalinglab.fit"``).
        default: The robust loss when neither is given.
        column: How ``call`` is given the column of measured losses, ``COLUMN`` standing
            for ``loss`` (``"y=COLUMN"``), named when ``loss`` is no robust loss's name (the
            user meant that column); ``""`` where ``call`` reads no column.

    Raises:
        ConfigError: When both names are given different values, or ``loss`` names no
            robust loss.
    """
    if loss is None:
        return default if robust_loss is None else robust_loss
    from scalinglab._errors import ConfigError
    from scalinglab.fit._losses import LOSSES, is_loss_name

    if isinstance(loss, str) and not is_loss_name(loss):  # refused before any warning
        said = column.replace("COLUMN", repr(loss))
        where = f"the column of measured losses is {said}; " if column else ""
        raise ConfigError(
            f"{call}(loss={loss!r}): loss= here is the old name of robust_loss=, the robust "
            f"loss of the fit ({', '.join(LOSSES)}), and {loss!r} is none of them",
            hint=f"{where}the robust loss is robust_loss=NAME (default huber)",
        )
    why = "the robust loss of the fit; 'loss' names a measured loss everywhere else"
    return _old_keyword(robust_loss, loss, call=call, new="robust_loss", old="loss", why=why)


def renamed_max_iter(max_iter: int, max_steps: int | None, *, call: str) -> int:
    """The solver's iteration cap ``call`` fits with: ``max_iter``, or ``max_steps``, its
    old name, read for one release with a :class:`DeprecationWarning` (``steps`` means
    training steps everywhere else: a curve's steps, a schedule's ``steps=``).

    Args:
        max_iter: The value of ``max_iter=`` (its default when not given).
        max_steps: The value of the old ``max_steps=``, or ``None`` when not given.
        call: The function as the user called it (``"scalinglab.fit"``).

    Raises:
        ConfigError: When ``max_iter`` is given beside ``max_steps`` with another value.
    """
    if max_steps is None:
        return max_iter
    from scalinglab._defaults import MAX_ITER

    given = None if max_iter == MAX_ITER else max_iter  # its default is not told from not given
    why = "the solver's iteration cap; 'steps' means training steps everywhere else"
    return _old_keyword(given, max_steps, call=call, new="max_iter", old="max_steps", why=why)


def _old_keyword(given: _T | None, value: _T, *, call: str, new: str, old: str, why: str) -> _T:
    """``value``, given to ``call`` under ``old``, the old name of ``new``, read with a
    :class:`DeprecationWarning` at the user's line (``why``: what ``new`` is, and why the
    rename); refused beside ``given`` (``new``'s value, ``None`` when not given) of another
    value."""
    from scalinglab._errors import ConfigError

    if given is not None and given != value:
        raise ConfigError(
            f"{call}() got both {new}={given!r} and {old}={value!r}",
            hint=f"pass {new}= alone ({old}= is its old name)",
        )
    warn_at_caller(  # at the user's line, past any keyword check or helper between
        f"{call}({old}=) is deprecated and goes in the next release: use {new}= ({why})",
        DeprecationWarning,
    )
    return value


def old_fields(**renamed: str) -> Callable[[_C], _C]:
    """A class decorator, above ``@dataclass``: the constructor reads each old name (a key of
    ``renamed``, whose value is the field's name now) as that field, for one release with a
    :class:`DeprecationWarning` at the user's line, worded as the old name's attribute alias
    (a deprecated property, which the old name must have) words it.

    Only the constructor changes: the fields, positional construction, equality, ``repr``
    and pickling are the dataclass's, and type checkers see its generated signature (an old
    keyword is flagged there, as a deprecated name should be). ``dataclasses.replace(obj,
    old=...)`` passes the field's current value beside it: the old keyword wins there.

    Raises:
        TypeError: At the decoration, when an old name has no deprecated alias or a new
            name is no field; at construction, when both names are given.
    """

    def accept(cls: _C) -> _C:
        names = [field.name for field in dataclasses.fields(cls) if field.init]
        said = {old: _said(cls, old, new, names) for old, new in renamed.items()}
        init: Callable[..., None] = vars(cls)["__init__"]  # the dataclass's own

        @functools.wraps(init)
        def reading_old(self: object, *args: Any, **kwargs: Any) -> None:
            for old in [old for old in renamed if old in kwargs]:
                new = renamed[old]
                replacing = sys._getframe(1).f_globals.get("__name__") == "dataclasses"
                if not replacing and (new in kwargs or len(args) > names.index(new)):
                    raise TypeError(
                        f"{cls.__name__}() got both {new}= and {old}=, its old name (deprecated): "
                        f"pass {new}= alone"
                    )
                warn_at_caller(said[old], DeprecationWarning)
                kwargs[new] = kwargs.pop(old)
            init(self, *args, **kwargs)

        setattr(cls, "__init__", reading_old)  # noqa: B010 (mypy refuses assigning a method)
        return cls

    return accept


def _said(cls: type, old: str, new: str, names: list[str]) -> str:
    """The warning of ``cls(old=...)``: the alias ``cls.old``'s, said of the keyword."""
    alias = getattr(cls, old, None)
    message = getattr(getattr(alias, "fget", None), "__deprecated__", None)
    if new not in names or not isinstance(message, str):
        raise TypeError(f"{cls.__name__}: {old} is no deprecated alias of a field {new}")
    why = re.search(rf"use \w+\.{new}\b(.*)", message, re.DOTALL)  # the alias's reason
    return (
        f"{cls.__name__}({old}=) is deprecated and goes in the next release: use "
        f"{cls.__name__}({new}=){why.group(1) if why else ''}"
    )
