"""Published laws with their papers' numbers and conventions, to compare with or plan from."""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

import numpy as np

from scalinglab import _repr
from scalinglab._checks import check_flag
from scalinglab._deprecated import AsDictAlias, old_fields
from scalinglab._errors import (
    ConfigError,
    ScalingLabError,
    check_level,
    check_text,
    meant,
    nearest_name,
)
from scalinglab._keywords import keywords_checked, methods_checked
from scalinglab._predict_call import predict_call
from scalinglab.laws._base import Array, Law
from scalinglab.laws._catalog_nd import Chinchilla, KaplanND
from scalinglab.laws._old_names import PresetAliases
from scalinglab.laws._trained import TrainedTokens

if TYPE_CHECKING:
    from scalinglab.fit._prediction import Prediction

__all__ = ["PRESETS", "PRESET_LEVEL", "Conventions", "Preset", "get_preset"]

#: Level recorded with a preset's predictions and plans, which have no interval.
PRESET_LEVEL = 0.9


@dataclass(frozen=True)
class Conventions(AsDictAlias):
    """What a law's numbers mean: which N, which FLOPs, which loss, which tokens.

    Porian et al. 2024 and Gemstones (McLeish et al. 2025) show these choices move fitted
    exponents, so every fit and preset states them.

    Attributes:
        params: Which parameters ``N`` counts (with or without embeddings, the head).
        flops: How compute is counted (``C = 6·N·D``, or an exact count).
        loss: Which loss (final, best, smoothed end of curve; on which data).
        tokens: Which tokens ``D`` counts (seen, or unique).
    """

    params: str = "as given in the run table"
    flops: str = "C = 6·N·D"
    loss: str = "as given in the run table"
    tokens: str = "tokens seen"

    def to_dict(self) -> dict[str, str]:
        """The four conventions by name, JSON-ready.

        Returns:
            ``{"params": ..., "flops": ..., "loss": ..., "tokens": ...}``, each a sentence.
        """
        return {
            "params": self.params,
            "flops": self.flops,
            "loss": self.loss,
            "tokens": self.tokens,
        }


@methods_checked(examples={"predict": predict_call})
@old_fields(source="citation", values="coefs")
@dataclass(frozen=True)
class Preset(PresetAliases):
    """A published law: the form, its parameter values, and where they come from.

    Attributes:
        name: Short name used on the command line (``hoffmann2022``).
        law: The law form.
        coefs: The law's coefficients as the paper gives them, in natural units, by name:
            ``coefs`` as a fit's (:attr:`FitResult.coefs <scalinglab.FitResult.coefs>`) and
            ``laws --json`` name them (``values`` before: deprecated).
        citation: The paper, table or equation, as :attr:`Law.citation` names a law's
            (``source``, its old name, reads it for one release with a DeprecationWarning).
        conventions: Which N, FLOPs, loss and tokens the numbers assume.
        trained_tokens: The tokens the runs behind the numbers trained on, as the source
            states them (``None``: not recorded); a D derived from ``flops=`` more than a
            decade below them gets a note (a compute typed too small?).
    """

    name: str
    law: Law
    coefs: Mapping[str, float]
    citation: str
    conventions: Conventions = field(default_factory=Conventions)
    trained_tokens: TrainedTokens | None = None

    def __repr__(self) -> str:  # one line: the conventions are an attribute away
        return _repr.preset(self)

    @property
    def theta(self) -> Array:
        """Values as a natural-space vector in the law's parameter order."""
        return np.array([self.coefs[n] for n in self.law.param_names], dtype=np.float64)

    def predict(
        self,
        *,
        level: float | None = None,
        noise: bool = True,
        extrapolation: bool = True,
        **columns: Any,
    ) -> Prediction:
        """The published law's loss at new points, as :meth:`FitResult.predict` gives a fit's.

        A preset has its paper's point values and no bootstrap, so the prediction has no
        interval (``interval_kind="none"``, NaN bounds, as a point fit's) and its distance
        from the data is NaN (the paper's runs are not known here). Tokens derived from
        ``flops=`` more than a decade below those the source's runs trained on
        (:attr:`trained_tokens`) get a note: most likely a compute typed too small.

        Args:
            level: Coverage recorded with the prediction; defaults to :data:`PRESET_LEVEL`.
            noise: As :meth:`FitResult.predict`'s; without an interval it changes nothing.
            extrapolation: As :meth:`FitResult.predict`'s; likewise.
            **columns: Values of the law's variables by column or symbol, e.g.
                ``params=70e9, tokens=1.4e12`` or ``N=70e9, D=1.4e12``, or ``flops=`` with
                ``params=`` for ``D = C/(6N)`` (arrays broadcast).

        Returns:
            The :class:`~scalinglab.Prediction`: the law at the points, NaN bounds and
            distance, and the notes on tokens below the source's.

        Raises:
            ConfigError: A variable missing or given twice, an unknown keyword, a level
                outside (0, 1).
            DataError: A value that is not positive and finite.
        """
        # fit imports laws: read fit's prediction machinery when a preset predicts
        from scalinglab.data._flops_rule import PLAIN_6ND
        from scalinglab.data._units import as_quantities
        from scalinglab.fit._flops_slip import preset_floor, slip_notes
        from scalinglab.fit._inputs import predict_variables
        from scalinglab.fit._prediction import Prediction

        for name, flag in (("noise", noise), ("extrapolation", extrapolation)):
            check_flag(name, flag)  # "no" is truthy: refused, though it changes nothing here
        level = check_level(PRESET_LEVEL if level is None else level)
        data = predict_variables(
            self.law.variables, columns, law_name=self.name, call="Preset.predict"
        )
        point = np.asarray(self.law.evaluate(self.theta, data), dtype=np.float64)
        nan = np.full_like(point, np.nan)
        flops = as_quantities(columns["flops"], "flops") if "flops" in columns else None
        floor = preset_floor(self)  # the tokens its source trained on, where it records them
        notes = slip_notes(floor, self.law.variables, columns, data, flops, PLAIN_6ND)
        return Prediction(
            point, nan, nan.copy(), level, 0.0, "none", nan.copy(), notes=tuple(notes)
        )


PRESETS: Mapping[str, Preset] = {
    p.name: p
    for p in (
        Preset(
            "hoffmann2022",
            Chinchilla(),
            {"E": 1.69, "A": 406.4, "B": 410.7, "alpha": 0.34, "beta": 0.28},
            "Hoffmann et al. 2022, Training Compute-Optimal Large Language Models, Approach 3 (eq. 10)",
            Conventions(
                params="all parameters including embeddings",
                flops="C = 6·N·D for planning (the paper's Table A4 also counts attention FLOPs)",
                loss="final training loss (nats/token) on MassiveText; no repeated data",
                tokens="tokens seen (MassiveText, SentencePiece 32k vocabulary)",
            ),
            TrainedTokens(5e9, 5e11, "Hoffmann et al. 2022's abstract: 5 to 500 billion tokens"),
        ),
        Preset(
            "epoch2024",
            Chinchilla(),
            {"E": 1.8172, "A": 482.01, "B": 2085.43, "alpha": 0.3478, "beta": 0.3658},
            "Besiroglu et al. 2024, Chinchilla Scaling: A replication attempt, Table 1 (refit of "
            "Hoffmann et al.'s data extracted from their Figure 4)",
            Conventions(
                params="all parameters including embeddings (as Hoffmann et al.)",
                flops="C = 6·N·D; tokens derived as D = C/(6N) from the figure's FLOPs",
                loss="final training loss (nats/token), as plotted by Hoffmann et al.",
                tokens="tokens seen",
            ),
            TrainedTokens(
                8.19e8,
                3.18e11,
                "the refit's 240 runs (Hoffmann et al.'s Figure 4, extracted): D = C/(6N) from "
                "819M to 318B",
            ),
        ),
        Preset(
            "kaplan2020",
            KaplanND(),
            {"N_c": 8.8e13, "alpha_N": 0.076, "D_c": 5.4e13, "alpha_D": 0.095},
            "Kaplan et al. 2020, Scaling Laws for Neural Language Models: alpha_N, N_c from eq. 1.1 and "
            "alpha_D, D_c from eq. 1.2, combined in the form of eq. 1.5 (the paper's own eq. 1.5 fit, Table 2, has other constants)",
            Conventions(
                params="non-embedding parameters",
                flops="C ≈ 6·N·D with non-embedding N (eq. 2.1, context term dropped)",
                loss="test cross-entropy (nats/token) on WebText2, converged/early-stopped",
                tokens="tokens seen (byte-pair encoding, 50,257 vocabulary)",
            ),
            TrainedTokens(
                2.2e7,
                2.3e10,
                "Kaplan et al. 2020: dataset sizes from 22 million to 23 billion tokens",
            ),
        ),
    )
}


@keywords_checked("scalinglab.get_preset")
def get_preset(name: str) -> Preset:
    """Look up a preset by name.

    Args:
        name: A key of :data:`PRESETS` (``"hoffmann2022"``, ``"epoch2024"``,
            ``"kaplan2020"``), in any case and with spaces around it.

    Returns:
        The :class:`Preset`: its law, the paper's values, source and conventions.

    Raises:
        ConfigError: If no preset has that name, or ``name`` is not a string.

    Examples:
        >>> import scalinglab as sl
        >>> p = sl.get_preset("hoffmann2022").predict(params=70e9, tokens=1.4e12)
        >>> round(float(p.loss[0]), 4), p.interval_kind  # 1.69 + 406.4/N^0.34 + 410.7/D^0.28
        (1.9366, 'none')
    """
    key = (
        check_text(name, what="a preset name", example=f"one of {', '.join(PRESETS)}")
        .strip()
        .lower()
    )
    if key not in PRESETS:
        raise ConfigError(
            f"unknown preset {name!r}{_meant(key)}", hint=f"choose one of {', '.join(PRESETS)}"
        )
    return PRESETS[key]


def _paper(citation: str) -> str:
    """The paper a citation opens with: ``Hoffmann et al. 2022``; ``""`` for none."""
    found = re.match(r"[A-Z][\w-]* et al\. \d{4}", citation)
    return found.group(0) if found else ""


def _meant(key: str) -> str:
    """The suffix (:func:`meant`) for an unknown preset ``key``: a law's name (``chinchilla``)
    means the preset citing the law's paper (``hoffmann2022``), else a close spelling."""
    from scalinglab.laws._registry import get_law  # the registry imports the laws, as this

    try:
        paper = _paper(get_law(key).citation)
    except ScalingLabError:  # no law's name: a misspelt preset, or nothing near
        paper = ""
    for preset in PRESETS.values():
        if paper and _paper(preset.citation) == paper:
            return meant(preset.name, aside=f"({preset.law.name.capitalize()}, {paper})")
    near = nearest_name(key, list(PRESETS))  # (a part too: 'epoch' means epoch2024)
    return meant(near) if near else ""  # quoted, as every suggestion is
