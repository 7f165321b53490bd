"""``envelope --store STORE --map step=COL`` of curves ingested with steps and no tokens:
the stored points' tokens are filled as ``step × --tokens-per-step`` (or each run's stored
final tokens over its last step), as the curve file's own steps are, not refused."""

from __future__ import annotations

import json
from pathlib import Path

import numpy as np
import pandas as pd
import pytest
from tests._chinchilla_draws import HOFFMANN, law_curves

from scalinglab import envelope
from scalinglab.cli import main

PER_STEP = 4096.0


def _law() -> pd.DataFrame:
    """12 law curves, each point at a whole step of ``PER_STEP`` tokens (a store keeps
    whole steps): ``tokens = step × PER_STEP``."""
    frame = law_curves(HOFFMANN, noise=0.0, sizes=12)
    step = np.maximum(np.round(frame["tokens"].to_numpy() / PER_STEP), 1.0)
    return frame.assign(step=step, tokens=step * PER_STEP)


def _files(tmp_path: Path) -> tuple[Path, Path]:
    """A run table (run, params, tokens, loss) and its curves by step alone (no tokens)."""
    frame = _law()
    curves = frame[["run", "step", "loss"]]
    last = frame.groupby("run", sort=False).last().reset_index()
    curves.to_csv(tmp_path / "curves.csv", index=False, float_format="%.17g")
    last[["run", "params", "tokens", "loss"]].to_csv(
        tmp_path / "runs.csv", index=False, float_format="%.17g"
    )
    return tmp_path / "runs.csv", tmp_path / "curves.csv"


def _json(capsys: pytest.CaptureFixture[str], *args: str) -> dict[str, object]:
    code = main([*args, "--bootstrap", "0", "--json"])
    out, err = capsys.readouterr()
    assert code == 0, err
    data: dict[str, object] = json.loads(out)
    return data


def test_map_step_fills_stored_tokens_as_the_file_path_does(
    capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    pytest.importorskip("duckdb")
    runs, curves = _files(tmp_path)
    store = tmp_path / "runs.duckdb"
    assert main(["ingest", str(runs), "--history", str(curves), "--store", str(store)]) == 0
    capsys.readouterr()
    # the curves' own tokens: the reference the filled tokens must give back
    want = envelope(_law().drop(columns="step"), bootstrap=0)
    files = _json(capsys, "envelope", str(curves), "--runs", str(runs), "--map", "step=step",
                  "--tokens-per-step", "4096")  # fmt: skip
    stored = _json(capsys, "envelope", "--store", str(store), "--map", "step=step",
                   "--tokens-per-step", "4096")  # fmt: skip
    for data in (files, stored):
        assert data["n_runs"] == 12
        assert data["a"] == pytest.approx(want.a.value, rel=1e-9)
        assert data["b"] == pytest.approx(want.b.value, rel=1e-9)
    assert (
        "tokens = step × 4096 (--tokens-per-step) at 960 points of 12 runs whose stored curve "
        "has no tokens"
    ) in stored["notes"]  # type: ignore[operator]
    # without --tokens-per-step: each run's stored final tokens over its last step
    finals = _json(capsys, "envelope", "--store", str(store), "--map", "step=step")
    assert finals["a"] == pytest.approx(want.a.value, rel=1e-9)
    notes = " ".join(finals["notes"])  # type: ignore[arg-type]
    assert "tokens = step × (the run's stored final tokens / its last step) at 960" in notes


def test_map_step_of_a_run_without_any_tokens_names_it(
    capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    """A run stored with neither tokens nor final tokens is refused by name, with the
    option that fills it, under --map step=step as without it."""
    pytest.importorskip("duckdb")
    from scalinglab.store import RunStore, StoredRun

    store = RunStore(tmp_path / "bare.duckdb")
    steps = pd.DataFrame({"step": np.arange(1.0, 11.0), "tokens": np.nan,
                          "eval_loss": np.linspace(4.0, 3.0, 10)})  # fmt: skip
    store.put_runs([(StoredRun(run_id="w-1", name="bare", params=1e8), steps)])
    code = main(["envelope", "--store", str(store.path), "--map", "step=step"])
    err = " ".join(capsys.readouterr().err.split())
    assert code == 2
    assert "run 'bare' (w-1): the stored curve has steps but no tokens" in err
    assert "hint: pass --tokens-per-step N (batch size × sequence length)" in err
