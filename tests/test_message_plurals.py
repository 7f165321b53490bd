"""A message counts things in words, singular for one: ``1 run``, ``5 runs``, never
``1 run(s)``."""

from __future__ import annotations

from pathlib import Path

import pandas as pd
import pytest

from scalinglab._format import format_counted
from scalinglab.curves._logged import no_loss_note


def test_format_counted_says_one_and_many() -> None:
    assert [format_counted(n, "run") for n in (0, 1, 2)] == ["0 runs", "1 run", "2 runs"]
    assert format_counted(1, "match", "matches") == "1 match"
    assert format_counted(3, "match", "matches") == "3 matches"


def test_the_no_loss_note_of_a_curve_reader_counts_one_row() -> None:
    one = no_loss_note("c.csv", "loss", {"a": 1})
    assert one.startswith("c.csv: 1 row without a finite loss in column 'loss' skipped")
    two = no_loss_note("c.csv", "loss", {"a": 1, "b": 1})
    assert two.startswith("c.csv: 2 rows without a finite loss")


def test_the_isoflop_window_note_agrees_with_one_run() -> None:
    from scalinglab.validate._isoflop_window import window_note

    assert window_note(1, 0.5) == (
        "1 run farther than 0.5 decades of N from its budget's lowest-loss run was left out "
        "(--window, window=)"
    )
    assert window_note(185, 0.75).startswith("185 runs farther than 0.75 decades of N from their")


def test_the_left_out_note_agrees_with_one_run() -> None:
    from scalinglab.data._run_states import left_out_note

    one = left_out_note({"failed": ["a"]}, kept="finished", runs="stored run", then="(x)")
    assert one == "left out 1 stored run that is not finished: 1 failed (a) (x)"
    two = left_out_note({"failed": ["a", "b"]}, kept="finished", runs="run", then="(x)")
    assert two == "left out 2 runs that are not finished: 2 failed (a, b) (x)"


def _run_table(path: Path, runs: int) -> Path:
    """A run table of ``runs`` runs (name, params, tokens, loss)."""
    pd.DataFrame(
        {
            "name": [f"r{k}" for k in range(runs)],
            "params": [10.0 ** (7 + k) for k in range(runs)],
            "tokens": [2 * 10.0 ** (8 + k) for k in range(runs)],
            "loss": [3.0 - 0.2 * k for k in range(runs)],
        }
    ).to_csv(path, index=False)
    return path


@pytest.mark.parametrize(("runs", "said"), [(1, "read 1 run from"), (3, "read 3 runs from")])
def test_ingest_says_the_runs_it_read_in_words(
    capsys: pytest.CaptureFixture[str], tmp_path: Path, runs: int, said: str
) -> None:
    from scalinglab.cli import main

    pytest.importorskip("duckdb")
    source = _run_table(tmp_path / "runs.csv", runs)
    store = tmp_path / "s.duckdb"
    assert main(["ingest", str(source), "--store", str(store)]) == 0
    out = " ".join(capsys.readouterr().out.split())
    assert f"{said} {source} (table) into {store}: {runs} added" in out
    assert "(s)" not in out


def test_the_no_history_note_agrees_with_one_run() -> None:
    from scalinglab.ingest._disagree import reported_note
    from scalinglab.ingest._final import FinalRule

    rule = FinalRule.parse("last")
    assert reported_note(["a"], "loss", rule) == [
        "1 run has no 'loss' history ('a'): its final loss is the tracker's reported value, "
        f"not --final {rule} (see final_rule)"
    ]
    two = reported_note(["a", "b"], "loss", rule)[0]
    assert two.startswith("2 runs have no 'loss' history ('a', 'b'): their final loss is")
    assert reported_note([], "loss", rule) == []


def test_a_named_list_takes_the_noun_its_length_needs() -> None:
    from scalinglab._format import join_more, noun_for

    assert [noun_for(n, "key") for n in (0, 1, 2)] == ["keys", "key", "keys"]
    assert noun_for(0.5, "GPU") == "GPUs" and noun_for(1.0, "GPU") == "GPU"
    assert join_more(list("abcdef"), 5, noun="key") == "a, b, c, d, e and 1 more key"
    assert join_more(list("abcdefg"), 5, noun="key") == "a, b, c, d, e and 2 more keys"


def test_a_repeated_column_names_the_other_column_or_columns() -> None:
    from scalinglab.data._repeated_names import _ambiguous
    from scalinglab.data._schema import RawTable

    def hint(names: tuple[str, ...]) -> str:
        return _ambiguous(RawTable("t.csv", names, {}, ()), "loss").hint

    assert hint(("loss", "x", "loss")) == "rename or remove the other column of that name"
    assert hint(("loss", "loss", "loss")) == "rename or remove the other columns of that name"


def test_unknown_ladder_keys_take_the_noun_their_number_needs() -> None:
    from scalinglab._errors import ConfigError
    from scalinglab.ladder._recipes import _split

    with pytest.raises(ConfigError) as one:
        _split("rung 1", {"widht": 1})
    assert str(one.value).startswith("rung 1: unknown key widht")
    with pytest.raises(ConfigError) as two:
        _split("rung 1", {"widht": 1, "dpeth": 2})
    assert str(two.value).startswith("rung 1: unknown keys dpeth, widht")


def _pinned_said(frame: pd.DataFrame) -> str:
    from scalinglab import fit_hparams

    fit = fit_hparams(frame, by=["params"], bootstrap=20)
    (said,) = [w for w in fit.warnings if w.startswith("lr* of ")]
    return said


def test_the_pinned_warning_agrees_with_one_cell_and_one_run() -> None:
    import numpy as np
    from tests.test_hparams_grid_pinned import _sweep

    coarse = _sweep(np.random.default_rng(3), 3.0, 5, 0.002)  # each cell pinned, 2 runs in
    fine = _sweep(np.random.default_rng(3), 1.41, 11, 0.002)  # none pinned
    one = _pinned_said(pd.concat([coarse[coarse["params"] == 1e7], fine[fine["params"] != 1e7]]))
    assert one.startswith(
        "lr* of 1 cell (N=10M) is known only to the grid: on an lr grid of steps x3, 2 runs "
        "weigh in each surface"
    )
    assert "optimum; its interval is the best run's neighbouring lrs" in one
    assert "over them; its loss* is not measured" in one
    three = _pinned_said(coarse)
    assert three.startswith("lr* of 3 cells (N=10M, N=30M, N=100M) is known only to the grid")
    assert "optimum; their intervals are the best run's" in three
    assert "over them; their loss* is not measured" in three
    # on a x6 grid only the best run of each cell weighs in
    alone = _pinned_said(_sweep(np.random.default_rng(3), 6.0, 5, 0.002))
    assert "on an lr grid of steps x6, 1 run weighs in each surface (loss within 2.3%" in alone
    assert "(s)" not in one + three + alone


def test_runs_given_twice_in_one_store_write_take_the_noun_their_number_needs(
    tmp_path: Path,
) -> None:
    from scalinglab._errors import ConfigError
    from scalinglab.store import RunStore, StoredRun

    store = RunStore(tmp_path / "s.duckdb")

    def refused(ids: list[str]) -> str:
        runs = [StoredRun(run_id=i, name=i, params=1e6, tokens=2e7, loss=3.0) for i in ids]
        with pytest.raises(ConfigError) as err:
            store.put_runs_frame(runs)
        return str(err.value)

    assert refused(["a", "b", "a"]) == (
        "run 'a' is given more than once in one write: give each run_id once"
    )
    assert refused(["b", "a", "b", "a", "a"]) == (
        "runs 'a', 'b' are each given more than once in one write: give each run_id once"
    )
    assert refused([*"edcba", *"abcde"]).startswith(
        "runs 'a', 'b', 'c' and 2 more runs are each given more than once"
    )
    assert not store.path.exists()  # refused before anything is written
