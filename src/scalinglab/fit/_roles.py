"""What each parameter of a law is: the irreducible loss, a coefficient, a decay exponent."""

from __future__ import annotations

from scalinglab.fit._terms import power_terms
from scalinglab.laws import Law

__all__ = ["roles"]


def roles(law: Law) -> dict[str, str]:
    """``"irreducible"``, ``"coefficient"``, ``"exponent"`` (decay) or ``""`` per parameter."""
    out = dict.fromkeys(law.param_names, "")
    try:
        terms = power_terms(law.expression())
    except (AttributeError, NotImplementedError):
        terms = []
    for coef, _var, expo in terms:
        if coef in out:
            out[coef] = "coefficient"
        if expo in out:
            out[expo] = "exponent"
    for p in law.params:
        text = p.description.lower()
        if out[p.name]:
            continue
        if "irreducible" in text or (p.name == "E" and p.positive):
            out[p.name] = "irreducible"
        elif text.endswith("exponent") and "before" not in text:
            out[p.name] = "exponent"
        elif text.endswith("coefficient"):
            out[p.name] = "coefficient"
    return out
