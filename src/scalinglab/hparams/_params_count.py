"""Which parameters a hyperparameter law's N counts, and a note where a plan's N* counts others.

Embeddings are a large share of a small model (a third of a 100M-parameter one with a 50k
vocabulary), so a law of non-embedding N read at a total N* (or the reverse) sets lr* and B*
for another model; converting one count into the other needs the vocabulary and width,
which a plan does not know. A sweep's N is known to be non-embedding or total when its
column says so (``params_non_embedding``, a store's chosen count); a column called ``N`` or
``params`` says nothing, and the fit records that too.
"""

from __future__ import annotations

from scalinglab.data import RunTable
from scalinglab.data._params_words import NON_EMBEDDING, TOTAL, params_words

__all__ = ["NON_EMBEDDING", "TOTAL", "counted", "params_mismatch", "sweep_params"]


def sweep_params(table: RunTable) -> str:
    """In words, which parameters the sweep's ``params`` column counts, from the column it
    was read from (``""`` when the sweep has none)."""
    if "params" not in table.columns:
        return ""
    if table.params_convention:  # a store's runs: the count chosen, in words
        return table.params_convention
    return params_words(table.origins.get("params", "params"))


def counted(text: str) -> str | None:
    """``"non-embedding"`` or ``"total"`` for a convention in words, or ``None``: unknown."""
    words = text.lower()
    if "non-embedding" in words:
        return "non-embedding"
    if any(w in words for w in ("total", "all parameters", "including embeddings")):
        return "total"
    return None


def params_mismatch(plan: str, plan_origin: str, rule: str, rule_origin: str) -> str | None:
    """The note for lr* and B* read at a plan's N* (counting ``plan``) off a law of N
    counting ``rule``; ``None`` when both are known to count the same parameters."""
    mine, theirs = counted(plan), counted(rule)
    if mine == theirs is not None:
        return None
    rule = rule or "not recorded (a fit saved before it was)"
    if mine is not None and theirs is not None:
        return (
            f"N differs: the plan's N* counts {plan} ({plan_origin}), the hyperparameter "
            f"law's N counts {rule} ({rule_origin}): lr* and B* are read at N* as it is, for a model "
            f"{'larger' if mine == 'total' else 'smaller'} than the law's N by its embeddings "
            "(converting needs the vocabulary and width)"
        )
    how = (
        " (a sweep records it when its N is read from a column params_non_embedding or "
        "total_params: --map params=COLUMN)"
        if theirs is None
        else ""
    )
    # neither known: no reason to assume they agree, as published laws count N both ways
    neither = (
        ": neither says whether it counts embeddings (Hoffmann et al.'s N counts them, "
        "Step Law's does not)"
        if mine is None and theirs is None
        else " (embeddings or not)"
    )
    return (
        f"N may differ: the plan's N*: {plan} ({plan_origin}); the hyperparameter law's N: "
        f"{rule} ({rule_origin}); lr* and B* are read at N* as it is, right only if both "
        f"count the same parameters{neither}{how}"
    )
