"""``help()`` of every public function says what it returns, in a Google ``Returns:``
section, and every public method has a docstring (``help(result.to_json)`` said nothing).

Twenty functions of ``scalinglab.__all__`` (``fit_curves``, ``fit_hparams``,
``get_preset``, ...) had ``Args:`` and ``Raises:`` but no ``Returns:``; a notebook user read
the return type off the signature alone. The scan walks what test_public_docstrings walks.
"""

from __future__ import annotations

import inspect
import re

import pytest
from tests.test_public_docstrings import PUBLIC

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
