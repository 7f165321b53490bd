"""The options of :func:`~scalinglab.curves.fit_curves` checked by type and range before the
curves are read: ``bootstrap=1.5`` was NumPy's ``TypeError`` from drawing resamples,
``max_iter=1.5`` the solver's, ``ridge="a"`` Python's from a comparison, and ``seed=1.5``
or ``max_iter=0`` were taken without a word (a fit of no solver iterations)."""

from __future__ import annotations

from scalinglab._checks import check_number, check_whole
from scalinglab._defaults import CURVE_BOOTSTRAP, MAX_ITER
from scalinglab._errors import check_level

__all__ = ["check_curve_options"]


def check_curve_options(
    *, bootstrap: int, seed: int, max_iter: int, ridge: float, level: float
) -> None:
    """Refuse ``bootstrap`` or ``seed`` unless a whole number >= 0, ``max_iter`` unless one
    >= 1, ``ridge`` unless a finite number >= 0, and ``level`` unless a coverage.

    Raises:
        ConfigError: Naming the first such option and a value to pass (``--bootstrap``,
            ``--seed`` and ``--max-iter`` are ``curves fit``'s too).
    """
    check_level(level)
    check_whole("bootstrap", bootstrap, least=0, example=CURVE_BOOTSTRAP)
    check_whole("seed", seed, least=0, example=0)
    check_whole("max_iter", max_iter, least=1, example=MAX_ITER)
    check_number(
        "ridge", ridge, least=0.0, example="ridge=1e-6 (0 for no ridge; choose_ridge picks one)"
    )
