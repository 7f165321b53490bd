"""``ladder run`` refuses before it writes anything: rungs asking for a CUDA device that is
not there, a --gpus value that is not a GPU id, and --gpus auto falling back to hours of CPU."""

from __future__ import annotations

from pathlib import Path

import pytest
from tests._ladders import make_corpus, write_ladder

from scalinglab._errors import ConfigError
from scalinglab.cli import _ladder_backends as backends
from scalinglab.cli import main
from scalinglab.cli._ladder_backends import check_cpu_fallback
from scalinglab.execute import _local as local
from scalinglab.execute._local import check_gpus
from scalinglab.ladder import get_recipe


def _cuda_ladder(tmp_path: Path) -> Path:
    path = write_ladder(tmp_path / "c.toml", steps=(10,), corpus=make_corpus(tmp_path / "t"))
    path.write_text(path.read_text().replace('device = "cpu"', 'device = "cuda"'))
    return path


def test_cuda_rungs_with_gpus_none_are_refused_and_nothing_written(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    store = tmp_path / "s.duckdb"
    args = ["ladder", "run", str(_cuda_ladder(tmp_path)), "--store", str(store)]
    assert main([*args, "--gpus", "none"]) == 2
    err = " ".join(capsys.readouterr().err.split())
    assert "rung 'w16-d1' of" in err and 'asks for device = "cuda", but --gpus none trains' in err
    assert not store.exists() and not Path(f"{store}.wd").exists()


def test_cuda_rungs_without_a_cuda_device_are_refused(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    torch = pytest.importorskip("torch")
    if torch.cuda.is_available():
        pytest.skip("this machine has a CUDA device")
    store = tmp_path / "s.duckdb"
    assert main(["ladder", "run", str(_cuda_ladder(tmp_path)), "--store", str(store)]) == 2
    err = " ".join(capsys.readouterr().err.split())
    assert 'asks for device = "cuda", but PyTorch' in err and "sees no CUDA device here" in err
    assert not store.exists()


@pytest.mark.parametrize("value", ["abc", "0,x", "0,,1"])
def test_a_gpu_id_that_is_not_one_is_named(value: str) -> None:
    bad = next(g for g in value.split(",") if not g.isdigit())
    with pytest.raises(ConfigError, match=f"--gpus {value}: {bad!r} is not a GPU id"):
        check_gpus(tuple(value.split(",")))


def test_predict_top_of_a_three_rung_ladder_is_refused_before_training(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """backtest refuses a 2-run fit of L = A·C^-α; --predict-top held to the same minimum."""
    store = tmp_path / "s.duckdb"
    args = ["ladder", "run", "tiny", "--store", str(store), "--predict-top", "--gpus", "none"]
    assert main(args) == 2
    err = " ".join(capsys.readouterr().err.split())
    assert "a fit needs at least 3 runs (as fit and backtest require); this ladder has 2 " in err
    assert "rungs below its top one" in err and "use a ladder of 4 or more rungs" in err
    assert not store.exists()


def test_gpus_auto_without_a_gpu_refuses_a_ladder_of_hours_on_the_cpu(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    """`ladder run gpu` on a CPU-only machine started training a ladder `ladder plan`
    estimates at thousands of hours, without a word (sweep finding 10)."""
    pytest.importorskip("torch")
    monkeypatch.setattr(local, "cuda_gpus", lambda: ())  # PyTorch sees no CUDA device
    store = tmp_path / "s.duckdb"
    assert main(["ladder", "run", "gpu", "--store", str(store)]) == 2
    err = " ".join(capsys.readouterr().err.split())
    assert "sees no CUDA device here, so --gpus auto would train its 6 rungs with device = " in err
    assert (
        '"auto" on the CPU, for about 123 days by the plan\'s estimate (no GPU: assumed 8 ms' in err
    )
    assert "hint: run where a GPU is visible" in err and "or pass --gpus none to train" in err
    assert not store.exists() and not Path(f"{store}.wd").exists()


def test_gpus_none_or_a_short_ladder_or_a_gpu_passes(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(local, "cuda_gpus", lambda: ())
    store = tmp_path / "s.duckdb"
    check_cpu_fallback(get_recipe("gpu"), "none", store)  # the CPU is meant
    check_cpu_fallback(get_recipe("chinchilla-tiny"), "auto", store)  # minutes
    monkeypatch.setattr(local, "cuda_gpus", lambda: ("0",))
    check_cpu_fallback(get_recipe("gpu"), "auto", store)
    monkeypatch.setattr(backends, "CPU_LIMIT_S", 60.0)  # the line is the plan's estimate
    monkeypatch.setattr(local, "cuda_gpus", lambda: ())
    with pytest.raises(ConfigError, match=r"its 5 rungs .* for about 2\.\d min"):
        check_cpu_fallback(get_recipe("chinchilla-tiny"), "auto", store)
