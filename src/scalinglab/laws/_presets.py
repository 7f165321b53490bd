"""Published laws with their papers' numbers and conventions, to compare with or plan from."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field

import numpy as np

from scalinglab._deprecated import AsDictAlias
from scalinglab._errors import ConfigError
from scalinglab.laws._base import Array, Law
from scalinglab.laws._catalog_nd import Chinchilla, KaplanND

__all__ = ["PRESETS", "Conventions", "Preset", "get_preset"]


@dataclass(frozen=True)
class Conventions(AsDictAlias):
    """What a law's numbers mean: which N, which FLOPs, which loss, which tokens.

    Porian et al. 2024 and Gemstones (McLeish et al. 2025) show these choices move fitted
    exponents, so every fit and preset states them.
    """

    params: str = "as given in the run table"
    flops: str = "C = 6·N·D"
    loss: str = "as given in the run table"
    tokens: str = "tokens seen"

    def to_dict(self) -> dict[str, str]:
        """The four conventions by name, JSON-ready."""
        return {
            "params": self.params,
            "flops": self.flops,
            "loss": self.loss,
            "tokens": self.tokens,
        }


@dataclass(frozen=True)
class Preset:
    """A published law: the form, its parameter values, and where they come from.

    Attributes:
        name: Short name used on the command line (``hoffmann2022``).
        law: The law form.
        values: Parameter values in natural units.
        source: The paper, table or equation.
        conventions: Which N, FLOPs, loss and tokens the numbers assume.
    """

    name: str
    law: Law
    values: Mapping[str, float]
    source: str
    conventions: Conventions = field(default_factory=Conventions)

    @property
    def theta(self) -> Array:
        """Values as a natural-space vector in the law's parameter order."""
        return np.array([self.values[n] for n in self.law.param_names], dtype=np.float64)


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
        ),
    )
}


def get_preset(name: str) -> Preset:
    """Look up a preset by name.

    Raises:
        ConfigError: If no preset has that name.
    """
    key = name.strip().lower()
    if key not in PRESETS:
        raise ConfigError(f"unknown preset {name!r}", hint=f"choose one of {', '.join(PRESETS)}")
    return PRESETS[key]
