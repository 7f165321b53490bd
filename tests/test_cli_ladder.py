"""``scalinglab ladder plan | run | status``: output with exact counts, --predict-top, and
clear errors for bad input."""

from __future__ import annotations

import json
from collections.abc import Iterator
from pathlib import Path

import duckdb
import pytest
from tests._ladders import make_corpus
from tests._ladders import write_ladder as ladder_toml

from scalinglab.cli import _render as render
from scalinglab.cli import main
from scalinglab.ladder import get_recipe, rung_counts
from scalinglab.store import RunStore, StoredRun


@pytest.fixture(autouse=True)
def _env(tmp_path_factory: pytest.TempPathFactory) -> Iterator[None]:
    with pytest.MonkeyPatch.context() as mp:
        mp.setenv("SCALINGLAB_CACHE", str(tmp_path_factory.getbasetemp() / "cli-ladder-cache"))
        mp.setenv("COLUMNS", "200")
        yield


def write_ladder(tmp_path: Path, steps: tuple[int, ...], *, corpus: Path | None = None) -> Path:
    return ladder_toml(
        tmp_path / "mini.toml",
        steps=steps,
        corpus=make_corpus(tmp_path / "text") if corpus is None else corpus,
        checkpoint_every=10,
    )


# -- plan ----------------------------------------------------------------------------------


def test_plan_shows_every_rung_with_its_counts(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["ladder", "plan", "chinchilla-tiny", "--flops-per-s", "1e9"]) == 0
    out = capsys.readouterr().out
    spec = get_recipe("chinchilla-tiny")
    for line, rung in zip(
        [ln for ln in out.splitlines() if ln.strip().startswith("w")], spec.rungs, strict=True
    ):
        c = rung_counts(rung)
        cells = line.split()
        assert cells[:3] == [rung.name, str(rung.model.width), str(rung.model.depth)]
        assert cells[3:6] == [
            render.count(c.params),
            render.count(c.params_non_embedding),
            render.count(c.tokens),
        ]
        assert cells[7:9] == [str(c.steps), str(rung.train.batch_size)]
        assert cells[10:12] == [render.flops(c.flops), render.flops(c.flops_6nd)]
    total = sum(rung_counts(r).flops for r in spec.rungs)
    assert f"total {render.flops(total)} FLOPs" in out


def test_plan_json_has_exact_counts_and_the_time_estimate(
    capsys: pytest.CaptureFixture[str],
) -> None:
    assert main(["ladder", "plan", "tiny", "--json", "--flops-per-s", "2e9"]) == 0
    data = json.loads(capsys.readouterr().out)
    spec = get_recipe("tiny")
    assert [r["run_id"] for r in data["rungs"]] == [r.run_id for r in spec.rungs]
    for row, rung in zip(data["rungs"], spec.rungs, strict=True):
        c = rung_counts(rung)
        assert (row["params"], row["params_non_embedding"], row["flops"], row["flops_6nd"]) == (
            c.params,
            c.params_non_embedding,
            c.flops,
            c.flops_6nd,
        )
        assert row["flops_6nd"] == 6 * c.params_non_embedding * c.tokens
        assert row["est_s"] == pytest.approx(c.flops / 2e9 + 5.0)  # + the per-rung overhead
    assert data["rung_overhead_s"] == 5.0


# -- bad input -----------------------------------------------------------------------------


def test_unknown_recipe_names_the_closest(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["ladder", "plan", "tiyn"]) == 2
    err = capsys.readouterr().err
    assert "unknown ladder recipe 'tiyn'" in err and "did you mean 'tiny'" in err


def test_malformed_toml_names_the_line(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    path = tmp_path / "bad.toml"
    path.write_text('name = "x"\n[[rungs]]\nwidth = = 3\n')
    assert main(["ladder", "run", str(path), "--store", str(tmp_path / "s.duckdb")]) == 2
    err = capsys.readouterr().err
    assert "bad.toml" in err and "line 3" in err
    assert not (tmp_path / "s.duckdb").exists()


def test_missing_corpus_is_an_error_before_training(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    pytest.importorskip("torch")  # without it, `ladder run` stops first at the missing extra
    path = write_ladder(tmp_path, (10,), corpus=tmp_path / "nowhere")
    assert main(["ladder", "run", str(path), "--store", str(tmp_path / "s.duckdb")]) == 2
    err = capsys.readouterr().err
    assert "corpus" in err and "nowhere" in err and "does not exist" in err
    assert "hint:" in err


def test_store_from_a_newer_schema_is_refused(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    pytest.importorskip("torch")  # without it, `ladder run` stops first at the missing extra
    store = tmp_path / "new.duckdb"
    RunStore(store).put_run(StoredRun(run_id="x", name="x", params=1.0, tokens=1.0, loss=1.0))
    with duckdb.connect(str(store)) as con:
        con.execute("UPDATE meta SET value = '99' WHERE key = 'schema_version'")
    path = write_ladder(tmp_path, (10,))
    assert main(["ladder", "run", str(path), "--store", str(store)]) == 2
    err = capsys.readouterr().err
    assert "schema version 99" in err and "upgrade scalinglab" in err
    assert main(["ladder", "status", "--store", str(store)]) == 2


def test_missing_torch_says_how_to_install_it(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    import importlib.util

    real = importlib.util.find_spec
    monkeypatch.setattr(
        importlib.util, "find_spec", lambda name, *a: None if name == "torch" else real(name, *a)
    )
    path = write_ladder(tmp_path, (10,))
    assert main(["ladder", "run", str(path), "--store", str(tmp_path / "s.duckdb")]) == 2
    err = " ".join(capsys.readouterr().err.split())
    assert 'pip install torch==2.13.0 && pip install "scalinglab[train]" (PyTorch first' in err


def test_unknown_backend(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    path = write_ladder(tmp_path, (10,))
    assert main(["ladder", "run", str(path), "--backend", "kubernetes"]) == 2
    assert "unknown --backend 'kubernetes'" in capsys.readouterr().err


# -- run, predict-top, status --------------------------------------------------------------


@pytest.mark.heavy
def test_run_predict_top_then_status(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    pytest.importorskip("torch")
    path = write_ladder(tmp_path, (20, 30, 40, 60))
    store = tmp_path / "runs.duckdb"
    args = ["ladder", "run", str(path), "--store", str(store), "--backend", "in-process",
            "--workdir", str(tmp_path / "work"), "--predict-top"]  # fmt: skip
    assert main(args) == 0
    captured = capsys.readouterr()
    spec = get_recipe(str(path))
    top = spec.rungs[-1]
    # the prediction is printed before the top rung trains, the outcome after
    err = captured.err
    assert err.index(f"predicted loss of {top.name}") < err.index(f"finished {top.name}")
    assert err.index(f"finished {top.name}") < err.index(f"actual loss of {top.name}")
    assert "law power-law:flops: only 3 rungs" in err
    # stderr is not a terminal here: a line per rung as it starts, no bar's last frame
    assert err.index(f"training {top.name}: {top.steps} steps") < err.index(f"finished {top.name}")
    assert "━" not in err and "rungs 0:00" not in err
    stored = RunStore(store).get_run(top.run_id)
    assert stored is not None and stored.loss is not None
    prediction = stored.extra["prediction"]
    assert prediction["actual"] == stored.loss
    assert prediction["error"] == pytest.approx(stored.loss - prediction["loss"])
    assert prediction["lower"] <= prediction["loss"] <= prediction["upper"]
    assert prediction["runs"] == [r.name for r in spec.rungs[:-1]]
    assert (
        f"top rung {top.name}: predicted {prediction['loss']:.4f} [" in captured.out
        and f"actual {stored.loss:.4f}" in captured.out
    )

    assert main(["ladder", "status", "--store", str(store), "--json"]) == 0
    rows = json.loads(capsys.readouterr().out)["rungs"]
    assert [(r["name"], r["status"]) for r in rows] == [(r.name, "finished") for r in spec.rungs]
    assert main(["ladder", "status", "--store", str(store)]) == 0
    out = capsys.readouterr().out
    assert "4 ladder rungs" in out and all(r.name in out for r in spec.rungs)

    assert main(args) == 0  # again: everything skipped, the stored prediction shown
    captured = capsys.readouterr()
    assert "4 skipped" in captured.out and "0 trained" in captured.out
    assert f"actual {stored.loss:.4f}" in captured.out


@pytest.mark.slow
def test_the_tiny_ladder_end_to_end_on_the_local_backend(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    """The built-in CI ladder: 3 rungs, one fresh process each, on the stdlib corpus."""
    pytest.importorskip("torch")
    monkeypatch.chdir(tmp_path)  # default work folder runs.duckdb.wd/ lands here
    assert main(["ladder", "run", "tiny", "--store", "runs.duckdb"]) == 0
    spec = get_recipe("tiny")
    store = RunStore(tmp_path / "runs.duckdb")
    runs = {r.run_id: r for r in store.runs(status="finished")}
    assert set(runs) == {r.run_id for r in spec.rungs}
    for rung in spec.rungs:
        run, counts = runs[rung.run_id], rung_counts(rung)
        assert (run.params, run.flops, run.tokens) == (counts.params, counts.flops, counts.tokens)
        curve = store.curve(rung.run_id)
        assert curve["step"].iloc[-1] == counts.steps and curve["eval_loss"].iloc[-1] == run.loss
        assert (tmp_path / "runs.duckdb.wd" / rung.run_id / "result.json").is_file()
    losses = [runs[r.run_id].loss for r in spec.rungs]
    assert losses == sorted(losses, reverse=True)  # bigger rungs, lower loss
    assert "3 trained, 0 skipped, 0 failed" in capsys.readouterr().out
    assert main(["fit", "--store", "runs.duckdb", "--law", "power-law:flops"]) == 0


def test_status_shows_the_step_of_a_running_rung_and_failures(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    from scalinglab.execute import stored_run
    from scalinglab.execute._backend import RungError, write_json

    spec = get_recipe("tiny")
    first, second, third = spec.rungs
    store = RunStore(tmp_path / "runs.duckdb")
    store.put_run(stored_run(first, ladder="tiny", backend="local", status="running"))
    store.put_run(
        stored_run(
            second,
            ladder="tiny",
            backend="local",
            status="failed",
            error=RungError("it broke", hint="fix it"),
        )
    )
    store.put_run(StoredRun(run_id="other", name="ingested", params=1.0, tokens=1.0, loss=1.0))
    (tmp_path / "work" / first.run_id).mkdir(parents=True)
    write_json(
        tmp_path / "work" / first.run_id / "progress.json",
        {
            "run_id": first.run_id,
            "step": 40,
            "steps": first.steps,
            "tokens": 40 * 1024,
            "train_loss": 3.0,
            "eval_loss": None,
            "tokens_per_s": 1e4,
            "wall_s": 4.0,
        },
    )
    args = ["ladder", "status", "--store", str(store.path), "--workdir", str(tmp_path / "work")]
    assert main(args) == 0
    out = capsys.readouterr().out
    # ladder rungs only, the recipe's rung not started among them
    assert "3 ladder rungs, 1 not started" in out and "ingested" not in out
    assert f"interrupted at step 40/{first.steps}" in out and "it broke" in out
    assert main([*args, "--json"]) == 0
    rows = json.loads(capsys.readouterr().out)["rungs"]
    assert [(r["name"], r["status"], r["step"]) for r in rows] == [
        (first.name, "interrupted", 40),  # stored running, but no worker holds its lock
        (second.name, "failed", None),
        (third.name, "pending", None),
    ]


@pytest.mark.heavy
def test_run_on_the_slurm_backend_through_submitits_local_executor(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    pytest.importorskip("torch")
    pytest.importorskip("submitit")
    path = write_ladder(tmp_path, (10, 10))
    store = tmp_path / "runs.duckdb"
    args = ["ladder", "run", str(path), "--store", str(store), "--backend", "slurm",
            "--cluster", "local", "--gpus-per-rung", "0", "--parallel", "2",
            "--workdir", str(tmp_path / "work" / "runs")]  # fmt: skip
    assert main(args) == 0
    assert "2 trained, 0 skipped, 0 failed" in capsys.readouterr().out
    runs = RunStore(store).runs(status="finished")
    assert {r.extra["training"]["backend"] for r in runs} == {"slurm"} and len(runs) == 2
    jobs = (tmp_path / "work" / "runs" / "slurm").iterdir()  # in --workdir, as beside a store
    assert [p.name.isdigit() for p in jobs].count(True) == 2


def test_plan_refuses_a_speed_of_zero(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["ladder", "plan", "tiny", "--flops-per-s", "0"]) == 2
    assert "--flops-per-s must be a positive, finite number, got '0'" in capsys.readouterr().err


@pytest.mark.heavy  # 1.4 s in the suite on a 2-core AMD EPYC
def test_status_marks_failed_attempts_a_later_finished_one_superseded(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """A rung that failed, then finished with another config (so another run id): the failed
    row is marked superseded by the finished run, in the table and in --json alike."""
    import dataclasses

    from scalinglab.execute import stored_run
    from scalinglab.execute._backend import RungError

    first, second, _ = get_recipe("tiny").rungs
    retried = dataclasses.replace(first, train=dataclasses.replace(first.train, lr=1e-3))
    assert retried.run_id != first.run_id and retried.name == first.name
    high = dataclasses.replace(second, train=dataclasses.replace(second.train, lr=1.0))
    lower = dataclasses.replace(second, train=dataclasses.replace(second.train, lr=1e-3))
    broke = RungError("out of memory", hint="smaller batch")
    store = RunStore(tmp_path / "runs.duckdb")
    attempts = ((first, "failed"), (second, "failed"), (retried, "finished"),
                (high, "diverged"), (lower, "finished"))  # fmt: skip
    for rung, status in attempts:
        error = broke if status == "failed" else None
        store.put_run(stored_run(rung, ladder="tiny", backend="local", status=status, error=error))
    args = ["ladder", "status", "--store", str(store.path), "--workdir", str(tmp_path / "w")]
    assert main(args) == 0
    out = capsys.readouterr().out
    words = " ".join(out.split())  # the title may wrap at the console's width
    assert "3 ladder rungs (5 attempts at 2), 1 not started" in words
    assert "3 failed, diverged or interrupted attempts superseded by a later finished" in words
    assert f"superseded by {retried.run_id}, finished later (this attempt: out of memory)" in out
    assert main([*args, "--json"]) == 0
    rows = json.loads(capsys.readouterr().out)["rungs"]
    assert [(r["run_id"], r["status"], r["superseded_by"]) for r in rows] == [
        (first.run_id, "failed", retried.run_id),
        (second.run_id, "failed", lower.run_id),
        (retried.run_id, "finished", None),
        (high.run_id, "diverged", lower.run_id),  # a diverged lr, retried lower
        (lower.run_id, "finished", None),
        (get_recipe("tiny").rungs[2].run_id, "pending", None),  # the recipe's, not started
    ]


def test_status_counts_rungs_not_attempts(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """A rung that finished, then failed under another config: one rung, two attempts (it
    read '2 ladder rung(s)')."""
    import dataclasses

    from scalinglab.execute import stored_run
    from scalinglab.execute._backend import RungError

    first = get_recipe("tiny").rungs[0]
    retried = dataclasses.replace(first, train=dataclasses.replace(first.train, lr=1e-3))
    store = RunStore(tmp_path / "runs.duckdb")
    store.put_run(stored_run(first, ladder="tiny", backend="local", status="finished"))
    store.put_run(stored_run(retried, ladder="tiny", backend="local", status="failed",
                             error=RungError("out of memory")))  # fmt: skip
    args = ["ladder", "status", "--store", str(store.path), "--workdir", str(tmp_path / "w")]
    assert main(args) == 0
    assert "3 ladder rungs (2 attempts at 1), 2 not started in" in capsys.readouterr().out
