"""Text for a stream that cannot hold every character: a locale without UTF-8.

Tables, formulas and notes use a few characters past ASCII (``A·N^-α``, ``N* ∝ C^a``, ``≤``,
``—``, ``∞``). Under ``LC_ALL=C`` with Python's UTF-8 mode off (``PYTHONUTF8=0``), stdout
encodes ASCII and refuses them (``UnicodeEncodeError``; stderr, Python's
``backslashreplace``, writes ``6\\xb7params``). While the command line runs,
:func:`plain_streams` gives such a stream the error handler :data:`HANDLER`, which spells
each such character in ASCII (``A*N^-alpha``, ``<=``, ``-``, ``inf``) and any other as
``?``. Rich draws its boxes and bars in ASCII there by itself. A stream that encodes UTF-8 is
left as it is, and JSON is ASCII already (escaped).
"""

from __future__ import annotations

import codecs
import contextlib
import sys
import unicodedata
from collections.abc import Iterator

__all__ = ["HANDLER", "SPELLINGS", "plain_streams"]

#: The name the handler is registered under (``str.encode(..., errors=HANDLER)``).
HANDLER = "scalinglab-ascii"

#: ASCII spellings of the characters scalinglab's own text uses (formulas, units, notes);
#: past these, a superscript is written after ``^`` (``10⁻³``: ``10^-3``), a subscript
#: after ``_``, an accented letter without its accent, and anything else as ``?``.
SPELLINGS: dict[str, str] = {
    "·": "*", "⋅": "*", "×": "x", "−": "-", "–": "-", "—": "-", "…": "...", "≤": "<=",
    "≥": ">=", "≠": "!=", "≡": "==", "≈": "~", "∝": "~", "±": "+/-", "∞": "inf", "→": "->",
    "←": "<-", "√": "sqrt", "∂": "d", "∈": "in", "⊙": "*", "°": " deg", "§": "S", "ß": "ss",
    "‘": "'", "’": "'", "“": '"', "”": '"', "α": "alpha", "β": "beta", "γ": "gamma",
    "δ": "delta", "ε": "epsilon", "η": "eta", "θ": "theta", "κ": "kappa", "λ": "lambda",
    "μ": "mu", "µ": "u", "ν": "nu", "π": "pi", "ρ": "rho", "σ": "sigma", "τ": "tau",
    "φ": "phi", "ψ": "psi", "ω": "omega", "Δ": "Delta", "Σ": "Sigma", "ℓ": "l", "✓": "yes",
    "✗": "no", "•": "*", "▲": "^", "▼": "v", "⌈": "ceil(", "⌉": ")", "─": "-", "│": "|",
    "├": "+", "└": "+",
}  # fmt: skip


def _spelled(err: UnicodeError) -> tuple[str, int]:
    if not isinstance(err, UnicodeEncodeError):
        raise err
    said, mark = [], ""
    for char in err.object[err.start : err.end]:
        name = unicodedata.name(char, "")
        raised = "^" if "SUPERSCRIPT" in name or "MODIFIER LETTER" in name else ""
        raised = "_" if "SUBSCRIPT" in name else raised
        if char in SPELLINGS:
            said.append(SPELLINGS[char])
        else:  # ², ⁻, ₀, ᵀ, ä: the letter, digit or sign it is made of
            base = unicodedata.normalize("NFKD", char)
            plain = "".join(SPELLINGS.get(c, c) for c in base).encode("ascii", "ignore")
            said.append((raised if raised != mark else "") + (plain.decode() or "?"))
        mark = raised  # one ^ for a run of superscripts (⁻ is one too: ⁻³ is ^-3)
    return "".join(said), err.end


codecs.register_error(HANDLER, _spelled)


@contextlib.contextmanager
def plain_streams() -> Iterator[None]:
    """Inside the block, stdout and stderr spell in ASCII what their encoding lacks (where
    it is no UTF); their error handlers are restored on leaving it."""
    changed = []
    for stream in (sys.stdout, sys.stderr):
        encoding = getattr(stream, "encoding", None)
        if not encoding or _holds_all(encoding) or not hasattr(stream, "reconfigure"):
            continue  # UTF-8 (a terminal, a test's capture), or no text stream to change
        with contextlib.suppress(OSError, ValueError):  # closed, or full: it says so later
            changed.append((stream, stream.errors))
            stream.reconfigure(errors=HANDLER)
    try:
        yield
    finally:
        for stream, errors in changed:
            with contextlib.suppress(OSError, ValueError):
                stream.reconfigure(errors=errors)


def _holds_all(encoding: str) -> bool:
    """Whether ``encoding`` encodes every character (a UTF)."""
    try:
        return codecs.lookup(encoding).name.startswith("utf")
    except LookupError:
        return False
