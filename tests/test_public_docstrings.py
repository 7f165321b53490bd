"""Every parameter of the public API is documented by name in its docstring's ``Args:``.

Checked: each function in ``scalinglab.__all__``, and each public method of its classes
(with ``__init__`` where the class writes one; a dataclass's generated one lists its fields,
which the class documents under ``Attributes:``). A method that overrides one without a
docstring of its own is checked against the one it inherits (:func:`inspect.getdoc`).
``self`` and ``cls`` are left out; ``*args`` and ``**kwargs`` are documented with their stars.
"""

from __future__ import annotations

import inspect
import re
from collections.abc import Callable, Iterator

import pytest

import scalinglab

_SECTION = re.compile(r"^(Args|Arguments|Parameters):\s*$")


def _args_section(doc: str) -> str:
    """The lines of the ``Args:`` section (indented under it), or ``""``."""
    lines, inside = [], False
    for line in doc.splitlines():
        if _SECTION.match(line):
            inside = True
        elif inside and line and not line.startswith(" "):
            inside = False
        elif inside:
            lines.append(line)
    return "\n".join(lines)


def _public_callables() -> Iterator[tuple[str, tuple[Callable[..., object], str | None]]]:
    for name in scalinglab.__all__:
        obj = getattr(scalinglab, name)
        if inspect.isfunction(obj):
            yield name, (obj, None)
        elif inspect.isclass(obj) and not issubclass(obj, BaseException):
            for attr, raw in vars(obj).items():
                if attr.startswith("_") and attr != "__init__":
                    continue
                func = raw.__func__ if isinstance(raw, staticmethod | classmethod) else raw
                if not inspect.isfunction(func):
                    continue  # a property, a constant
                own = inspect.unwrap(func)  # through old_fields' wrapper of old keywords
                if attr == "__init__" and "<string>" in own.__code__.co_filename:
                    continue  # a dataclass's own: its fields are the class's Attributes
                # Google style documents __init__'s arguments in the class docstring
                doc = inspect.getdoc(obj) if attr == "__init__" else None
                yield f"{name}.{attr}", (getattr(obj, attr), doc)


def _missing(func: Callable[..., object], doc: str | None = None) -> list[str]:
    section = _args_section(doc if doc is not None else inspect.getdoc(func) or "")
    missing = []
    for p in inspect.signature(func).parameters.values():
        if p.name in ("self", "cls"):
            continue
        stars = {p.VAR_POSITIONAL: r"\*", p.VAR_KEYWORD: r"\*\*"}.get(p.kind, "")
        if not re.search(rf"^\s+{stars}{re.escape(p.name)}( \([^)]*\))?:", section, re.M):
            missing.append(p.name)
    return missing


PUBLIC = dict(_public_callables())


def test_the_public_callables_are_found() -> None:
    # the scan sees functions, methods and classmethods: it cannot pass by finding nothing
    assert {"fit", "backtest_downstream", "FitResult.predict", "RunStore.__init__"} <= set(PUBLIC)


@pytest.mark.parametrize("name", sorted(PUBLIC))
def test_every_parameter_is_documented_by_name(name: str) -> None:
    assert _missing(*PUBLIC[name]) == [], f"{name}: parameters missing from its Args section"


def test_a_parameter_left_out_is_caught() -> None:
    def planned(source: object, *, flops: float, **unknown: object) -> None:
        """Plan.

        Args:
            source: What to plan from.
            unknown: Named without its stars.
        """

    assert _missing(planned) == ["flops", "unknown"]
