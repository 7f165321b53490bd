"""The versions of scalinglab's file formats (``scalinglab.fit/1``): a file of a version
this release does not read is said to be a newer or an older one, not "not a fit"
(:func:`scalinglab._formats.check_format`).

A newer release may write a version this one does not know (``fit/2``): upgrading reads
it. A version before the one this release reads (``fit/0``) is never read again: refitting
writes one it reads (for a result that is no fit, ``isoflop/0``, ``runs/0``, the command
that writes it does). A file of another kind says so in its hint (``predict --fit`` given a
``downstream/3`` chain), and its version's reader refuses it too, so the hint says that
reader needs a newer scalinglab, or that the file needs refitting.
"""

from __future__ import annotations

import re
from collections.abc import Collection

__all__ = ["aged_kind", "known_kind", "other_version"]

#: A format's kind and version: ``scalinglab.fit/1`` -> ``scalinglab.fit``, ``1``.
_VERSIONED = re.compile(r"\A(scalinglab\.[a-z0-9_]+)/([0-9]+)\Z")


def _short(match: re.Match[str]) -> str:
    """``fit/1`` for ``scalinglab.fit/1``."""
    return f"{match[1].removeprefix('scalinglab.')}/{match[2]}"


def known_kind(found: object, kinds: Collection[str]) -> tuple[object, str]:
    """``found`` and ``""``, or for a version this release does not know of a kind it
    knows, that kind's latest version among ``kinds`` (which says what the file is) and
    ``"newer"`` where ``found`` is later than every version known (``downstream/3``),
    ``"older"`` where it is not (``fit/0``)."""
    match = _VERSIONED.match(found) if isinstance(found, str) else None
    if match is None or found in kinds:
        return found, ""
    same = [k for k in kinds if k.startswith(f"{match[1]}/")]
    if not same:
        return found, ""
    latest = max(same, key=lambda k: int(k.rpartition("/")[2]))
    return latest, "newer" if int(match[2]) > int(latest.rpartition("/")[2]) else "older"


def aged_kind(name: str, use: str, found: str, age: str) -> str:
    """What a file of another kind is, in the hint of a reader that refuses it: ``name``
    (:func:`~scalinglab._formats.kind_name`) and ``use`` (what reads it, or what it holds),
    where ``age`` (:func:`known_kind`) says its version ``found`` is one this release does
    not read: its own reader then refuses it too, so an older one is to be refitted (or
    re-created, :func:`_renew`), and a newer one read there once scalinglab is upgraded."""
    short = found.removeprefix("scalinglab.")
    if age == "older":
        said = f"{name} in an older format ({short}) that this version does not read"
        return f"{said}: {_renew(name, use)}"
    if age == "newer":
        name = f"{name} written by a newer scalinglab ({short})"
        if use.startswith("read it with "):  # that command refuses it as newer, as this one
            use += " once scalinglab is upgraded: this version's refuses it too"
    return f"{name}: {use}" if use else name


def _renew(name: str, use: str) -> str:
    """How to get an older file of kind ``name`` in a format this release reads: refit a fit
    (a kind a command reads: ``use`` says "read it with"); re-create any other result (an
    IsoFLOP analysis, a list of runs) with the command that writes it, named where its
    name names it."""
    if use.startswith("read it with "):
        return "refit it"
    command = re.search(r"`(scalinglab [^`]+)`", name)
    named = f" (`{command[1]}`)" if command else ""
    return f"re-create it with the command that writes it{named}"


def other_version(found: object, expected: str) -> tuple[str, str] | None:
    """What to say of a file of format ``found`` where ``expected`` is read, when it is the
    same kind in another version, and what the hint leads with: a later one (``fit/2``
    where this release reads ``fit/1``) a newer scalinglab wrote, to upgrade for; an
    earlier one (``fit/0``), which a reader that still reads it takes before this check,
    to refit; else ``None`` (another kind)."""
    have = _VERSIONED.match(found) if isinstance(found, str) else None
    want = _VERSIONED.match(expected)
    if have is None or want is None or have[1] != want[1] or int(have[2]) == int(want[2]):
        return None
    short, reads = _short(have), _short(want)
    if int(have[2]) > int(want[2]):
        message = f"written by a newer scalinglab ({short}); this version reads {reads}"
        return message, "upgrade scalinglab to read it; or "
    message = f"an older format ({short}) that this version does not read; it reads {reads}"
    return message, "refit, and "
