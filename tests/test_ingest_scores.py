"""Evaluation scores among tracker metrics: which names are scores (``hellaswag/acc`` as the
harness's W&B logger writes them, ``acc_<task>``, a known task alone) and which are not
(``train/loss``, ``eval/acc``), and a W&B export's scores stored with its runs."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from tests._ingest_sources import ladder, wandb_table

from scalinglab.cli import main
from scalinglab.ingest._scores import score_name
from scalinglab.store import RunStore


@pytest.mark.parametrize(
    ("name", "expected"),
    [
        ("hellaswag/acc", ("hellaswag", "acc")),
        ("hellaswag/acc_norm,none", ("hellaswag", "acc_norm")),
        ("eval/piqa/acc_stderr", ("piqa", "acc_stderr")),
        ("gsm8k/exact_match,strict-match", ("gsm8k", "exact_match,strict-match")),
        ("acc_norm_arc_easy", ("arc_easy", "acc_norm")),
        ("acc_stderr_piqa", ("piqa", "acc_stderr")),  # not acc of a task "stderr_piqa"
        ("acc_piqa", ("piqa", "acc")),
        ("hellaswag", ("hellaswag", "acc")),
        ("eval/acc", None),
        ("train/loss", None),
        ("eval/loss", None),
        ("acc", None),
        ("model.n_params", None),
        ("my_metric", None),
    ],
)
def test_which_names_are_scores(name: str, expected: tuple[str, str] | None) -> None:
    assert score_name(name) == expected


def test_wandb_summary_scores_are_stored_with_their_runs(
    capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    runs = ladder(n_sizes=3, ratios=(10.0,))
    table = wandb_table(runs)
    table["hellaswag/acc"] = [0.30, 0.35, 0.41]
    table["hellaswag/acc_norm"] = [0.31, 0.37, 0.44]
    table["acc_piqa"] = [0.60, 0.63, 0.66]
    table["eval/acc"] = [0.5, 0.5, 0.5]  # no task: not a score
    export, store = tmp_path / "export.csv", tmp_path / "s.duckdb"
    table.to_csv(export, index=False)
    assert main(["ingest", str(export), "--store", str(store), "--json"]) == 0
    written = json.loads(capsys.readouterr().out)
    assert written["evals"]["added"] == 9 and len(written["evals"]["runs"]) == 3
    stored = RunStore(store).evals()
    names = RunStore(store).runs_frame().set_index("run_id")["name"]
    got = {(names[r], t, m): v for r, t, m, v in stored.itertuples(index=False)}
    for k, run in enumerate(runs):
        assert got[(run.name, "hellaswag", "acc")] == pytest.approx(table["hellaswag/acc"][k])
        assert got[(run.name, "hellaswag", "acc_norm")] == pytest.approx(
            table["hellaswag/acc_norm"][k]
        )
        assert got[(run.name, "piqa", "acc")] == pytest.approx(table["acc_piqa"][k])
    assert len(got) == 9
    assert main(["ingest", str(export), "--store", str(store)]) == 0
    out = capsys.readouterr().out
    assert "evaluation scores: 0 added, 0 updated, 9 unchanged, of 3 runs" in out


def test_scores_logged_in_percent_are_stored_as_fractions(
    capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    runs = ladder(n_sizes=3, ratios=(10.0,))
    table = wandb_table(runs)
    table["hellaswag/acc"] = [30.0, 35.0, 41.0]  # percent, beside a metric in fractions
    table["hellaswag/acc_stderr"] = [0.46, 0.47, 0.49]  # in percent too: it follows acc
    table["piqa/acc"] = [0.60, 0.63, 0.66]
    export, store = tmp_path / "export.csv", tmp_path / "s.duckdb"
    table.to_csv(export, index=False)
    assert main(["ingest", str(export), "--store", str(store), "--json"]) == 0
    notes = json.loads(capsys.readouterr().out)["notes"]
    assert (
        "'hellaswag/acc' read as percent (3 runs, 30% to 41%): stored as fractions (divided by "
        "100), with its standard error"
    ) in notes
    stored = RunStore(store).evals().groupby(["task", "metric"])["value"].apply(sorted)
    assert stored["hellaswag", "acc"] == pytest.approx([0.30, 0.35, 0.41])
    assert stored["hellaswag", "acc_stderr"] == pytest.approx([0.0046, 0.0047, 0.0049])
    assert stored["piqa", "acc"] == pytest.approx([0.60, 0.63, 0.66])


def test_a_lone_score_above_one_is_refused_by_its_run(
    capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    runs = ladder(n_sizes=3, ratios=(10.0,))
    table = wandb_table(runs)
    table["piqa/acc"] = [0.60, 63.0, 0.66]  # one run in percent: a typo, not a unit
    export, store = tmp_path / "export.csv", tmp_path / "s.duckdb"
    table.to_csv(export, index=False)
    assert main(["ingest", str(export), "--store", str(store)]) == 2
    err = capsys.readouterr().err
    assert (
        f"error: {export}, column 'piqa/acc': 1 of 3 accuracies above 1 in a column of "
        f"fractions: 63 (run {runs[1].name!r})"
    ) in err
    assert not store.exists() or RunStore(store).evals().empty  # nothing written
