"""``--where`` on a number compares it at the digits ``scalinglab runs`` shows its column
to: ``loss=3.5`` is the loss shown ``3.5000``, not the one shown ``3.5041`` (it
selected both, and ``runs rm`` would have removed both); a number the table does not show
(a seed, a step count) is compared as ``--json`` writes it, and its hint lists it so
(``123456``, not ``1.2346e5``, which selected 123456 and 123457)."""

from __future__ import annotations

import json
import random
from pathlib import Path

import pytest
from tests._cli import cli

from scalinglab.store import RunStore, StoredRun
from scalinglab.store._listing import where_runs
from scalinglab.store._where_numbers import (
    SHOWN_DIGITS,
    listed_number,
    number_matches,
    shown_number,
)


def _store(path: Path) -> str:
    runs = [
        StoredRun(run_id="a", name="r-a", params=2e7, tokens=4e8, loss=3.5,
                  config={"seed": 123456, "steps": 1000, "warmup": 0.5, "compile": True}),
        StoredRun(run_id="b", name="r-b", params=2e7, tokens=8e8, loss=3.5041,
                  config={"seed": 123457, "steps": 1004, "warmup": 0.504, "compile": False}),
        StoredRun(run_id="c", name="r-c", params=1.6e8, tokens=3.2e9, loss=3.50001,
                  config={"seed": 7, "steps": 1e3}),
    ]  # fmt: skip
    RunStore(path).put_runs((r, None) for r in runs)
    return str(path)


def _names(capsys: pytest.CaptureFixture[str], store: str, *args: str) -> list[str]:
    code, out, err = cli(capsys, "runs", "--store", store, *args, "--json")
    assert code == 0, err
    return [r["name"] for r in json.loads(out)["runs"]]


def test_a_loss_selects_the_runs_shown_with_it(
    capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    store = _store(tmp_path / "s.duckdb")
    code, out, _ = cli(capsys, "runs", "--store", store)
    cells = [[c.strip() for c in line.split("│")] for line in out.splitlines() if "r-" in line]
    rows = {c[1]: c[6] for c in cells}  # run, status, params, tokens, flops, loss
    assert rows == {"r-a": "3.5000", "r-b": "3.5041", "r-c": "3.5000"}  # zeros kept, as fit
    assert _names(capsys, store, "--where", "loss=3.5") == ["r-a", "r-c"]
    assert _names(capsys, store, "--where", "loss=3.5041") == ["r-b"]
    assert _names(capsys, store, "--where", "loss=3.50001") == ["r-c"]  # more digits narrow
    code, out, err = cli(capsys, "runs", "rm", "--store", store, "--where", "loss=3.5",
                         "--dry-run", "--json")  # fmt: skip
    assert code == 0 and [r["run"] for r in json.loads(out)["removed"]] == ["r-a", "r-c"], err


def test_the_loss_hint_lists_what_selects(
    capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    store = _store(tmp_path / "s.duckdb")
    code, _, err = cli(capsys, "runs", "--store", store, "--where", "loss=3.6")
    assert code == 2 and err.splitlines()[1] == "hint: its values are 3.5000, 3.5041"
    assert _names(capsys, store, "--where", "loss=3.5") == ["r-a", "r-c"]


def test_a_number_the_table_does_not_show_is_compared_as_stored(
    capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    store = _store(tmp_path / "s.duckdb")
    code, _, err = cli(capsys, "runs", "--store", store, "--where", "seed=1")
    assert code == 2 and err.splitlines()[1] == "hint: its values are 7, 123456, 123457"
    assert _names(capsys, store, "--where", "seed=123456") == ["r-a"]
    # an integer written in full, or as 1e3, is that integer: not 1004
    assert _names(capsys, store, "--where", "steps=1e3") == ["r-a", "r-c"]
    assert _names(capsys, store, "--where", "steps=1004") == ["r-b"]
    assert _names(capsys, store, "--where", "warmup=0.5") == ["r-a"]
    code, _, err = cli(capsys, "runs", "--store", store, "--where", "warmup=0.1")
    assert code == 2 and err.splitlines()[1] == "hint: its values are 0.5, 0.504"
    # r-c's steps is stored as the float 1e3: listed once, as the integer it is, beside 1000
    code, _, err = cli(capsys, "runs", "--store", store, "--where", "steps=5")
    assert code == 2 and err.splitlines()[1] == "hint: its values are 1000, 1004"


def test_a_flag_is_selected_as_json_writes_it(
    capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    store = _store(tmp_path / "s.duckdb")
    code, _, err = cli(capsys, "runs", "--store", store, "--where", "compile=yes")
    assert code == 2 and err.splitlines()[1] == "hint: its values are false, true"
    assert _names(capsys, store, "--where", "compile=true") == ["r-a"]
    assert _names(capsys, store, "--where", "compile=false") == ["r-b"]


@pytest.mark.parametrize("column", sorted(SHOWN_DIGITS))
def test_each_shown_value_selects_exactly_the_values_shown_with_it(column: str) -> None:
    """The one rule: ``--where column=<as shown>`` selects a value iff it is shown so."""
    rng = random.Random(column)
    values = [10 ** rng.uniform(-5, 21) for _ in range(200)]
    values += [v * (1 + d) for v in values[:40] for d in (1e-5, 4e-4, 2e-3)]
    for v in values[:60]:
        shown = shown_number(column, v)
        for other in values:
            same = shown_number(column, other) == shown
            assert number_matches(other, shown, column=column) == same, (v, other, shown)


def test_a_listed_number_the_table_does_not_show_reads_back_as_itself() -> None:
    assert listed_number("seed", 123456) == "123456"
    assert listed_number("warmup", 0.504) == "0.504"
    assert listed_number("loss", 3.50001) == "3.5000"
    assert number_matches(0.1 + 0.2, listed_number("x", 0.3), column="x")
    # a whole number stored as a float is listed as the integer, which selects it
    assert [listed_number("seed", v) for v in (1.0, 123456.0, -3.0)] == ["1", "123456", "-3"]
    assert number_matches(123456.0, "123456", column="seed")
    assert not number_matches(123457.0, "123456", column="seed")
    assert listed_number("seed", 1e16) == "1e+16"
    assert not number_matches(1004, "1e3", column="steps")
    assert number_matches(1004, "1e3", column="batch") == (shown_number("batch", 1004) == "1000")


def test_flops_marked_6nd_are_selected_as_shown(
    capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    """Was "no stored run has a value 'flops'": only the FLOPs a source gave were read."""
    runs = [
        StoredRun(run_id="a", name="given", params=2e7, tokens=4e8, flops=5e16, loss=3.5),
        StoredRun(run_id="b", name="six", params=3.1e8, tokens=1e9, flops_6nd=1.86e18,
                  loss=3.0),
    ]  # fmt: skip
    store = str(tmp_path / "s.duckdb")
    RunStore(store).put_runs((r, None) for r in runs)
    code, out, _ = cli(capsys, "runs", "--store", store)
    assert code == 0 and "1.86e18 (6ND)" in out
    assert _names(capsys, store, "--where", "flops=1.86e18") == ["six"]
    assert _names(capsys, store, "--where", "flops=5e16") == ["given"]
    code, _, err = cli(capsys, "runs", "--store", store, "--where", "flops=1e18")
    assert code == 2 and err.splitlines()[1] == "hint: its values are 5e16, 1.86e18"


def test_a_loss_is_shown_as_fit_shows_it_and_selects_back(
    capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    """``runs`` showed ``4.285`` and ``3.13`` where ``fit`` and the report show ``4.2850``:
    a loss keeps its zeros (fit's 4 decimals from 1 to 10), and each shown value, pasted
    into ``--where``, selects its run; ``loss<4.2850`` reads the stored number."""
    losses = {"r-a": 4.285, "r-b": 3.13, "r-c": 0.51234567, "r-d": 12.34564}
    store = str(tmp_path / "s.duckdb")
    runs = [
        StoredRun(run_id=name, name=name, params=2e7 * (k + 1), tokens=4e8, loss=loss)
        for k, (name, loss) in enumerate(losses.items())
    ]
    RunStore(store).put_runs((r, None) for r in runs)
    code, out, err = cli(capsys, "runs", "--store", store)
    assert code == 0, err
    cells = [[c.strip() for c in line.split("│")] for line in out.splitlines() if "r-" in line]
    shown = {c[1]: c[6] for c in cells}  # run, status, params, tokens, flops, loss
    assert shown == {"r-a": "4.2850", "r-b": "3.1300", "r-c": "0.51235", "r-d": "12.346"}
    assert shown["r-a"] == f"{losses['r-a']:.4f}" and shown["r-b"] == f"{losses['r-b']:.4f}"
    stored = RunStore(store).runs()  # as runs --where selects (one CLI call costs 0.5 s)
    for name, text in shown.items():
        assert [r.name for r in where_runs(stored, [("loss", text)], store)] == [name]
    assert sorted(r.name for r in where_runs(stored, [("loss<", "4.2850")], store)) == [
        "r-b", "r-c",
    ]  # fmt: skip
