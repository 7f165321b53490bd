"""What a split's refusals and warnings say of its two rules: a rule that chooses runs by
their loss (:func:`by_outcome`), and how to part a ``--fit-on`` rule from the hold-out rule
it overlaps (:func:`disjoint_hint`)."""

from __future__ import annotations

import re

from scalinglab.validate._rules import Chosen, rule_said

__all__ = ["by_outcome", "disjoint_hint", "negation"]


def by_outcome(chosen: Chosen, option: str, text: str) -> tuple[str, ...]:
    """A warning where a rule compares the loss: runs chosen by the value the backtest
    predicts are no fair test of it (``loss<2.2`` holds out the runs that came out best,
    whatever their scale), and a fit on them is fitted to a biased draw."""
    if "loss" not in chosen.by:
        return ()
    if option == "--holdout":
        what, bias, example = "holds out", "bias its score", "'largest:5' or 'flops>=1e21'"
    else:
        what, bias, example = "fits on", "bias the fit and its score", "'flops<=max/8'"
    return (
        f"{rule_said(option, text)} {what} runs chosen by their loss, the outcome the backtest "
        f"predicts: runs picked for their outcome {bias}; choose them by scale, e.g. {example}",
    )


#: A hold-out rule of one comparison (``params>=400M``) and its negation's operator.
_ONE_BOUND = re.compile(r"^(?P<col>[^<>=!&]+?)\s*(?P<op>>=|<=|>|<)\s*(?P<value>[^<>=!&]+)$")
_NEGATED = {">=": "<", ">": "<=", "<=": ">", "<": ">="}


def disjoint_hint(holdout: str, fit_on: str, *, left: int) -> str:
    """How to part ``fit_on`` from ``holdout``, which share runs: a change, never the rules
    as given (the user's own ``--fit-on`` is what overlaps). A hold-out rule of one bound
    (``params>=400M``) gives the ``fit_on`` rule its negation to add, where ``left`` (the
    runs ``fit_on`` selects outside the held-out ones) says that leaves runs to fit; any
    other, the default that fits on every run not held out."""
    drop = "drop --fit-on to fit on every run not held out"
    negated = negation(holdout)
    if negated is None or left == 0:  # the negation added would select no run
        return f"{drop}, or narrow either rule so that no run is in both"
    return f"leave the held-out runs out of it: --fit-on '{fit_on} & {negated}'; or {drop}"


def negation(holdout: str) -> str | None:
    """The clause that keeps the runs a hold-out rule of one bound leaves (``params>=400M``:
    ``params<400M``); ``None`` for any other rule (``largest:5``, two clauses)."""
    m = _ONE_BOUND.match(holdout.strip())
    if m is None:
        return None
    return f"{m['col'].strip()}{_NEGATED[m['op']]}{m['value'].strip()}"
