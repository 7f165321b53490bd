"""``--where params=`` on a store selects by the stored total parameter count, as ``runs``
shows it under that name, while a fit of a ladder's runs reads the non-embedding count as N:
the fit's note says which count selected and which is N, an error given the other count's
value names it, and ``--help`` says which one ``params=`` is."""

from __future__ import annotations

import dataclasses
from pathlib import Path

import pytest
from tests._cli import cli

from scalinglab.execute import stored_run
from scalinglab.ladder import get_recipe, rung_counts
from scalinglab.store import RunStore


@pytest.fixture
def store(tmp_path: Path) -> RunStore:
    """The ``tiny`` ladder's three rungs, finished, with their exact counts."""
    runs = RunStore(tmp_path / "runs.duckdb")
    for rung, loss in zip(get_recipe("tiny").rungs, (2.83, 2.37, 1.91), strict=True):
        run = stored_run(rung, ladder="tiny", backend="in-process", status="finished")
        runs.put_run(dataclasses.replace(run, loss=loss))
    return runs


def test_where_params_selects_the_total_and_the_note_names_n(store: RunStore) -> None:
    first = get_recipe("tiny").rungs[0]
    counts = rung_counts(first)
    assert (counts.params, counts.params_non_embedding) == (41632, 25248)
    table = store.to_run_table(where=[("params", "41.6K")])
    assert table.runs == ("w32-d2",)
    assert table["params"].tolist() == [25248.0]  # N: non-embedding, as the ladder plans
    assert (
        "--where params=41.6K selected runs by total parameters (the stored params, as "
        "`scalinglab runs` shows it); N here is params_non_embedding, which --where "
        "params_non_embedding=VALUE selects by"
    ) in table.notes
    by_n = store.to_run_table(where=[("params_non_embedding", "25.2K")])
    assert by_n.runs == ("w32-d2",)
    assert not [n for n in by_n.notes if n.startswith("--where")]  # N itself: no note


def test_the_other_counts_value_is_named(
    store: RunStore, capsys: pytest.CaptureFixture[str]
) -> None:
    code, _, said = cli(
        capsys, "runs", "--store", str(store.path), "--where", "params=25.2K", one_line=True
    )
    assert code == 2
    assert (
        "hint: its values are 41.6K, 80.1K, 133K; 25.2K is the non-embedding parameter count "
        "(params_non_embedding) of w32-d2: --where params_non_embedding=25.2K selects by it "
        "(params is the total count)"
    ) in said


def test_fit_help_says_which_count_params_is(capsys: pytest.CaptureFixture[str]) -> None:
    _, out, _ = cli(capsys, "fit", "--help")
    assert (
        "params= is the total parameter count `runs` shows, params_non_embedding= the N a "
        "ladder's runs are fitted on"
    ) in " ".join(out.split())
