"""``help()`` of every public function says what it returns, in a Google ``Returns:``
section, and every public method has a docstring (``help(result.to_json)`` said nothing).

Twenty functions of ``scalinglab.__all__`` (``fit_curves``, ``fit_hparams``,
``get_preset``, ...) had ``Args:`` and ``Raises:`` but no ``Returns:``; a notebook user read
the return type off the signature alone. The scan walks what test_public_docstrings walks.

The methods of the public classes are held to the same: every public method (no leading
``_``; properties document a value and are left out) of every class in ``scalinglab.__all__``
and in the ``__all__`` of the subpackages in :data:`MODULES`, those it inherits from a
scalinglab base class included (``RunStore.get_run`` is ``StoreReader``'s), has a docstring,
says what it returns when it returns something other than None, and names each of its
parameters under ``Args:``. ``CurveFit.predict``, ``FitResult.load`` and ``Preset.predict``
had no ``Returns:``; ``CriticalBatchPreset.predict`` had no ``Args:`` either.

So are the functions of those subpackages' ``__all__`` (``curves.backtest_curves``,
``downstream.load_chain``, ``cli.main``): an annotated return, a ``Returns:`` unless it is
None, and each parameter under ``Args:``. Fifty-three had no ``Returns:`` and forty-three
left parameters out of ``Args:`` (``fit``, ``fit_curves`` and ``hparams.fit_law`` among
them: ``loss, max_steps:`` on one line names neither).
"""

from __future__ import annotations

import importlib
import inspect
import pkgutil
import re
from collections.abc import Callable, Iterator

import pytest
from tests.test_public_docstrings import PUBLIC, _missing

import scalinglab

_RETURNS = re.compile(r"^(Returns|Yields):\s*\n\s+\S", re.M)


def _returns_something(func: object) -> bool:
    ret = inspect.signature(func).return_annotation  # type: ignore[arg-type]
    return ret not in (None, "None", inspect.Signature.empty)


FUNCTIONS = sorted(
    name
    for name in scalinglab.__all__
    if inspect.isfunction(getattr(scalinglab, name))
    and _returns_something(getattr(scalinglab, name))
)


#: The modules whose ``__all__`` classes have their methods checked: the package and each
#: subpackage with an ``__all__``.
MODULES = (
    "scalinglab",
    *(
        f"scalinglab.{m.name}"
        for m in pkgutil.iter_modules(scalinglab.__path__)
        if m.ispkg and hasattr(importlib.import_module(f"scalinglab.{m.name}"), "__all__")
    ),
)


def _own_methods(cls: type) -> Iterator[tuple[str, type, Callable[..., object]]]:
    """Each public method ``cls`` has, with the scalinglab class that defines it."""
    seen: set[str] = set()
    for owner in cls.__mro__:
        if not owner.__module__.startswith("scalinglab"):
            continue  # object's, Protocol's, Enum's: not ours to document
        for attr, raw in vars(owner).items():
            func = raw.__func__ if isinstance(raw, staticmethod | classmethod) else raw
            if attr.startswith("_") or attr in seen or not inspect.isfunction(func):
                continue  # private, overridden, or a property or constant
            seen.add(attr)
            yield attr, owner, getattr(cls, attr)


def _public_methods() -> dict[str, Callable[..., object]]:
    """``"Class.method"`` -> the method, each defining class's method once."""
    found: dict[str, Callable[..., object]] = {}
    defined: set[tuple[type, str]] = set()
    for module_name in MODULES:
        module = importlib.import_module(module_name)
        prefix = (
            "" if module_name == "scalinglab" else module_name.removeprefix("scalinglab.") + "."
        )
        for name in module.__all__:
            cls = getattr(module, name)
            if not inspect.isclass(cls) or issubclass(cls, BaseException):
                continue
            for attr, owner, func in _own_methods(cls):
                if (owner, attr) not in defined:
                    defined.add((owner, attr))
                    found[f"{prefix}{name}.{attr}"] = func
    return found


METHODS = _public_methods()


def _subpackage_functions() -> dict[str, Callable[..., object]]:
    """``"subpackage.function"`` -> each function of a subpackage's ``__all__``."""
    found: dict[str, Callable[..., object]] = {}
    for module_name in MODULES[1:]:
        module = importlib.import_module(module_name)
        prefix = module_name.removeprefix("scalinglab.")
        for name in module.__all__:
            if inspect.isfunction(func := getattr(module, name)):
                found[f"{prefix}.{name}"] = func
    return found


SUB_FUNCTIONS = _subpackage_functions()


def test_the_subpackage_scan_finds_their_functions() -> None:
    assert {"curves.backtest_curves", "downstream.load_chain", "cli.main", "ladder.wsd"} <= set(
        SUB_FUNCTIONS
    )
    assert not any(name.startswith("scalinglab.") for name in SUB_FUNCTIONS)


def test_every_subpackage_function_annotates_its_return() -> None:
    bare = [
        n
        for n, f in SUB_FUNCTIONS.items()
        if inspect.signature(f).return_annotation is inspect.Signature.empty
    ]
    assert bare == []


@pytest.mark.parametrize("name", sorted(SUB_FUNCTIONS))
def test_every_subpackage_function_says_what_it_returns(name: str) -> None:
    func = SUB_FUNCTIONS[name]
    doc = inspect.getdoc(func) or ""
    assert doc.strip(), f"{name} has no docstring"
    if _returns_something(func):
        assert _RETURNS.search(doc), f"{name}: no Returns: section in its docstring"


@pytest.mark.parametrize("name", sorted(SUB_FUNCTIONS))
def test_every_subpackage_function_names_its_parameters(name: str) -> None:
    assert _missing(SUB_FUNCTIONS[name]) == [], f"{name}: parameters missing from its Args section"


def test_the_method_scan_finds_methods_classmethods_and_inherited_ones() -> None:
    assert {"CurveFit.predict", "FitResult.load", "Preset.predict", "RunStore.get_run"} <= set(
        METHODS
    )
    assert not any(name.rsplit(".", 1)[1].startswith("_") for name in METHODS)
    assert "FitResult.law" not in METHODS  # a property
    assert {"scalinglab.plan", "scalinglab.hparams", "scalinglab.execute"} <= set(MODULES)
    assert {"hparams.CriticalBatchPreset.predict", "execute.LadderEvents.note"} <= set(METHODS)


def test_every_public_method_annotates_its_return() -> None:
    # an unannotated return would pass the Returns check unseen
    bare = [
        n
        for n, f in METHODS.items()
        if inspect.signature(f).return_annotation is inspect.Signature.empty
    ]
    assert bare == []


@pytest.mark.parametrize("name", sorted(METHODS))
def test_every_public_method_says_what_it_returns(name: str) -> None:
    func = METHODS[name]
    doc = inspect.getdoc(func) or ""
    assert doc.strip(), f"{name} has no docstring"
    if _returns_something(func):
        assert _RETURNS.search(doc), f"{name}: no Returns: section in its docstring"


@pytest.mark.parametrize("name", sorted(METHODS))
def test_every_public_method_names_its_parameters(name: str) -> None:
    assert _missing(METHODS[name]) == [], f"{name}: parameters missing from its Args section"


def test_the_scan_finds_the_functions() -> None:
    assert {"fit", "fit_curves", "get_preset", "default_runs", "parse_schedule"} <= set(FUNCTIONS)


@pytest.mark.parametrize("name", FUNCTIONS)
def test_every_public_function_has_a_returns_section(name: str) -> None:
    doc = inspect.getdoc(getattr(scalinglab, name)) or ""
    assert _RETURNS.search(doc), f"scalinglab.{name}: no Returns: section in its docstring"


@pytest.mark.parametrize("name", sorted(n for n in PUBLIC if not n.endswith(".__init__")))
def test_every_public_method_has_a_docstring(name: str) -> None:
    func, _ = PUBLIC[name]
    assert (inspect.getdoc(func) or "").strip(), f"{name} has no docstring"


def test_a_missing_section_is_caught() -> None:
    def planned() -> int:
        """Plan.

        Raises:
            ConfigError: Never.
        """
        return 1

    assert not _RETURNS.search(inspect.getdoc(planned) or "")
    assert _RETURNS.search(inspect.getdoc(scalinglab.fit) or "")
