"""The public API's docstrings match its signatures, both ways, as ``help()`` shows them.

test_public_docstrings and test_public_returns check that each parameter is named under
``Args:``; nothing checked the other way: an argument documented but gone from the
signature (renamed, removed), or documented out of the signature's order. Nor were a
dataclass's fields checked against its ``Attributes:`` (``Conventions``, ``RollingStep``
and ``LadderReport`` had none; ``FitResult.delta`` and ``EnvelopeResult.flops_rule`` were
left out). Walked: every function and class of ``scalinglab.__all__`` and of each
subpackage's ``__all__``, the methods of those classes (inherited scalinglab ones too).
A dataclass's generated ``__init__`` is left out: its fields are checked as Attributes,
which may be documented in a scalinglab base class (a curve law's ``name``), as a group
(``lower, upper: Its interval.``) or, for the ladder's configs, a docstring per field.
"""

from __future__ import annotations

import ast
import dataclasses
import importlib
import inspect
import itertools
import re
import textwrap
from collections.abc import Callable

import pytest
from tests.test_public_returns import MODULES

_HEAD = re.compile(r"^([A-Z]\w*(?: \w+)*):\s*$")
_ENTRY = re.compile(r"^(\**\w+(?:, \w+)*)(?: \([^)]*\))?:(?:\s|$)")


def sections(doc: str) -> dict[str, list[str]]:
    """Each Google section (``Args``, ``Attributes``, ...) -> its indented lines."""
    found: dict[str, list[str]] = {}
    name = None
    for line in doc.splitlines():
        head = _HEAD.match(line)
        if head:
            name = head.group(1)
            found[name] = []
        elif name and line.strip() and not line.startswith(" "):
            name = None
        elif name:
            found[name].append(line)
    return found


def entries(lines: list[str]) -> list[str]:
    """The names a section documents, in order (``a, b: ...`` names both)."""
    body = textwrap.dedent("\n".join(lines)).splitlines()
    names: list[str] = []
    for line in body:
        if line and not line.startswith(" "):
            match = _ENTRY.match(line)
            names.extend(match.group(1).split(", ") if match else [f"<unreadable: {line}>"])
    return names


def _objects() -> dict[str, object]:
    found: dict[str, object] = {}
    for module_name in MODULES:
        module = importlib.import_module(module_name)
        prefix = module_name.removeprefix("scalinglab").lstrip(".")
        for name in module.__all__:
            obj = getattr(module, name)
            if (inspect.isfunction(obj) or inspect.isclass(obj)) and obj not in found.values():
                found[f"{prefix}.{name}".lstrip(".")] = obj
    return found


OBJECTS = _objects()


def _callables() -> dict[str, tuple[Callable[..., object], str]]:
    """``name`` -> (callable, the docstring that documents its arguments)."""
    found: dict[str, tuple[Callable[..., object], str]] = {}
    defined: set[tuple[type, str]] = set()
    for name, obj in OBJECTS.items():
        if inspect.isfunction(obj):
            found[name] = (obj, inspect.getdoc(obj) or "")
            continue
        assert isinstance(obj, type)
        if issubclass(obj, BaseException) or getattr(obj, "_is_protocol", False):
            continue
        for owner in obj.__mro__:
            if not owner.__module__.startswith("scalinglab"):
                continue
            for attr, raw in vars(owner).items():
                func = raw.__func__ if isinstance(raw, staticmethod | classmethod) else raw
                if not inspect.isfunction(func) or (owner, attr) in defined:
                    continue
                if attr == "__init__":
                    if owner is obj and not dataclasses.is_dataclass(obj):
                        found[f"{name}.__init__"] = (func, inspect.getdoc(obj) or "")
                elif not attr.startswith("_"):
                    defined.add((owner, attr))
                    found[f"{name}.{attr}"] = (func, inspect.getdoc(getattr(obj, attr)) or "")
    return found


CALLABLES = _callables()


def _parameters(func: Callable[..., object]) -> list[str]:
    stars = {inspect.Parameter.VAR_POSITIONAL: "*", inspect.Parameter.VAR_KEYWORD: "**"}
    return [
        stars.get(p.kind, "") + p.name
        for p in inspect.signature(func).parameters.values()
        if p.name not in ("self", "cls")
    ]


def documented_args(doc: str) -> list[str]:
    return entries(sections(doc).get("Args", []))


def _field_docstrings(cls: type) -> set[str]:
    """Fields followed by a docstring of their own in the class body (the ladder's configs)."""
    try:
        tree = ast.parse(textwrap.dedent(inspect.getsource(cls)))
    except (OSError, TypeError):
        return set()
    body = tree.body[0].body  # type: ignore[attr-defined]
    return {
        stmt.target.id
        for stmt, after in itertools.pairwise(body)
        if isinstance(stmt, ast.AnnAssign)
        and isinstance(stmt.target, ast.Name)
        and isinstance(after, ast.Expr)
        and isinstance(after.value, ast.Constant)
        and isinstance(after.value.value, str)
    }


def undocumented_fields(cls: type) -> tuple[list[str], list[str]]:
    """(fields no docstring documents, Attributes documented that the class lacks)."""
    own = entries(sections(inspect.getdoc(cls) or "").get("Attributes", []))
    inherited = {
        name
        for base in cls.__mro__[1:]
        if base.__module__.startswith("scalinglab") and base.__doc__
        for name in entries(sections(inspect.cleandoc(base.__doc__)).get("Attributes", []))
    }
    fields = [f.name for f in dataclasses.fields(cls) if not f.name.startswith("_")]
    known = set(own) | inherited | _field_docstrings(cls)
    missing = [f for f in fields if f not in known]
    extra = [a for a in own if a not in fields and not hasattr(cls, a)]
    return missing, extra


DATACLASSES = sorted(
    n for n, o in OBJECTS.items() if inspect.isclass(o) and dataclasses.is_dataclass(o)
)


def test_the_scan_finds_functions_methods_inits_and_dataclasses() -> None:
    assert {"fit", "validate.baseline_backtest", "FitResult.predict", "RunStore.__init__"} <= set(
        CALLABLES
    )
    assert {"execute.ConsoleEvents.__init__", "curves.Tissue.prepare"} <= set(CALLABLES)
    assert "FitResult.__init__" not in CALLABLES  # a dataclass's: checked as Attributes
    assert {"Conventions", "FitResult", "validate.RollingStep", "ladder.ModelConfig"} <= set(
        DATACLASSES
    )


@pytest.mark.parametrize("name", sorted(CALLABLES))
def test_every_documented_argument_is_in_the_signature_in_its_order(name: str) -> None:
    func, doc = CALLABLES[name]
    params, args = _parameters(func), documented_args(doc)
    assert [a for a in args if a not in params] == [], f"{name}: documented, not in the signature"
    assert [p for p in params if p not in args] == [], f"{name}: in the signature, not documented"
    assert args == params, f"{name}: Args out of the signature's order"


@pytest.mark.parametrize("name", DATACLASSES)
def test_every_field_is_an_attribute_documented(name: str) -> None:
    missing, extra = undocumented_fields(OBJECTS[name])  # type: ignore[arg-type]
    assert missing == [], f"{name}: fields missing from its Attributes"
    assert extra == [], f"{name}: Attributes documented that it does not have"


def test_a_stale_argument_and_a_missing_field_are_caught() -> None:
    def planned(source: object, *, flops: float) -> None:
        """Plan.

        Args:
            flops: The budget, out of order.
            source: What to plan from.
            budget: Its old name, gone from the signature.
        """

    args = documented_args(inspect.getdoc(planned) or "")
    assert [a for a in args if a not in _parameters(planned)] == ["budget"]
    assert args != _parameters(planned)

    @dataclasses.dataclass(frozen=True)
    class Planned:
        """A plan.

        Attributes:
            flops: The budget.
            lower, upper: Its interval.
            gone: Not a field.
        """

        flops: float
        lower: float
        upper: float
        loss: float

    assert undocumented_fields(Planned) == (["loss"], ["gone"])


#: Entry points whose ``help()`` shows a first call to make, run by test_docstring_examples.
WITH_EXAMPLES = (
    "optimal_allocation", "backtest", "get_preset", "flops_6nd", "parse_quantity",
    # the first call of each job: read, fit, predict, plan; curves, downstream, hparams
    "fit", "read_runs", "FitResult.predict", "fit_curves", "fit_downstream", "fit_hparams",
    "compute_for_loss", "isoflop", "plan_for_accuracy",
)  # fmt: skip


@pytest.mark.parametrize("name", WITH_EXAMPLES)
def test_the_entry_points_show_an_example(name: str) -> None:
    doc = CALLABLES[name][1]  # a method's (FitResult.predict) as a function's
    assert any(">>> " in "\n".join(sections(doc).get(h, [])) for h in ("Example", "Examples"))


def test_every_example_section_is_a_doctest_that_runs() -> None:
    # an Examples section without ``>>>`` is prose doctest never runs: it could go stale
    docs = [inspect.getdoc(f) or "" for f, _ in CALLABLES.values()]
    docs += [inspect.getdoc(o) or "" for o in OBJECTS.values() if inspect.isclass(o)]
    blocks = [
        "\n".join(lines)
        for doc in docs
        for head, lines in sections(doc).items()
        if head in ("Example", "Examples")
    ]
    assert len(blocks) >= len(WITH_EXAMPLES)
    assert [b for b in blocks if ">>> " not in b] == []
