"""The law of the loss at the optimum across a sweep's cells: its formula, or why there is none."""

from __future__ import annotations

from collections.abc import Mapping

import numpy as np

from scalinglab.hparams._design import NARROW, cell_design, log_spread

__all__ = ["loss_formula"]

#: Loss at the optimum across cells: a local power law, identifiable from a few cells (the
#: five-parameter Chinchilla form is not: on the shared sweeps' 215M-537M cells its E runs to
#: zero), in whichever of N and D vary across the cells. It gives a rough loss; extrapolate
#: the loss with ``scalinglab fit`` on runs that span more sizes.
_LOSS_TERMS = (("N", "params", "a"), ("D", "tokens", "b"))


def loss_formula(cols: Mapping[str, np.ndarray], n_cells: int) -> tuple[str | None, str]:
    """The loss* law over the variables that vary across the fitted cells (``K * N**a *
    D**b``, ``K * N**a`` for one token budget or for N and D on one curve...), or ``None``
    and why there is none: a variable every cell shares has no exponent to fit, and the lr*
    and B* laws need not be over it; nor one whose values span under 5% (``_design.NARROW``)."""
    # N and D on one curve: a law of both is a valley of equal fits, so the one that moves
    # more alone (_design)
    design = cell_design(cols)
    spread = {c: log_spread(cols[c]) for c in ("params", "tokens") if c in cols}
    terms = [
        f"{symbol}**{exponent}"
        for symbol, column, exponent in _LOSS_TERMS
        if spread.get(column, 0.0) >= NARROW and (not design.curve or column == design.varies)
    ]
    formula = " * ".join(["K", *terms])
    if not terms and any(spread.values()):
        return None, "the fitted cells' params and tokens each span under 5%"
    if not terms:
        return None, "every fitted cell has the same params and tokens"
    if n_cells < len(terms) + 2:
        return None, f"{formula} needs {len(terms) + 2} cells, and {n_cells} were fitted"
    return formula, ""
