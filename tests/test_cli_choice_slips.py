"""An option with a fixed set of values suggests the value meant, as ``--kind`` and ``--map``
do: ``--on-conflict keeep`` says "did you mean 'keep'?", and so does a ``click.Choice``."""

from __future__ import annotations

import enum

import pytest
import typer
from tests._cli import refused

from scalinglab.cli._choices import click_choice_slip


@pytest.mark.parametrize(
    ("args", "meant"),
    [
        (["ingest", "runs", "--on-conflict", "keeep"], "keep"),
        (["ingest", "runs", "--on-conflict", "Replace"], "replace"),
        (["ingest", "runs", "--final", "lats"], "last"),
        (["fit", "--data", "overtraining-c4", "--space", "lg"], "log"),
        (["fit", "--data", "overtraining-c4", "--plot", "f.png", "--format", "svgg"], "svg"),
    ],
)
def test_fixed_values_suggest_the_one_meant(
    capsys: pytest.CaptureFixture[str], args: list[str], meant: str
) -> None:
    error, _ = refused(capsys, args)
    assert error.endswith(f"; did you mean '{meant}'?"), error


def test_said_once_and_not_when_far(capsys: pytest.CaptureFixture[str]) -> None:
    error, hint = refused(capsys, ["ingest", "runs", "--kind", "tensorbord"])
    assert f"{error} {hint}".count("did you mean") == 1
    error, hint = refused(capsys, ["ingest", "runs", "--on-conflict", "zzz"])
    assert "did you mean" not in f"{error} {hint}"


def test_click_choice_suggests() -> None:
    command = typer.main.get_command(_choice_app())
    with pytest.raises(typer.BadParameter) as caught:
        command.main(args=["--mode", "keeep"], standalone_mode=False)
    assert click_choice_slip(caught.value) == "; did you mean 'keep'?"


class _Mode(enum.StrEnum):
    replace = "replace"
    keep = "keep"


def _choice_app() -> typer.Typer:
    app = typer.Typer()

    @app.command()
    def run(mode: _Mode = typer.Option(_Mode.keep)) -> None:
        """A command with a choice option (Typer makes an Enum a click.Choice)."""

    return app
