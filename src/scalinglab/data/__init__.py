"""Run tables: readers, units, validation, and the simulated default ladder.

::

    read_runs(path | DataFrame)  ->  RunTable  (params, tokens, flops, loss, + covariates)
    simulate_ladder() / simulated_runs()  ->  RunTable  (simulated=True, and says so)
    bundled_runs("overtraining-c4") / default_runs()  ->  RunTable  (real runs of Gadre et al. 2024, cited)

Every bad input raises :class:`scalinglab.DataError` naming the file, row and column, with
a hint; everything derived or renamed while reading is recorded in ``RunTable.notes``.
"""

from typing import TYPE_CHECKING

from scalinglab._lazy import lazy_names

if TYPE_CHECKING:  # the same names, eagerly, for type checkers and IDEs
    from scalinglab.data._bundled import BUNDLED, DEFAULT_DATA, bundled_runs, default_runs
    from scalinglab.data._curves import Curves, read_curves
    from scalinglab.data._outliers import find_outliers
    from scalinglab.data._readers import FORMATS, read_runs
    from scalinglab.data._schema import ALIASES
    from scalinglab.data._simulate import DEFAULT_LADDER_SOURCE, simulate_ladder, simulated_runs
    from scalinglab.data._table import CANONICAL, RunTable, check_enough_runs
    from scalinglab.data._units import parse_quantity

# name -> module, imported on first use: the readers need pandas, a fit of the default
# ladder or of a RunTable does not (see scalinglab/__init__.py)
_LAZY = {
    "BUNDLED": "_bundled",
    "DEFAULT_DATA": "_bundled",
    "bundled_runs": "_bundled",
    "Curves": "_curves",
    "read_curves": "_curves",
    "find_outliers": "_outliers",
    "FORMATS": "_readers",
    "read_runs": "_readers",
    "ALIASES": "_schema",
    "DEFAULT_LADDER_SOURCE": "_simulate",
    "default_runs": "_bundled",
    "simulated_runs": "_simulate",
    "simulate_ladder": "_simulate",
    "CANONICAL": "_table",
    "RunTable": "_table",
    "check_enough_runs": "_table",
    "parse_quantity": "_units",
}


__getattr__, __dir__ = lazy_names(__name__, _LAZY)

__all__ = [
    "ALIASES",
    "BUNDLED",
    "CANONICAL",
    "DEFAULT_DATA",
    "DEFAULT_LADDER_SOURCE",
    "FORMATS",
    "Curves",
    "RunTable",
    "bundled_runs",
    "check_enough_runs",
    "default_runs",
    "find_outliers",
    "parse_quantity",
    "read_curves",
    "read_runs",
    "simulate_ladder",
    "simulated_runs",
]
