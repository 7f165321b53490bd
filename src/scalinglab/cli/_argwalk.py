"""One walk over the command-line words, as click will read them, for the checks that run
before click does (:mod:`._repeats`, :mod:`._number_slips`, :mod:`._empty_paths`).

The words start at the root command; each word is, in order:

- an option of the command read so far, ``--opt value`` or ``--opt=value``; an option that
  takes a value takes the next word whatever it looks like (``--out --seed``: ``--out`` is
  ``--seed``), as click does; a flag (``--json``) takes none;
- a group's first positional word naming one of its subcommands: the words after it are
  that subcommand's, as click reads a group (its options, then the subcommand's: ``runs
  --store a.duckdb rm --source b.csv`` gives ``--source`` to ``rm``, and its value with it);
- an unknown option (``--nonsuch``, ``--help``), read as taking no value: click refuses an
  option its command lacks before it reads anything after it, and the one it answers
  (``--help``) is a flag, so the guess never decides what runs;
- a positional word (``runs.csv``, ``''``), and every word after ``--``.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

__all__ = ["HELP", "Given", "Words", "leaf_command", "spellings", "typed_values", "walk"]

#: The option click answers with the command's help (Typer's one spelling; ``-h`` is none).
HELP = "--help"


@dataclass(frozen=True)
class Given:
    """One option with its value, or one positional word, as the command line gives it.

    Attributes:
        option: The option as typed (``--out``, without ``=value``); ``""`` for a
            positional word.
        value: The option's value (``None``: a flag given bare, or an option whose value is
            missing at the end), or the positional word.
        param: The option's click parameter; ``None`` for a positional word or an option the
            command does not have.
        joined: Whether the value was given in the option's word (``--out=x``).
    """

    option: str
    value: str | None
    param: Any = None
    joined: bool = False

    @property
    def positional(self) -> bool:
        """Whether this is a positional word, not an option."""
        return not self.option


@dataclass(frozen=True)
class Words:
    """A command line walked once: the (sub)command it runs and its words in order.

    Attributes:
        command: The click command the words name (``hparams fit``'s), or the root.
        given: Its options and positional words, in the order typed.
    """

    command: Any
    given: tuple[Given, ...]

    def options(self) -> list[Given]:
        """The options the command has, as given (unknown ones left out)."""
        return [g for g in self.given if g.param is not None]

    @property
    def asks_help(self) -> bool:
        """Whether ``--help`` is among the options (not an option's value, ``--out
        --help``): click answers it before it reads any other value, so the checks that
        run before click stand aside (``fit --json --json --help`` prints the help)."""
        return any(g.option == HELP and g.param is None and not g.joined for g in self.given)


def leaf_command(command: Any, args: Sequence[str]) -> tuple[Any, list[str]]:
    """The (sub)command ``args`` name, and the arguments left for it."""
    rest = list(args)
    while rest and isinstance(getattr(command, "commands", None), dict):
        sub = command.commands.get(rest[0])
        if sub is None:
            break  # an option of the group, or an unknown command: click says so
        command, rest = sub, rest[1:]
    return command, rest


def takes_value(param: Any) -> bool:
    """Whether click reads the word after ``param``'s option as its value: not a flag
    (``--json``, ``--bootstrap/--no-bootstrap``), not a count."""
    return not (getattr(param, "is_flag", False) or getattr(param, "count", False))


def spellings(command: Any) -> dict[str, Any]:
    """Option spelling -> its parameter, for every option of ``command``."""
    return {
        spelling: param
        for param in getattr(command, "params", ())
        if getattr(param, "param_type_name", "") == "option"
        for spelling in (*param.opts, *param.secondary_opts)
    }


def _subcommand(command: Any, word: str) -> Any:
    """The subcommand of group ``command`` that ``word`` names; ``None`` for a command that
    is no group, or a word naming none of its subcommands (click says so)."""
    commands = getattr(command, "commands", None)
    return commands.get(word) if isinstance(commands, dict) else None


def walk(command: Any, args: Sequence[str]) -> Words:
    """Walk ``args`` once: the (sub)command they name, then its options and positionals.

    Args:
        command: The root click command.
        args: The words after the program's name.

    Returns:
        The (sub)command and its words (a group's options given before its subcommand's
        name among them, each with its own parameter), as click will read them.
    """
    leaf, rest = command, list(args)
    options = spellings(leaf)
    given: list[Given] = []
    i = 0
    while i < len(rest):
        word = rest[i]
        if word == "--":  # the words after it are positional, as click reads them
            given.extend(Given("", after) for after in rest[i + 1 :])
            break
        name, eq, joined = word.partition("=")
        param = options.get(name)
        if param is None and not (word.startswith("-") and len(word) > 1):
            if (sub := _subcommand(leaf, word)) is not None:  # a group reads no more options
                leaf, options = sub, spellings(sub)
            else:
                given.append(Given("", word))
        elif param is None:
            given.append(Given(name, joined if eq else None, None, bool(eq)))
        elif eq or not takes_value(param):
            given.append(Given(name, joined if eq else None, param, bool(eq)))
        else:
            value = rest[i + 1] if i + 1 < len(rest) else None
            given.append(Given(name, value, param))
            i += 1
        i += 1
    return Words(leaf, tuple(given))


def typed_values(args: Sequence[str]) -> dict[str, str]:
    """The options of ``args`` with their values, ``--opt value`` and ``--opt=value``, read
    without the command (a word after an option is its value unless it is an option): for a
    hint written after click refused the line, where no walk of the command is needed."""
    out: dict[str, str] = {}
    words = list(args)
    for i, word in enumerate(words):
        if not word.startswith("--"):
            continue
        name, eq, value = word.partition("=")
        if eq:
            out[name] = value
        elif i + 1 < len(words) and not words[i + 1].startswith("--"):
            out[name] = words[i + 1]
    return out
