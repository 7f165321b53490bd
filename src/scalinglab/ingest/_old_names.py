"""Old names of ingest results, read for one release with a :class:`DeprecationWarning`
(one name per concept across the library, the JSON and the command line):

- ``IngestResult.seconds`` and ``EvalsIngestResult.seconds``, now ``wall_s``: a duration
  in wall-clock seconds, as a trained rung's ``wall_s`` (its ``result.json``, the store's
  column and ``ladder status --json``) names it; ``"wall_s"`` in their JSON (``"seconds"``
  kept there one release);
- ``EvalsIngestResult.scores``, now ``n_scores``: a count, as counts are ``n_*``, where a
  result's ``scores`` are errors (a law choice's median AREs); ``"n_scores"`` in its JSON
  (``"scores"`` kept there one release);
- ``EvalsIngestResult.models``, now ``n_models``, and ``EvalsIngestResult.examples``, now
  ``n_task_sizes``: counts, as counts are ``n_*``. ``examples`` counted the task sizes read
  (one per model and task: a harness file's ``n-samples``), not examples: ``examples``
  elsewhere is one task's number of examples (``TaskFit.examples``, the store's metric
  ``examples``). ``"n_models"`` and ``"n_task_sizes"`` in its JSON (``"models"`` and
  ``"examples"`` kept there one release).
"""

from __future__ import annotations

from typing_extensions import deprecated

__all__ = ["EvalsIngestAliases", "IngestAliases"]


class IngestAliases:
    """A base of :class:`~scalinglab.ingest.IngestResult` holding its deprecated name."""

    __slots__ = ()
    wall_s: float

    @property
    @deprecated(
        "IngestResult.seconds is deprecated and goes in the next release: use "
        "IngestResult.wall_s (wall-clock seconds, as a trained rung's wall_s)",
        category=DeprecationWarning,
    )
    def seconds(self) -> float:
        """Deprecated alias of ``wall_s`` (one release)."""
        return self.wall_s


class EvalsIngestAliases:
    """A base of :class:`~scalinglab.ingest.EvalsIngestResult` holding its deprecated
    names."""

    __slots__ = ()
    wall_s: float
    n_scores: int
    n_models: int
    n_task_sizes: int

    @property
    @deprecated(
        "EvalsIngestResult.seconds is deprecated and goes in the next release: use "
        "EvalsIngestResult.wall_s (wall-clock seconds, as a trained rung's wall_s)",
        category=DeprecationWarning,
    )
    def seconds(self) -> float:
        """Deprecated alias of ``wall_s`` (one release)."""
        return self.wall_s

    @property
    @deprecated(
        "EvalsIngestResult.scores is deprecated and goes in the next release: use "
        "EvalsIngestResult.n_scores (a count, as counts are n_*; scores elsewhere are errors)",
        category=DeprecationWarning,
    )
    def scores(self) -> int:
        """Deprecated alias of ``n_scores`` (one release)."""
        return self.n_scores

    @property
    @deprecated(
        "EvalsIngestResult.models is deprecated and goes in the next release: use "
        "EvalsIngestResult.n_models (a count, as counts are n_*)",
        category=DeprecationWarning,
    )
    def models(self) -> int:
        """Deprecated alias of ``n_models`` (one release)."""
        return self.n_models

    @property
    @deprecated(
        "EvalsIngestResult.examples is deprecated and goes in the next release: use "
        "EvalsIngestResult.n_task_sizes (a count of the task sizes read, one per model and "
        "task; examples elsewhere is one task's number of examples)",
        category=DeprecationWarning,
    )
    def examples(self) -> int:
        """Deprecated alias of ``n_task_sizes`` (one release)."""
        return self.n_task_sizes
