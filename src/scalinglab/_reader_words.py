"""What a fit's ``load`` says reads a file it cannot read, where the file came from: on the
command line the option that gave it (``--fit``), in Python the method it was given to
(``FitResult.load``): a Python session has no ``--fit`` to look for.

The validation results say so through :func:`scalinglab._saved.load_saved` (``Backtest.load``
reads ...); the fits (:class:`~scalinglab.FitResult`, :class:`~scalinglab.CurveFit`,
:class:`~scalinglab.HparamFit`, :class:`~scalinglab.DownstreamFit`,
:class:`~scalinglab.LossToLossFit`), which commands read by ``--fit`` as well, through this."""

from __future__ import annotations

__all__ = ["reader_words"]


def reader_words(
    option: str | None, *, cls: str, command: str, what: str = "a fit"
) -> dict[str, str]:
    """The ``option`` and ``reads`` of :func:`scalinglab._formats.read_result` (its hint:
    ``"`{option}` reads {reads}"``) for a fit of class ``cls``.

    Args:
        option: The command-line option that gave the file (``"--fit"``), or ``None`` where
            it was given in Python, to ``{cls}.load``.
        cls: The fit's class, whose ``load`` and ``save`` Python calls (``"FitResult"``).
        command: The command that writes such a fit (``"scalinglab fit ... --out
            fit.json"``).
        what: What is read, with its article (``"a chain"``).

    Returns:
        ``{"option": ..., "reads": ...}``: on the command line, the option and the command
        that writes the file; in Python, ``{cls}.load`` and both ``{cls}.save`` and the
        command.
    """
    if option is not None:
        return {"option": option, "reads": f"{what} written by `{command}`"}
    return {"option": f"{cls}.load", "reads": f"{what} written by `{cls}.save` or `{command}`"}
