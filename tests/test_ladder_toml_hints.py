"""A ladder TOML's slips, said as a rung's are: a key one slip off a known one is named in
``[rules]`` and at the top level too; an integer field's hint gives that field's example
(a depth of 0: "such as 2", not 64)."""

from __future__ import annotations

from pathlib import Path

import pytest
from tests._ladders import make_corpus, write_ladder

from scalinglab.cli import main


@pytest.fixture(autouse=True)
def _cache(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("SCALINGLAB_CACHE", str(tmp_path / "cache"))


def _err(capsys: pytest.CaptureFixture[str]) -> str:
    return " ".join(capsys.readouterr().err.split())


@pytest.mark.parametrize(
    ("line", "new", "said"),
    [
        ("tokens_per_param = 5", "tokens_per_parm = 5", "[rules]: unknown key tokens_per_parm"),
        ('name = "mini"', 'nmae = "mini"', "unknown top-level key nmae"),
    ],
)
def test_a_toml_key_one_slip_off_is_named(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], line: str, new: str, said: str
) -> None:
    path = write_ladder(tmp_path / "l.toml", steps=(10,), corpus=make_corpus(tmp_path / "t"))
    path.write_text(path.read_text().replace(line, new))
    assert main(["ladder", "plan", str(path)]) == 2
    err = _err(capsys)
    meant = new.split(" ")[0].replace("parm", "param").replace("nmae", "name")
    assert said in err and f"hint: did you mean '{meant}'? known keys:" in err


def test_an_integer_fields_hint_gives_its_own_example(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    path = write_ladder(tmp_path / "l.toml", steps=(10,), corpus=make_corpus(tmp_path / "t"))
    path.write_text(path.read_text().replace("depth = 1", "depth = 0"))
    assert main(["ladder", "plan", str(path)]) == 2
    err = _err(capsys)
    assert "model: depth must be an integer ≥ 1, got 0" in err
    assert "hint: write depth as a whole number ≥ 1, such as 2" in err


@pytest.mark.parametrize(
    ("line", "new", "said", "hint"),
    [
        ("tokens_per_param = 5", "tokens_per_param = -5",
         "l.toml: [rules]: tokens_per_param must be a positive number, got -5",
         "hint: write tokens_per_param as a number > 0, such as 20"),
        ("tokens_per_param = 5", "tokens_per_param = 5\nbatch = 0",
         "l.toml: [rules]: batch must be 'porian' or a positive integer, got 0",
         "hint: write batch = \"porian\""),
        ("lr = 3e-3", "lrr = 3e-3", "l.toml: [train]: unknown key lrr", "did you mean 'lr'?"),
    ],
)  # fmt: skip
def test_a_toml_table_is_named_as_the_file_writes_it_with_a_hint(
    tmp_path: Path,
    capsys: pytest.CaptureFixture[str],
    line: str,
    new: str,
    said: str,
    hint: str,
) -> None:
    # [rules] was 'rules:' in one message and '[rules]:' in another, [train] 'train defaults:';
    # tokens_per_param = -5 had no hint
    path = write_ladder(tmp_path / "l.toml", steps=(10,), corpus=make_corpus(tmp_path / "t"))
    path.write_text(path.read_text().replace(line, new))
    assert main(["ladder", "plan", str(path)]) == 2
    err = _err(capsys)
    assert said in err and hint in err
