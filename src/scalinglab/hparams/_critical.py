"""The critical batch size as a published rule of the loss: a batch, never a learning rate.

Kaplan et al. 2020 ('Scaling Laws for Neural Language Models', arXiv:2001.08361) fit the
critical batch size of McCandlish et al. 2018 as a power law in the loss reached (eq. 1.4 in
the summary, eq. 5.3 in section 5.1):

    B_crit(L) = B* / L^(1/alpha_B),   B* ~ 2e8 tokens,   alpha_B ~ 0.21

It depends on the model only through the loss; the paper reads it off its Figure 10 (it
"approximately doubles for every 13% decrease in loss": 0.87^(-1/0.21) = 1.94). Training at
B_crit costs about twice the minimum steps and twice the minimum tokens (section 5.1).
"""

from __future__ import annotations

import math
from collections.abc import Mapping
from dataclasses import dataclass

from scalinglab._deprecated import AsDictAlias
from scalinglab._errors import ConfigError
from scalinglab._json import json_ready
from scalinglab.hparams import _repr
from scalinglab.hparams._critical_at import critical_batch_at, loss_at

__all__ = [
    "CRITICAL_BATCH_PRESETS",
    "CriticalBatch",
    "CriticalBatchPreset",
    "critical_batch_at",
    "loss_at",
]


@dataclass(frozen=True)
class CriticalBatch(AsDictAlias):
    """The critical batch at one loss.

    Attributes:
        loss: The loss it was evaluated at.
        loss_source: Where that loss came from (``--loss 2.5``, a fit or a loss-law preset).
        batch: The critical batch in tokens per step.
        seq_len: Tokens per sequence, when known.
        params, tokens: Where the loss was predicted (``nan`` when the user gave the loss).
        rule: The preset and its citation.
        conventions: Which loss the rule's numbers assume (a loss on other data or with
            another tokenizer moves B_crit).
        notes: How far to trust it: a predicted loss on other data than the rule's.
        warnings: Reasons not to trust the loss it was read at: those of the loss fit
            that predicted it (it did not converge, too few runs, ...), each naming it.
    """

    loss: float
    loss_source: str
    batch: float
    seq_len: int | None
    params: float
    tokens: float
    rule: str
    conventions: str = ""
    notes: tuple[str, ...] = ()
    warnings: tuple[str, ...] = ()

    @property
    def batch_sequences(self) -> float:
        """The batch in sequences (``nan`` without a sequence length)."""
        return self.batch / self.seq_len if self.seq_len else math.nan

    @json_ready
    def to_dict(self) -> dict[str, object]:
        """JSON-ready fields; ``lr`` is ``None`` (JSON null), as it always was: the rule gives
        none, which is not a number it lacks (``"nan"``). ``batch_sequences`` without a
        sequence length stays ``"nan"``, as it has read since to_dict became strict JSON: one
        key cannot hold its old value for a release while it changes.

        Returns:
            The dictionary, ready for ``json.dumps``.
        """
        out = {k: getattr(self, k) for k in self.__dataclass_fields__}
        out |= {"notes": list(self.notes), "warnings": list(self.warnings)}
        return out | {"batch_unit": "tokens", "batch_sequences": self.batch_sequences, "lr": None}


@dataclass(frozen=True)
class CriticalBatchPreset:
    """A published critical-batch rule ``B_crit(L) = b_star / L^(1/alpha_b)``.

    Attributes:
        name: Short name (``kaplan2020``).
        citation: The paper and the equation.
        batch_formula: The rule as the paper writes it.
        conventions: Which loss (dataset, tokenizer, nats) the numbers assume.
        b_star: B* in tokens.
        alpha_b: The exponent alpha_B.
        dataset: The data its loss is measured on, as a loss law's conventions name it.
    """

    name: str
    citation: str
    batch_formula: str
    conventions: str
    b_star: float
    alpha_b: float
    dataset: str = "WebText2"

    def __repr__(self) -> str:  # one line: the conventions are an attribute away
        return _repr.critical_preset(self)

    def critical_batch(self, loss: float) -> float:
        """The critical batch at a loss.

        Args:
            loss: The loss, in nats per token on this rule's data.

        Returns:
            B_crit in tokens: ``b_star / loss^(1/alpha_b)``.

        Raises:
            ConfigError: For a loss that is not a positive, finite number.
        """
        if not (isinstance(loss, int | float) and loss > 0 and math.isfinite(loss)):
            raise ConfigError(
                f"the loss must be a positive number (nats per token), got {loss!r}",
                hint="e.g. --loss 2.5",
            )
        return float(self.b_star / float(loss) ** (1.0 / self.alpha_b))

    def predict(
        self,
        *,
        loss: float,
        loss_source: str = "given",
        seq_len: int | None = None,
        params: float = math.nan,
        tokens: float = math.nan,
        notes: tuple[str, ...] = (),
        warnings: tuple[str, ...] = (),
    ) -> CriticalBatch:
        """The critical batch at ``loss``, as a prediction.

        Args:
            loss: The loss, in nats per token.
            loss_source: Where the loss came from, as the prediction records it.
            seq_len: Tokens per sequence, for the batch in sequences (``None``: none).
            params: The model's N, only recorded (where a loss was predicted at it).
            tokens: Its D, only recorded likewise.
            notes: Notes the prediction carries.
            warnings: The loss's source's warnings (a loss fit's), each naming it.

        Returns:
            The batch at ``loss`` with the rule, its conventions, notes and warnings; no
            learning rate.

        Raises:
            ConfigError: For a ``seq_len`` not positive, or a loss not a positive number.
        """
        if seq_len is not None and seq_len <= 0:
            raise ConfigError(f"--seq-len must be a positive number of tokens, got {seq_len}")
        return CriticalBatch(
            loss=float(loss),
            loss_source=loss_source,
            batch=self.critical_batch(loss),
            seq_len=seq_len,
            params=float(params),
            tokens=float(tokens),
            rule=f"preset {self.name}: {self.citation}",
            conventions=self.conventions,
            notes=notes,
            warnings=warnings,
        )

    def other_data_note(self, origin: str, loss_convention: str) -> str | None:
        """A note when a predicted loss is not on this rule's data (``loss_convention``:
        the loss law's conventions), or ``None``: B_crit moves with the loss's data and
        tokenizer, so at another's loss it is indicative only.

        Args:
            origin: What the loss came from, as the note names it.
            loss_convention: The loss law's conventions of its loss.

        Returns:
            The note, or ``None`` where the loss is on this rule's data.
        """
        if self.dataset.lower() in loss_convention.lower():
            return None
        return (
            f"indicative only: the loss is {origin}'s ({loss_convention}), and {self.name}'s "
            f"B_crit assumes a {self.dataset} test loss (see its conventions); a loss on other "
            "data or with another tokenizer moves B_crit"
        )


CRITICAL_BATCH_PRESETS: Mapping[str, CriticalBatchPreset] = {
    "kaplan2020": CriticalBatchPreset(
        name="kaplan2020",
        citation=(
            "Kaplan et al. 2020, 'Scaling Laws for Neural Language Models' (arXiv:2001.08361), "
            "eq. 1.4 and section 5.1, eq. 5.3: B* ~ 2e8 tokens, alpha_B ~ 0.21"
        ),
        batch_formula="B_crit(L) = 2e8 / L^(1/0.21) (tokens)",
        conventions=(
            "L the test cross-entropy in nats per token on WebText2 (byte-pair encoding, "
            "50,257 vocabulary, 1024-token context); depends on the model only through L; a "
            "batch for a good time/compute trade-off (2x the minimum steps and tokens), not the "
            "loss-optimal batch; gives no learning rate"
        ),
        b_star=2e8,
        alpha_b=0.21,
    ),
}
