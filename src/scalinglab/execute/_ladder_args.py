"""What :func:`~scalinglab.execute.run_ladder` accepts for its ladder and store, as the
command line does: a recipe's name or TOML file, a store's path."""

from __future__ import annotations

import os
from typing import TYPE_CHECKING

from scalinglab._errors import ConfigError
from scalinglab.execute._top import check_ladder
from scalinglab.execute._workdirs import check_corpora
from scalinglab.store import RunStore

if TYPE_CHECKING:
    from scalinglab.execute._backend import Backend
    from scalinglab.ladder import LadderSpec

__all__ = ["ladder_inputs"]


def ladder_inputs(
    ladder: LadderSpec | str | os.PathLike[str],
    store: RunStore | str | os.PathLike[str],
    *,
    backend: Backend,
    predict_top: bool,
) -> tuple[LadderSpec, RunStore]:
    """The ladder and store to run, checked before the store is touched or anything trains.

    Args:
        ladder: A ladder, or a built-in recipe's name (``"tiny"``) or a TOML file's path,
            read by :func:`scalinglab.ladder.get_recipe`.
        store: A run store, or its ``.duckdb`` file's path.
        backend: Where rungs will train: corpora are prepared only where it trains here.
        predict_top: Whether the top rung is to be predicted (it needs rungs below it).

    Raises:
        ConfigError: Neither a ladder nor a recipe; an unknown recipe; a store that is neither
            a :class:`~scalinglab.store.RunStore` nor a path; a corpus missing or too small; too
            few rungs to predict the top one.
    """
    from scalinglab.ladder import LadderSpec, get_recipe

    if isinstance(ladder, str | os.PathLike):
        ladder = get_recipe(os.fspath(ladder))
    elif not isinstance(ladder, LadderSpec):
        raise ConfigError(
            f"run_ladder: ladder= must be a ladder or a recipe's name, not {type(ladder).__name__}",
            hint="pass a recipe's name (ladder='tiny'), get_recipe('tiny'), or a .toml file",
        )
    if isinstance(store, str | os.PathLike):
        store = RunStore(store)
    elif not isinstance(store, RunStore):
        raise ConfigError(
            f"run_ladder: store= must be a RunStore or a path, not {type(store).__name__}",
            hint="pass a path (store='runs.duckdb') or RunStore('runs.duckdb')",
        )
    check_corpora(ladder, prepare=backend.trains_here)  # sizes only on a login node
    if predict_top:  # refused before anything trains, not after the lower rungs
        check_ladder(ladder)
    return ladder, store
