"""Where a hyperparameter prediction is asked: (N, D) with C as the sweep counts it or as
given, or C alone where the lr* and B* laws read C alone (DeepSeek's lr*(C), B*(C)).

A law of C needs no N or D, so ``--flops`` alone answers it; an lr* or B* law that reads N
or D is named, with what it reads, where they are missing (a fit's law of the loss at the
optimum over N and D is then left out of the prediction, with a note).
"""

from __future__ import annotations

import math
from collections.abc import Collection, Mapping
from typing import TYPE_CHECKING

from scalinglab._errors import ConfigError
from scalinglab.data._units import as_quantity, prediction_point
from scalinglab.hparams._flops_convention import given_flops, prediction_flops
from scalinglab.hparams._laws import OPTIMUM
from scalinglab.laws import get_law

if TYPE_CHECKING:
    from scalinglab.hparams._result import HparamFit

__all__ = ["check_flops_alone", "fit_point"]

_SYMBOL = {"params": "N", "tokens": "D", "flops": "C"}


def check_flops_alone(reads: Mapping[str, Collection[str]]) -> None:
    """Refuse a prediction at C alone where a law reads N or D.

    Args:
        reads: Each law, as the message names it (``"the lr* law 'A * N**alpha'"``, one
            subject: it "reads"), and the columns (``params``, ``tokens``, ``flops``) it reads.

    Raises:
        ConfigError: Naming each law that reads N or D, and what it reads.
    """
    need = {law: [_SYMBOL[c] for c in cols if c != "flops"] for law, cols in reads.items()}
    said = [f"{law} reads {' and '.join(symbols)}" for law, symbols in need.items() if symbols]
    if said:
        raise ConfigError(
            f"a prediction at C alone (flops= without params= and tokens=, --flops without "
            f"--params and --tokens): {'; '.join(said)}, which C alone does not give",
            hint="give params= and tokens= (--params, --tokens); C alone answers where every "
            "law reads C alone (a law of C: lr_law='A*C**alpha', or preset deepseek2024)",
        )


def fit_point(
    fit: HparamFit,
    params: float | str | None,
    tokens: float | str | None,
    flops: float | str | None,
) -> tuple[dict[str, float], float, str, tuple[str, ...]]:
    """The point ``fit`` predicts at (its finite N, D and C by name), C, the note saying
    where C came from, and the warnings of a given C off the sweep's count.

    Raises:
        ConfigError: No N or D and no C; C alone where the fit's lr* or B* law reads N or
            D; a value that is not one positive number.
    """
    if params is None or tokens is None:  # parms= was refused before: these were not given
        if flops is None:
            raise ConfigError(
                "HparamFit.predict needs params= and tokens=",
                hint="e.g. fit.predict(params='7B', tokens='2T')",
            )
        # the loss at the optimum is a by-product: a loss law of N and D is left out (noted)
        laws = (f for f in (fit.lr_law, fit.batch_law) if f is not None)
        reads = {
            f"the {OPTIMUM[f.target]} law {f.formula!r}": get_law(f.formula).variables.values()
            for f in laws
        }
        check_flops_alone(reads)
        c = as_quantity(flops, "flops", example="1e23")
        at = {"params": params, "tokens": tokens}
        where = {k: as_quantity(v, k) for k, v in at.items() if v is not None} | {"flops": c}
        return where, c, f"C={c:.3g} as given: the fit's lr* and B* laws read C alone", ()
    n, d, c = prediction_point(params, tokens, flops)
    conv, reads_c = fit.flops_convention, fit.reads_flops
    if flops is None:  # C as the sweep counted it, not 6·N·D
        c, how = prediction_flops(conv, n, d, reads_c=reads_c)
        off: tuple[str, ...] = ()
    else:  # a C off the sweep's count is another run's; one no law reads changes nothing
        how, off = given_flops(conv, c, n, d, reads_c=reads_c)
    where = {"params": n, "tokens": d} | ({"flops": c} if math.isfinite(c) else {})
    return where, c, how, off
