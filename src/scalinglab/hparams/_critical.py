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
import os
from collections.abc import Mapping
from dataclasses import dataclass
from typing import TYPE_CHECKING

from scalinglab._deprecated import AsDictAlias
from scalinglab._errors import ConfigError
from scalinglab._format import format_count
from scalinglab._json import json_ready
from scalinglab.hparams import _repr

if TYPE_CHECKING:  # the fit package loads NumPy: imported where a loss fit is read
    from scalinglab.fit import FitResult

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
        key cannot hold its old value for a release while it changes."""
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
        """B_crit in tokens at ``loss`` (nats per token)."""
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
        """The critical batch at ``loss``; ``params``/``tokens`` only record where it was;
        ``warnings``: the loss's source's (a loss fit's), each naming it."""
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
        tokenizer, so at another's loss it is indicative only."""
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


def loss_at(source: object, *, params: float, tokens: float) -> float:
    """The loss a loss-law fit or preset (``law`` and ``values``/``coefs``) predicts at (N, D).

    Raises:
        ConfigError: When the law reads a column other than params, tokens and flops.
    """
    from scalinglab.laws._scale import scale_inputs

    law = source.law  # type: ignore[attr-defined]
    values = getattr(source, "values", None) or source.coefs  # type: ignore[attr-defined]
    data = scale_inputs(
        law, [params], [tokens], role="the loss law", hint="give the loss itself: --loss 2.5"
    )
    return float(law.evaluate(dict(values), data)[0])


def critical_batch_at(
    name: str,
    *,
    loss: str,
    params: float | None = None,
    tokens: float | None = None,
    seq_len: int | None = None,
) -> CriticalBatch:
    """The critical batch of preset ``name`` at ``loss``: a number (nats per token), or the
    path of a loss fit (``scalinglab fit --out``) or the name of a loss-law preset
    (``hoffmann2022``), either predicting the loss at ``params``, ``tokens``.

    Raises:
        ConfigError: For an unknown preset, a non-positive loss, or a predicted loss without
            ``params`` and ``tokens``.
    """
    from scalinglab.hparams._presets import get_critical_batch_preset

    rule = get_critical_batch_preset(name)
    try:
        value = float(loss)
    except ValueError:
        pass  # not a number: a loss fit or a loss-law preset
    else:
        if params is not None or tokens is not None:  # they would place nothing
            raise ConfigError(
                f"--loss {loss} is the loss itself, and B_crit depends on the model only "
                "through it: --params and --tokens place a predicted loss (--loss FIT.json or "
                "a loss-law preset), not a given one",
                hint="drop --params and --tokens, or predict the loss there: --loss "
                f"hoffmann2022 --params {'7B' if params is None else format_count(params)} "
                f"--tokens {'1.4T' if tokens is None else format_count(tokens)}",
            )
        return rule.predict(loss=value, loss_source=f"--loss {loss}", seq_len=seq_len)
    from scalinglab.laws import PRESETS, get_preset

    named = loss.strip().lower() in PRESETS
    if not named and not os.path.exists(loss) and _path_like(loss):
        raise ConfigError(
            f"--loss {loss}: no such loss fit file",
            hint="give the path of a fit from `scalinglab fit --out` (--loss fit.json), the "
            f"loss itself (--loss 2.5), or a loss-law preset ({', '.join(PRESETS)})",
        )
    if not named and not os.path.exists(loss):  # a typo of a number reads as a missing file
        raise ConfigError(
            f"--loss {loss!r} is neither a number, a loss fit file nor a loss-law preset",
            hint=f"give the loss itself (--loss 2.5), a fit from `scalinglab fit --out` "
            f"(--loss fit.json), or a preset ({', '.join(PRESETS)})",
        )
    if params is None or tokens is None:
        raise ConfigError(
            f"--loss {loss}: a predicted loss needs --params and --tokens",
            hint="e.g. --params 1.5B --tokens 23B, or give the loss itself: --loss 2.5",
        )
    source: object
    warnings: tuple[str, ...] = ()
    if named:
        source, origin = get_preset(loss), f"loss-law preset {loss.strip().lower()}"
    else:
        from scalinglab.fit import FitResult
        from scalinglab.fit._result_json import load

        # a file that is not a loss fit: the hint names --loss, the option it came with
        fitted = load(FitResult, loss, reader="`hparams predict --loss`", option="--loss")
        source, origin = fitted, f"loss fit {loss}"
        warnings = tuple(f"{origin}: {w}" for w in _loss_fit_warnings(fitted))
    value = loss_at(source, params=params, tokens=tokens)
    note = rule.other_data_note(origin, source.conventions.loss)
    return rule.predict(
        loss=value, loss_source=origin, seq_len=seq_len, params=params, tokens=tokens,
        notes=(note,) if note else (), warnings=warnings,
    )  # fmt: skip


def _path_like(given: str) -> bool:
    """Whether ``--loss`` was meant as a file: a ``.json`` name or one with a folder."""
    return given.strip().lower().endswith(".json") or "/" in given or os.sep in given


def _loss_fit_warnings(result: FitResult) -> tuple[str, ...]:
    """Why not to trust ``result``'s loss: its warnings, led by its not converging where
    they do not say so already (``fit --out`` saves a fit that failed)."""
    from scalinglab.fit._implausible import unconverged_warning

    failed = unconverged_warning(result.status, result.message)
    if failed is None or failed in result.warnings:
        return tuple(result.warnings)
    return (failed, *result.warnings)
