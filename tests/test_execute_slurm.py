"""The SLURM backend through submitit's local executor: a job array of real rungs, and a job
that reaches its time limit is requeued by submitit and resumes from its checkpoint."""

from __future__ import annotations

import os
import signal
import time
from collections.abc import Iterator
from pathlib import Path

import pytest
from tests._ladders import make_corpus, write_ladder

from scalinglab.execute import SlurmBackend, run_ladder
from scalinglab.execute._slurm import RungTask
from scalinglab.ladder import get_recipe
from scalinglab.store import RunStore

submitit = pytest.importorskip(
    "submitit", reason="the SLURM extra is not installed (pip install -e '.[slurm]')"
)
pytest.importorskip("torch")


@pytest.fixture(autouse=True)
def _env(tmp_path: Path) -> Iterator[None]:
    with pytest.MonkeyPatch.context() as mp:  # submitit's local jobs inherit the environment
        mp.setenv("SCALINGLAB_CACHE", str(tmp_path / "cache"))
        mp.setenv("OMP_NUM_THREADS", "1")
        yield


def _ladder(tmp_path: Path, steps: tuple[int, ...]) -> Path:
    return write_ladder(
        tmp_path / "mini.toml",
        steps=steps,
        corpus=make_corpus(tmp_path / "text"),
        name="mini-slurm",
        eval_every=50,
        warmup_steps=None,
    )


def test_checkpoint_requeues_the_same_rung() -> None:
    spec = {"rung": {"name": "x"}, "workdir": "/somewhere"}
    delayed = RungTask().checkpoint(spec)
    assert isinstance(delayed, submitit.helpers.DelayedSubmission)
    assert isinstance(delayed.function, RungTask) and delayed.args == (spec,)
    assert RungTask.__submitit_checkpoint__ is RungTask.checkpoint


@pytest.mark.heavy
def test_slurm_backend_runs_the_ladder_as_one_job_array(tmp_path: Path) -> None:
    ladder = get_recipe(str(_ladder(tmp_path, (20, 20))))
    store = RunStore(tmp_path / "runs.duckdb")
    backend = SlurmBackend(
        folder=tmp_path / "submitit",
        cluster="local",
        cpus_per_rung=1,
        timeout_min=10,
        max_parallel=2,
    )
    with backend:
        report = run_ladder(
            ladder, store=store, backend=backend, workdir=tmp_path / "work", poll_s=0.1
        )
    assert [o.status for o in report.outcomes] == ["finished", "finished"], report.outcomes
    for rung in ladder.rungs:
        run = store.get_run(rung.run_id)
        assert run is not None and run.status == "finished" and run.loss is not None
        assert run.extra["training"]["backend"] == "slurm"
        assert list(store.curve(rung.run_id)["step"])[-1] == rung.steps
    folders = list((tmp_path / "submitit").iterdir())
    assert len(folders) == 2 and all(p.name.isdigit() for p in folders)  # one folder per job
    # (not also an empty folder named after the pattern, "%j")


@pytest.mark.heavy
def test_a_preempted_job_is_requeued_and_resumes_from_its_checkpoint(tmp_path: Path) -> None:
    rung = get_recipe(str(_ladder(tmp_path, (400,)))).rungs[0]
    workdir = tmp_path / "work" / rung.run_id
    backend = SlurmBackend(
        folder=tmp_path / "submitit", cluster="local", cpus_per_rung=1, timeout_min=60
    )
    with backend:
        handle = backend.submit(rung, workdir=workdir)
        deadline = time.monotonic() + 240
        while not (workdir / "checkpoint.pt").is_file():
            assert handle.poll() == "running" and time.monotonic() < deadline
            time.sleep(0.02)
        # what SLURM sends the job on preemption; the worker wrote its pid in its lock file
        os.kill(int((workdir / ".lock").read_text()), signal.SIGUSR2)
        result = handle.wait(poll_s=0.1)
    assert result.resumed_from_step is not None and 0 < result.resumed_from_step < 400
    assert [p.step for p in result.curve] == list(range(5, 401, 5))
    log = "".join(p.read_text() for p in (tmp_path / "submitit").glob("*/*_0_log.*"))
    assert "this job is preempted" in log and "Requeued job" in log  # via RungTask.checkpoint


def test_the_slurm_folder_is_in_the_work_folder_parent_with_or_without_workdir(
    tmp_path: Path,
) -> None:
    from scalinglab.cli._ladder_backends import make_backend, slurm_folder

    store = tmp_path / "runs.duckdb"
    assert slurm_folder(store, None) == tmp_path / "runs.duckdb.wd" / "slurm"
    assert slurm_folder(store, tmp_path / "w") == tmp_path / "w" / "slurm"  # not w's parent
    options = {"partition": None, "timeout_min": 60, "parallel": None, "cluster": "local"}
    backend = make_backend(
        "slurm", slurm_folder=slurm_folder(store, tmp_path / "w"), gpus_per_rung="0", **options
    )
    assert (
        isinstance(backend, SlurmBackend) and backend.folder == tmp_path.resolve() / "w" / "slurm"
    )
