"""plan --target-loss with one target no compute reaches plans the others."""

from __future__ import annotations

import json
import math

import pytest
from tests.test_cli_backtest import cli

from scalinglab import get_preset
from scalinglab._errors import ConfigError, UnreachableError
from scalinglab.plan import compute_for_loss
from scalinglab.plan._compute import UNREACHABLE, unreachable_target

ARGS = ("plan", "--preset", "hoffmann2022", "--target-loss")


def test_a_target_at_e_is_at_or_below_it() -> None:
    with pytest.raises(UnreachableError) as err:
        compute_for_loss(get_preset("hoffmann2022"), target_loss=1.69)
    assert err.value.message == (
        "target loss 1.69 is at or below the irreducible loss E = 1.69 of this law; no compute "
        "reaches it"
    )
    assert isinstance(err.value, ConfigError)  # exit 2, as before


def test_the_unreachable_allocation() -> None:
    a = unreachable_target(get_preset("hoffmann2022"), target_loss=1.5, reason="why")
    assert a.method == UNREACHABLE and a.unreachable == 1.0 and a.notes == ("why",)
    assert a.flops.value == math.inf and math.isnan(a.params.value)


def test_the_reachable_targets_are_planned(capsys: pytest.CaptureFixture[str]) -> None:
    code, out, err = cli(capsys, *ARGS, "3,1.5")
    warning = (
        "warning: target loss 1.5: unreachable — target loss 1.5 is at or below the "
        "irreducible loss E = 1.69 of this law; no compute reaches it\n"
    )
    assert (code, err) == (0, warning)  # a warning on stderr, as every other one
    assert "compute needed to reach loss 3" in out and "unreachable" not in out
    code, out, err = cli(capsys, *ARGS, "3,1.5", "--json")
    assert err == "note: no intervals: a preset is a point estimate\n" + warning  # as the text
    plans = json.loads(out)["plans"]
    assert code == 0 and [p["query"]["target_loss"] for p in plans] == [3.0, 1.5]
    assert plans[0]["allocation"]["unreachable"] == 0.0
    assert plans[1]["allocation"]["unreachable"] == 1.0
    assert plans[1]["allocation"]["flops"] == "inf"
    assert plans[1]["allocation"]["method"] == "unreachable"
    assert plans[1]["allocation"]["notes"][0].startswith("target loss 1.5 is at or below")


def test_every_target_unreachable_exits_2(capsys: pytest.CaptureFixture[str]) -> None:
    code, out, err = cli(capsys, *ARGS, "1.5,1.6")
    assert (code, out) == (2, "")
    assert err.startswith("error: target loss 1.5 is at or below the irreducible loss E = 1.69")
    code, _, err = cli(capsys, *ARGS, "1.5")
    assert code == 2 and "hint: choose a target above 1.69" in err


def test_target_loss_help_says_a_decimal_takes_a_dot(capsys: pytest.CaptureFixture[str]) -> None:
    """'2,1' is two targets (2 and 1), never 2.1: the help says so, as the plan does."""
    code, out, _ = cli(capsys, "plan", "--help")
    assert code == 0 and "Decimals take a dot: '2,1' is two targets, 2 and 1." in " ".join(
        out.split()
    )
