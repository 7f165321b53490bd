"""A JSON or JSONL run file whose records nest objects (a tracker's ``config`` and
``summary``) is read with each nested value as a dotted column (``config.n_params``,
``summary.eval/loss``), which ``--map``, ``--x`` and ``--y`` can name; a file that is a
tracker's export says, where no loss column is found, which column holds it and that
``ingest`` reads it as one."""

from __future__ import annotations

import json
from pathlib import Path

import numpy as np
import pytest
from tests._cli import cli

from scalinglab import DataError, read_runs

_SIZES = [(n, d) for n in (2e7, 5e7, 1.25e8, 3.5e8) for d in (20 * n, 40 * n, 80 * n)]


def _loss(n: float, d: float) -> float:
    return 1.69 + 406.4 / n**0.34 + 410.7 / d**0.28


def _export(path: Path, *, lines: bool) -> Path:
    """Runs as W&B's API gives them: ``config`` nested, the loss in ``summary``."""
    records = [
        {
            "name": f"run{k}",
            "state": "finished",
            "config": {"model": {"n_params": n}, "tokens": d, "optimizer": "adamw"},
            "summary": {"eval/loss": _loss(n, d), "_runtime": 100},
        }
        for k, (n, d) in enumerate(_SIZES)
    ]
    text = "".join(json.dumps(r) + "\n" for r in records) if lines else json.dumps(records)
    path.write_text(text)
    return path


@pytest.mark.parametrize("name", ["runs.json", "runs.jsonl"])
def test_nested_objects_are_dotted_columns(tmp_path: Path, name: str) -> None:
    path = _export(tmp_path / name, lines=name.endswith("l"))
    runs = read_runs(path, columns={"loss": "summary.eval/loss"})
    assert len(runs) == len(_SIZES)
    np.testing.assert_array_equal(runs["params"], [n for n, _ in _SIZES])
    np.testing.assert_array_equal(runs["tokens"], [d for _, d in _SIZES])
    np.testing.assert_allclose(runs["loss"], [_loss(n, d) for n, d in _SIZES], rtol=1e-12)
    assert runs.origins["params"] == "config.model.n_params"
    assert runs.labels["config.optimizer"] == ("adamw",) * len(_SIZES)  # --where can name it


def test_the_cli_names_a_nested_column(capsys: pytest.CaptureFixture[str], tmp_path: Path) -> None:
    path = tmp_path / "runs.jsonl"
    path.write_text(
        "".join(
            json.dumps(
                {"run_name": f"r{k}", "config": {"size": n, "D": d}, "val_loss": _loss(n, d)}
            )
            + "\n"
            for k, (n, d) in enumerate(_SIZES)
        )
    )
    args = ["fit", str(path), "--bootstrap", "0", "--map", "params=config.size"]
    code, out, err = cli(capsys, *args, "--map", "tokens=config.D", "--json")
    assert code == 0, err
    assert json.loads(out)["runs"] == [f"r{k}" for k in range(len(_SIZES))]


def test_a_key_written_both_dotted_and_nested_is_refused(tmp_path: Path) -> None:
    path = tmp_path / "runs.jsonl"
    path.write_text(
        '{"params": 1e8, "tokens": 2e9, "loss": 3.1}\n'
        '{"params": 2e8, "tokens": 4e9, "config.lr": 0.001, "config": {"lr": 0.002}}\n'
    )
    with pytest.raises(DataError) as caught:
        read_runs(path)
    assert str(caught.value) == (
        f"{path}, row 2, column 'config.lr': the key 'config.lr' appears twice in one object "
        "(as written, and as nested objects' keys joined with '.') (keep one of the two: "
        "which value is meant is not clear)"
    )


@pytest.mark.parametrize("name", ["wandb_api.json", "wandb_api.jsonl"])
def test_a_tracker_exports_summary_loss_is_found_as_ingest_finds_it(
    capsys: pytest.CaptureFixture[str], tmp_path: Path, name: str
) -> None:
    """``summary.eval/loss`` is the loss ingest reads (``eval/loss``): fit reads it too."""
    path = _export(tmp_path / name, lines=name.endswith("l"))
    runs = read_runs(path)
    assert runs.origins["loss"] == "summary.eval/loss"
    assert "column 'summary.eval/loss' read as loss" in runs.notes
    np.testing.assert_allclose(runs["loss"], [_loss(n, d) for n, d in _SIZES], rtol=1e-12)
    code, _, err = cli(capsys, "fit", str(path), "--bootstrap", "0")
    assert code == 0, err


@pytest.mark.parametrize("name", ["wandb_api.json", "wandb_api.jsonl"])
def test_an_export_without_a_loss_says_which_and_ingest(
    capsys: pytest.CaptureFixture[str], tmp_path: Path, name: str
) -> None:
    path = tmp_path / name
    records = [
        {"name": f"r{k}", "config": {"n_params": n, "tokens": d}, "summary": {"eval/ppl": 9.0}}
        for k, (n, d) in enumerate(_SIZES)
    ]
    text = "".join(json.dumps(r) + "\n" for r in records)
    path.write_text(text if name.endswith("l") else json.dumps(records))
    code, out, err = cli(capsys, "fit", str(path), one_line=True)
    assert code == 2 and out == ""
    assert err.startswith(
        f"error: {path}: no loss column (looked for loss, l, final_loss, train_loss, "
        "eval_loss, val_loss); the columns are 'name', 'config.n_params', 'config.tokens', "
        "'summary.eval/ppl' "
    )
    assert err.endswith(
        "hint: say which column holds the loss: --y loss=COLUMN (y=COLUMN in Python); "
        "'summary.eval/ppl' looks like perplexity (exp of the loss): write ln of each value "
        "in a column and give that one; or "
        f"read it as the tracker's export it is: scalinglab ingest {path} "
        "--store runs.duckdb && scalinglab fit --store runs.duckdb"
    )
