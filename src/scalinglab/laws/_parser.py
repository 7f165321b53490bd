"""Safe parser for laws written as strings, e.g. ``"E + A*N**-alpha + B*D**-beta"``.

The string is read by Python's own tokenizer (``ast.parse`` in ``eval`` mode, which only
builds a syntax tree and runs nothing) and then translated node by node into
:mod:`scalinglab.laws._expr`. Only numbers, names, ``+ - * / **`` (``^`` is read as a
power), parentheses and the one-argument functions in :data:`FUNCTIONS` are allowed;
anything else (attribute access, subscripts, lambdas, keyword arguments, other calls,
dunder names) is rejected with a message that says which part of the formula was refused.
The signs papers (and these docs) write, ``·`` and ``×`` for a product and ``−`` (U+2212)
for a minus, are read as ``*`` and ``-`` (:func:`operator_notes` says so). No ``eval`` or
``exec`` is ever called.
"""

from __future__ import annotations

import ast
import re

from scalinglab._errors import FormulaError, check_text
from scalinglab._keywords import keywords_checked
from scalinglab.laws._expr import FUNCTIONS, BinOp, Call, Const, Expr, Neg, Sym

__all__ = ["operator_notes", "parse_formula"]

_MAX_LENGTH = 2_000
#: Deepest nesting of operations (a chain ``a + b + c`` is as deep as it is long): every
#: pass over the tree recurses, and 100 levels are far beyond any published law.
_MAX_DEPTH = 100
#: Longest number literal: 40 characters hold any float64 value written out in full.
_MAX_LITERAL = 40
_NUMBER = re.compile(r"(?<![A-Za-z_0-9.])(\d[\w.]*(?:[eE][+-]?\d+)?|\.\d[\w.]*)")

_SPACES = str.maketrans({"\n": " ", "\r": " ", "\t": " ", "\f": " ", "\v": " "})
#: Typeset operators read as Python's, one character for one (a refused character's position
#: still counts from the formula's first). Python would read ``A·N`` as one name (``·`` may
#: continue an identifier) and refuse ``×`` and ``−`` as invalid characters.
_OPERATORS = {"·": "*", "⋅": "*", "×": "*", "−": "-"}
_TYPESET = str.maketrans(_OPERATORS)
#: ``L(N) =`` or ``L(N, D) =`` (a signature), or ``loss ~`` (a model formula, as R writes).
_LEFT_SIDE = re.compile(r"^([A-Za-z_]\w*\s*\([^()=]*\)\s*)(=)(?!=)|^([A-Za-z_]\w*\s*)(~)")

_BINARY = {
    ast.Add: "+",
    ast.Sub: "-",
    ast.Mult: "*",
    ast.Div: "/",
    ast.Pow: "**",
}

_HINT = (
    "write the law with numbers, names, + - * / ** and "
    + ", ".join(sorted(FUNCTIONS))
    + ', for example "E + A*N**-alpha + B*D**-beta"'
)


@keywords_checked("scalinglab.parse_formula")
def parse_formula(text: str) -> Expr:
    """Parse a law written as a string into an expression tree.

    Args:
        text: The formula, e.g. ``"E + A*C**-alpha"``. A leading ``"L ="`` is allowed.

    Returns:
        The expression tree.

    Raises:
        FormulaError: If the string is not a formula or uses anything not allowed.
        ConfigError: If ``text`` is not a string.
    """
    if not check_text(text, what="a formula", example="'E + A*N**-alpha'").strip():
        raise FormulaError("the formula is empty", hint=_HINT)
    if len(text) > _MAX_LENGTH:
        raise FormulaError(f"the formula is {len(text)} characters long; at most {_MAX_LENGTH}")
    _check_text(text)
    # a formula pasted over several lines: a line break or tab is a space (one for one, so
    # a refused character's position still counts from the formula's first character)
    flat = text.translate(_SPACES).translate(_TYPESET)
    start = len(flat) - len(flat.lstrip())
    body = flat.strip()
    _check_sides(text, body)
    if "=" in body and "==" not in body:
        lhs, _, rhs = body.partition("=")
        if lhs.strip().isidentifier():
            start += len(lhs) + 1 + len(rhs) - len(rhs.lstrip())
            body = rhs.strip()
    # "^" means a power in a formula; Python would read it as xor with a lower precedence;
    # `at` maps a character of the rewritten body back to the formula's
    at = [start + i for i, ch in enumerate(body) for _ in range(2 if ch == "^" else 1)]
    body = body.replace("^", "**")
    try:
        tree = ast.parse(body, mode="eval")
    except SyntaxError as exc:
        where = min(max(exc.offset or 0, 1), len(at)) if at else 0
        col = f" at character {at[where - 1] + 1}" if exc.offset and where else ""
        raise FormulaError(f"cannot parse formula {text!r}{col}: {exc.msg}", hint=_HINT) from None
    except (RecursionError, MemoryError, ValueError):  # nesting or literals Python cannot hold
        raise FormulaError(
            f"the formula is nested too deeply to read (at most {_MAX_DEPTH} levels)",
            hint=_HINT,
        ) from None
    depth = _depth(tree.body)
    if depth > _MAX_DEPTH:
        raise FormulaError(
            f"the formula nests {depth} operations deep; at most {_MAX_DEPTH}",
            hint="write a long sum with fewer terms, or group it with parentheses",
        )
    return _convert(tree.body, text)


def operator_notes(text: str) -> tuple[str, ...]:
    """What :func:`parse_formula` read a typeset operator of ``text`` as (``·`` as ``*``),
    one note per sign the formula uses; empty for a formula in plain ASCII operators."""
    used = [c for c in _OPERATORS if c in text]
    if not used:
        return ()
    said = ", ".join(f"{c!r} (U+{ord(c):04X}) as {_OPERATORS[c]!r}" for c in used)
    return (f"formula {text!r}: read {said}",)


def _check_sides(text: str, body: str) -> None:
    """Refuse a left side other than a name (``L(N) = ...``, ``loss ~ ...``) with what is
    accepted: Python reads neither, and would only say "invalid syntax"."""
    found = _LEFT_SIDE.match(body)
    if found is None:
        return
    lhs, sign = (found.group(1) or found.group(3)).strip(), found.group(2) or found.group(4)
    said = "a function's signature" if sign == "=" else "a model formula's, as R writes one"
    raise FormulaError(
        f"cannot parse formula {text!r}: a left side {lhs + ' ' + sign!r} ({said}) is not "
        "read; a formula is a bare expression or NAME = expression",
        hint="write 'E + A*N**-alpha' or 'L = E + A*N**-alpha': the variables (N, D, C, or "
        "symbols mapped with --x) are read from the expression itself",
    )


def _check_text(text: str) -> None:
    """Refuse what is not text, and number literals no float64 needs, before parsing."""
    try:
        text.encode("utf-8")
    except UnicodeEncodeError as err:
        raise FormulaError(
            f"the formula holds a byte that is not UTF-8 text at character {err.start + 1}",
            hint="retype the formula in plain text",
        ) from None
    for match in _NUMBER.finditer(text):
        literal = match.group(0)
        if len(literal) > _MAX_LITERAL:
            raise FormulaError(
                f"the number starting {literal[:12]!r}... is {len(literal)} characters long; "
                f"at most {_MAX_LITERAL}",
                hint="write large or small numbers with an exponent, e.g. 1.5e21",
            )
        if literal[:2].lower() in ("0x", "0o", "0b"):
            raise FormulaError(
                f"the number {literal!r} is not decimal", hint="write numbers in decimal"
            )


def _depth(root: ast.AST) -> int:
    """Nesting depth of the tree, walked without recursion (the tree may be deep)."""
    deepest, stack = 0, [(root, 1)]
    while stack:
        node, depth = stack.pop()
        deepest = max(deepest, depth)
        if depth <= _MAX_DEPTH:  # deeper than the limit is refused anyway: stop counting
            stack.extend((child, depth + 1) for child in ast.iter_child_nodes(node))
    return deepest


def _convert(node: ast.AST, text: str) -> Expr:
    if isinstance(node, ast.Constant):
        if isinstance(node.value, bool) or not isinstance(node.value, (int, float)):
            raise _refuse(node, text, f"the constant {node.value!r} is not a number")
        try:
            value = float(node.value)
        except OverflowError:
            value = float("inf")
        if value != value or abs(value) == float("inf"):
            raise FormulaError(
                f"formula {text!r}: a number is beyond float64's range (about 1.8e308)",
                hint="write numbers between -1.8e308 and 1.8e308",
            )
        return Const(value)
    if isinstance(node, ast.Name):
        if node.id.startswith("_"):
            raise _refuse(
                node, text, f"the name {node.id!r} is not allowed (names may not start with '_')"
            )
        if node.id in FUNCTIONS:
            raise _refuse(node, text, f"{node.id!r} is a function; call it as {node.id}(x)")
        return Sym(node.id)
    if isinstance(node, ast.BinOp):
        op = _BINARY.get(type(node.op))
        if op is None:
            raise _refuse(node, text, f"the operator {type(node.op).__name__} is not allowed")
        return BinOp(op, _convert(node.left, text), _convert(node.right, text))  # type: ignore[arg-type]
    if isinstance(node, ast.UnaryOp):
        if isinstance(node.op, ast.USub):
            inner = _convert(node.operand, text)
            return Const(-inner.value) if isinstance(inner, Const) else Neg(inner)
        if isinstance(node.op, ast.UAdd):
            return _convert(node.operand, text)
        raise _refuse(node, text, f"the operator {type(node.op).__name__} is not allowed")
    if isinstance(node, ast.Call):
        if not isinstance(node.func, ast.Name):
            raise _refuse(node, text, "only calls of plain function names are allowed")
        name = node.func.id
        if name not in FUNCTIONS:
            raise _refuse(node, text, f"calling {name!r} is not allowed")
        if node.keywords or len(node.args) != 1 or isinstance(node.args[0], ast.Starred):
            raise _refuse(node, text, f"{name}() takes exactly one positional argument")
        return Call(name, _convert(node.args[0], text))
    kinds = {
        ast.Attribute: "attribute access",
        ast.Subscript: "subscripts",
        ast.Lambda: "lambda",
        ast.Compare: "comparisons",
        ast.BoolOp: "boolean operators",
        ast.IfExp: "conditional expressions",
    }
    kind = next((v for k, v in kinds.items() if isinstance(node, k)), type(node).__name__)
    raise _refuse(node, text, f"{kind} is not allowed in a formula")


def _refuse(node: ast.AST, text: str, why: str) -> FormulaError:
    return FormulaError(f"formula {text!r}: {why} (in {ast.unparse(node)!r})", hint=_HINT)
