"""``scalinglab compare`` (no such command) is pointed to the commands that compare: laws
on the same runs (``backtest --law A --law B``), schedules (``curves compare``), and where
two fits' coefficients are; click's hint named only ``scalinglab --help``, where no command
is called a comparison."""

from __future__ import annotations

import pytest

from scalinglab.cli import main


def _err(capsys: pytest.CaptureFixture[str], *args: str) -> tuple[int, str]:
    code = main(list(args))
    return code, " ".join(capsys.readouterr().err.split())


@pytest.mark.parametrize("args", [("compare",), ("compare", "a.json", "b.json"), ("Comparison",)])
def test_compare_is_pointed_to_backtest_and_curves_compare(
    capsys: pytest.CaptureFixture[str], args: tuple[str, ...]
) -> None:
    code, err = _err(capsys, *args)
    assert code == 2 and "No such command" in err
    assert "'scalinglab backtest RUNS --law chinchilla --law overtraining'" in err
    assert "'scalinglab curves compare'" in err
    assert "each fit's --out file holds its coefs, intervals and bootstrap samples" in err


def test_a_group_keeps_its_own_help_hint(capsys: pytest.CaptureFixture[str]) -> None:
    code, err = _err(capsys, "hparams", "compare")
    assert code == 2 and err.endswith("hint: see 'scalinglab hparams --help'")
    assert main(["curves", "compare", "--help"]) == 0  # a group's own compare is untouched
