"""The simulated default ladder: IsoFLOP runs drawn from the Hoffmann et al. 2022 law.

When a user has no runs yet, scalinglab shows what it does on made-up data, and says so:
every table built here has ``simulated=True`` and a source beginning ``"simulated: "``.

The packaged ``default_ladder.csv`` (columns ``run, params, tokens, flops, loss``) is
exactly ``simulate_ladder()`` with its defaults — 7 compute budgets from 1e18 to 1e21 FLOPs,
7 model sizes per budget from N_opt/8 to 8·N_opt, D = C/(6N), 1% log-normal noise, seed 0 —
written by ``python -m scalinglab.data._simulate``; a test checks the two agree.
"""

from __future__ import annotations

import csv
import math
import numbers
import sys
from collections.abc import Iterable, Sequence
from dataclasses import replace
from importlib.resources import as_file, files
from pathlib import Path

import numpy as np
from numpy.typing import NDArray

from scalinglab._checks import check_number, check_whole, given
from scalinglab._errors import ConfigError
from scalinglab._keywords import keywords_checked
from scalinglab.data._readers import read_runs
from scalinglab.data._table import RunTable
from scalinglab.data._unit_words import refuse_other_word
from scalinglab.data._units import parse_flops

__all__ = ["DEFAULT_LADDER_SOURCE", "simulate_ladder", "simulated_runs"]

Array = NDArray[np.float64]

DEFAULT_BUDGETS = (1e18, 3e18, 1e19, 3e19, 1e20, 3e20, 1e21)
DEFAULT_LADDER_SOURCE = "simulated: Hoffmann et al. 2022 law + 1% log-normal noise, seed 0"
_CSV_NAME = "default_ladder.csv"
_CSV_COLUMNS = ("params", "tokens", "flops", "loss")
_SIMULATED_NOTE = (
    "SIMULATED runs, not real training: L = 1.69 + 406.4/N^0.34 + 410.7/D^0.28 "
    "(Hoffmann et al. 2022) with D = C/(6N)"
)
_SIMULATED_FLOPS = "C = 6·N·D (the simulated ladder's budgets, with D = C/(6N))"


def _chinchilla_loss(
    N: Array,
    D: Array,
    *,
    E: float = 1.69,
    A: float = 406.4,
    B: float = 410.7,
    alpha: float = 0.34,
    beta: float = 0.28,
) -> Array:
    """``L(N, D) = E + A/N^α + B/D^β``; defaults are the Hoffmann et al. 2022 preset (eq. 10)."""
    return E + A / N**alpha + B / D**beta


def _optimal_params(
    C: float, *, A: float = 406.4, B: float = 410.7, alpha: float = 0.34, beta: float = 0.28
) -> float:
    """Compute-optimal N for budget C under C = 6ND (Hoffmann et al. 2022, eq. 4)."""
    G = (alpha * A / (beta * B)) ** (1.0 / (alpha + beta))
    return float(G * (C / 6.0) ** (beta / (alpha + beta)))


def _flops(value: object) -> bool:
    """Whether ``value`` is a compute budget: a positive, finite number (not a bool)."""
    ok = isinstance(value, numbers.Real) and not isinstance(value, bool)
    return ok and math.isfinite(value) and value > 0  # type: ignore[arg-type,operator]


@keywords_checked("scalinglab.simulate_ladder")
def simulate_ladder(
    *,
    seed: int = 0,
    noise: float = 0.01,
    budgets: Sequence[float] = DEFAULT_BUDGETS,
    sizes_per_budget: int = 7,
) -> RunTable:
    """An IsoFLOP ladder of made-up runs, deterministic for a given seed.

    Args:
        seed: Seed of the ``PCG64`` generator that draws the noise.
        noise: Standard deviation of the multiplicative log-normal noise on the loss.
        budgets: Compute budgets C in FLOPs, one IsoFLOP curve each (text too, ``"1e19"`` or
            ``"1e19 FLOPs"``, as every Python budget).
        sizes_per_budget: Model sizes per budget, log-spaced from N_opt/8 to 8·N_opt.

    Returns:
        A table with ``params``, ``tokens``, ``flops`` and ``loss``, marked simulated.

    Raises:
        ConfigError: If an option is out of range.
    """
    # by type before NumPy: seed=1.5 was its TypeError, seed=-1 its "expected non-negative"
    check_whole("seed", seed, least=0, example=0, flag=False)
    check_number("noise", noise, least=0.0, example="noise=0.01 (1% log-normal noise)")
    asked: object = budgets  # budgets=5 or "1e20": refused, not read letter by letter
    listed = list(asked) if isinstance(asked, Iterable) and not isinstance(asked, str) else []
    # "1e19", "1e19 FLOPs": read as every budget in Python (as_quantities), else refused below
    for c in listed:  # "1e19 tokens": as every budget, in one line naming the word
        refuse_other_word(c, "flops", given=f"budgets={c!r}")
    listed = [parse_flops(c) or c if isinstance(c, str) else c for c in listed]
    if not listed or not all(_flops(c) for c in listed):
        raise ConfigError(
            f"budgets must be positive FLOP counts, got {given(budgets)}",
            hint="pass a list of them, e.g. budgets=[1e18, 1e19, 1e20]",
        )
    check_whole("sizes_per_budget", sizes_per_budget, least=1, example=7, flag=False)
    spread = np.linspace(-1.0, 1.0, sizes_per_budget) if sizes_per_budget > 1 else np.zeros(1)
    flops = np.repeat(np.asarray(listed, dtype=np.float64), sizes_per_budget)
    params = np.concatenate([_optimal_params(float(c)) * 8.0**spread for c in listed])
    tokens = flops / (6.0 * params)
    rng = np.random.Generator(np.random.PCG64(seed))
    loss = _chinchilla_loss(params, tokens) * np.exp(noise * rng.standard_normal(len(params)))

    runs = [f"sim-C{c:.3g}-N{n:.2g}" for c, n in zip(flops, params, strict=True)]
    if len(set(runs)) < len(runs):  # very fine ladders: make the ids unique by position
        runs = [f"{r}-{i}" for i, r in enumerate(runs, start=1)]
    source = f"simulated: Hoffmann et al. 2022 law + {noise * 100:g}% log-normal noise, seed {seed}"
    return RunTable(
        columns={"params": params, "tokens": tokens, "flops": flops, "loss": loss},
        runs=tuple(runs),
        rows=tuple(range(1, len(runs) + 1)),
        source=source,
        notes=(_SIMULATED_NOTE,),
        simulated=True,
        flops_convention=_SIMULATED_FLOPS,
    )


@keywords_checked("scalinglab.simulated_runs")
def simulated_runs() -> RunTable:
    """The packaged simulated ladder (``default_ladder.csv``, what ``--data simulated``
    fits), marked simulated.

    Returns:
        The simulated ladder as a :class:`RunTable` with ``simulated=True`` (fits of it
        say so).
    """
    with as_file(files("scalinglab.data").joinpath(_CSV_NAME)) as path:
        table = read_runs(path)
    return replace(
        table,
        source=DEFAULT_LADDER_SOURCE,
        simulated=True,
        notes=(_SIMULATED_NOTE,),
        flops_convention=_SIMULATED_FLOPS,
    )


def write_default_csv(path: Path) -> None:
    """Write ``simulate_ladder()`` as a plain CSV, floats in shortest round-trip form."""
    table = simulate_ladder()
    with path.open("w", newline="", encoding="utf-8") as handle:
        writer = csv.writer(handle, lineterminator="\n")
        writer.writerow(("run", *_CSV_COLUMNS))
        for i, run in enumerate(table.runs):
            writer.writerow((run, *(repr(float(table[c][i])) for c in _CSV_COLUMNS)))


if __name__ == "__main__":
    target = Path(__file__).with_name(_CSV_NAME)
    write_default_csv(target)
    sys.stdout.write(f"wrote {target}\n")
