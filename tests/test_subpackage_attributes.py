"""``import scalinglab`` alone reaches the subpackages the README names as attributes
(``scalinglab.plan.frontier``, ``scalinglab.data.read_curves``,
``scalinglab.validate.split_runs``, ``scalinglab.downstream.read_store_evals``), as a
notebook writes them, where they raised ``AttributeError`` until something else had
imported the subpackage; ``scalinglab.fit`` and ``scalinglab.ingest`` stay the functions."""

from __future__ import annotations

import json
import subprocess
import sys

import pytest

#: Each attribute path the README writes, after ``import scalinglab`` alone.
NAMED = (
    "plan.frontier",
    "data.read_curves",
    "validate.split_runs",
    "downstream.read_store_evals",
    "laws.Chinchilla",
    "hparams.locate_optima",
    "curves.Tissue",
    "store.RunStore",
    "report.write_report",
)


def _fresh(code: str) -> str:
    """What ``code`` prints in a fresh interpreter (no subpackage imported before)."""
    done = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, check=True, timeout=120
    )
    return done.stdout


@pytest.mark.parametrize("path", NAMED)
@pytest.mark.heavy  # 1.6 s in the suite on a 2-core AMD EPYC
def test_named_subpackage_attribute_after_import_alone(path: str) -> None:
    package, name = path.split(".")
    code = (
        "import importlib, scalinglab\n"
        f"got = getattr(scalinglab.{package}, {name!r})\n"
        f"want = getattr(importlib.import_module('scalinglab.{package}'), {name!r})\n"
        "print(got is want)"
    )
    assert _fresh(code).strip() == "True"


@pytest.mark.heavy  # 1.7 s in the suite on a 2-core AMD EPYC
def test_fit_and_ingest_stay_functions_and_unknown_names_still_fail() -> None:
    code = (
        "import json, types, scalinglab\n"
        "kinds = [isinstance(scalinglab.fit, types.FunctionType),\n"
        "         isinstance(scalinglab.ingest, types.FunctionType)]\n"
        "try:\n"
        "    scalinglab.nonsuch\n"
        "except AttributeError as err:\n"
        "    kinds.append(str(err))\n"
        "print(json.dumps(kinds))"
    )
    fit_is_function, ingest_is_function, missing = json.loads(_fresh(code))
    assert fit_is_function and ingest_is_function
    assert missing == "module 'scalinglab' has no attribute 'nonsuch'"


def test_import_alone_still_loads_no_subpackage() -> None:
    code = (
        "import json, sys, scalinglab\n"
        "print(json.dumps(sorted(m for m in sys.modules if m.startswith('scalinglab.'))))"
    )
    loaded = json.loads(_fresh(code))
    assert not [m for m in loaded if m.split(".")[1] in ("plan", "data", "validate", "laws")]
