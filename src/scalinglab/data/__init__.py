"""Run tables: readers, units, validation, and the simulated default ladder.

::

    read_runs(path | DataFrame)  ->  RunTable  (params, tokens, flops, loss, + covariates)
    simulate_ladder() / default_runs()  ->  RunTable  (simulated=True, and says so)
    bundled_runs("overtraining-c4")  ->  RunTable  (real runs of Gadre et al. 2024, cited)

Every bad input raises :class:`scalinglab.DataError` naming the file, row and column, with
a hint; everything derived or renamed while reading is recorded in ``RunTable.notes``.
"""

from scalinglab.data._bundled import BUNDLED, DEFAULT_DATA, bundled_runs
from scalinglab.data._curves import Curves, read_curves
from scalinglab.data._outliers import find_outliers
from scalinglab.data._readers import FORMATS, read_runs
from scalinglab.data._schema import ALIASES
from scalinglab.data._simulate import DEFAULT_LADDER_SOURCE, default_runs, simulate_ladder
from scalinglab.data._table import CANONICAL, RunTable, check_enough_runs
from scalinglab.data._units import parse_quantity

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
]
