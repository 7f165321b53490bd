"""The one exception hierarchy of scalinglab.

::

    ScalingLabError                  base of everything scalinglab raises on purpose
    ├── InputError                   the user's input is wrong (CLI exit code 2)
    │   ├── DataError                a run table: file, row, column, value
    │   │   └── TooFewCellsError     fewer located optima than a hyperparameter law needs
    │   ├── FormulaError             a law written as a string
    │   ├── ConfigError              an option or a combination of options
    │   │   ├── UnreachableError     a target loss no compute reaches under the law
    │   │   └── MissingKeyError      a name a result mapping lacks (a KeyError too)
    │   └── StoreError               a run store: missing, corrupt, locked, newer schema
    ├── FitError                     a fit ran but could not produce a usable result (exit code 1)
    └── InterruptError               Ctrl-C stopped work a rerun resumes (exit code 130)

Ctrl-C itself stays a ``KeyboardInterrupt``: ``run_ladder`` raises one that carries what
finished and where the stopped rungs resume (``scalinglab.execute.LadderInterrupted``),
which the command line says as an :class:`InterruptError`.

Every message says what was wrong, where, and what to do next. Expected numerical
trouble (a start that did not converge, a parameter at a bound) is not an exception:
it is reported in :class:`scalinglab.FitResult`.
"""

from __future__ import annotations

from collections.abc import Collection, Mapping, Sequence

__all__ = [
    "ConfigError",
    "DataError",
    "FitError",
    "FormulaError",
    "InputError",
    "InterruptError",
    "MissingKeyError",
    "NoRollingStepError",
    "ScalingLabError",
    "StoreError",
    "TooFewCellsError",
    "UnreachableError",
    "check_keywords",
    "check_level",
    "check_text",
    "closest_name",
    "did_you_mean",
    "first_line",
    "keyword_meant",
    "meant",
    "nearest_name",
]


class ScalingLabError(Exception):
    """Base class of every error scalinglab raises on purpose.

    Attributes:
        hint: What the user can do about it, or ``""``.
    """

    exit_code: int = 1

    def __init__(self, message: str, *, hint: str = "") -> None:
        super().__init__(message)
        self.message = message
        self.hint = hint

    def __str__(self) -> str:
        return f"{self.message} ({self.hint})" if self.hint else self.message


class InputError(ScalingLabError):
    """The input given to scalinglab is wrong; fixing the input fixes the error."""

    exit_code = 2


class DataError(InputError):
    """A run table is missing, malformed or holds values a scaling-law fit cannot use.

    Attributes:
        source: The file (or ``"<DataFrame>"``) the data came from.
        row: 1-based row as the user sees it (line in a CSV/JSONL file; a DataFrame's
            writes itself by its index, ``row 'r3'``), or ``None``.
        column: Column name, or ``None``.
    """

    def __init__(
        self,
        message: str,
        *,
        source: str | None = None,
        row: int | None = None,
        column: str | None = None,
        hint: str = "",
    ) -> None:
        where = []
        if source is not None:
            where.append(str(source))
        if row is not None:
            where.append(f"row {row}")
        if column is not None:
            where.append(f"column {column!r}")
        prefix = ", ".join(where)
        super().__init__(f"{prefix}: {message}" if prefix else message, hint=hint)
        self.source = source
        self.row = row
        self.column = column


class TooFewCellsError(DataError):
    """Fewer usable cells (located optima) than a hyperparameter law has parameters, plus
    one: its callers add what they know (the optima located) to the hint."""


class NoRollingStepError(DataError):
    """No rolling-origin step has runs enough to fit the law (twice its parameters): the
    CLI's default ``--rolling`` notes it rather than failing the held-out backtest."""


class FormulaError(InputError):
    """A law given as a formula string cannot be parsed or is not allowed."""


class ConfigError(InputError):
    """An option, or a combination of options, is invalid."""


class UnreachableError(ConfigError):
    """A target loss no compute reaches under the law (at or below its irreducible loss, or
    past the largest compute searched): a plan of several targets plans the others."""


class MissingKeyError(ConfigError, KeyError):
    """A name a mapping of results does not hold (a group of a loss-to-loss fit, a task of
    a chain): its message names the keys there are. A :class:`KeyError` too, so code that
    catches one keeps working."""


class StoreError(InputError):
    """A run store cannot be opened or used: missing, corrupt, locked, or from a newer version."""


class FitError(ScalingLabError):
    """A fit could not produce any usable result (for example every start diverged)."""

    exit_code = 1


class InterruptError(ScalingLabError):
    """Ctrl-C stopped work that a rerun resumes (a ladder run): the message says what
    stopped and where it is kept, the hint how to resume; exit code 130 (128 + SIGINT, as a
    shell reports a command stopped by Ctrl-C)."""

    exit_code = 130


def first_line(err: BaseException) -> str:
    """The first line of a third-party error's text, for a one-line report (pyarrow's,
    pandas', DuckDB's and MLflow's run to many); the error's type where it has none."""
    text = str(err).strip()
    return text.splitlines()[0] if text else type(err).__name__


def check_level(level: float, *, option: str = "level") -> float:
    """``level`` as a float when it lies strictly between 0 and 1 (a coverage, as a
    fraction); otherwise a :class:`ConfigError` naming ``option`` (``"--level"`` on the
    command line), which reads a percentage as the fraction it meant."""
    if isinstance(level, int | float) and 0.0 < float(level) < 1.0:
        return float(level)
    if not isinstance(level, int | float):  # "0.9" from Python: a number was meant
        raise ConfigError(
            f"{option} must be a number between 0 and 1, got {type(level).__name__} {level!r}",
            hint=f"pass a number, e.g. {option} 0.9 for a 90% interval",
        )
    # 50, 80, 90, 95: a percentage; 1.5 is no coverage anyone means (0.015)
    meant = isinstance(level, int | float) and 10.0 <= float(level) < 100.0
    hint = (
        f"a fraction: {option} {float(level) / 100:g} for a {float(level):g}% interval"
        if meant
        else f"a fraction, e.g. {option} 0.9 for a 90% interval (5% to 95%)"
    )
    raise ConfigError(f"{option} must be between 0 and 1, got {level!r}", hint=hint)


def check_text(value: object, *, what: str, example: str) -> str:
    """``value`` when it is a string; otherwise a :class:`ConfigError` saying ``what`` was
    expected and what was given (``get_preset(5)``, ``backtest(holdout=5)``), rather than
    Python's bare ``AttributeError`` from ``.strip()``."""
    if isinstance(value, str):
        return value
    raise ConfigError(
        f"{what} must be a string, got {value!r} ({type(value).__name__})",
        hint=f"e.g. {example}",
    )


def check_keywords(
    given: Mapping[str, object],
    known: Sequence[str],
    *,
    call: str,
    hints: Mapping[str, str] | None = None,
    otherwise: str | None = None,
    accepted: Collection[str] = (),
) -> None:
    """Refuse a keyword ``call`` does not take with a :class:`ConfigError` in the one form
    every public function and method uses: what was given, the options it takes, and the
    nearest one (``levle=``: "did you mean level=?"), rather than Python's bare ``TypeError``.

    Args:
        given: The keywords received; those in ``known`` or ``accepted`` pass.
        known: The options ``call`` takes, as the message lists them.
        call: The name the message gives (``"scalinglab.fit"``, ``"FitResult.predict"``).
        hints: What to say of a name given that is a known slip (``law=`` to ``compare``),
            instead of the nearest option.
        otherwise: The hint when no option is near (default: ``see help(call)``).
        accepted: Names taken but not listed nor suggested (deprecated ones, ``loss=``).
    """
    for name in (n for n in given if n not in known and n not in accepted):
        near = nearest_name(name, known)
        hint = (hints or {}).get(name) or (keyword_meant(near) if near else None)
        options = ", ".join(known) if known else "it takes none"
        raise ConfigError(
            f"{call} got {name}=, which is none of its options ({options})",
            hint=hint or otherwise or f"see help({call})",
        )


def nearest_name(name: str, known: Sequence[str]) -> str | None:
    """The name of ``known`` that ``name`` most likely meant: a close spelling (``levle``:
    ``level``), else one that holds it or that it holds (``loss``: ``target_loss``), the
    nearest in length; ``None`` when none does."""
    import difflib

    near = difflib.get_close_matches(name, known, n=1, cutoff=0.6)
    if near:
        return near[0]
    # a part of the name, as `loss=` for `target_loss=`: parts of 3 letters or more
    held = [k for k in known if min(len(k), len(name)) >= 3 and (name in k or k in name)]
    return min(held, key=lambda k: abs(len(k) - len(name)), default=None)


def did_you_mean(given: object, known: Collection[str]) -> str:
    """``"; did you mean 'x'?"``, the suffix every refusal of an unknown name adds, for the
    name of ``known`` that ``given`` most likely meant (:func:`closest_name`); ``""`` when
    none is near."""
    name = closest_name(given, known)
    return meant(name) if name is not None and name != given else ""


def closest_name(given: object, known: Collection[str]) -> str | None:
    """The name of ``known`` that ``given`` most likely meant: the same but for case
    (``Huber``), else a close spelling (``hubber``, ``tabel``, ``hellaswg``), else, for a
    word of 3 letters or fewer, one slip (:func:`_one_slip`: ``wds``, ``wsd``); ``None``."""
    import difflib

    if not isinstance(given, str) or not given.strip():
        return None
    lowered = {k.lower(): k for k in known}
    word = given.strip().lower()
    near = [word] if word in lowered else difflib.get_close_matches(word, list(lowered), 1, 0.75)
    near = near or [k for k in lowered if _one_slip(word, k)]
    return lowered[near[0]] if near else None


def _one_slip(word: str, name: str) -> bool:
    """``word`` is ``name`` with two neighbouring letters swapped, or (3 letters) one letter
    changed. Only for words of 3 letters or fewer: there one slip is a third of the word or
    more, which the spelling cutoff of 0.75 (difflib's ratio) never reaches, while a longer
    word with one slip passes it."""
    if len(word) != len(name) or not 2 <= len(word) <= 3:
        return False
    off = [i for i, (a, b) in enumerate(zip(word, name, strict=True)) if a != b]
    # two neighbours that differ and the same letters: the two are swapped
    swapped = len(off) == 2 and off[1] == off[0] + 1 and sorted(word) == sorted(name)
    return swapped or (len(off) == 1 and len(word) == 3)


def meant(*names: str, aside: str = "", hint: bool = False) -> str:
    """``"; did you mean 'x'?"``: how a refusal names the name meant, quoted, whichever
    rule found it (:func:`did_you_mean`, :func:`nearest_name`, a cutoff of its own).

    Args:
        *names: The names meant, quoted each (several: ``'x' or 'y'``).
        aside: Words said of it before the ``?`` (``(Chinchilla, Hoffmann et al. 2022)``).
        hint: As a hint's first words (``"did you mean 'x'?"``), not a message's end.
    """
    said = " or ".join(map(repr, names)) + (f" {aside}" if aside else "")
    return f"{'' if hint else '; '}did you mean {said}?"


def keyword_meant(name: str) -> str:
    """``"did you mean level=?"``: the hint for a keyword slip, the keyword meant as it is
    written in a call (:func:`check_keywords`; a known slip's own hint starts so too)."""
    return f"did you mean {name}=?"
