"""``scalinglab.plan`` and ``scalinglab.report``, named as the commands are, called as a
function say which function to call: they raised ``'module' object is not callable``."""

from __future__ import annotations

import pytest

import scalinglab


def test_calling_the_plan_package_names_the_functions_that_plan() -> None:
    with pytest.raises(TypeError, match=r"^scalinglab\.plan is a package, not a function: call "):
        scalinglab.plan(None, compute=1e22)  # type: ignore[operator]
    with pytest.raises(TypeError) as caught:
        scalinglab.plan()  # type: ignore[operator]
    for name in ("optimal_allocation(", "compute_for_loss(", "plan.frontier("):
        assert name in str(caught.value)
    # each function it names is there to call, and the package still works as one
    assert scalinglab.plan.optimal_allocation is scalinglab.optimal_allocation
    assert callable(scalinglab.plan.frontier) and callable(scalinglab.compute_for_loss)


def test_calling_the_report_package_names_write_report() -> None:
    with pytest.raises(TypeError, match=r"scalinglab\.write_report\(fit, runs, \"report\.html\"\)"):
        scalinglab.report(None)  # type: ignore[operator]
    assert scalinglab.report.write_report is scalinglab.write_report
