"""Option values said as on every command: ``--seq-len`` takes units as ``--tokens-per-step``
does (a whole number of tokens), and ``backtest --bootstrap`` under its floor says why the
floor is there."""

from __future__ import annotations

import json

import pytest

from scalinglab.cli import main


def _json(capsys: pytest.CaptureFixture[str], *args: str) -> dict:
    assert main(list(args)) == 0, capsys.readouterr().err
    return json.loads(capsys.readouterr().out)


_PLAN = ["plan", "--preset", "hoffmann2022", "--compute", "1e21", "--hparams-preset"]


@pytest.mark.parametrize(
    "command",
    [
        [*_PLAN, "steplaw2025"],
        ["hparams", "predict", "--preset", "steplaw2025", "--params", "1B", "--tokens", "20B"],
    ],
)
def test_seq_len_takes_units(capsys: pytest.CaptureFixture[str], command: list[str]) -> None:
    with_unit = _json(capsys, *command, "--seq-len", "4K", "--json")
    plain = _json(capsys, *command, "--seq-len", "4000", "--json")
    assert with_unit == plain
    assert main([*command, "--seq-len", "2.5"]) == 2
    err = capsys.readouterr().err
    assert "error: --seq-len '2.5' is 2.5 tokens, not a whole number" in err
    assert main([*command, "--seq-len", "2X"]) == 2
    assert "error: --seq-len '2X' is not a number" in capsys.readouterr().err


def test_backtest_bootstrap_floor_says_why(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["backtest", "--bootstrap", "10"]) == 2
    out, err = capsys.readouterr()
    assert out == ""
    assert err.splitlines() == [
        "error: --bootstrap 10: a backtest scores its intervals' coverage, and under 20 "
        "resamples cannot place a 90% interval's ends (the 5th and 95th percentiles)",
        "hint: --bootstrap 200 (the default), or at least 20",
    ]
