"""A ladder file's errors write values as TOML does: ``width = true`` was said back as
"got True", ``seeds = [true]`` as "[True]", a ``flops`` list as the tuple the reader made."""

from __future__ import annotations

import math
import tomllib
from pathlib import Path

import pytest
from tests._cli import cli

from scalinglab.ladder._toml_value import toml_value


@pytest.fixture
def tiny(capsys: pytest.CaptureFixture[str]) -> str:
    """The tiny recipe as a ladder file (``ladder plan tiny --toml``)."""
    code, out, _ = cli(capsys, "ladder", "plan", "tiny", "--toml")
    assert code == 0
    return out


@pytest.mark.parametrize(
    ("line", "wrong", "said"),
    [
        ("width = 32", "width = true", "width must be an integer ≥ 1, got true"),
        ("seeds = [0]", "seeds = [true]", "seeds must be a list of non-negative integers, got [true]"),
        ("tokens_per_param = 1.0", "tokens_per_param = false",
         "[rules]: tokens_per_param must be a positive number, got false"),
        ("betas = [0.9, 0.95]", "betas = [0.9, true, 1]",
         "train: betas must be two numbers, got [0.9, true, 1]"),
        ('schedule = "cosine"', "schedule = true",
         "train: schedule = true is not one of 'cosine', 'linear', 'constant', 'wsd'"),
    ],
)  # fmt: skip
def test_a_wrong_value_is_said_as_toml_writes_it(
    tiny: str,
    tmp_path: Path,
    capsys: pytest.CaptureFixture[str],
    line: str,
    wrong: str,
    said: str,
) -> None:
    assert f"\n{line}\n" in tiny
    path = tmp_path / "bad.toml"
    path.write_text(tiny.replace(f"\n{line}\n", f"\n{wrong}\n", 1), encoding="utf-8")
    code, out, err = cli(capsys, "ladder", "plan", str(path), one_line=True)
    assert code == 2 and out == ""
    assert said in err and "True" not in err and "False" not in err


@pytest.mark.parametrize(
    "value",
    [True, False, 3, -2.5, 1e11, math.inf, -math.inf, "porian", "it's", "a\\b", "tab\there",
     [1, "x", False], (1e11, 3e11), {"a": 1, "b c": [True]}, []],
)  # fmt: skip
def test_toml_value_reads_back_as_the_value(value: object) -> None:
    read = tomllib.loads(f"v = {toml_value(value)}")["v"]  # TOML's own reader: the reference
    assert read == (list(value) if isinstance(value, tuple) else value)
    assert type(read) is (list if isinstance(value, tuple) else type(value))


def test_nan_is_written_as_toml_writes_it() -> None:
    assert toml_value(math.nan) == "nan" and math.isnan(tomllib.loads("v = nan")["v"])
