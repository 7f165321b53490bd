"""What a law choice records: the candidates' leave-one-size-out regrets and the forms chosen
(see :mod:`._choose`), saved with the fit and the backtest."""

from __future__ import annotations

import math
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from typing import Any

from scalinglab._deprecated import AsDictAlias
from scalinglab._hparams_numbers import regret_pct
from scalinglab._json import json_ready
from scalinglab.hparams import _repr

__all__ = ["CHOICE_HEADER", "HparamLawChoice", "choice_rows", "choice_title", "label", "percent"]


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
        """Inverse of :meth:`to_dict` (a score saved as ``null`` reads back as ``nan``).

        Args:
            data: The dictionary :meth:`to_dict` wrote.

        Returns:
            The choice.
        """
        rows = list(data["candidates"])
        scored = bool(data["sizes"])
        return cls(
            lr_law=str(data["lr_law"]),
            batch_law=None if data["batch_law"] is None else str(data["batch_law"]),
            candidates=tuple((str(r["lr_law"]), r["batch_law"]) for r in rows),
            n_coefs=tuple(int(r["n_coefs"]) for r in rows),
            median_regret=tuple(
                math.nan if r["median_regret"] is None else float(r["median_regret"]) for r in rows
            )
            if scored
            else (),
            sizes=tuple(float(s) for s in data["sizes"]),
            n_scored=int(data["n_scored"]),
            reason=str(data["reason"]),
            verdict=str(data.get("verdict", data["reason"])),
        )


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
