"""``scalinglab hparams presets`` (no such command) is pointed to ``scalinglab laws``,
which lists the presets, and the hparams group's help says where they are listed."""

from __future__ import annotations

import pytest

from scalinglab.cli import main


def _err(capsys: pytest.CaptureFixture[str], *args: str) -> tuple[int, str]:
    code = main(list(args))
    return code, " ".join(capsys.readouterr().err.split())


@pytest.mark.parametrize("args", [("hparams", "presets"), ("presets",), ("hparams", "preset")])
def test_a_presets_command_is_pointed_to_laws(
    capsys: pytest.CaptureFixture[str], args: tuple[str, ...]
) -> None:
    code, err = _err(capsys, *args)
    assert code == 2 and "No such command" in err
    assert "are listed by 'scalinglab laws'" in err and "'scalinglab laws steplaw2025'" in err


def test_other_unknown_commands_keep_the_help_hint(capsys: pytest.CaptureFixture[str]) -> None:
    code, err = _err(capsys, "hparams", "fitt")
    assert code == 2 and "hint: see 'scalinglab hparams --help'" in err


def test_the_hparams_help_names_where_the_presets_are_listed(
    capsys: pytest.CaptureFixture[str],
) -> None:
    assert main(["hparams", "--help"]) == 0
    assert "presets: scalinglab laws" in " ".join(capsys.readouterr().out.split())
