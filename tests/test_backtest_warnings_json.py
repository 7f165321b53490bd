"""A backtest's warnings are its own, not lines of its notes: ``Backtest.warnings`` and
``Comparison.warnings``, ``"warnings"`` per law and at the top of ``backtest --json``, and
``--json`` echoes on stderr the ``warning:`` and ``note:`` lines the text prints, as ``fit
--json`` does."""

from __future__ import annotations

import json

import pytest
from tests._cli import cli

import scalinglab as sl

#: The default fit's warning on the bundled C4 runs (the top 10% by FLOPs held out).
E_LOOSE = "E is not identified: its interval [1.3e-07, 1.87] spans 7.2 decades"
#: A hold-out rule that compares the loss biases the score.
BY_LOSS = (
    "--holdout 'loss<2.9' (holdout= in Python) holds out runs chosen by their loss, the "
    "outcome the backtest predicts: runs picked for their outcome bias its score; choose them "
    "by scale, e.g. 'largest:5' or 'flops>=1e21'"
)


def _marked(text: str) -> list[str]:
    return [line for line in text.splitlines() if line.startswith(("warning: ", "note: "))]


def test_the_fits_warning_is_a_warning_not_a_note(capsys: pytest.CaptureFixture[str]) -> None:
    bt = sl.backtest(sl.bundled_runs())
    assert bt.warnings == (f"fit: {E_LOOSE}",)
    assert not [n for n in bt.notes if n.startswith("warning")]
    code, out, err = cli(capsys, "backtest", "--no-rolling", "--json")
    assert code == 0, err
    data = json.loads(out)
    assert data["warnings"] == [f"fit: {E_LOOSE}"]
    (law,) = data["laws"]
    assert law["backtest"]["warnings"] == [f"fit: {E_LOOSE}"]
    assert not [n for n in law["backtest"]["notes"] if n.startswith("warning")]
    assert err.splitlines()[0] == f"warning: fit: {E_LOOSE}"
    code, text, _ = cli(capsys, "backtest", "--no-rolling")
    assert code == 0 and _marked(text) == err.splitlines()  # the lines the text prints


def test_several_laws_baselines_and_the_rolling_steps(capsys: pytest.CaptureFixture[str]) -> None:
    """The split's warning once at the top, in every law's, the baseline's and the rolling
    steps'; on stderr once, with every note the text prints (the rolling table's first)."""
    args = ["backtest", "--law", "chinchilla", "--law", "overtraining", "--baseline",
            "curve_fit", "--holdout", "loss<2.9"]  # fmt: skip
    code, out, err = cli(capsys, *args, "--json")
    assert code == 0, err
    data = json.loads(out)
    assert data["warnings"] == [BY_LOSS]
    assert [s["backtest"]["warnings"] for s in data["laws"]] == [[BY_LOSS], [BY_LOSS]]
    assert data["baselines"][0]["warnings"] == [BY_LOSS] and data["rolling"]["warnings"] == [
        BY_LOSS
    ]
    said = [
        n
        for part in (*(s["backtest"] for s in data["laws"]), *data["baselines"], data["rolling"])
        for n in part["notes"]
    ]
    assert not [n for n in said if n.startswith("warning")]
    assert err.count(f"warning: {BY_LOSS}") == 1
    assert "note: prediction intervals (overtraining): " in err
    code, text, _ = cli(capsys, *args)
    assert code == 0 and _marked(text) == err.splitlines()


def test_a_comparison_names_each_fits_warning_by_its_law() -> None:
    runs = sl.bundled_runs()
    cmp = sl.compare(runs, laws=["chinchilla", "overtraining"], bootstrap=200)
    chinchilla = cmp.scores[0].backtest
    assert chinchilla.warnings == (f"fit: {E_LOOSE}",)
    assert f"fit (chinchilla): {E_LOOSE}" in cmp.warnings
    assert cmp.to_dict()["warnings"] == list(cmp.warnings)
    one = sl.compare(runs, laws=["chinchilla"], bootstrap=200)
    assert one.warnings == (f"fit: {E_LOOSE}",)
