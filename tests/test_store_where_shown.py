"""``scalinglab runs --where`` on a number takes it as the table shows it (``124M``,
``3.2871``) or as the hint lists it, not only to nine significant digits: a value written
with k significant digits (at least as many as the table shows the column to) selects the
stored values that round to it."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from tests._cli import cli

from scalinglab.store._where_numbers import number_matches, shown_number


@pytest.fixture
def store(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> str:
    table = tmp_path / "odd.csv"
    table.write_text(
        "run,params,tokens,loss\n"
        "a,124439808,2489000000,3.2871234567\n"
        "b,354823168,7100000000,2.9512345678\n"
    )
    path = str(tmp_path / "st.duckdb")
    code, _, err = cli(capsys, "ingest", str(table), "--store", path)
    assert code == 0, err
    return path


def _names(capsys: pytest.CaptureFixture[str], store: str, where: str) -> list[str]:
    code, out, err = cli(capsys, "runs", "--store", store, "--where", where, "--json")
    assert code == 0, err
    return [r["name"] for r in json.loads(out)["runs"]]


@pytest.mark.heavy  # 1.0 s in the suite on a 2-core AMD EPYC
def test_what_runs_shows_selects_its_run(store: str, capsys: pytest.CaptureFixture[str]) -> None:
    code, out, _ = cli(capsys, "runs", "--store", store)
    assert code == 0 and "124M" in out and "3.2871" in out and "2.49B" in out
    for where in ("params=124M", "loss=3.2871", "tokens=2.49B"):
        assert _names(capsys, store, where) == ["a"], where
    # a loss is shown to 5 digits: 3.29 is 3.2900, which no run is shown with
    code, _, err = cli(capsys, "runs", "--store", store, "--where", "loss=3.29")
    assert code == 2 and err.splitlines()[1] == "hint: its values are 2.9512, 3.2871"
    # exact values, written in full, still select
    assert _names(capsys, store, "params=124439808") == ["a"]
    assert _names(capsys, store, "loss=3.2871234567") == ["a"]
    assert _names(capsys, store, "params=354_823_168") == ["b"]


def test_the_hint_lists_values_as_runs_shows_them_and_each_pastes_back(
    store: str, capsys: pytest.CaptureFixture[str]
) -> None:
    code, _, err = cli(capsys, "runs", "--store", store, "--where", "params=125M")
    assert code == 2 and err.splitlines()[1] == "hint: its values are 124M, 355M"
    code, _, err = cli(capsys, "runs", "--store", store, "--where", "loss=3.2")
    assert code == 2 and err.splitlines()[1] == "hint: its values are 2.9512, 3.2871"
    assert _names(capsys, store, "params=355M") == ["b"]
    assert _names(capsys, store, "loss=2.9512") == ["b"]


def test_few_digits_are_read_as_three() -> None:
    """``1B`` is 1.00B, as the table writes 1.00B: never a band from 0.5B to 1.5B."""
    assert number_matches(1.0e9, "1B", column="params")
    assert number_matches(1.0004e9, "1B", column="params")
    assert not number_matches(1.4e9, "1B", column="params")
    assert not number_matches(1.01e9, "1B", column="params")
    assert number_matches(2.03e7, "20.3M", column="tokens")
    assert not number_matches(2.03e7, "20M", column="tokens")
    assert number_matches(0.0031, "0.0031", column="lr")
    assert not number_matches(0.00312, "0.0031", column="lr")
    assert number_matches(3e-3, "3e-3", column="lr")
    assert not number_matches(3e-3, "warm", column="lr")
    assert not number_matches(float("inf"), "1e308", column="flops")


def test_a_shown_number_is_the_tables() -> None:
    assert shown_number("params", 124439808) == "124M"
    assert shown_number("flops", 1.86e18) == "1.86e18"
    assert shown_number("lr", 0.0031234) == "0.00312"
    assert shown_number("loss", 3.2871234567) == "3.2871"
    assert shown_number("batch", 1048576) == "1.0486e6"
