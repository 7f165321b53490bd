"""Hold-out and fit-on rules: every refusal names its option both ways (``--holdout ...
(holdout= in Python)``), as ``largest:0``'s does."""

from __future__ import annotations

from pathlib import Path

import pytest
from tests._cli import cli
from tests.conftest import isoflop_runs

import scalinglab as sl
from scalinglab import ConfigError
from scalinglab.validate import split_runs


@pytest.mark.parametrize(
    ("holdout", "fit_on", "message"),
    [
        (
            "near-best:0.5",
            None,
            "--holdout 'near-best:0.5' (holdout= in Python): near-best:F keeps the runs within "
            "F times the best run's params at each scale, and F must be at least 1",
        ),
        (
            "top-scales:0",
            None,
            "--holdout 'top-scales:0' (holdout= in Python): top-scales:K holds out the K "
            "largest scales, and K must be at least 1",
        ),
        (
            "top-scales:1",
            "flops<=max/8 & near-best:0.9",
            "--fit-on 'flops<=max/8 & near-best:0.9' (fit_on= in Python): near-best:F keeps",
        ),
    ],
)
def test_special_clauses_name_their_option(holdout: str, fit_on: str | None, message: str) -> None:
    table = sl.read_runs(isoflop_runs(seed=0))
    with pytest.raises(ConfigError) as err:
        split_runs(table, holdout, fit_on=fit_on)
    assert err.value.message.startswith(message)


@pytest.fixture
def spaced() -> sl.RunTable:
    """Runs whose file names its columns with spaces (as the Chinchilla points' CSV does:
    'Model Size', 'Training FLOP'), and one with '&' and 'and' in its name."""
    frame = isoflop_runs(seed=0).rename(columns={"params": "Model Size", "flops": "Training FLOP"})
    frame["R&D and more"] = range(len(frame))
    return sl.read_runs(frame)


@pytest.mark.parametrize(
    ("rule", "description"),
    [
        ("Model Size>5e8", "Model Size>5e8"),
        ("'Model Size'>5e8", "'Model Size'>5e8"),
        ('"Model Size" > 5e8', '"Model Size" > 5e8'),
        ("Model Size>5e8 and 'Training FLOP'>=1e19", "Model Size>5e8 and 'Training FLOP'>=1e19"),
    ],
)
def test_a_predicate_names_a_column_with_spaces(
    spaced: sl.RunTable, rule: str, description: str
) -> None:
    split = split_runs(spaced, rule)
    want = spaced["params"] > 5e8
    if "Training FLOP" in rule:
        want &= spaced["flops"] >= 1e19
    assert len(split.held_out) == int(want.sum()) > 0
    assert split.description == description


def test_largest_and_top_name_a_column_with_spaces(spaced: sl.RunTable) -> None:
    for rule in ("largest:5:Model Size", "largest:5:'Model Size'", 'largest:5:"Model Size"'):
        split = split_runs(spaced, rule)
        assert split.description == "the 5 largest runs by params"
        assert sorted(split.held_out["params"]) == sorted(spaced["params"])[-5:]
    assert split_runs(spaced, "top:20%:'Model Size'").description.startswith(
        "the top 20% by params"
    )


def test_a_quoted_name_keeps_its_ampersand_and_and(spaced: sl.RunTable) -> None:
    split = split_runs(spaced, "'R&D and more'>=25 & Model Size>1e8")
    n = len(spaced)
    assert len(split.held_out) == int(
        ((spaced["R&D and more"] >= 25) & (spaced["params"] > 1e8)).sum()
    )
    assert 0 < len(split.held_out) < n


def test_a_misspelt_name_with_spaces_is_named_with_the_nearest(spaced: sl.RunTable) -> None:
    with pytest.raises(sl.DataError) as err:
        split_runs(spaced, "Modl Size>5e8")
    said = "--holdout 'Modl Size>5e8' (holdout= in Python) names column 'Modl Size'"
    assert said in err.value.message
    assert err.value.hint == "did you mean 'Model Size'?"
    with pytest.raises(ConfigError) as bad:  # an unclosed quote
        split_runs(spaced, "'Model Size>5e8")
    assert "cannot read" in bad.value.message
    assert "a column name with spaces as it is or in quotes" in bad.value.hint


HOLDOUT_BY_LOSS = (
    "--holdout 'loss<3' (holdout= in Python) holds out runs chosen by their loss, the "
    "outcome the backtest predicts: runs picked for their outcome bias its score; choose them "
    "by scale, e.g. 'largest:5' or 'flops>=1e21'"
)


def test_a_rule_on_the_loss_warns_that_it_biases_the_score() -> None:
    runs = sl.read_runs(isoflop_runs(seed=0))
    assert split_runs(runs, "largest:5").warnings == ()
    assert split_runs(runs, "loss<3").warnings == (HOLDOUT_BY_LOSS,)
    (largest,) = split_runs(runs, "largest:3:loss").warnings
    assert largest.startswith("--holdout 'largest:3:loss' (holdout= in Python) holds out runs")
    two = split_runs(runs, "flops>=1e20", fit_on="flops<1e20 & loss>3.2")
    assert two.warnings == (
        "--fit-on 'flops<1e20 & loss>3.2' (fit_on= in Python) fits on runs chosen by their "
        "loss, the outcome the backtest predicts: runs picked for their outcome bias the fit "
        "and its score; choose them by scale, e.g. 'flops<=max/8'",
    )
    bt = sl.backtest(runs, holdout="loss<3", bootstrap=0)
    assert bt.warnings[0] == HOLDOUT_BY_LOSS and bt.to_dict()["warnings"][0] == HOLDOUT_BY_LOSS
    assert not [n for n in bt.notes if n.startswith("warning")]  # its warnings, not notes


def test_the_command_line_prints_the_warning_once(
    capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    path = tmp_path / "runs.csv"
    isoflop_runs(seed=0).to_csv(path, index=False)
    args = ["--law", "chinchilla", "--law", "overtraining", "--bootstrap", "0"]
    code, out, err = cli(capsys, "backtest", str(path), *args, "--holdout", "loss<3")
    assert code == 0, err
    assert " ".join(out.split()).count(f"warning: {HOLDOUT_BY_LOSS}") == 1
