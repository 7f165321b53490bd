"""Option values said as on every command: ``--seq-len`` is a whole number of tokens and
refuses a unit suffix (4K: 4000 or 4096?) with a hint for sequence lengths, and ``backtest --bootstrap`` under its floor says why the
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
def test_seq_len_is_a_whole_number_without_suffix(
    capsys: pytest.CaptureFixture[str], command: list[str]
) -> None:
    assert _json(capsys, *command, "--seq-len", "4_096", "--json") == _json(
        capsys, *command, "--seq-len", "4096", "--json"
    )
    assert main([*command, "--seq-len", "2.5"]) == 2
    err = capsys.readouterr().err
    assert "error: --seq-len '2.5' is 2.5 tokens, not a whole number" in err
    assert main([*command, "--seq-len", "4K"]) == 2
    assert "error: --seq-len '4K': a unit suffix is ambiguous" in capsys.readouterr().err
    for text in ("2X", "abc", "nan"):
        assert main([*command, "--seq-len", text]) == 2
        assert f"error: --seq-len '{text}' is not a number" in capsys.readouterr().err
    assert main([*command, "--seq-len", "0"]) == 2
    err = capsys.readouterr().err  # no FLOP-sized examples for a sequence length
    assert "hint: write the tokens per sequence as a number, e.g. --seq-len 2048" in err


def test_backtest_bootstrap_floor_says_why(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["backtest", "--bootstrap", "10"]) == 2
    out, err = capsys.readouterr()
    assert out == ""
    assert err.splitlines() == [
        "error: --bootstrap 10: a backtest scores its intervals' coverage, and under 20 "
        "resamples cannot place a 90% interval's ends (the 5th and 95th percentiles)",
        "hint: --bootstrap 200 (the default), at least 20, or --bootstrap 0 for point "
        "predictions (errors, no coverage)",
    ]
