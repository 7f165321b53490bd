"""What :func:`~scalinglab.validate.choose_law` returns: the candidates' backtest scores,
the law the rule picks, the best score, and whether the pick was a tie."""

from __future__ import annotations

import math
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from scalinglab._errors import ConfigError, did_you_mean
from scalinglab._json import json_ready
from scalinglab.validate import _repr

__all__ = ["CLEARLY_BETTER", "LawChoice", "fallback_choice"]

#: Another law "backtests clearly better" when its median ARE is below this fraction.
CLEARLY_BETTER = 0.75


@dataclass(frozen=True)
class LawChoice:
    """The candidates' rolling-origin errors and the law chosen.

    Attributes:
        chosen: The law the rule picks: the lowest score, or among the laws tied with it
            (within :data:`~scalinglab.validate._tie.TIE_RTOL`) the fewest parameters.
        scores: Law -> median over the cuts of its median ARE on the runs above each
            (NaN: a fit failed, or was not identified).
        n_scored: Held-out predictions behind each score (the same for every law).
        cuts: Where each cut used lies: ``N·D`` (params times tokens, not FLOPs) for laws
            of both, the one variable's value for laws of one.
        reason: What was compared and why the choice, in one line.
        tied: The laws tied with the lowest score, itself included (one law: no tie).
        fitted: The law given and fitted instead, where the choice was made only to compare
            it (``fit --law kaplan``: the choice is what ``--law auto`` would fit); ``None``
            where the chosen law was fitted.
        unidentified: The laws not scored because the runs below a cut do not identify them
            (their score NaN): the backtest winner's rule, identified laws first, makes the
            chosen law better than these by no margin (:meth:`better_than`).
        fallback: Whether no law was compared, the runs having too few scales for a cut:
            :attr:`chosen` is then the first candidate (:func:`fallback_choice`), every
            score NaN, and :attr:`reason` says why and how to name a law instead.
        warnings: Reasons not to trust the choice, one line each: runs of several training
            corpora pooled (as :func:`scalinglab.fit` and ``backtest`` warn of them).
    """

    chosen: str
    scores: Mapping[str, float]
    n_scored: int
    cuts: tuple[float, ...]
    reason: str
    tied: tuple[str, ...] = ()
    fitted: str | None = None
    unidentified: tuple[str, ...] = ()
    fallback: bool = False
    warnings: tuple[str, ...] = ()

    @property
    def best_by_backtest(self) -> str:
        """The law of the lowest score, which :attr:`chosen` is not where a tie went to a
        law of fewer parameters."""
        finite = {k: v for k, v in self.scores.items() if math.isfinite(v)}
        return min(finite, key=lambda k: finite[k]) if finite else self.chosen

    @property
    def tie(self) -> bool:
        """Whether other laws scored within the tie tolerance of the lowest."""
        return len(self.tied) > 1

    @property
    def tied_lower(self) -> dict[str, float]:
        """The laws tied with :attr:`chosen` that scored lower than it (the tie rule took
        it for its fewer parameters): law -> score; empty where the lowest was chosen."""
        mine = self.scores.get(self.chosen, math.nan)
        return {k: self.scores[k] for k in self.tied if k != self.chosen and self.scores[k] < mine}

    def tie_words(self) -> str:
        """How a tie chose the law, for a line or a repr: ``tied with 'chinchilla' at
        1.43%; fewest parameters``; ``""`` where the lowest score was chosen.

        Returns:
            The words, or ``""``.
        """
        lower = self.tied_lower
        if not lower:
            return ""
        said = ", ".join(f"{k!r} at {v:.2%}" for k, v in lower.items())
        return f"tied with {said}; fewest parameters"

    def __repr__(self) -> str:  # one line: no arrays
        return _repr.law_choice(self)

    def better_than(self, law: str) -> str | None:
        """The law that backtests clearly better than ``law``: by :data:`CLEARLY_BETTER`, or,
        where ``law`` is not identified below a cut (:attr:`unidentified`), the chosen law
        whatever its score (identified laws first, as the backtest's winner rule:
        :mod:`scalinglab.validate._winner`).

        Args:
            law: The law compared, by name.

        Returns:
            The chosen law's name, or ``None`` where none is clearly better.

        Raises:
            ConfigError: For a law that was not compared (``chinchila``): ``None`` would say
                that no law backtests better than it.
        """
        if law not in self.scores and law != self.chosen:
            raise ConfigError(
                f"better_than({law!r}): {law!r} was not compared{did_you_mean(law, self.scores)}",
                hint=f"name one of the laws compared: {', '.join(self.scores)}",
            )
        mine = self.scores.get(law, math.nan)
        best = self.scores.get(self.chosen, math.nan)
        if self.chosen == law or not math.isfinite(best):
            return None
        if best < CLEARLY_BETTER * mine or law in self.unidentified:
            return self.chosen
        return None

    @json_ready
    def to_dict(self) -> dict[str, Any]:
        """The JSON form (``"law_choice"`` of ``fit --json`` and a saved fit): the law
        ``fitted`` first where one was given, the law the rule ``chosen``, the one
        ``best_by_backtest``, whether and with which laws it was a ``tie``, the scores (a
        failed law's ``null``), how many predictions each is over, the ``cuts`` (``N·D``, or
        the one variable: :attr:`cuts`) and the reason.

        Returns:
            The dictionary, ready for ``json.dumps``.
        """
        return {
            **({} if self.fitted is None else {"fitted": self.fitted}),
            "chosen": self.chosen,
            "best_by_backtest": self.best_by_backtest,
            "tie": self.tie,
            "tied": list(self.tied),
            "scores": {k: v if math.isfinite(v) else None for k, v in self.scores.items()},
            "n_scored": self.n_scored,
            "cuts": list(self.cuts),
            "reason": self.reason,
            "unidentified": list(self.unidentified),
            **({"fallback": True} if self.fallback else {}),
            "warnings": list(self.warnings),
        }

    @classmethod
    def from_dict(cls, d: Mapping[str, Any]) -> LawChoice:
        """The choice :meth:`to_dict` wrote (a score saved as ``null`` reads back as NaN;
        files from before ``"tied"`` was written: the laws within the tie rule's tolerance
        of the lowest score, as the choice tied them; before ``"unidentified"``: none said).

        Args:
            d: The dictionary :meth:`to_dict` wrote.

        Returns:
            The choice.
        """
        scores = {str(k): math.nan if v is None else float(v) for k, v in d["scores"].items()}
        if "tied" in d:
            tied = tuple(str(k) for k in d["tied"])
        else:
            from scalinglab.validate._tie import TIE_RTOL

            ok = {k: v for k, v in scores.items() if math.isfinite(v)}
            low = min(ok.values(), default=math.nan)
            tied = tuple(k for k, v in ok.items() if v <= low * (1 + TIE_RTOL))
        fitted = d.get("fitted")
        return cls(
            str(d["chosen"]), scores, int(d["n_scored"]), tuple(float(c) for c in d["cuts"]),
            str(d["reason"]), tied=tied, fitted=None if fitted is None else str(fitted),
            unidentified=tuple(str(k) for k in d.get("unidentified", ())),
            fallback=bool(d.get("fallback", False)),
            warnings=tuple(str(w) for w in d.get("warnings", ())),
        )  # fmt: skip


def fallback_choice(
    laws: tuple[str, ...], why: str, *, warnings: tuple[str, ...] = ()
) -> LawChoice:
    """The choice of ``"auto"`` where the runs have too few scales to compare ``laws``.

    The first of ``laws`` is fitted: the candidates are listed with the law the comparison
    starts from first (:data:`~scalinglab.validate._choose_inputs.CANDIDATES`): for params
    and tokens Chinchilla's ``E + A/N^α + B/D^β`` (Hoffmann et al. 2022), ``fit``'s
    default law and the usual form of (N, D); for one variable the power law plus a
    constant, which keeps the irreducible loss the plain power law drops.

    Args:
        laws: The candidates that can be fitted, in :data:`CANDIDATES`'s order.
        why: Why no cut could be made (the error the comparison would raise).
        warnings: The runs' warnings (:attr:`LawChoice.warnings`).

    Returns:
        The choice, :attr:`~LawChoice.fallback` set, every score NaN, no cuts.
    """
    chosen = laws[0]
    reason = (
        f"{why}; fitted {chosen}, the default law the comparison starts from, without "
        "comparing; to choose, name a law: --law NAME (law='NAME' in Python)"
    )
    nan = dict.fromkeys(laws, math.nan)
    return LawChoice(chosen, nan, 0, (), reason, tied=(chosen,), fallback=True, warnings=warnings)
