"""``curves predict --steps 30000``: a spec's key given as an option. ``curves predict`` reads
the schedule whole from ``--schedule`` (``kind:key=value,...``) or ``--schedule-file``;
``curves compare`` takes ``--steps``, so a user who just ran it types ``--steps`` here too.
Click answered "No such option: --steps" and a hint to read ``--help``; here the message
says where the key goes and the hint writes the command with the key in the spec as typed.
(``--warmup`` is an option, for ``--schedule-file``; with a spec it is refused in the
command, which says the same.)"""

from __future__ import annotations

import shlex
from collections.abc import Sequence
from typing import Any

from scalinglab.cli._argwalk import typed_values

__all__ = ["spec_key_hint", "spec_key_message"]

#: The spec keys a user may give as options, each with a value for a hint that has none.
_KEYS = {
    "--steps": "24000",
    "--peak": "3e-4",
    "--end": "3e-5",
    "--decay": "0.2",
    "--shape": "sqrt",
    "--at": "8000;16000",
    "--lr": "0.3;0.1",
}
_MODULE = "scalinglab.cli._cmd_curves_predict"


def _on_curves_predict(command: Any) -> bool:
    return getattr(getattr(command, "callback", None), "__module__", "") == _MODULE


def spec_key_message(name: str, command: Any) -> str | None:
    """Click's unknown-option message for a spec key given to ``curves predict`` as an
    option, said for what was meant; ``None`` for any other option or command."""
    if not _on_curves_predict(command) or name not in _KEYS:
        return None
    key = name[2:]
    return (
        f"No such option: {name}: curves predict reads the schedule whole from --schedule, "
        f"its {key} a key of the spec ({key}=...), or from --schedule-file (an lr per step)"
    )


def spec_key_hint(ctx: Any, args: Sequence[str]) -> str | None:
    """The hint for a spec key given to ``curves predict`` as an option: the command with
    the key written into the ``--schedule`` spec as typed (a cosine spec where none was
    given); with ``--schedule-file``, that the file sets every step. ``None`` for any other
    command or option."""
    if not _on_curves_predict(getattr(ctx, "command", None)):
        return None
    given = typed_values(args)
    keys = [word.partition("=")[0] for word in args if word.partition("=")[0] in _KEYS]
    if not keys:
        return None
    if "--schedule-file" in given and "--schedule" not in given:
        return (
            "the file's rows are the schedule, its last step the run's end: write the rates "
            "into it, or give a spec instead (--schedule 'cosine:steps=24000')"
        )
    spec = given.get("--schedule", "cosine")
    for key in dict.fromkeys(keys):
        value = given.get(key)
        if value is None or value.startswith("--"):
            value = _KEYS[key]
        spec = _with_key(spec, key[2:], value)
    source = given.get("--fit", "curve.json")
    return f"scalinglab curves predict --fit {shlex.quote(source)} --schedule {shlex.quote(spec)}"


def _with_key(spec: str, key: str, value: str) -> str:
    """``spec`` with ``key=value`` set: replaced where the spec has the key (``wsd:0.2``'s
    bare number is its decay), else added."""
    kind, colon, rest = spec.partition(":")
    if not colon:
        return f"{kind}:{key}={value}"

    def named(item: str) -> str:
        name, eq, _ = item.partition("=")
        return name.strip() if eq else "decay" if kind.strip() == "wsd" else ""

    items = [item for item in rest.split(",") if item.strip()]
    kept = [item for item in items if named(item) != key]
    return f"{kind}:{','.join([*kept, f'{key}={value}'])}"
