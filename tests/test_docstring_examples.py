"""The ``>>>`` examples in the package's docstrings run and print what they say.

Each module whose source holds an example is imported and its docstrings run with
:mod:`doctest` (none did before: a wrong example would have stood). The examples in
``get_preset`` (the Hoffmann et al. law at Chinchilla's N and D), ``flops_6nd`` and
``parse_schedule`` show a notebook user the first call to make, as ``help()`` prints them.
So does the package's own docstring (``help(scalinglab)``): a first session on the simulated
ladder, which was a ``::`` block no test ran.
"""

from __future__ import annotations

import doctest
import importlib
from pathlib import Path

import pytest

import scalinglab

ROOT = Path(scalinglab.__file__).parent


def _modules_with_examples() -> list[str]:
    names = []
    for path in sorted(ROOT.rglob("*.py")):
        if ">>> " in path.read_text(encoding="utf-8"):
            parts = path.relative_to(ROOT.parent).with_suffix("").parts
            names.append(".".join(parts).removesuffix(".__init__"))
    return names


MODULES = _modules_with_examples()


def test_the_public_examples_are_found() -> None:
    assert {
        "scalinglab",  # the package's first session, as help(scalinglab) shows it
        "scalinglab.laws._presets",  # get_preset
        "scalinglab.plan._flops",  # flops_6nd
        "scalinglab.curves._schedule_spec",  # parse_schedule
        "scalinglab.data._units",  # parse_quantity
    } <= set(MODULES)


@pytest.mark.parametrize("name", MODULES)
def test_every_docstring_example_runs_as_written(name: str) -> None:
    module = importlib.import_module(name)
    finder = doctest.DocTestFinder(exclude_empty=True)
    runner = doctest.DocTestRunner(optionflags=doctest.ELLIPSIS | doctest.NORMALIZE_WHITESPACE)
    tests = [t for t in finder.find(module, name) if t.examples]
    assert tests, f"{name}: '>>> ' in its source but no docstring example found"
    for test in tests:
        runner.run(test)
    result = runner.summarize(verbose=False)
    assert result.failed == 0, f"{name}: {result.failed} of {result.attempted} examples failed"


def test_a_wrong_example_fails() -> None:
    def double(x: int) -> int:
        """Twice ``x``.

        >>> double(2)
        5
        """
        return 2 * x

    test = doctest.DocTestFinder().find(double, "double", globs={"double": double})[0]
    runner = doctest.DocTestRunner()
    runner.run(test, out=lambda _: None)
    assert runner.summarize(verbose=False).failed == 1
