"""A ladder given by a path one slip off a file that exists (``my.tml``, ``mmy.toml``) names
that file, as an unknown recipe name names the recipe it most likely meant."""

from __future__ import annotations

from pathlib import Path

import pytest

from scalinglab.cli import main


def _err(capsys: pytest.CaptureFixture[str]) -> str:
    return " ".join(capsys.readouterr().err.split())


@pytest.mark.parametrize("typed", ["my.tml", "mmy.toml"])
def test_a_typed_ladder_path_names_the_close_file(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], typed: str
) -> None:
    (tmp_path / "my.toml").write_text('name = "x"\n')
    assert main(["ladder", "plan", str(tmp_path / typed)]) == 2
    err = _err(capsys)
    assert f"hint: did you mean '{tmp_path / 'my.toml'}'?" in err


def test_no_close_file_no_suggestion(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    (tmp_path / "other.toml").write_text('name = "x"\n')
    assert main(["ladder", "plan", str(tmp_path / "my.tml")]) == 2
    err = _err(capsys)
    assert "unknown ladder recipe" in err and "did you mean" not in err
