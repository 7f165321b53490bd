"""A hint reached from both the command line and Python names its option both ways
(``--seed 0 (seed=0 in Python)``), never only in the other interface's syntax."""

from __future__ import annotations

from pathlib import Path

import pytest
from tests._chinchilla_draws import HOFFMANN, law_curves
from tests._cli import cli
from tests.test_robust_loss_name import FRAME, LAW

import scalinglab
from scalinglab import ConfigError, DataError
from scalinglab.data import read_curves
from scalinglab.data._readers import to_table
from scalinglab.validate import split_runs


def _steps_only() -> object:
    frame = law_curves(HOFFMANN, noise=0.0, sizes=4)
    return frame.rename(columns={"tokens": "step"})


def test_envelope_of_steps_names_tokens_per_step_as_python_takes_it() -> None:
    with pytest.raises(DataError, match="the curves give steps but not tokens") as err:
        scalinglab.envelope(_steps_only(), bootstrap=0)
    assert err.value.hint == (  # was: "pass --tokens-per-step N (batch size × ...)" alone
        "pass --tokens-per-step N (tokens_per_step=N in Python), N the batch size × sequence "
        "length, or add a tokens_per_step column"
    )
    with pytest.raises(DataError, match="steps but not tokens") as again:
        read_curves(_steps_only())
    assert "(tokens_per_step=N in Python)" in again.value.hint


def test_curves_without_tokens_or_steps_name_both_ways_to_map_one() -> None:
    frame = law_curves(HOFFMANN, noise=0.0, sizes=4).rename(columns={"tokens": "seen"})
    with pytest.raises(DataError, match="no tokens column and no step column") as err:
        scalinglab.envelope(frame, bootstrap=0)
    assert err.value.hint == (
        "map one: --map tokens=COLUMN (columns={'tokens': COLUMN} in Python), or --map "
        "step=COLUMN with --tokens-per-step N (tokens_per_step=N in Python)"
    )


@pytest.mark.parametrize(
    ("option", "hint"),
    [
        ({"seed": -1}, "pass e.g. --seed 0 (seed=0 in Python)"),
        ({"bootstrap": -1}, "pass e.g. --bootstrap 200 (bootstrap=200 in Python)"),
        # fit's parser bounds these, and other commands have no such flag: the keyword only
        ({"max_iter": 0}, "pass e.g. max_iter=200"),
        ({"threads": 1.5}, "pass e.g. threads=2"),
        ({"bootstrap_starts": 0}, "pass e.g. bootstrap_starts=8"),  # no such flag
    ],
)
def test_fit_option_hints_name_the_flag_and_the_keyword(
    option: dict[str, float], hint: str
) -> None:
    with pytest.raises(ConfigError) as err:
        scalinglab.fit(LAW, FRAME, **option)  # type: ignore[arg-type]
    assert err.value.hint == hint  # was: "pass e.g. seed=0", Python's syntax alone


def test_cli_fit_seed_hint_names_the_flag(
    capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    path = tmp_path / "runs.csv"
    FRAME.to_csv(path, index=False)
    code, _, err = cli(capsys, "fit", str(path), "--law", LAW, "--seed", "-1")
    assert code == 2
    assert err.splitlines() == [
        "error: --seed must be a whole number at least 0, got -1",
        "hint: e.g. --seed 0 (any seed from 0 up draws the resamples reproducibly)",
    ]


def test_cli_backtest_negative_bootstrap_is_refused_as_its_flag(
    capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    path = tmp_path / "runs.csv"
    FRAME.to_csv(path, index=False)
    args = ["backtest", str(path), "--law", LAW, "--holdout", "largest:1", "--bootstrap", "-1"]
    code, _, err = cli(capsys, *args)
    assert code == 2 and "bootstrap=200" not in err  # was: "hint: pass e.g. bootstrap=200"
    assert err.splitlines()[0] == (
        "error: Invalid value for '--bootstrap': -1 is not in the range x>=0."
    )


def test_a_missing_column_names_its_mapping_both_ways() -> None:
    table = scalinglab.read_runs(FRAME)
    with pytest.raises(DataError, match="no column 'lr'") as err:
        table["lr"]
    assert err.value.hint == (  # was: "map a column to it, e.g. --map lr=COLUMN" alone
        "map a column to it, e.g. --map lr=COLUMN (read_runs(..., columns={'lr': COLUMN}) in "
        "Python)"
    )


def test_a_split_of_runs_with_no_scale_names_the_mapping_both_ways() -> None:
    frame = FRAME.rename(columns={"params": "width"})  # U read from width: no size column
    with pytest.raises(DataError, match="no flops, params or tokens column") as err:
        split_runs(to_table(frame, x={"U": "width"}), "largest:1")  # no law to scale by
    assert err.value.hint.startswith(
        "map one with --map flops=COLUMN (read_runs(..., columns={'flops': COLUMN}) in Python), or hold out"
    )
    # a backtest of a law of U holds out by U (test_backtest_law_scale.py)
    bt = scalinglab.backtest(
        frame, law="E + A*U**-alpha", x={"U": "width"}, holdout="largest:1", bootstrap=0
    )
    assert bt.split.description == "the largest run by width"


def test_runs_with_no_size_column_name_the_mapping_both_ways() -> None:
    with pytest.raises(DataError, match="no model-size column") as err:
        scalinglab.read_runs(FRAME.rename(columns={"params": "size"}))
    assert err.value.hint == (  # was: "say which column holds the size: --map params=COLUMN"
        "say which column holds the size: --map params=COLUMN (read_runs(..., "
        "columns={'params': COLUMN}) in Python)"
    )


@pytest.mark.parametrize(
    ("option", "message", "hint"),
    [  # was envelope's own: "bootstrap must be a whole number ≥ 0, got -1", with no hint
        ({"bootstrap": -1}, "bootstrap must be at least 0, got -1", "--bootstrap 200 "
         "(bootstrap=200 in Python)"),
        ({"bootstrap": 1.5}, "bootstrap must be a whole number, got float 1.5", "--bootstrap "
         "200 (bootstrap=200 in Python)"),
        ({"grid": 2}, "grid must be at least 5, got 2", "--grid 60 (grid=60 in Python)"),
        # was NumPy's ValueError: "expected non-negative integer"
        ({"seed": -1}, "seed must be at least 0, got -1", "--seed 0 (seed=0 in Python)"),
    ],
)  # fmt: skip
def test_envelope_checks_its_options_as_fit_and_isoflop_do(
    option: dict[str, float], message: str, hint: str
) -> None:
    with pytest.raises(ConfigError) as err:
        scalinglab.envelope(law_curves(HOFFMANN, noise=0.0, sizes=4), **option)  # type: ignore[arg-type]
    assert (err.value.message, err.value.hint) == (message, f"pass e.g. {hint}")
