"""A value in a ladder file's error written as TOML writes it, so that the message quotes
what the user typed: ``tied = true``, not Python's ``True``; ``[1e11, 3e11]``, not the
tuple ``(1e11, 3e11)`` the reader made of it; and where in the file the error is
(:func:`located`: ``ladder 'x', rung 2: ...``)."""

from __future__ import annotations

import json
import math
import re
from collections.abc import Iterator, Mapping
from contextlib import contextmanager

from scalinglab._errors import ConfigError

__all__ = ["located", "toml_value"]

_BARE_KEY = re.compile(r"[A-Za-z0-9_-]+")


def toml_value(value: object) -> str:
    """``value`` as TOML writes it: ``true``/``false``, ``inf``/``nan``, a string in single
    quotes (a literal string, as the messages quote names) or double where it holds a quote,
    a backslash or a control character, an array ``[...]`` of a list or tuple, an inline
    table ``{ k = v }`` of a mapping; anything TOML has no spelling of (``None``, an object
    built in Python) as Python writes it.

    Examples:
        >>> toml_value(True), toml_value((1e11, "x")), toml_value({"a b": -math.inf})
        ('true', "[100000000000.0, 'x']", '{ "a b" = -inf }')
    """
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, float) and not math.isfinite(value):
        return "nan" if math.isnan(value) else ("inf" if value > 0 else "-inf")
    if isinstance(value, str):
        plain = not any(c in value for c in "'\\") and value.isprintable()
        return f"'{value}'" if plain else json.dumps(value, ensure_ascii=False)
    if isinstance(value, list | tuple):
        return "[" + ", ".join(toml_value(v) for v in value) + "]"
    if isinstance(value, Mapping):
        pairs = [f"{_key(k)} = {toml_value(v)}" for k, v in value.items()]
        return "{ " + ", ".join(pairs) + " }" if pairs else "{}"
    return repr(value)


def _key(key: object) -> str:
    text = str(key)
    return text if _BARE_KEY.fullmatch(text) else json.dumps(text, ensure_ascii=False)


@contextmanager
def located(where: str, *, rung: str = "") -> Iterator[None]:
    """A :class:`ConfigError` raised inside says where in the ladder file it is, every
    rung-level error alike (``ladder 'x', rung 2: train: schedule = ...``); the ``rung
    'NAME': `` a rung's own check starts with is dropped for it (``rung``: that name)."""
    try:
        yield
    except ConfigError as e:
        message = e.message.removeprefix(f"rung {rung!r}: ") if rung else e.message
        raise ConfigError(f"{where}: {message}", hint=e.hint) from None
