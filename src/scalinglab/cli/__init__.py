"""The ``scalinglab`` command line: a thin layer over the library.

:func:`main` is the one error boundary (as in pypa/build's ``__main__``)::

    ScalingLabError (InputError: 2, FitError: 1)  ->  "error: <message>" + "hint: <hint>"
    usage errors (unknown option, bad value)      ->  exit 2
    Ctrl-C                                        ->  exit 130, "interrupted: <where>; <each
                                                      file: not written>" (ladder run: more)
    stdout full (``> /dev/full``)                 ->  "cannot write to stdout", exit 2
    stdout closed (``| head -1``)                 ->  nothing more, exit 141 (128 + SIGPIPE)
                                                      (--version and --help too); with
                                                      --out: files written, exit 0
    stderr closed, or full                        ->  the work goes on, nothing more said
                                                      there (a report is still written);
                                                      an error keeps its own exit code
                                                      (``2>&1 | head -1``; not 141)
    anything else (a bug)                         ->  one line, exit 1, no traceback
                                                      (set SCALINGLAB_DEBUG=1 to see it)
"""

from __future__ import annotations

import gc
import os
import sys
import traceback
import warnings
from collections.abc import Sequence
from typing import TYPE_CHECKING

from scalinglab._errors import ScalingLabError
from scalinglab.cli._said import say as _say
from scalinglab.cli._streams import drop, kept_stdout, stdout_write_error, write_stderr

if TYPE_CHECKING:
    from scalinglab.cli._interrupted import Ledger

__all__ = ["main", "run", "version_text"]

PROG = "scalinglab"


def _click_class(name: str) -> type[Exception]:
    """Click's ``ClickException`` or ``UsageError``, whichever click Typer uses (its own
    vendored copy in recent releases, the ``click`` package before): both are bases of the
    public ``typer.BadParameter``."""
    import typer

    for cls in typer.BadParameter.__mro__:
        if cls.__name__ == name and issubclass(cls, Exception):
            return cls
    raise RuntimeError(f"typer.BadParameter does not derive from {name}")  # pragma: no cover


def main(argv: Sequence[str] | None = None) -> int:
    """Run the command line with ``argv``.

    Args:
        argv: The arguments after the program's name (default: ``sys.argv[1:]``).

    Returns:
        The exit code.
    """
    args = list(sys.argv[1:] if argv is None else argv)
    try:
        return _main(args)
    except KeyboardInterrupt:  # while the command line itself loads, before any work
        _say(f"interrupted: {PROG} stopped as it started; nothing written")
        return 130


def _main(args: list[str]) -> int:
    from scalinglab.cli._interrupted import watching
    from scalinglab.cli._plain_text import plain_streams

    # a locale without UTF-8 (LC_ALL=C): `A*N^-alpha` where `A·N^-α` cannot be encoded
    with plain_streams(), watching() as ledger, kept_stdout(ledger):  # --out: written still
        if args == ["--version"]:
            return _version()
        from scalinglab.cli._config_dirs import settle_matplotlib
        from scalinglab.cli._process import lean_process

        settle_matplotlib()  # HOME not writable: a font cache kept, not rebuilt each time
        with lean_process(args):  # `fit`: one BLAS thread, no garbage collection meanwhile
            return _run(args, ledger)


def _version() -> int:
    """``--version``, answered before Typer, Rich and NumPy load (a third of a second on a
    small CPU): the same lines the app's --version prints."""
    try:
        sys.stdout.write(version_text())
        sys.stdout.flush()  # here, where a closed pipe is caught, not at the exit
    except BrokenPipeError:
        return _closed_pipe()
    except OSError as err:  # `> /dev/full`
        return _unwritable_stdout(err)
    return 0


def version_text() -> str:
    """What ``--version`` prints: the version, then which solver fits use and the builds
    installed (NumPy stays unloaded: the builds are found by path).

    Returns:
        The lines, each ending in a newline.
    """
    from scalinglab import __version__
    from scalinglab._builds import solver_line

    return f"{PROG} {__version__}\n{solver_line()}\n"


def _run(args: list[str], ledger: Ledger) -> int:
    """Parse ``args``, run the command, map what it raised to a message and exit code
    (``ledger``: what the command did, said at Ctrl-C)."""
    import typer

    from scalinglab.cli._json_slip import json_path_slip
    from scalinglab.cli._root import command_for

    click_error, usage_error = _click_class("ClickException"), _click_class("UsageError")
    command = command_for(args)  # `fit` alone, or every command
    try:
        from scalinglab.cli._argwalk import walk
        from scalinglab.cli._empty_paths import check_empty_paths
        from scalinglab.cli._number_slips import check_number_slips
        from scalinglab.cli._repeats import check_repeats
        from scalinglab.cli._usage_slips import check_other_words

        words = walk(command, args)  # the subcommand, its options and positionals, once
        if not words.asks_help:  # click prints the help, reading no value: nor do these
            check_repeats(words)  # click would keep the last of a repeated one-value option
            check_number_slips(words)  # --level 90%, --bootstrap 1k: click says "not valid"
            check_empty_paths(words)  # '' where a path goes: Path('') is the folder "."
            check_other_words(words)  # --tokens-per-step 0.5M params: `params` is no RUNS
        with warnings.catch_warnings():
            # a library's warning (NumPy's overflow, pandas', MLflow's) is one line on stderr
            warnings.showwarning = _one_line_warning
            result = command.main(args=args, prog_name=PROG, standalone_mode=False)
    except ScalingLabError as err:
        if slip := json_path_slip(args, err):  # `--json PATH`, as before issue 12
            _say(slip)
            return 2
        from scalinglab.cli._choices import choice_slip

        message, hint = _said(err, command, args)
        # a value of a fixed set: the one meant, if near
        _say(message + choice_slip(command, args, message, hint), hint)
        return err.exit_code
    except KeyboardInterrupt:
        return _say_interrupted(ledger, command, args)
    except typer.Abort as err:
        if isinstance(err.__context__, KeyboardInterrupt):  # click's word for Ctrl-C
            return _say_interrupted(ledger, command, args)
        _say("aborted")
        return 1
    except click_error as err:
        if slip := json_path_slip(args, err):
            _say(slip)
            return 2
        try:
            from scalinglab.cli._click_errors import click_error as say_click_error

            return say_click_error(err, usage_error, args, command)
        except BrokenPipeError:  # bare `scalinglab | head -1`: the help to a closed stdout
            return _closed_pipe()
    except BrokenPipeError:  # the reader of stdout is gone: what a killed `yes | head` says
        return _closed_pipe()
    except SystemExit as err:  # Typer turns a closed pipe into exit 1 (as click does)
        if isinstance(err.__context__, BrokenPipeError):
            return _closed_pipe()
        raise
    except Exception as err:  # a bug: one line, never a traceback (unless asked for)
        if stdout_write_error(err):
            return _unwritable_stdout(err)
        if os.environ.get("SCALINGLAB_DEBUG"):
            traceback.print_exc()
        _say(
            f"internal error: {type(err).__name__}: {err}",
            "this is a bug in scalinglab; rerun with SCALINGLAB_DEBUG=1 and report the traceback",
        )
        return 1
    code = result if isinstance(result, int) else 0
    if code == 130:  # Typer turns Ctrl-C inside a command into Exit(130), silently
        return _say_interrupted(ledger, command, args)
    return code


def _say_interrupted(ledger: Ledger, command: object, args: list[str]) -> int:
    """Ctrl-C: one line saying where the command stopped and what became of its files."""
    from scalinglab.cli._interrupted import interrupted_message
    from scalinglab.cli._usage_slips import command_path

    _say(interrupted_message(ledger, command_path(None, args, command)))
    return 130


def _unwritable_stdout(err: OSError) -> int:
    """A write to stdout failed: said as an output that cannot be written (``--out``'s exit
    code, 2); stdout is dropped so that the exit's flush does not fail again."""
    drop(sys.stdout)
    _say(
        f"cannot write to stdout ({err.strerror or err})",
        "free space where stdout is redirected, or redirect it elsewhere",
    )
    return 2


def _said(err: ScalingLabError, command: object, args: list[str]) -> tuple[str, str]:
    """``err``'s message and hint, said for the command run where the error is in Python's
    words: a run store given where a table file is read says how this command reads one, and
    an option Python names by its keyword (``seq_len``) is named by its flag (``--seq-len``)."""
    from scalinglab._option_words import SpelledError
    from scalinglab.data._files import StoreGivenError

    if isinstance(err, StoreGivenError):
        from scalinglab.cli._store_given import store_given_hint

        return err.message, store_given_hint(command, args, str(err.path))
    if isinstance(err, SpelledError):
        return err.command_line
    return err.message, err.hint


def _closed_pipe() -> int:
    """Exit 141 (128 + SIGPIPE, as a shell reports ``yes | head -1``'s ``yes``), silently."""
    drop(sys.stdout)
    return 128 + 13


def _one_line_warning(
    message: Warning | str, category: type[Warning], filename: str, lineno: int,
    file: object = None, line: str | None = None,
) -> None:  # fmt: skip
    text = str(message).strip()
    first = text.splitlines()[0] if text else category.__name__
    write_stderr(f"warning: {first} ({category.__name__})\n")


def run() -> None:
    """Console-script entry point: ``scalinglab ...``."""
    from scalinglab.cli._process import is_lean

    if is_lean(sys.argv[1:]):
        # the process ends with the command: its collector stays off from here on, where
        # lean_process would turn it back on, and the first allocation after would walk
        # every object the command made (a fiftieth of `scalinglab fit`'s wall time)
        gc.disable()
    code = main()
    if code == 130:  # a Ctrl-C caught and said: exit 130 under `python -m` too
        from scalinglab._caught_interrupt import forget_caught_interrupt

        forget_caught_interrupt()
    # the process ends here: spare it the collector's last walk over every object it made
    # (a twentieth of the CPU time of `scalinglab fit` on the bundled runs)
    gc.freeze()
    sys.exit(code)
