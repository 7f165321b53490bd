"""Where a hyperparameter prediction is asked: (N, D) with C as the sweep counts it or as
given, or C alone where the lr* and B* laws read C alone (DeepSeek's lr*(C), B*(C)).

A law of C needs no N or D, so ``--flops`` alone answers it; an lr* or B* law that reads N
or D is named, with what it reads, where they are missing (a fit's law of the loss at the
optimum over N and D is then left out of the prediction, with a note). Likewise where one of
N and D is given (porian2024 reads N alone: ``--params 7B`` answers it, with or without
``--flops``): laws that read only what was given answer, others are named with what is
missing (``--tokens``). C alone is the case where neither N nor D is given.

N and C without D, where a law reads D, give D = C/(6·N·r(N)) by the sweep's FLOPs
convention (6·N·D for a preset), as a loss fit's ``predict(params=, flops=)`` takes it:
:func:`derived_point`; a fit's prediction notes such a D more than a decade below its
smallest fitted D (a compute typed too small?) as a loss fit's does: :func:`flops_slip`.
"""

from __future__ import annotations

import math
from collections.abc import Collection, Iterable, Mapping
from typing import TYPE_CHECKING

from scalinglab._errors import ConfigError
from scalinglab._format import format_g
from scalinglab.data._flops_rule import PLAIN_6ND, FlopsConvention
from scalinglab.data._quantity_args import prediction_point
from scalinglab.data._units import as_quantity
from scalinglab.fit._flops_inputs import flops_notes, tokens_of
from scalinglab.fit._flops_slip import fitted_floor, slip_notes
from scalinglab.hparams._flops_convention import AS_GIVEN, given_flops, prediction_flops
from scalinglab.hparams._laws import OPTIMUM
from scalinglab.laws import get_law

if TYPE_CHECKING:
    from scalinglab.hparams._result import HparamFit

__all__ = [
    "check_flops_alone",
    "check_given",
    "derived_point",
    "fit_point",
    "flops_slip",
    "partial_point",
]

_SYMBOL = {"params": "N", "tokens": "D", "flops": "C"}
_ORDER = ("params", "tokens", "flops")


def check_flops_alone(reads: Mapping[str, Collection[str]]) -> None:
    """Refuse a prediction at C alone where a law reads N or D.

    Args:
        reads: Each law, as the message names it (``"the lr* law 'A * N**alpha'"``, one
            subject: it "reads"), and the columns (``params``, ``tokens``, ``flops``) it reads.

    Raises:
        ConfigError: Naming each law that reads N or D, and what it reads.
    """
    need = {law: [_SYMBOL[c] for c in cols if c != "flops"] for law, cols in reads.items()}
    said = [f"{law} reads {' and '.join(symbols)}" for law, symbols in need.items() if symbols]
    if said:
        raise ConfigError(
            f"a prediction at C alone (flops= without params= and tokens=, --flops without "
            f"--params and --tokens): {'; '.join(said)}, which C alone does not give",
            hint="give params= and tokens= (--params, --tokens); C alone answers where every "
            "law reads C alone (a law of C: lr_law='A*C**alpha', or preset deepseek2024)",
        )


def check_given(reads: Mapping[str, Collection[str]], given: Collection[str]) -> None:
    """Refuse a prediction where a law reads what was not given: at C alone (neither N nor D:
    :func:`check_flops_alone`), or at N or D without the other.

    Args:
        reads: Each law, as the message names it, and the columns it reads.
        given: The columns given (``params``, ``tokens``, ``flops``), not both N and D.

    Raises:
        ConfigError: Naming each law that reads what was not given, and what is missing.
    """
    if "params" not in given and "tokens" not in given:
        check_flops_alone(reads)
        return
    said = [
        f"{law} reads {' and '.join(_SYMBOL[c] for c in cols)}"
        for law, cols in reads.items()
        if not set(cols) <= set(given)
    ]
    if not said:
        return
    have = [c for c in _ORDER if c in given]
    absent = [c for c in ("params", "tokens") if c not in given]  # the one of N and D
    missing = [c for c in _ORDER if c not in given and any(c in v for v in reads.values())]
    at = " and ".join(_SYMBOL[c] for c in have) + (" alone" if len(have) == 1 else "")
    counted = ""
    if "flops" in missing and absent[0] not in missing:  # C is counted from N and D too
        counted = f", or {_keywords(absent)} ({_options(absent)}), from which C is counted"
    raise ConfigError(
        f"a prediction at {at} ({_keywords(have, ' and ')} without {_keywords(absent)}, "
        f"{_options(have, ' and ')} without {_options(absent)}): {'; '.join(said)}, which "
        f"{at} {'does' if len(have) == 1 else 'do'} not give",
        hint=f"give {_keywords(missing, ' and ')} ({_options(missing)}){counted}",
    )


def _keywords(columns: Collection[str], join: str = ", ") -> str:
    return join.join(f"{c}=" for c in columns)


def _options(columns: Collection[str], join: str = ", ") -> str:
    return join.join(f"--{c}" for c in columns)


def derived_point(
    reads: Iterable[Collection[str]],
    at: Mapping[str, float | str | None],
    *,
    rule: FlopsConvention,
) -> tuple[dict[str, float], str] | None:
    """``(N, D, C)`` by name where N and C were given, not D, and a law reads D:
    ``D = C/(6·N·r(N))`` by ``rule``, as a loss fit's ``predict(params=, flops=)`` takes it
    (one count: :func:`~scalinglab.fit._flops_inputs.tokens_of`), with the note it gives
    (the count, where it is not 6·N·D; ``""`` otherwise); ``None`` where not so asked.

    Raises:
        ConfigError: N or C not one positive, finite number.
    """
    if at.get("params") is None or at.get("tokens") is not None or at.get("flops") is None:
        return None
    if not any("tokens" in cols for cols in reads):  # D changes nothing: C labels it
        return None
    n = as_quantity(at["params"], "params")
    c = as_quantity(at["flops"], "flops", example="1e23")
    said = flops_notes({"N": "params", "D": "tokens"}, {"flops"}, rule)
    return {"params": n, "tokens": float(tokens_of(c, n, rule)), "flops": c}, "".join(said)


def partial_point(
    reads: Mapping[str, Collection[str]],
    at: Mapping[str, float | str | None],
    *,
    call: str,
    example: str,
    whose: str,
) -> tuple[dict[str, float], str]:
    """The point of a prediction without both N and D (C alone, or N or D with or without
    C), by name, and the note of a given C.

    Args:
        reads: Each lr* or B* law (or a preset's rules), as the message names it, and the
            columns it reads.
        at: ``params``, ``tokens`` and ``flops`` as given (``None``: not given).
        call: Who predicts, as the user called it (``"HparamFit.predict"``).
        example: That call at (N, D), for the hint where nothing is given.
        whose: The laws in a note, as its subject (``"the fit's lr* and B* laws"``).

    Raises:
        ConfigError: Nothing given; a law that reads what was not given
            (:func:`check_given`); a value that is not one positive number.
    """
    given = [c for c in _ORDER if at.get(c) is not None]
    if not given:
        raise ConfigError(f"{call} needs params= and tokens=", hint=f"e.g. {example}")
    check_given(reads, given)
    examples = {"params": "7B", "tokens": "1.4T", "flops": "1e23"}
    where = {c: as_quantity(at[c], c, example=examples[c]) for c in given}
    if "flops" not in where:
        return where, ""
    c, read = where["flops"], [set(cols) for cols in reads.values()]
    if not any("flops" in cols for cols in read):  # C labels it, as at (N, D)
        return where, (
            f"C={format_g(c, 3)} {AS_GIVEN}: {whose} do not read C, so the given C (--flops, Python: "
            "flops=) changes no number"
        )
    alone = " alone" if all(cols == {"flops"} for cols in read) else ""
    return where, f"C={format_g(c, 3)} as given: {whose} read C{alone}"


def fit_point(
    fit: HparamFit,
    params: float | str | None,
    tokens: float | str | None,
    flops: float | str | None,
) -> tuple[dict[str, float], float, str, tuple[str, ...]]:
    """The point ``fit`` predicts at (its finite N, D and C by name), C, the note saying
    where C came from, and the warnings of a given C off the sweep's count. N and C without
    D give D = C/(6·N·r(N)) where a law reads D (:func:`derived_point`).

    Raises:
        ConfigError: No N, D or C; C alone where the fit's lr* or B* law reads N or D, or
            N or D without the other where it reads what was not given; a value that is not
            one positive number.
    """
    at = {"params": params, "tokens": tokens, "flops": flops}
    every = (f for f in (fit.lr_law, fit.batch_law, fit.loss_law) if f is not None)
    rule = fit.flops_convention or PLAIN_6ND  # a fit saved without one: C = 6·N·D
    derived = derived_point([get_law(f.formula).variables.values() for f in every], at, rule=rule)
    if derived is not None:  # N and C: D = C/(6·N·r(N)), so C is the point's own
        return derived[0], derived[0]["flops"], derived[1], ()
    if params is None or tokens is None:  # parms= was refused before: these were not given
        # the loss at the optimum is a by-product: a loss law of N and D is left out (noted)
        laws = (f for f in (fit.lr_law, fit.batch_law) if f is not None)
        reads = {
            f"the {OPTIMUM[f.target]} law {f.formula!r}": get_law(f.formula).variables.values()
            for f in laws
        }
        where, how = partial_point(
            reads,
            at,
            call="HparamFit.predict",
            example="fit.predict(params='7B', tokens='2T')",
            whose="the fit's lr* and B* laws",
        )
        return where, where.get("flops", math.nan), how, ()
    n, d, c = prediction_point(params, tokens, flops)
    conv, reads_c = fit.flops_convention, fit.reads_flops
    if flops is None:  # C as the sweep counted it, not 6·N·D
        c, how = prediction_flops(conv, n, d, reads_c=reads_c)
        off: tuple[str, ...] = ()
    else:  # a C off the sweep's count is another run's; one no law reads changes nothing
        how, off = given_flops(conv, c, n, d, reads_c=reads_c)
    where = {"params": n, "tokens": d} | ({"flops": c} if math.isfinite(c) else {})
    return where, c, how, off


def flops_slip(
    fit: HparamFit,
    where: Mapping[str, float],
    *,
    params: float | str | None,
    tokens: float | str | None,
    flops: float | str | None,
) -> list[str]:
    """The note on a D that ``fit_point`` derived from ``flops`` and ``params``
    (:func:`derived_point`) more than a decade below the smallest D of the cells the laws
    were fitted to: most likely a compute typed orders of magnitude too small. One rule and
    one wording with a loss fit's ``predict(params=, flops=)``
    (:func:`~scalinglab.fit._flops_slip.slip_notes`); none where D was given or not
    derived (no law reads D). Presets record no tokens their sources trained on (their
    :class:`~scalinglab.hparams._fitted_range.FittedRange` is of N): no note there."""
    if params is None or tokens is not None or flops is None or "tokens" not in where:
        return []
    seen = (fit.cells[i].keys.get("tokens") for i in fit.used)
    smallest = min((float(v) for v in seen if v is not None), default=math.nan)
    at = {"N": where["params"], "D": where["tokens"]}
    rule = fit.flops_convention or PLAIN_6ND
    columns = {"N": "params", "D": "tokens"}
    return slip_notes(
        fitted_floor(smallest), columns, {"params", "flops"}, at, where["flops"], rule
    )
