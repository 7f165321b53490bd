"""A tracker's word for a run's state (W&B's ``crashed``, MLflow's ``KILLED``) asked of the
store, which keeps its own word: one explanation for ``runs --status`` and ``--where status=``."""

from __future__ import annotations

from scalinglab._errors import ConfigError

__all__ = ["tracker_word_error"]


def tracker_word_error(word: str, *, option: str) -> ConfigError | None:
    """The error for ``option`` + ``word`` (``"--status "``, ``"--where status="``) where
    ``word`` is a tracker's or a run table's state the store keeps under another status;
    ``None`` for any other word.

    The store keeps ``crashed`` as ``failed``: the error names that status, and where the
    tracker's own word is kept beside each run (``wandb_state=crashed``), what selects it.
    """
    from scalinglab.data._run_states import STATES, trackers_of

    stored = STATES.get(word.strip().lower())
    if stored is None or stored == word.strip().lower():
        return None
    # only the trackers that write the word keep it beside a run (a table's is not kept)
    kept = trackers_of(word)
    where = ", ".join(f"{pair} ({tracker})" for tracker, pair in kept)
    said = "a tracker's run state" if kept else "a run state as a run table writes it"
    return ConfigError(
        f"{option}{word}: {said}, which the store keeps as {stored!r}",
        hint=f"{option}{stored} lists those runs"
        + (
            f"; --where selects by the tracker's own state, kept beside each: {where}"
            if kept
            else " (a table's own word is not kept)"
        ),
    )
