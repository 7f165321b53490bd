"""Laws written by the user as strings: ``FormulaLaw("E + A*N**-alpha")``."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field

from scalinglab._errors import FormulaError
from scalinglab.laws._base import DEFAULT_COLUMNS, Array, Law, Param, strided_product
from scalinglab.laws._expr import BinOp, Call, Expr, Neg, Sym, symbols
from scalinglab.laws._parser import operator_notes, parse_formula
from scalinglab.laws._slips import negated_factor_notes, variable_meant

__all__ = ["FormulaLaw"]

_CANONICAL = ("params", "tokens", "flops")
#: Start values in the fitted space for a parameter the user wrote: coefficients (names
#: that start with a capital, fitted as logs) span many orders of magnitude because the
#: right value depends on the units of N, D and C; exponents span typical slopes.
_COEF_GRID = (-1.0, 0.5, 3.0, 7.0, 12.0, 18.0)
_EXPO_GRID = (0.05, 0.2, 0.5, 1.0)
#: ... and for an additive constant (``a`` in ``a - b*log(N)``): it sits on the loss's own
#: scale, which other terms subtract from, so it spans losses in nats or bits (2-10) and
#: perplexities (10-100) too; from 0.05-1 alone every start of ``a - b*log(N)`` predicted
#: a negative loss at some run (undefined in log space) and the fit failed.
_OFFSET_GRID = (0.05, 0.2, 0.5, 1.0, 2.0, 5.0, 10.0, 30.0, 100.0)
_MAX_STARTS = 8_000
#: Most parameters a formula may fit: 24 keep the solver's Newton systems (starts x K x K)
#: and the grid screening well under 1 GB; no published law has half as many.
MAX_PARAMS = 24


@dataclass(frozen=True)
class FormulaLaw(Law):
    """A law given as a formula string, parsed safely (no ``eval``) and differentiated exactly.

    Symbols ``N``, ``D``, ``C`` read the ``params``, ``tokens`` and ``flops`` columns; a
    symbol spelled like a column (``params``) reads that column; ``variables`` maps any
    other symbol to a column. Every other symbol is a parameter, and what it is comes from
    where it stands: in the power of a variable (``N**-alpha``, ``N**-ALPHA``,
    ``exp(-alpha*log(N))``) an exponent, whatever its case, fitted as it is from exponent
    starts, which the fit's diagnostics judge as one; else names that start with a capital
    letter (``A``, ``E``, ``N_c``) are positive coefficients, fitted as logarithms, and the
    rest (``e``) offsets or other parameters fitted as they are (not judged).

    Attributes:
        text: The formula, e.g. ``"E + A*N**-alpha + B*D**-beta"``.
        columns: Extra symbol -> column mapping, e.g. ``{"T": "temperature"}``.
    """

    text: str
    columns: Mapping[str, str] = field(default_factory=dict)
    citation = "user formula"

    def __post_init__(self) -> None:
        tree = parse_formula(self.text)
        object.__setattr__(self, "_tree", tree)
        names = symbols(tree)
        self._refuse_unused_columns(names)
        variables = {s: self._column_for(s) for s in names if self._column_for(s)}
        if not variables:
            # the law is read before the runs: a column's name (width) is a parameter until
            # mapped, so name the symbol that stands where a variable does
            bases = sorted(_bases(tree))
            hint = (
                f"{bases[0]} stands where a variable does (the base of a power); to read it "
                f"from a column: {_x_map(bases[0])}"
                if bases
                else f"map a symbol to a column: {_x_map('SYMBOL')}"
            )
            raise FormulaError(
                f"formula {self.text!r} uses no variable: N, D and C (or params, tokens, "
                "flops) read those columns, and every other symbol is a parameter unless "
                f"--x maps it to a column{variable_meant(bases[0]) if bases else ''}",
                hint=hint,
            )
        params = [s for s in names if s not in variables]
        if not params:
            raise FormulaError(f"formula {self.text!r} has no parameter to fit")
        if len(params) > MAX_PARAMS:  # the solver's memory grows with the square of the count
            raise FormulaError(
                f"formula {self.text!r} has {len(params)} parameters to fit; at most {MAX_PARAMS}",
                hint="fix some parameters to numbers, or fit a simpler law",
            )
        self._refuse_constant_powers(tree, set(variables))
        object.__setattr__(self, "_variables", variables)
        powers, offsets = _exponents(tree, set(variables)), _summands(tree)
        object.__setattr__(self, "_params", tuple(self._param(s, powers, offsets) for s in params))

    def _refuse_unused_columns(self, names: list[str]) -> None:
        """``--x V=steps`` for a formula without ``V``: a misspelt or forgotten symbol,
        which would otherwise read as "uses no variable" or fit ``V``'s column nowhere."""
        for symbol, column in self.columns.items():
            if symbol in names:
                continue
            raise FormulaError(
                f"--x {symbol}={column} (x={{{symbol!r}: {column!r}}}): the formula "
                f"{self.text!r} has no symbol {symbol} (its symbols: {', '.join(names)})",
                hint=f"map the symbol that reads {column!r}: --x SYMBOL={column} with SYMBOL "
                f"one of {', '.join(names)}",
            )

    def _refuse_constant_powers(self, tree: Expr, variables: set[str]) -> None:
        """``B*Q**-beta`` with ``Q`` no variable: ``Q**-beta`` is one constant, so ``Q`` and
        ``beta`` cannot both be fitted; almost always a variable misspelt (``Q`` for ``D``),
        which would otherwise fit silently as a coefficient."""
        for base, power in _powers_of_symbols(tree):
            if base in variables or not symbols(power) or variables & set(symbols(power)):
                continue
            raise FormulaError(
                f"formula {self.text!r}: {base} is raised to a fitted power but is no "
                f"variable, so {base}**(...) is one constant and neither can be fitted"
                f"{variable_meant(base, self.columns)}",
                hint=f"variables are N, D, C (params, tokens, flops); to read {base} from a "
                f"column: {_x_map(base)}",
            )

    def _column_for(self, symbol: str) -> str:
        if symbol in self.columns:
            return self.columns[symbol]
        if symbol in DEFAULT_COLUMNS:
            return DEFAULT_COLUMNS[symbol]
        return symbol if symbol in _CANONICAL else ""

    @staticmethod
    def _param(name: str, powers: set[str], offsets: set[str]) -> Param:
        # the description is the role the diagnostics read (fit._diagnostics.roles): a
        # lowercase floor `e` or `a` in `exp(a)` is no exponent, and a coefficient's range
        # check assumes a positive value, which only capitals are. An exponent by position
        # is fitted as itself whatever its case: `N**-ALPHA` fitted as log ALPHA would start
        # at exponents up to 6.5e7, and the centred solver shifts coefficients linearly in it
        if name in powers:
            return Param(name, grid=_EXPO_GRID, description="exponent")
        if name[0].isupper():
            return Param(name, positive=True, grid=_COEF_GRID, description="coefficient")
        if name in offsets:
            return Param(name, grid=_OFFSET_GRID, description="offset")
        return Param(name, grid=_EXPO_GRID, description="parameter")

    @property
    def name(self) -> str:  # type: ignore[override]
        # a formula given over several lines is named on one, as it is printed and saved
        return " ".join(self.text.split()) if any(c in self.text for c in "\n\r\t") else self.text

    @property
    def notes(self) -> tuple[str, ...]:
        """How the formula was read where it is not plain Python: a typeset operator
        (``A·N``) read as ``*`` (:func:`~scalinglab.laws._parser.operator_notes`); a variable
        times a negated parameter (``N*-alpha``), likely ``N**-alpha`` meant."""
        slips = negated_factor_notes(self.text, self.expression(), self.variables)
        return operator_notes(self.text) + slips

    @property
    def params(self) -> tuple[Param, ...]:
        return self._params  # type: ignore[attr-defined,no-any-return]

    @property
    def variables(self) -> Mapping[str, str]:
        return self._variables  # type: ignore[attr-defined,no-any-return]

    def expression(self) -> Expr:
        return self._tree  # type: ignore[attr-defined,no-any-return]

    def initial_guess(self, data: Mapping[str, Array], loss: Array) -> dict[str, float]:
        return {p.name: (1.0 if p.positive else 0.3) for p in self.params}

    def start_grid(self, data: Mapping[str, Array], loss: Array) -> Array:
        # many parameters: a fixed, evenly strided subset of the product grid, chosen by
        # index so that the product itself (2e8 rows at 12 parameters) is never built
        return strided_product([p.grid for p in self.params], _MAX_STARTS)


def _x_map(symbol: str) -> str:
    """How to map ``symbol`` to a column, on the commands that take ``--x`` (``laws``, which
    reads a formula alone, does not) and in Python."""
    quoted = symbol if symbol == "SYMBOL" else repr(symbol)
    return f"--x {symbol}=COLUMN on fit, backtest or report (x={{{quoted}: COLUMN}} in Python)"


def _exponents(tree: Expr, variables: set[str]) -> set[str]:
    """Symbols that set a variable's power: in the exponent of a power whose base reads a
    variable (``N**-alpha``, ``(N/N_c)**alpha``), or multiplying the log of one inside
    ``exp`` (``exp(-alpha*log(N))`` is ``N**-alpha``)."""
    found: set[str] = set()
    stack = [tree]
    while stack:
        node = stack.pop()
        if isinstance(node, BinOp):
            if node.op == "**" and variables & set(symbols(node.left)):
                found.update(symbols(node.right))
            stack.extend((node.left, node.right))
        elif isinstance(node, Call):
            if node.func == "exp":
                for term in _terms(node.arg):
                    factors = _factors(term)
                    if any(_log_of(f, variables) for f in factors):
                        found.update(s for f in factors if not _log_of(f, variables)
                                     for s in symbols(f))  # fmt: skip
            stack.append(node.arg)
        elif isinstance(node, Neg):
            stack.append(node.arg)
    return found - variables


def _bases(tree: Expr) -> set[str]:
    """Plain symbols raised to a power (``width`` in ``A*width**-alpha``)."""
    return {base for base, _ in _powers_of_symbols(tree)}


def _powers_of_symbols(tree: Expr) -> list[tuple[str, Expr]]:
    """``(base, power)`` of every plain symbol raised to a power."""
    found: list[tuple[str, Expr]] = []
    stack = [tree]
    while stack:
        node = stack.pop()
        if isinstance(node, BinOp):
            if node.op == "**" and isinstance(node.left, Sym):
                found.append((node.left.name, node.right))
            stack.extend((node.left, node.right))
        elif isinstance(node, (Call, Neg)):
            stack.append(node.arg)
    return found


def _summands(tree: Expr) -> set[str]:
    """Parameters that stand alone as a term of the formula's sum (``e`` in ``e + A*N**-a``)."""
    return {t.name for t in _terms(tree) if isinstance(t, Sym)}


def _terms(node: Expr) -> list[Expr]:
    """The terms of a sum or difference, signs dropped."""
    if isinstance(node, BinOp) and node.op in ("+", "-"):
        return _terms(node.left) + _terms(node.right)
    if isinstance(node, Neg):
        return _terms(node.arg)
    return [node]


def _factors(node: Expr) -> list[Expr]:
    """The factors of a product, signs dropped."""
    if isinstance(node, BinOp) and node.op == "*":
        return _factors(node.left) + _factors(node.right)
    if isinstance(node, Neg):
        return _factors(node.arg)
    return [node]


def _log_of(node: Expr, variables: set[str]) -> bool:
    return (
        isinstance(node, Call)
        and node.func.startswith("log")
        and bool(variables & set(symbols(node.arg)))
    )
