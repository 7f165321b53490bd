"""A comparison's number on a size column carries the unit word of the column's quantity
(``tokens>1e8 tokens``, ``params>=70M params``, ``flops<=1e21 FLOPs``), as an option of a
size does (``--tokens "10B tokens"``), in ``--where``, ``--holdout`` and ``--fit-on`` and in
Python's ``where=``, ``holdout=`` and ``fit_on=`` alike; another quantity's word is refused
as the options refuse it ("'1e8 params' is a count of params, not tokens"). It was "not
COLUMN OP NUMBER" (a word after a space) or "not a number" (a word run on)."""

from __future__ import annotations

from pathlib import Path

import pytest
from tests._cli import cli, refused

from scalinglab import read_runs
from scalinglab._errors import ConfigError
from scalinglab.data._compare import where_clause
from scalinglab.validate._rules import rule_mask


@pytest.fixture
def runs_csv(tmp_path: Path) -> Path:
    path = tmp_path / "runs.csv"
    rows = [(n, d) for n in (1e7, 7e7, 3e8) for d in (1e8, 1e9, 1e10)]
    path.write_text(
        "params,tokens,flops,loss\n"
        + "".join(
            f"{n:g},{d:g},{6 * n * d:g},{2 + 400 / n**0.34 + 400 / d**0.28}\n" for n, d in rows
        )
    )
    return path


@pytest.mark.parametrize(
    ("rule", "bare"),
    [
        ("tokens>1e8 tokens", "tokens>1e8"),
        ("params>=70M params", "params>=70M"),
        ("params >= 70M Parameters", "params>=70M"),
        ("tokens>1e8tokens", "tokens>1e8"),
        ("flops<=1e21 FLOPs", "flops<=1e21"),
    ],
)
def test_python_where_and_rules_read_the_columns_word(runs_csv: Path, rule: str, bare: str) -> None:
    table = read_runs(runs_csv)
    assert len(table.where(rule)) == len(table.where(bare))
    assert rule_mask(table, rule).mask.tolist() == rule_mask(table, bare).mask.tolist()
    assert where_clause(rule) is not None


@pytest.mark.parametrize(
    ("rule", "said", "quantity"),
    [
        ("tokens>1e8 params", "'1e8 params' is a count of params, not tokens", "tokens"),
        ("params>=70M tokens", "'70M tokens' is a count of tokens, not params", "params"),
        ("flops<=1e21 tokens", "'1e21 tokens' is a count of tokens, not FLOPs", "FLOPs"),
    ],
)
def test_python_refuses_another_quantitys_word(
    runs_csv: Path, rule: str, said: str, quantity: str
) -> None:
    table = read_runs(runs_csv)
    with pytest.raises(ConfigError, match=said) as where:
        table.where(rule)
    assert f"write a number of {quantity} there" in str(where.value.hint)
    with pytest.raises(ConfigError, match=said):
        rule_mask(table, rule)


def test_cli_where_reads_the_columns_word(
    runs_csv: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    code, out, err = cli(capsys, "fit", str(runs_csv), "--where", "params>=70M params",
                         "--bootstrap", "0", "--no-compare")  # fmt: skip
    assert code == 0, err
    assert "(6 of its 9 runs selected" in out


@pytest.mark.parametrize("option", ["--where", "--holdout", "--fit-on"])
def test_cli_refuses_another_quantitys_word(
    runs_csv: Path, capsys: pytest.CaptureFixture[str], option: str
) -> None:
    command = "fit" if option == "--where" else "backtest"
    error, hint = refused(capsys, [command, str(runs_csv), option, "tokens>1e8 params"])
    assert "'1e8 params' is a count of params, not tokens" in error
    assert hint == "hint: write a number of tokens there: 1e8 or '1e8 tokens'"
