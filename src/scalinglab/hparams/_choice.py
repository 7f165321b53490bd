"""What a law choice records: the candidates' leave-one-size-out regrets and the forms chosen
(see :mod:`._choose`), saved with the fit and the backtest."""

from __future__ import annotations

import math
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, replace
from typing import Any

from scalinglab._deprecated import AsDictAlias
from scalinglab._hparams_numbers import regret_pct
from scalinglab._json import json_ready
from scalinglab.hparams import _repr

__all__ = [
    "CHOICE_HEADER",
    "TIE_RTOL",
    "HparamLawChoice",
    "choice_rows",
    "choice_said",
    "choice_title",
    "label",
    "percent",
]

#: Scores within this relative distance of the best tie (fewest coefficients wins). Set on
#: synthetic sweeps, never on a benchmark's held-out sizes: on 50 sweeps drawn from Step
#: Law's own laws (``tests/_hparam_sweeps.py``, seeds 100-149) the N-term B* law scored
#: 0.68-1.91x Step Law's (median 1.04), so a 5% tie (:mod:`scalinglab.validate`'s, for loss
#: laws) would take the needless N term on 11 of 50, 25% on 3; with an N term in the truth
#: (delta -0.1 or -0.3) it scored 0.003-0.29x and was chosen on all 50.
TIE_RTOL = 0.25


@dataclass(frozen=True)
class HparamLawChoice(AsDictAlias):
    """The candidates' leave-one-size-out regrets and the forms chosen.

    Attributes:
        lr_law: The chosen lr* formula.
        batch_law: The chosen B* formula (``None`` when batch was not swept).
        candidates: Every pair of (lr*, B*) formulas compared, in the order tried.
        n_coefs: Coefficients of each pair.
        median_regret: Each pair's median held-out regret (``inf``: a prediction beyond a
            cell's surface; ``nan``: a fold could not be fitted; empty when no choice).
        sizes: The model sizes held out in turn (empty when no choice was possible).
        n_scored: Held-out cells behind each score.
        reason: What was compared and why the choice, in one line.
        verdict: Its last part: which forms, and why (the whole reason when no choice).
    """

    lr_law: str
    batch_law: str | None
    candidates: tuple[tuple[str, str | None], ...]
    n_coefs: tuple[int, ...]
    median_regret: tuple[float, ...]
    sizes: tuple[float, ...]
    n_scored: int
    reason: str
    verdict: str = ""

    def __repr__(self) -> str:  # one line: no arrays
        return _repr.choice(self)

    @property
    def chose(self) -> bool:
        """Whether a choice was made (enough model sizes), rather than the default forms."""
        return bool(self.median_regret)

    @property
    def left_first(self) -> bool:
        """Whether the choice took other forms than the first candidates (Step Law's)."""
        return self.chose and (self.lr_law, self.batch_law) != self.candidates[0]

    @json_ready
    def to_dict(self) -> dict[str, object]:
        """JSON-ready fields (``null`` for a score that is not finite, or not measured).

        Returns:
            The dictionary :meth:`from_dict` reads back.
        """
        scores = self.median_regret or (math.nan,) * len(self.candidates)
        return {
            "lr_law": self.lr_law,
            "batch_law": self.batch_law,
            "candidates": [
                {
                    "lr_law": lr,
                    "batch_law": b,
                    "n_coefs": k,
                    "median_regret": s if math.isfinite(s) else None,
                }
                for (lr, b), k, s in zip(self.candidates, self.n_coefs, scores, strict=True)
            ],
            "sizes": list(self.sizes),
            "n_scored": self.n_scored,
            "reason": self.reason,
            "verdict": self.verdict,
        }

    @classmethod
    def from_dict(cls, data: Mapping[str, Any]) -> HparamLawChoice:
        """Inverse of :meth:`to_dict` (a score saved as ``null`` reads back as ``nan``, or
        ``inf`` where the saved reason says it was a prediction beyond a cell's surface).
        The reason and verdict of a choice made are written again from its numbers
        (:func:`choice_said`), as a choice made now writes them.

        Args:
            data: The dictionary :meth:`to_dict` wrote.

        Returns:
            The choice.
        """
        rows = list(data["candidates"])
        candidates = tuple((str(r["lr_law"]), r["batch_law"]) for r in rows)
        reason = str(data["reason"])
        choice = cls(
            lr_law=str(data["lr_law"]),
            batch_law=None if data["batch_law"] is None else str(data["batch_law"]),
            candidates=candidates,
            n_coefs=tuple(int(r["n_coefs"]) for r in rows),
            median_regret=tuple(_score(r["median_regret"], pair, reason)
                                for r, pair in zip(rows, candidates, strict=True))
            if data["sizes"] else (),
            sizes=tuple(float(s) for s in data["sizes"]),
            n_scored=int(data["n_scored"]),
            reason=reason,
            verdict=str(data.get("verdict", reason)),
        )  # fmt: skip
        chosen = (choice.lr_law, choice.batch_law)
        scored = any(not math.isnan(s) for s in choice.median_regret)
        if not scored or chosen not in candidates:  # "no choice of law: ...": no numbers
            return choice
        # a file keeps the words as written then (0.0090% read 0.009% before regret_pct):
        # written again from its numbers, they read as a choice made now does
        reason, verdict = choice_said(
            candidates, choice.n_coefs, choice.median_regret, chosen,
            n_sizes=len(choice.sizes), n_cells=choice.n_scored,
        )  # fmt: skip
        return replace(choice, reason=reason, verdict=verdict)


def _score(saved: object, pair: tuple[str, str | None], reason: str) -> float:
    """A candidate's saved score: ``null`` is NaN (not fitted) or infinite (a prediction
    beyond a cell's surface), which ``to_dict`` both write as ``null``; the reason saved
    with it tells them apart."""
    if saved is not None:
        return float(saved)  # type: ignore[arg-type]
    beyond = f"{label(*pair)}: {percent(math.inf)}"
    return math.inf if beyond in reason else math.nan


#: The columns of a law choice's table (:func:`choice_rows`), the last marking the one chosen.
CHOICE_HEADER = ("lr*", "B*", "coefs", "median held-out regret", "")


def choice_title(choice: HparamLawChoice, *, where: str = "the fitted cells") -> str:
    """The title of a choice's table: what was held out, over how many cells of ``where``."""
    return (
        f"law choice on {where}: leave-one-size-out over {len(choice.sizes)} model sizes "
        f"({choice.n_scored} cells)"
    )


def choice_rows(choice: HparamLawChoice) -> list[tuple[str, str, str, str, str]]:
    """Each candidate pair's cells under :data:`CHOICE_HEADER` (``—``: no B* law, or a score
    that is not finite), the one chosen marked; none where no choice was made. The one
    table of ``hparams fit --law auto`` and of the report's page."""
    if not choice.chose:
        return []
    return [
        (
            lr,
            b or "—",
            str(k),
            regret_pct(score, choice.median_regret),
            "chosen" if (lr, b) == (choice.lr_law, choice.batch_law) else "",
        )
        for (lr, b), k, score in zip(
            choice.candidates, choice.n_coefs, choice.median_regret, strict=True
        )
    ]


def label(lr: str, b: str | None) -> str:
    return f"lr* = {lr}" + (f", B* = {b}" if b else "")


def percent(s: float, among: Iterable[float] = ()) -> str:
    """A candidate's score in the reason and verdict: told apart from the other candidates'
    (``among``) as the table writes it; in words where it is not finite."""
    if math.isnan(s):
        return "could not be fitted"
    return "a prediction beyond a cell's surface" if math.isinf(s) else regret_pct(s, among)


def choice_said(
    candidates: Sequence[tuple[str, str | None]],
    n_coefs: Sequence[int],
    scores: Sequence[float],
    chosen: tuple[str, str | None],
    *,
    n_sizes: int,
    n_cells: int,
) -> tuple[str, str]:
    """The reason and verdict of a choice made, written from its numbers: as the choice is
    made, and again as a saved one is read (:meth:`HparamLawChoice.from_dict`), so that a
    file written before keeps no old way of writing a regret.

    Args:
        candidates: Every (lr*, B*) pair compared, in the order tried.
        n_coefs: Coefficients of each pair.
        scores: Each pair's median held-out regret.
        chosen: The pair chosen, one of ``candidates``.
        n_sizes: The model sizes held out in turn.
        n_cells: The cells scored.

    Returns:
        The reason (every pair's score, then the verdict) and the verdict alone.
    """
    pick = list(candidates).index(chosen)
    best = min(s for s in scores if not math.isnan(s))
    tied = [j for j, s in enumerate(scores) if s <= best * (1 + TIE_RTOL)]
    shown = "; ".join(
        f"{label(lr, b)}: {percent(s, scores)}"
        for (lr, b), s in zip(candidates, scores, strict=True)
    )
    # the verdict is printed alone (``law choice: ...``): it names its score in full
    why = f"the lowest median held-out regret, {percent(best, scores)}"
    if scores[pick] != best:  # a tie went to fewer coefficients (then to Step Law's form)
        as_few = [j for j in tied if n_coefs[j] == n_coefs[pick]]
        why = (
            f"the fewest coefficients of the {len(tied)} pairs within {TIE_RTOL:.0%} of {why} "
            f"(its own {percent(scores[pick], scores)})"
            + (", Step Law's form first" if pick == 0 and len(as_few) > 1 else "")
        )
    verdict = f"chose {label(*chosen)}: {why}"
    reason = (
        f"median held-out regret, leaving out each of {n_sizes} model sizes in turn "
        f"({n_cells} cells): {shown}; {verdict}"
    )
    return reason, verdict
