"""``ladder run --backend ray|slurm`` refuses bad backend options with one line and exit code 2
before the store is touched: no SLURM where ``--backend slurm`` needs it (not a silent local
run), an unknown ``--cluster``, GPU counts SLURM cannot allocate, a time limit under a minute."""

from __future__ import annotations

from pathlib import Path

import pytest

from scalinglab.cli import main


def _run(tmp_path: Path, *options: str) -> list[str]:
    return ["ladder", "run", "tiny", "--store", str(tmp_path / "s.duckdb"), *options]


def _refused(tmp_path: Path, capsys: pytest.CaptureFixture[str], *options: str) -> str:
    assert main(_run(tmp_path, *options)) == 2
    err = " ".join(capsys.readouterr().err.split())
    assert "Traceback" not in err and "internal error" not in err
    assert not (tmp_path / "s.duckdb").exists() and not (tmp_path / "s.duckdb.wd").exists()
    return err


def test_slurm_without_sbatch_is_refused_not_run_locally(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    pytest.importorskip("submitit")
    monkeypatch.setenv("PATH", str(tmp_path / "no-slurm-here"))
    err = _refused(tmp_path, capsys, "--backend", "slurm")
    assert "sbatch and srun not found on PATH: --backend slurm submits the rungs" in err
    assert "use --cluster local to test without SLURM" in err
    err = _refused(tmp_path, capsys, "--backend", "slurm", "--cluster", "slurm")
    assert "sbatch and srun not found on PATH" in err


def test_an_unknown_cluster_is_named(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    err = _refused(tmp_path, capsys, "--backend", "slurm", "--cluster", "foo")
    assert "unknown --cluster 'foo' hint: use slurm (the default: submit with sbatch), local" in err


@pytest.mark.parametrize(
    ("backend", "gpus", "said"),
    [
        ("slurm", "0.5", "--gpus-per-rung 0.5: SLURM allocates whole GPUs to a job"),
        ("slurm", "-1", "--gpus-per-rung must be 0 or more, got -1"),
        ("ray", "-1", "--gpus-per-rung must be 0 or more, got -1"),
        ("ray", "nan", "--gpus-per-rung must be 0 or more, got nan"),
    ],
)
def test_gpus_per_rung_that_no_backend_can_ask_for_is_refused(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], backend: str, gpus: str, said: str
) -> None:
    err = _refused(tmp_path, capsys, "--backend", backend, "--gpus-per-rung", gpus)
    assert said in err


def test_a_time_limit_under_a_minute_is_refused(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    options = ("--backend", "slurm", "--cluster", "local", "--timeout-min", "-5")
    err = _refused(tmp_path, capsys, *options)
    assert "--timeout-min must be at least 1 (minutes), got -5" in err


def test_slurm_asks_no_gpu_for_cpu_rungs(tmp_path: Path) -> None:
    pytest.importorskip("submitit")
    from scalinglab.execute import SlurmBackend
    from scalinglab.ladder import get_recipe

    rungs = get_recipe("tiny").rungs  # device "auto": may use a GPU
    cpu = type(rungs[0].train)(**{**rungs[0].train.__dict__, "device": "cpu"})
    cpu_rung = type(rungs[0])(**{**rungs[0].__dict__, "train": cpu})
    backend = SlurmBackend(folder=tmp_path / "f", cluster="local")
    assert [backend.gpus_for(r) for r in (cpu_rung, rungs[0])] == [0, 1]
    given = SlurmBackend(folder=tmp_path / "f", cluster="local", gpus_per_rung=2)
    assert given.gpus_for(cpu_rung) == 2
