"""``runs --status``: the status a run is shown with, and a tracker's word said where it went."""

from __future__ import annotations

__all__ = ["status_option"]


def status_option(status: str | None) -> str | None:
    """``--status`` in any case (``Finished``), as ``runs`` shows it.

    Raises:
        ConfigError: For a status no run is shown with, naming ``--status``.
    """
    from scalinglab._errors import ConfigError, did_you_mean
    from scalinglab.data._state_words import tracker_word_error
    from scalinglab.store._rung_status import SHOWN_STATUSES

    if status is None or status.lower() in SHOWN_STATUSES:
        return None if status is None else status.lower()
    said = tracker_word_error(status, option="--status ")
    if said is not None:  # a tracker's word (W&B's crashed, MLflow's KILLED): where it went
        raise said
    raise ConfigError(
        f"--status must be one of {', '.join(SHOWN_STATUSES)}, not {status!r}"
        f"{did_you_mean(status, SHOWN_STATUSES)}",
        hint="e.g. --status finished (any case: Finished)",
    )
