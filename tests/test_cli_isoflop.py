"""``scalinglab isoflop`` and ``scalinglab envelope`` through ``main([...])``: tables, JSON,
figures, and bad input as a message with a non-zero exit code."""

from __future__ import annotations

import json
from pathlib import Path

import pandas as pd
import pytest
from tests._chinchilla_draws import BUDGETS, HOFFMANN, isoflop_runs, law_curves
from tests._stores import store_of

from scalinglab import envelope
from scalinglab.cli import main

PNG = b"\x89PNG\r\n\x1a\n"


@pytest.fixture
def runs_csv(tmp_path: Path) -> Path:
    path = tmp_path / "runs.csv"
    isoflop_runs().to_csv(path, index=False)
    return path


def run(capsys: pytest.CaptureFixture[str], *args: str) -> tuple[int, str, str]:
    code = main(list(args))
    out, err = capsys.readouterr()
    return code, out, err


@pytest.mark.heavy  # 1.3 s in the suite on a 2-core AMD EPYC
def test_isoflop_table_json_and_figure(
    capsys: pytest.CaptureFixture[str], runs_csv: Path, tmp_path: Path
) -> None:
    json_path, png = tmp_path / "iso.json", tmp_path / "iso.png"
    budgets = ",".join(f"{b:.6g}" for b in BUDGETS)
    code, out, err = run(
        capsys, "isoflop", str(runs_csv), "--budgets", budgets, "--tolerance", "0.1",
        "--bootstrap", "200", "--out", str(json_path), "--plot", str(png),
    )  # fmt: skip
    assert code == 0, err
    assert "Chinchilla approach 2" in out and "N_opt ∝ C^a" in out and "tokens/param" in out
    assert "D/N" not in out  # one label for tokens per parameter, as fit and plan
    assert "a = 0.45" in out  # the law's a = 0.28/0.62 = 0.4516
    assert "C = 6·N·D, so D_opt = C/(6·N_opt)" in out
    data = json.loads(json_path.read_text())
    assert data["a"] == pytest.approx(0.4516, abs=0.02)
    assert data["a_lower"] < data["a"] < data["a_upper"]  # flat, as plan --json writes
    assert [b["n_runs"] for b in data["budgets"]] == [9] * 7
    assert png.read_bytes().startswith(PNG)


def test_isoflop_json_to_stdout_only(capsys: pytest.CaptureFixture[str], runs_csv: Path) -> None:
    code, out, _ = run(capsys, "isoflop", str(runs_csv), "--bootstrap", "0", "--json")
    assert code == 0
    data = json.loads(out)  # nothing but the JSON on stdout
    assert data["n_bootstrap"] == 0 and data["a_lower"] == "nan"


def test_isoflop_bad_input_exits_non_zero(
    capsys: pytest.CaptureFixture[str], runs_csv: Path, tmp_path: Path
) -> None:
    code, _, err = run(capsys, "isoflop", str(runs_csv), "--budgets", "1e18,1e25")
    assert code == 2
    assert "1 budget with a usable parabola" in err and "at least 2" in err and "hint:" in err
    assert "Traceback" not in err
    sparse = tmp_path / "sparse.csv"
    frame = isoflop_runs()
    frame.groupby((6 * frame.params * frame.tokens).round(-10)).head(2).to_csv(sparse, index=False)
    code, _, err = run(capsys, "isoflop", str(sparse))
    assert code == 2 and "no budget has 3 or more runs" in err
    no_compute = tmp_path / "no_compute.csv"
    frame.drop(columns="tokens").to_csv(no_compute, index=False)
    code, _, err = run(capsys, "isoflop", str(no_compute))
    assert code == 2 and str(no_compute) in err and "needs each run's compute" in err
    code, _, err = run(capsys, "isoflop", str(runs_csv), "--budgets", "1e19,lots")
    assert code == 2 and "--compute 'lots' is not a number" in err
    code, _, err = run(capsys, "isoflop", str(runs_csv), "--plot", str(tmp_path / "x.gif"))
    assert code == 2 and "--plot" in err
    code, _, err = run(capsys, "isoflop", str(tmp_path / "missing.csv"))
    assert code == 2 and "file not found" in err


@pytest.fixture
def curves_csv(tmp_path: Path) -> Path:
    frame = law_curves(HOFFMANN, noise=0.0, sizes=16)
    path = tmp_path / "curves.csv"
    frame.drop(columns="params").to_csv(path, index=False)
    frame.groupby("run", sort=False)["params"].first().reset_index().assign(
        loss=3.0, tokens=1e9
    ).to_csv(tmp_path / "runs.csv", index=False)
    return path


@pytest.mark.heavy  # 1.4 s in the suite on a 2-core AMD EPYC
def test_envelope_with_a_run_table(
    capsys: pytest.CaptureFixture[str], curves_csv: Path, tmp_path: Path
) -> None:
    json_path, png = tmp_path / "env.json", tmp_path / "env.png"
    code, out, err = run(
        capsys, "envelope", str(curves_csv), "--runs", str(tmp_path / "runs.csv"),
        "--bootstrap", "100", "--out", str(json_path), "--plot", str(png),
    )  # fmt: skip
    assert code == 0, err
    assert "Chinchilla approach 1" in out and "N_opt ∝ C^a" in out
    data = json.loads(json_path.read_text())
    assert data["a"] == pytest.approx(0.4516, abs=0.01)
    assert data["n_runs"] == 16
    assert png.read_bytes().startswith(PNG)


def test_envelope_runs_file_needs_only_run_and_params(
    capsys: pytest.CaptureFixture[str], curves_csv: Path, tmp_path: Path
) -> None:
    """``--runs`` supplies each run's params: a file of ``run,n_params`` (no loss, no tokens)
    is read as such, where read_runs would ask for a loss column."""
    sizes = tmp_path / "sizes.csv"
    pd.read_csv(tmp_path / "runs.csv")[["run", "params"]].rename(
        columns={"params": "n_params"}
    ).to_csv(sizes, index=False)
    code, out, err = run(capsys, "envelope", str(curves_csv), "--runs", str(sizes), "--json",
                         "--bootstrap", "0")  # fmt: skip
    assert code == 0, err
    data = json.loads(out)
    assert data["a"] == pytest.approx(0.4516, abs=0.01) and data["n_runs"] == 16
    assert f"params of each run read from {sizes}" in data["notes"]
    nameless = tmp_path / "nameless.csv"
    nameless.write_text("n_params\n1e8\n", encoding="utf-8")
    code, _, err = run(capsys, "envelope", str(curves_csv), "--runs", str(nameless))
    assert code == 2 and "no run column (run, name, run_name, exp_name, run_id, id)" in err
    assert "--y" not in err
    sizeless = tmp_path / "sizeless.csv"
    sizeless.write_text("run,loss\nm0,3.0\n", encoding="utf-8")
    code, _, err = run(capsys, "envelope", str(curves_csv), "--runs", str(sizeless))
    assert code == 2 and "no params column (looked for params, n, n_params" in err
    assert "the columns are 'run', 'loss'" in err


def test_envelope_bad_input_exits_non_zero(
    capsys: pytest.CaptureFixture[str], curves_csv: Path, tmp_path: Path
) -> None:
    code, _, err = run(capsys, "envelope", str(curves_csv))
    assert code == 2 and "no params column and no run table" in err and "--runs" in err
    partial = tmp_path / "partial.csv"
    pd.read_csv(tmp_path / "runs.csv").iloc[:3].to_csv(partial, index=False)
    code, _, err = run(capsys, "envelope", str(curves_csv), "--runs", str(partial))
    assert code == 2 and "run 'm3' has no parameter count" in err and "row " in err
    code, _, err = run(capsys, "envelope")
    assert code == 2 and "give exactly one of CURVES or --store" in err
    code, _, err = run(capsys, "envelope", str(curves_csv), "--map", "loss=nope")
    assert code == 2 and "no column 'nope'" in err


def test_envelope_from_a_run_store(capsys: pytest.CaptureFixture[str], tmp_path: Path) -> None:
    pytest.importorskip("duckdb")
    from scalinglab.store import RunStore, StoredRun

    frame = law_curves(HOFFMANN, noise=0.0, sizes=12)
    store = RunStore(tmp_path / "runs.duckdb")
    pairs = []
    for run_id, curve in frame.groupby("run", sort=False):
        stored = StoredRun(
            run_id=str(run_id), name=str(run_id), params=float(curve["params"].iloc[0])
        )
        steps = pd.DataFrame(
            {"step": range(1, len(curve) + 1), "tokens": curve["tokens"].to_numpy(),
             "train_loss": curve["loss"].to_numpy() + 0.05, "eval_loss": curve["loss"].to_numpy()}
        )  # fmt: skip
        pairs.append((stored, steps))
    store.put_runs(pairs)
    direct = main(["envelope", "--store", str(store.path), "--bootstrap", "0", "--json"])
    out, _ = capsys.readouterr()
    assert direct == 0
    data = json.loads(out)
    assert data["source"] == f"{store.path} (12 runs)" and data["n_runs"] == 12
    # the same envelope as from the curves themselves: eval_loss was read, not train_loss
    assert data["a"] == pytest.approx(envelope(frame, bootstrap=0).a.value, abs=1e-12)
    code, _, err = run(capsys, "envelope", "--store", str(tmp_path / "none.duckdb"))
    assert code == 2 and "run store not found" in err  # as every --store says it
    code, _, err = run(capsys, "envelope", "--store", str(store.path), "--y", "val_loss")
    assert code == 2 and "no column 'val_loss'" in err and "column: --y loss=COLUMN" in err


@pytest.mark.heavy  # 1.1 s in the suite on a 2-core AMD EPYC
def test_isoflop_and_backtest_read_a_run_store(
    capsys: pytest.CaptureFixture[str], runs_csv: Path, tmp_path: Path
) -> None:
    pytest.importorskip("duckdb")
    table = pd.read_csv(runs_csv)
    store = store_of(table, tmp_path / "runs.duckdb")
    _, from_file, _ = run(capsys, "isoflop", str(runs_csv), "--bootstrap", "0", "--json")
    code, from_store, err = run(
        capsys, "isoflop", "--store", str(store), "--bootstrap", "0", "--json"
    )
    assert code == 0, err
    a_file, a_store = json.loads(from_file)["a"], json.loads(from_store)["a"]
    assert a_store == pytest.approx(a_file, rel=1e-9)
    code, out, err = run(
        capsys, "backtest", "--store", str(store), "--holdout", "largest:3", "--bootstrap", "20",
        "--no-rolling", "--json",
    )  # fmt: skip
    assert code == 0, err
    assert json.loads(out)["n_held_out"] == 3
    code, _, err = run(capsys, "isoflop")
    assert code == 2 and "give a run table RUNS or --store STORE" in err
    code, _, err = run(capsys, "backtest", str(runs_csv), "--store", str(store))
    assert code == 2 and "give RUNS or --store, not both" in err


def test_a_store_honours_drop_outliers(
    capsys: pytest.CaptureFixture[str], runs_csv: Path, tmp_path: Path
) -> None:
    pytest.importorskip("duckdb")
    table = pd.read_csv(runs_csv)
    table.loc[0, "loss"] = 40.0  # a diverged run
    store = store_of(table, tmp_path / "runs.duckdb")
    code, out, err = run(capsys, "isoflop", "--store", str(store), "--bootstrap", "0", "--json")
    assert code == 0, err
    data = json.loads(out)  # the diverged run is kept, and said so (isoflop was once silent)
    assert any("looks diverged" in n and "kept" in n for n in data["notes"])
    kept = sum(b["n_runs"] for b in data["budgets"])
    code, out, err = run(
        capsys, "isoflop", "--store", str(store), "--bootstrap", "0", "--json", "--drop-outliers"
    )
    assert code == 0, err
    assert sum(b["n_runs"] for b in json.loads(out)["budgets"]) == kept - 1


def test_envelope_from_a_tracker_store_counts_nan_tokens_as_missing(
    capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    """Tracker ingests store curves with steps and NaN tokens: ``--tokens-per-step`` fills
    them; without it the message names the run and the option (it was 'tokens is nan')."""
    pytest.importorskip("duckdb")
    from scalinglab.store import RunStore, StoredRun

    # the same envelope as from the curves with their tokens, once steps are counted in tokens
    frame = law_curves(HOFFMANN, noise=0.0, sizes=12)
    store = RunStore(tmp_path / "steps.duckdb")
    pairs = []
    for run_id, curve in frame.groupby("run", sort=False):
        stored = StoredRun(  # a hashed id beside the name, as a tracker's runs have
            run_id=f"wandb-{abs(hash(run_id)):x}", name=str(run_id),
            params=float(curve["params"].iloc[0]),
        )  # fmt: skip
        steps = pd.DataFrame(
            {"step": (curve["tokens"].to_numpy() / 1000).round().astype("int64"),
             "tokens": float("nan"), "eval_loss": curve["loss"].to_numpy()}
        )  # fmt: skip
        pairs.append((stored, steps))
    store.put_runs(pairs)
    code, _, err = run(capsys, "envelope", "--store", str(store.path), "--bootstrap", "0")
    err = " ".join(err.split())  # no final tokens stored either: refused, naming the runs
    assert code == 2 and "tokens is nan" not in err
    assert "the stored curve has steps but no tokens" in err
    assert any(f"'m{k}' (wandb-" in err for k in range(12)) and "and 9 other runs:" in err
    assert "pass --tokens-per-step N" in err
    args = ("envelope", "--store", str(store.path), "--bootstrap", "0", "--json")
    code, out, err = run(capsys, *args, "--tokens-per-step", "1K")
    assert code == 0, err
    data = json.loads(out)
    assert data["n_runs"] == 12
    assert data["a"] == pytest.approx(envelope(frame, bootstrap=0).a.value, abs=1e-4)
    shown = {g["run"] for g in data["grid"] if g["run"]}  # the envelope's runs by name
    assert shown and shown <= set(map(str, frame["run"].unique()))


@pytest.mark.heavy  # 1.2 s in the suite on a 2-core AMD EPYC
def test_envelope_store_counts_steps_in_tokens_from_each_runs_stored_final_tokens(
    capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    """A tracker's runs store their final tokens (``data.tokens``) beside curves of steps
    alone: each run's tokens per step is its final tokens over its last step, said in a
    note (it was refused with "pass --tokens-per-step"), and a run of neither is refused."""
    pytest.importorskip("duckdb")
    from scalinglab.store import RunStore, StoredRun

    frame = law_curves(HOFFMANN, noise=0.0, sizes=12)
    store = RunStore(tmp_path / "steps.duckdb")
    pairs, rates = [], {}
    for k, (run_id, curve) in enumerate(frame.groupby("run", sort=False)):
        rate = 1000.0 * (1 + k % 3)  # batches differ between runs: 1K, 2K or 3K a step
        step = curve["tokens"].to_numpy() / rate
        rates[str(run_id)] = rate
        stored = StoredRun(
            run_id=f"wandb-{k}", name=str(run_id), params=float(curve["params"].iloc[0]),
            tokens=float(curve["tokens"].iloc[-1]),
        )  # fmt: skip
        steps = pd.DataFrame({"step": step, "tokens": float("nan"),
                              "eval_loss": curve["loss"].to_numpy()})  # fmt: skip
        pairs.append((stored, steps))
    store.put_runs(pairs)
    args = ("envelope", "--store", str(store.path), "--bootstrap", "0", "--json")
    code, out, err = run(capsys, *args)
    assert code == 0, err
    data = json.loads(out)
    # every point's tokens recovered: the envelope of the curves with their own tokens
    want = envelope(frame, bootstrap=0)
    assert data["n_runs"] == 12
    assert data["a"] == pytest.approx(want.a.value, rel=1e-9)
    assert data["b"] == pytest.approx(want.b.value, rel=1e-9)
    note = (
        f"tokens = step × (the run's stored final tokens / its last step) at {len(frame)} "
        "points of 12 runs whose stored curve has no tokens (1000, 2000, 3000 tokens per "
        "step); pass --tokens-per-step N to count them otherwise"
    )
    assert note in data["notes"], [n for n in data["notes"] if n.startswith("tokens")]
    # one run without its final tokens: refused, named; the others are not
    bare = RunStore(tmp_path / "bare.duckdb")
    first, curve = pairs[0]
    bare.put_runs([(StoredRun(run_id="wandb-x", name="bare", params=first.params), curve),
                   *pairs[1:]])  # fmt: skip
    code, _, err = run(capsys, "envelope", "--store", str(bare.path), "--bootstrap", "0")
    err = " ".join(err.split())
    assert code == 2 and "run 'bare' (wandb-x): the stored curve has steps but no" in err


def test_envelope_store_runs_sharing_a_name_are_shown_by_id_and_said_so(
    capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    pytest.importorskip("duckdb")
    from scalinglab.store import RunStore, StoredRun

    frame = law_curves(HOFFMANN, noise=0.0, sizes=12)
    store = RunStore(tmp_path / "runs.duckdb")
    pairs = []
    for k, (run_id, curve) in enumerate(frame.groupby("run", sort=False)):
        stored = StoredRun(run_id=str(run_id), name="same" if k < 2 else str(run_id),
                           params=float(curve["params"].iloc[0]))  # fmt: skip
        steps = pd.DataFrame({"step": range(1, len(curve) + 1),
                              "tokens": curve["tokens"].to_numpy(),
                              "eval_loss": curve["loss"].to_numpy()})  # fmt: skip
        pairs.append((stored, steps))
    store.put_runs(pairs)
    code, out, err = run(
        capsys, "envelope", "--store", str(store.path), "--bootstrap", "0", "--json"
    )
    assert code == 0, err
    assert "runs shown by their store ids: some runs share a name" in json.loads(out)["notes"]
