"""A mean-of-the-last-K rule typed without its colon (``--final mean5``, ``mean-5``,
``mean=5``) or misspelt with its count (``mena:5``) is refused with the rule meant, count
and all: ``did you mean 'mean:5'?`` (it suggested 'mean', which reads the last 10)."""

from __future__ import annotations

from pathlib import Path

import pytest
from tests._cli import cli

from scalinglab import ConfigError
from scalinglab.ingest._final import FinalRule


@pytest.mark.parametrize("typed", ["mean5", "mean-5", "mean=5", "MEAN 5", "mena:5", "maen:5"])
def test_the_rule_meant_is_suggested_with_its_count(typed: str) -> None:
    with pytest.raises(ConfigError, match=r"did you mean 'mean:5'\?"):
        FinalRule.parse(typed)


def test_good_rules_and_other_slips_are_unchanged() -> None:
    assert FinalRule.parse("mean:5") == FinalRule("mean", 5)
    assert FinalRule.parse("last") == FinalRule("last")
    with pytest.raises(ConfigError, match="only 'mean' takes a point count, not 'min:3'"):
        FinalRule.parse("min:3")
    with pytest.raises(ConfigError, match=r"rule 'bogus7' \(use"):  # nothing near: none suggested
        FinalRule.parse("bogus7")


def test_on_the_command_line(capsys: pytest.CaptureFixture[str], tmp_path: Path) -> None:
    runs = tmp_path / "runs.csv"
    runs.write_text("run,params,tokens,loss\na,70M,1.4B,3.1\n")
    code, _, err = cli(capsys, "ingest", str(runs), "--store", str(tmp_path / "s.duckdb"),
                       "--final", "mean5")  # fmt: skip
    assert code == 2
    assert "error: unknown final-value rule 'mean5'; did you mean 'mean:5'?" in err
    assert "did you mean 'mean'?" not in err
    assert not (tmp_path / "s.duckdb").exists()
