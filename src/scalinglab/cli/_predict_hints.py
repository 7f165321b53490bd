"""The hints of ``scalinglab predict``'s refusals: an example of the options a law needs,
and for a compute alone given to a law of N and D, the ``plan`` command that splits it."""

from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING, Any

from scalinglab._format import format_quantity
from scalinglab.cli._predict_inputs import option_of

if TYPE_CHECKING:  # the fit package loads NumPy: `--help` stays light
    from scalinglab.fit import FitResult
    from scalinglab.laws import Preset

__all__ = ["example", "missing"]

_SAMPLES = {"--params": "7B", "--tokens": "1.4T", "--flops": "5.9e22"}


def example(reads: Mapping[str, str]) -> str:
    """Options that give every variable of a law, as a user would write them."""
    options = [option_of(s, reads) for s in reads]
    return " ".join(f"{o} {_SAMPLES[o]}" if o in _SAMPLES else f"{o}=VALUE" for o in options)


def _flops(values: Any) -> str:
    return ",".join(format_quantity(float(x), "flops") for x in values.ravel())


def missing(
    result: FitResult | Preset, values: dict[str, Any], reads: Mapping[str, str], *, plan: str
) -> str:
    """The hint where the options leave a variable of the law without a value (``values``:
    keyword -> the values given; ``plan``: the options that give ``scalinglab plan`` the same
    law, ``--fit PATH`` or ``--preset NAME``).

    For a law of C given N and D: their 6·N·D (the fit's FLOPs may have been counted
    otherwise: its conventions say how). For a law of N and D given C alone: the ``plan``
    command that splits C compute-optimally (and predicts its loss), or the size to give
    beside it. Else an example of the options the law takes.
    """
    options = {option_of(s, reads) for s in reads}
    if "--flops" in options and {"params", "tokens"} <= set(values) and "flops" not in values:
        shown = _flops(6 * values["params"] * values["tokens"])
        return (
            f"--flops {shown} is 6·N·D of these --params and --tokens; the fit's FLOPs are "
            f"{result.conventions.flops}"
        )
    if {"--params", "--tokens"} <= options and set(values) == {"flops"}:
        shown = _flops(values["flops"])
        return (
            f"for the compute-optimal params and tokens of {shown} FLOPs and their loss: "
            f"scalinglab plan {plan} --flops {shown}; for a size of your choice: --params 7B "
            f"--flops {shown}"
        )
    return f"e.g. {example(reads)}"
