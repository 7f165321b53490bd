"""What each parameter of a law is: the irreducible loss, a coefficient, a decay exponent."""

from __future__ import annotations

from scalinglab.fit._terms import power_terms
from scalinglab.laws import Law
from scalinglab.laws._expr import BinOp, Call, Expr, Neg, Sym
from scalinglab.laws._irreducible import irreducible

__all__ = ["RISING", "roles"]

#: The role of an exponent the formula writes with its own sign (``N**alpha``, not
#: ``N**-alpha``): its term decays where it is negative, so the diagnostics judge ``-alpha``.
RISING = "signed exponent"


def roles(law: Law) -> dict[str, str]:
    """``"irreducible"``, ``"coefficient"``, ``"exponent"`` (the term decays where it is
    positive), :data:`RISING` (decays where negative) or ``""`` per parameter.

    The irreducible loss is the parameter the formula adds alone
    (:func:`~scalinglab.laws._irreducible.irreducible`, as the plan's reach reads it), and
    any floor of a variable the law declares (a loss-to-loss law's ``E_x``, the floor of
    ``L_x``). Only a law with no expression to read is judged by its descriptions: a
    parameter described as irreducible, or ``E`` if positive, is its floor.
    """
    out = dict.fromkeys(law.param_names, "")
    try:
        expression: Expr | None = law.expression()
    except (AttributeError, NotImplementedError):
        expression = None
    terms = [] if expression is None else power_terms(expression)
    for coef, _var, expo in terms:
        if coef in out:
            out[coef] = "coefficient"
        if expo in out:
            out[expo] = "exponent"
    floors = [irreducible(law), *getattr(law, "floors", {})]
    for name in floors:
        if name in out:  # where it stands decides, even over a power term using the name
            out[name] = "irreducible"
    for p in law.params:
        text = p.description.lower()
        if out[p.name]:
            continue
        if expression is None and ("irreducible" in text or (p.name == "E" and p.positive)):
            out[p.name] = "irreducible"
        elif text.endswith("exponent") and "before" not in text:
            out[p.name] = "exponent"
        elif text.endswith("coefficient"):
            out[p.name] = "coefficient"
    signs = {} if expression is None else _written_signs(expression, set(law.variables))
    for name, seen in signs.items():
        if out.get(name) == "exponent" and seen == {1}:  # only ever X**e: decays for e < 0
            out[name] = RISING
    return out


def _written_signs(tree: Expr, variables: set[str]) -> dict[str, set[int]]:
    """The sign each exponent symbol raises a plain variable to, wherever the formula does:
    +1 in ``N**alpha`` and ``exp(alpha*log(N))``, -1 in ``N**-alpha`` and ``A/N**alpha``
    (a denominator flips it). Other shapes (``(N_c/N)**alpha``) are not read."""
    found: dict[str, set[int]] = {}
    stack: list[tuple[Expr, int]] = [(tree, 1)]
    while stack:
        node, sign = stack.pop()
        if isinstance(node, BinOp):
            if node.op == "**" and isinstance(node.left, Sym) and node.left.name in variables:
                _record(found, _signed_symbol(node.right), sign)
            if node.op == "/":
                stack.extend(((node.left, sign), (node.right, -sign)))
            else:
                stack.extend(((node.left, sign), (node.right, sign)))
        elif isinstance(node, Call):
            if node.func == "exp":  # exp(a - alpha*log(N)) is e^a * N**-alpha
                for term, plus in _signed_terms(node.arg, 1):
                    _record(found, _times_log(term, variables), sign * plus)
            stack.append((node.arg, sign))
        elif isinstance(node, Neg):
            stack.append((node.arg, sign))
    return found


def _record(found: dict[str, set[int]], signed: tuple[str, int] | None, sign: int) -> None:
    if signed is not None:
        found.setdefault(signed[0], set()).add(signed[1] * sign)


def _signed_symbol(node: Expr) -> tuple[str, int] | None:
    """``alpha`` -> ``("alpha", 1)``, ``-alpha`` -> ``("alpha", -1)``; else ``None``."""
    if isinstance(node, Sym):
        return node.name, 1
    if isinstance(node, Neg):
        inner = _signed_symbol(node.arg)
        return None if inner is None else (inner[0], -inner[1])
    return None


def _signed_terms(node: Expr, sign: int) -> list[tuple[Expr, int]]:
    """The terms of a sum or difference with the sign each enters it with."""
    if isinstance(node, BinOp) and node.op in ("+", "-"):
        right = sign if node.op == "+" else -sign
        return _signed_terms(node.left, sign) + _signed_terms(node.right, right)
    if isinstance(node, Neg):
        return _signed_terms(node.arg, -sign)
    return [(node, sign)]


def _times_log(node: Expr, variables: set[str]) -> tuple[str, int] | None:
    """``alpha*log(N)`` (either order, ``-alpha``) -> the signed ``alpha``."""
    if not (isinstance(node, BinOp) and node.op == "*"):
        return None
    for expo, log in ((node.left, node.right), (node.right, node.left)):
        if (
            isinstance(log, Call)
            and log.func.startswith("log")
            and isinstance(log.arg, Sym)
            and log.arg.name in variables
        ):
            return _signed_symbol(expo)
    return None
