"""``write_report`` reads what every other entry point reads (a path, a DataFrame, budgets
with units) and refuses runs that are not the ones fitted, before any figure is drawn,
rather than writing a wrong page or failing inside matplotlib."""

from __future__ import annotations

import dataclasses
from pathlib import Path

import numpy as np
import pandas as pd
import pytest
from tests.conftest import isoflop_runs

import scalinglab
from scalinglab import ConfigError, DataError, FitResult, RunTable
from scalinglab.report import render_report, write_report
from scalinglab.report._report_inputs import report_budgets


@pytest.fixture(scope="module")
def table(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, RunTable]:
    frame = isoflop_runs(seed=3).drop(columns="flops")
    frame.insert(0, "run", [f"r{i}" for i in range(len(frame))])
    path = tmp_path_factory.mktemp("runs") / "runs.csv"
    frame.to_csv(path, index=False)
    return path, scalinglab.read_runs(path)


@pytest.fixture(scope="module")
def result(table: tuple[Path, RunTable]) -> FitResult:
    return scalinglab.fit("chinchilla", table[1], bootstrap=0)


@pytest.mark.heavy
def test_a_path_or_a_dataframe_of_the_fitted_runs_is_read_as_read_runs_reads_it(
    table: tuple[Path, RunTable], result: FitResult, tmp_path: Path
) -> None:
    path, runs = table
    from_table = render_report(result, runs, validate=False, command="c")
    assert render_report(result, str(path), validate=False, command="c") == from_table
    frame = render_report(result, runs.to_pandas(), validate=False, command="c")
    assert "<td>r29</td>" in frame and "<td>r29</td>" in from_table
    assert write_report(result, path, tmp_path / "r.html", validate=False).exists()


def test_other_runs_are_refused_with_what_differs(
    table: tuple[Path, RunTable], result: FitResult, tmp_path: Path
) -> None:
    out = tmp_path / "r.html"
    # another length: was a matplotlib error from the residual figure
    with pytest.raises(ConfigError) as err:
        write_report(result, scalinglab.simulated_runs(), out, validate=False)
    assert str(err.value).startswith(
        f"write_report: runs are not the runs the fit was fitted to: 49 given, "
        f"{len(result.runs)} fitted; {len(result.runs)} fitted not given (r0, r1, r2, ...); "
        "49 given not fitted (sim-C1e+18-N1e+07, "
    )
    assert "read_runs(path, drop_outliers=True)" in err.value.hint
    # a subset: the fit's runs, some missing
    runs = table[1]
    with pytest.raises(ConfigError) as err:
        write_report(result, runs.select(np.arange(len(runs)) < 29), out, validate=False)
    assert err.value.message.endswith(": 29 given, 30 fitted; 1 fitted not given (r29)")
    assert not out.exists()


def test_the_fitted_names_with_other_values_are_refused(
    table: tuple[Path, RunTable], result: FitResult, tmp_path: Path
) -> None:
    """Same length, same names, other losses: was a page that looked right and was not."""
    frame = table[1].to_pandas()
    frame.loc[3, "loss"] *= 1.05
    with pytest.raises(ConfigError) as err:
        write_report(result, frame, tmp_path / "r.html", validate=False)
    said = str(err.value)
    assert said.startswith(
        "write_report: runs have the fitted run names but not the fitted values: at 1 of 30 "
        "runs the law at the fitted coefficients misses loss by other than the fit's residual "
        "(first: run 'r3', loss "
    )


def test_budgets_take_units_and_strings_as_the_command_line_writes_them() -> None:
    assert report_budgets("1e21") == (1e21,)
    assert report_budgets(["5.76e23", 1e21]) == (1e21, 5.76e23)
    assert report_budgets("1e21,1e23") == (1e21, 1e23)
    assert report_budgets(None) == report_budgets(()) == ()  # the runs decide: budgets_for
    with pytest.raises(ConfigError, match=r"budgets='1e21x' is not a number"):
        report_budgets("1e21x")
    with pytest.raises(ConfigError, match="budgets must be positive FLOP counts"):
        report_budgets([-1.0])


@pytest.mark.heavy  # 3.3 s in the suite on a 2-core AMD EPYC
def test_a_budget_with_units_reaches_the_planning_table(
    table: tuple[Path, RunTable], result: FitResult
) -> None:
    page = render_report(result, table[1], budgets="5.76e23", validate=False, command="c")
    assert "5.76e+23" in page and "1e+22" not in page


@pytest.fixture(scope="module")
def two_corpora(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The runs of ``table`` on corpus ``a`` and, at other losses, on ``b``; the loss in
    ``loss_a_val``, a column no alias reads."""
    frame = isoflop_runs(seed=3).drop(columns="flops").rename(columns={"loss": "loss_a_val"})
    frame.insert(0, "run", [f"r{i}" for i in range(len(frame))])
    other = frame.assign(run=[f"b{i}" for i in range(len(frame))], loss_a_val=frame.loss_a_val + 1)
    path = tmp_path_factory.mktemp("corpora") / "runs.csv"
    both = pd.concat([frame.assign(dataset="a"), other.assign(dataset="b")])
    both.to_csv(path, index=False)
    return path


@pytest.mark.heavy
def test_a_path_is_narrowed_by_the_fits_where_and_the_hints_name_where_and_y(
    two_corpora: Path, tmp_path: Path
) -> None:
    out = tmp_path / "r.html"
    runs = scalinglab.read_runs(two_corpora, columns={"loss": "loss_a_val"})
    result = scalinglab.fit("chinchilla", runs.where("dataset", "a"), bootstrap=0)
    assert result.where == {"dataset": "a"}
    # was "60 given, 30 fitted": the file and its DataFrame are read as the fit's runs were
    assert write_report(result, two_corpora, out, y="loss_a_val", validate=False) == out
    frame = runs.to_pandas().rename(columns={"loss": "loss_a_val"})
    assert "<td>r29</td>" in render_report(result, frame, y="loss_a_val", validate=False)
    with pytest.raises(ConfigError) as err:  # a table is taken as given: the hint says how
        write_report(result, runs, out, y="loss_a_val", validate=False)
    assert err.value.message.endswith("60 given, 30 fitted; 30 given not fitted (b0, b1, b2, ...)")
    assert err.value.hint.startswith(
        "pass the runs the fit was fitted to, read with the same options: y= the column it "
        "fitted as the loss (y='loss_a_val' here); a path or DataFrame is narrowed by the "
        "fit's where {'dataset': 'a'}; a table is taken as given, so narrow it as the fit's "
        "was: runs.where('dataset', 'a'); "
    )
    # without y=: the loss column the table was read from, which the fit records
    assert result.y == "loss_a_val"
    assert write_report(result, two_corpora, out, validate=False) == out
    unrecorded = dataclasses.replace(result, y=None)  # a file from before y was recorded
    with pytest.raises(DataError) as missing:  # without y=: the hint names it
        write_report(unrecorded, two_corpora, out, validate=False)
    assert "no loss column (looked for loss, " in missing.value.message
    assert missing.value.hint == (
        "say which column holds the loss (1 column named as losses: 'loss_a_val'): "
        "y=COLUMN, the column the fit fitted as the loss"
    )
    # a fit whose where is not recorded (None, an old file): the path is taken whole
    old = dataclasses.replace(result, where=None)
    with pytest.raises(ConfigError) as err:
        write_report(old, two_corpora, out, y="loss_a_val", validate=False)
    assert "60 given, 30 fitted" in err.value.message
    assert "the fit records no where: a path or DataFrame is taken whole" in err.value.hint


@pytest.mark.heavy  # 2.2 s in the suite on a 2-core AMD EPYC
def test_runs_without_a_column_the_fit_read_name_read_runs_columns_not_map(
    table: tuple[Path, RunTable], tmp_path: Path
) -> None:
    """A file whose size column the fitted table was mapped from: the hint names the
    Python argument that maps it (was RunTable's '--map params=COLUMN', an option
    write_report does not have)."""
    path = tmp_path / "width.csv"
    pd.read_csv(table[0]).rename(columns={"params": "width_m"}).to_csv(path, index=False)
    runs = scalinglab.read_runs(path, columns={"params": "width_m"})
    result = scalinglab.fit("chinchilla", runs, bootstrap=0)
    assert write_report(result, runs, tmp_path / "ok.html", validate=False).exists()
    with pytest.raises(DataError) as err:
        write_report(result, path, tmp_path / "r.html", validate=False)
    assert err.value.message == (
        f"{path}: write_report: the runs have no numeric column 'params', which the fit "
        "read as N (numeric columns: tokens, loss, width_m)"
    )
    assert err.value.hint == (
        "read the runs as the fit's were read and pass that table: "
        "read_runs(path, columns={'params': COLUMN})"
    )
    assert "--map" not in str(err.value)
