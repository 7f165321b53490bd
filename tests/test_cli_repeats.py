"""Options given twice, and small command-line messages a new user met."""

from __future__ import annotations

from pathlib import Path

import pytest
from tests._cli import refused
from tests.test_cli_backtest import cli, ladder_csv


@pytest.fixture(scope="module")
def runs_csv(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return ladder_csv(tmp_path_factory.mktemp("rep") / "runs.csv")


def test_a_one_value_option_given_twice_is_refused(
    capsys: pytest.CaptureFixture[str], runs_csv: Path
) -> None:
    """Click keeps the last value silently: the backtest ran `largest:3` alone."""
    args = ["backtest", str(runs_csv), "--no-rolling", "--holdout", "flops>=1e21"]
    code, out, err = cli(capsys, *args, "--holdout", "largest:3")
    assert code == 2 and out == ""
    assert "--holdout given 2 times ('flops>=1e21', 'largest:3')" in err
    assert "a rule joins clauses with &" in err
    code, _, err = cli(capsys, "fit", str(runs_csv), "--level", "0.8", "--level=0.9")
    assert code == 2 and "--level given 2 times ('0.8', '0.9')" in err
    assert "hint: give --level once" in err


def test_a_value_missing_at_the_end_is_said_missing_not_repeated(
    capsys: pytest.CaptureFixture[str], runs_csv: Path
) -> None:
    """`--holdout a --holdout` was refused as "given 2 times ('a', '')"."""
    code, out, err = cli(capsys, "backtest", str(runs_csv), "--holdout", "a", "--holdout")
    assert code == 2 and out == ""
    assert "requires an argument" in err and "given 2 times" not in err


def test_repeatable_options_may_repeat(capsys: pytest.CaptureFixture[str], runs_csv: Path) -> None:
    args = ["backtest", str(runs_csv), "--no-rolling", "--bootstrap", "20"]
    code, out, err = cli(capsys, *args, "--law", "chinchilla", "--law", "kaplan")
    assert code == 0, err
    assert "chinchilla" in out and "kaplan" in out


def test_a_flag_given_twice_is_refused_naming_both(capsys: pytest.CaptureFixture[str]) -> None:
    """Click read ``--json --json`` as one and ``--rolling --no-rolling`` as the last, with
    no word: a flag is one switch, refused twice as a one-value option is."""
    assert refused(capsys, ["fit", "--json", "--bootstrap", "0", "--json"]) == (
        "error: --json given 2 times (--json, --json); it is a flag: once turns it on",
        "hint: give --json once",
    )
    assert refused(capsys, ["backtest", "--rolling", "--no-rolling"]) == (
        "error: --rolling/--no-rolling given 2 times (--rolling, --no-rolling); it is one "
        "switch, and only the last would count",
        "hint: give --rolling or --no-rolling once",
    )
    assert refused(capsys, ["ladder", "status", "--json", "--json"])[0].startswith(
        "error: --json given 2 times"
    )


def test_a_subcommand_s_option_after_its_group_s_is_read_as_its_own(
    capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    """``runs --store A rm --source a.csv --source b.csv``: the walk read ``--source`` (an
    option of ``rm``, not of ``runs``) as an unknown flag and its value as a run's name, so
    the repeat went unrefused and click removed the runs of ``b.csv`` alone."""
    store = str(tmp_path / "a.duckdb")
    args = ["runs", "--store", store, "rm", "--source", "a.csv", "--source", "b.csv"]
    assert refused(capsys, args) == (
        "error: --source given 2 times ('a.csv', 'b.csv'); it takes one value, and only the "
        "last would count",
        "hint: give --source once",
    )
    error, _ = refused(capsys, ["runs", "--store", store, "rm", "--dry-run", "--dry-run", "x"])
    assert error.startswith("error: --dry-run given 2 times (--dry-run, --dry-run)")


def test_no_interval_line_without_a_bootstrap_and_a_level_hint_that_makes_sense(
    capsys: pytest.CaptureFixture[str], runs_csv: Path
) -> None:
    code, out, err = cli(capsys, "fit", str(runs_csv), "--bootstrap", "0")
    assert code == 0, err
    assert "loss interval:" not in out and "none prediction interval" not in out
    code, _, err = cli(capsys, "fit", str(runs_csv), "--level", "1.5")
    assert code == 2 and "0.015" not in err and "level 0.9 for a 90% interval" in err
    code, _, err = cli(capsys, "fit", str(runs_csv), "--level", "95")
    assert code == 2 and "level 0.95 for a 95% interval" in err


def test_runs_help_lists_every_status_the_store_records(capsys: pytest.CaptureFixture[str]) -> None:
    from scalinglab.store._record import STATUSES

    code, out, _ = cli(capsys, "runs", "--help")
    text = " ".join(out.split())
    assert code == 0 and all(s in text for s in STATUSES), text


def test_a_misspelt_rule_column_gets_the_closest_name(
    capsys: pytest.CaptureFixture[str], runs_csv: Path
) -> None:
    code, _, err = cli(capsys, "backtest", str(runs_csv), "--holdout", "flop>=1e21")
    assert code == 2 and "names column 'flop'" in err and "did you mean 'flops'?" in err
    code, _, err = cli(capsys, "backtest", str(runs_csv), "--holdout", "zzz>=1e21")
    assert code == 2 and "use one of the numeric columns listed" in err


@pytest.mark.heavy  # 2.6 s in the suite on a 2-core AMD EPYC
def test_downstream_backtest_holds_out_the_top_decile_by_default(
    capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    """As `backtest` does (it required --holdout, while report --downstream has a default)."""
    import numpy as np
    from tests.test_downstream_chain import MULTS, SIZES, models

    path = tmp_path / "evals.csv"
    models(np.random.default_rng(0), SIZES, MULTS).to_csv(path, index=False)
    code, out, err = cli(capsys, "downstream", "backtest", str(path), "--bootstrap", "50")
    assert code == 0, err
    assert "the top 10% by flops" in out


def test_backtest_run_names_that_share_a_prefix_are_shown_whole(
    capsys: pytest.CaptureFixture[str],
) -> None:
    """The bundled runs' names share 'c4_original-d=1024_l=24_h=8-': cropped to the column,
    three held-out rows read the same."""
    code, out, err = cli(capsys, "backtest", "--bootstrap", "20", "--no-rolling")
    assert code == 0, err
    assert "…" not in out
    flat = out.replace("│", "").replace(" ", "").replace("\n", "")
    for tail in ("8-16.0", "8-4.0", "8-8.0"):
        assert tail in flat


def test_a_fit_on_rule_is_named_as_fit_on(
    capsys: pytest.CaptureFixture[str], runs_csv: Path
) -> None:
    args = ["backtest", str(runs_csv), "--holdout", "largest:3", "--fit-on"]
    code, _, err = cli(capsys, *args, "parmas<=1e9")
    assert code == 2 and "--fit-on 'parmas<=1e9' (fit_on= in Python) names column 'parmas'" in err
    assert "did you mean 'params'?" in err
    code, _, err = cli(capsys, *args, "largest:0")
    assert code == 2 and "--fit-on 'largest:0' (fit_on= in Python): k must be at least 1" in err


def test_backtest_level_takes_a_comma_list_as_compute_does(
    capsys: pytest.CaptureFixture[str], runs_csv: Path
) -> None:
    """``--level 0.5,0.95`` scores what ``--level 0.5 --level 0.95`` does (click refused it:
    "'0.5,0.95' is not a valid float"); each value is checked as one --level is."""
    import json

    args = ["backtest", str(runs_csv), "--no-rolling", "--bootstrap", "20", "--json"]
    scored = []
    for given in (["--level", "0.5,0.95"], ["--level", "0.5", "--level", "0.95"]):
        code, out, err = cli(capsys, *args, *given)
        assert code == 0, err
        scored.append(json.loads(out)["laws"][0]["backtest"]["summary"]["coverage"])
    assert list(scored[0]) == ["0.5", "0.95"] and scored[0] == scored[1]
    refused = {
        "0.5,95": "error: --level must be between 0 and 1, got 95.0\n"
        "hint: a fraction: --level 0.95 for a 95% interval\n",
        "0.5,,0.9": "error: --level '0.5,,0.9' has an empty item\n"
        "hint: separate the values with single commas: --level 0.5,0.9\n",
        "0.5,abc": "error: --level 'abc' is not a number\n",
    }
    for given, said in refused.items():
        code, out, err = cli(capsys, *args, "--level", given)
        assert code == 2 and out == "" and err.startswith(said), err
