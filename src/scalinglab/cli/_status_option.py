"""``runs --status``: the status a run is shown with, and a tracker's word said where it went."""

from __future__ import annotations

__all__ = ["status_option"]


def status_option(status: str | None) -> str | None:
    """``--status`` in any case (``Finished``), as ``runs`` shows it.

    Raises:
        ConfigError: For a status no run is shown with, naming ``--status``.
    """
    from scalinglab._errors import ConfigError
    from scalinglab.data._run_states import STATES, trackers_of
    from scalinglab.execute._rung_status import SHOWN_STATUSES

    if status is None or status.lower() in SHOWN_STATUSES:
        return None if status is None else status.lower()
    stored = STATES.get(status.strip().lower())
    if stored is not None:  # a tracker's word (W&B's crashed, MLflow's KILLED): say where it went
        # only the trackers that write the word keep it beside a run (a table's is not kept)
        kept = trackers_of(status)
        where = ", ".join(f"{pair} ({tracker})" for tracker, pair in kept)
        said = "a tracker's run state" if kept else "a run state as a run table writes it"
        raise ConfigError(
            f"--status {status}: {said}, which the store keeps as {stored!r}",
            hint=f"--status {stored} lists those runs"
            + (
                f"; --where selects by the tracker's own state, kept beside each: {where}"
                if kept
                else " (a table's own word is not kept)"
            ),
        )
    raise ConfigError(f"--status must be one of {', '.join(SHOWN_STATUSES)}, not {status!r}")
