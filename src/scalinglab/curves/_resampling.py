"""The resampling of a curve fit (``fit_curves(resample=...)``): the scheme asked for,
checked, or the default for the number of curves, with what to say about it."""

from __future__ import annotations

from scalinglab._errors import ConfigError
from scalinglab.curves._bootstrap import RESAMPLES

__all__ = ["check_resample", "resampling"]


def check_resample(resample: str | None) -> None:
    """Refuse a ``resample`` that is none of :data:`~scalinglab.curves._bootstrap.RESAMPLES`.

    Raises:
        ConfigError: Naming the schemes there are.
    """
    if resample is not None and resample not in RESAMPLES:
        raise ConfigError(
            f"resample must be {', '.join(map(repr, RESAMPLES[:-1]))} or {RESAMPLES[-1]!r}, "
            f"got {resample!r}",
            hint="leave resample out: the default suits the number of curves",
        )


def resampling(given: str | None, bootstrap: int, curves: int) -> tuple[str, int, list[str]]:
    """The resampling scheme and resamples for ``curves`` curves, and what to say about it."""
    if curves == 1 and bootstrap:
        return (
            "curves",
            0,
            [
                "one curve: no intervals (resampling needs several curves; every resample of one "
                "curve is that curve): fit several schedules or seeds for intervals"
            ],
        )
    if given is not None:
        return given, bootstrap, []
    if curves < 5:
        return (
            "wild-jackknife",
            bootstrap,
            [  # the measured figures said here: an installed user has no benchmarks/
                f"intervals from a wild bootstrap of the {curves} curves, each curve's residuals "
                "from the fit without it: with fewer than 5 curves, whole-curve resamples fit "
                "one schedule alone (one in nine with 3 curves); on synthetic 3-curve fits this "
                "made the 90% intervals of a held-out loss 3.6 and 7.8 times narrower for the "
                "multi-power and Tissue laws, both covering 93%"
            ]
            if bootstrap
            else [],
        )
    return "curves", bootstrap, []
