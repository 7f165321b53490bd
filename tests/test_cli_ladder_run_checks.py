"""``ladder run`` refuses before it writes anything: rungs asking for a CUDA device that is
not there, and a --gpus value that is not a GPU id."""

from __future__ import annotations

from pathlib import Path

import pytest
from tests._ladders import make_corpus, write_ladder

from scalinglab._errors import ConfigError
from scalinglab.cli import main
from scalinglab.execute._local import check_gpus


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
