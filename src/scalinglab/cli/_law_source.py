"""The loss law ``predict`` and ``plan`` read: a fit saved by ``scalinglab fit --out``
(``--fit FIT.json``), or a published law (``--preset NAME``)."""

from __future__ import annotations

import shlex
from pathlib import Path
from typing import TYPE_CHECKING

from scalinglab._errors import ConfigError, DataError

if TYPE_CHECKING:  # the fit package loads NumPy: `--help` stays light
    from scalinglab.fit import FitResult
    from scalinglab.laws import Preset

__all__ = ["law_source", "law_words", "load_fit"]


def load_fit(path: Path, *, reader: str) -> FitResult:
    """The fit saved at ``path`` (``reader``: the command, for the messages); a missing file
    named as a preset is (``--fit hoffmann2022``) says so, with the option that reads it.

    Raises:
        DataError: A missing file, or one that is not a loss fit.
    """
    from scalinglab.laws import PRESETS

    name = str(path).strip().lower()
    if name in PRESETS and not path.exists():
        raise DataError(
            "fit file not found",
            source=str(path),
            hint=f"{name} is a published law, not a file: --preset {name} (or write a fit "
            "with `scalinglab fit ... --out fit.json`)",
        )
    from scalinglab.fit import FitResult
    from scalinglab.fit._result_json import load

    return load(FitResult, path, reader=reader, option="--fit")


def law_source(
    fit_path: Path | None, preset: str | None, *, command: str
) -> tuple[FitResult | Preset, str]:
    """The fit at ``fit_path`` or the preset ``preset`` (exactly one given), and the option
    that gave it as the user wrote it (``--fit fit.json``), for the output.

    Raises:
        ConfigError: Neither or both given, or an unknown preset.
        DataError: A fit file missing or not a loss fit.
    """
    if fit_path is not None and preset is None:
        return load_fit(fit_path, reader=f"`{command} --fit`"), f"--fit {fit_path}"
    if preset is not None and fit_path is None:
        from scalinglab.laws import get_preset

        return get_preset(preset), f"--preset {preset}"
    raise ConfigError(
        "give exactly one of --fit FIT.json or --preset NAME"
        + (", not both" if preset is not None else ""),
        hint="e.g. --fit fit.json (from scalinglab fit --out) or --preset hoffmann2022",
    )


def law_words(fit_path: Path | None, preset: str | None) -> str:
    """``--fit PATH`` or ``--preset NAME`` (``hoffmann2022`` where neither is given) as the
    words of a command to copy: a path with a space is one word, quoted."""
    if fit_path is not None:
        return shlex.join(["--fit", str(fit_path)])
    return f"--preset {preset or 'hoffmann2022'}"
