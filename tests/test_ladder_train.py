"""The trainer: loss goes down, results are written, resume is exact, the model is causal."""

from __future__ import annotations

import json
import math
import shutil
from collections.abc import Iterator
from dataclasses import replace
from pathlib import Path

import numpy as np
import pytest

from scalinglab import ConfigError
from scalinglab.ladder import (
    ModelConfig,
    RungConfig,
    RungResult,
    TrainConfig,
    TrainProgress,
    load_corpus,
    train_rung,
)

torch = pytest.importorskip("torch")


@pytest.fixture(scope="module", autouse=True)
def _cache(tmp_path_factory: pytest.TempPathFactory) -> Iterator[None]:
    with pytest.MonkeyPatch.context() as mp:
        mp.setenv("SCALINGLAB_CACHE", str(tmp_path_factory.mktemp("cache")))
        yield


def micro(**train: object) -> RungConfig:
    """30 steps of a 2-block model on the stdlib corpus: about a second on one CPU core."""
    values: dict[str, object] = {
        "tokens": 30 * 8 * 32,
        "batch_size": 8,
        "lr": 3e-3,
        "warmup_steps": 3,
        "eval_every": 10,
        "eval_tokens": 1024,
        "log_every": 5,
        "checkpoint_every": 10,
        "device": "cpu",
        **train,
    }
    return RungConfig(
        name="micro",
        model=ModelConfig(width=32, depth=2, heads=2, context=32),
        train=TrainConfig(**values),  # type: ignore[arg-type]
    )


class Interrupt(Exception):  # noqa: N818 (a signal, not an error)
    pass


@pytest.mark.heavy  # 1.3 s in the suite on a 2-core AMD EPYC
def test_loss_decreases_and_result_is_written(tmp_path: Path) -> None:
    reports: list[TrainProgress] = []
    result = train_rung(micro(), workdir=tmp_path, progress=reports.append)
    assert [p.step for p in reports] == [5, 10, 15, 20, 25, 30]
    first, last = result.curve[0], result.curve[-1]
    assert abs(first.train_loss - math.log(256)) < 0.6  # starts near uniform over bytes
    assert last.train_loss < first.train_loss - 1.0
    assert [p.eval_loss is not None for p in result.curve] == [
        False,
        True,
        False,
        True,
        False,
        True,
    ]
    assert result.loss == last.eval_loss < math.log(256) - 1.0
    assert (result.steps, result.tokens) == (30, 30 * 8 * 32)
    assert (
        result.train_loss
        == pytest.approx(  # mean of the last steps // 10 = 3 steps
            result.train_loss, abs=0.0
        )
        and result.train_loss < first.train_loss
    )
    assert result.mfu is None and result.status == "finished" and result.resumed_from_step is None
    assert result.corpus == "stdlib" and result.corpus_hash == load_corpus("stdlib").hash
    assert result.software["torch"] == torch.__version__
    written = json.loads((tmp_path / "result.json").read_text())
    assert RungResult.from_dict(written) == result
    assert not (tmp_path / "checkpoint.pt").exists()
    # called again, it returns the finished result without training
    again = train_rung(micro(), workdir=tmp_path, progress=lambda p: pytest.fail("trained again"))
    assert again == result


@pytest.mark.heavy  # 2.1 s in the suite on a 2-core AMD EPYC
def test_resume_matches_an_uninterrupted_run(tmp_path: Path) -> None:
    rung = micro()
    whole = train_rung(rung, workdir=tmp_path / "whole")

    def stop_at_25(p: TrainProgress) -> None:
        if p.step == 25:
            raise Interrupt

    with pytest.raises(Interrupt):
        train_rung(rung, workdir=tmp_path / "cut", progress=stop_at_25)
    state = torch.load(tmp_path / "cut" / "checkpoint.pt", weights_only=True)
    assert state["step"] == 20 and state["run_id"] == rung.run_id
    assert not (tmp_path / "cut" / "result.json").exists()

    resumed = train_rung(rung, workdir=tmp_path / "cut")
    assert resumed.resumed_from_step == 20
    assert resumed.curve == whole.curve  # bit for bit on CPU
    assert (resumed.train_loss, resumed.loss) == (whole.train_loss, whole.loss)


@pytest.mark.heavy
def test_sigkill_mid_rung_then_resume(tmp_path: Path) -> None:
    """A process killed with SIGKILL leaves a whole checkpoint (atomic writes), never a torn
    one, and the rerun continues from it to the uninterrupted run's numbers."""
    import os
    import signal
    import subprocess
    import sys
    import time

    rung = replace(
        micro(tokens=200 * 4 * 16, batch_size=4, checkpoint_every=20, eval_every=100, log_every=50),
        model=ModelConfig(width=16, depth=1, heads=2, context=16),
    )
    code = (
        "import json, sys; from pathlib import Path; "
        "from scalinglab.ladder import RungConfig, train_rung; "
        "train_rung(RungConfig.from_dict(json.loads(sys.argv[1])), workdir=Path(sys.argv[2]))"
    )
    workdir = tmp_path / "killed"
    proc = subprocess.Popen([sys.executable, "-c", code, json.dumps(rung.to_dict()), str(workdir)])
    deadline = time.monotonic() + 60
    while not (workdir / "checkpoint.pt").exists() and time.monotonic() < deadline:
        time.sleep(0.005)
    time.sleep(0.1)  # let it run on, maybe into further checkpoint writes
    os.kill(proc.pid, signal.SIGKILL)
    proc.wait()
    if (workdir / "result.json").exists():
        pytest.skip("the rung finished before it could be killed (machine too fast)")
    step = torch.load(workdir / "checkpoint.pt", weights_only=True)["step"]
    assert step % 20 == 0 and 0 < step < 200

    resumed = train_rung(rung, workdir=workdir)
    whole = train_rung(rung, workdir=tmp_path / "whole")
    assert resumed.resumed_from_step == step
    assert resumed.curve == whole.curve and resumed.loss == whole.loss


@pytest.mark.heavy  # 2.2 s in the suite on a 2-core AMD EPYC
def test_a_checkpoint_of_another_rung_is_ignored(tmp_path: Path) -> None:
    rung = micro()

    def stop(p: TrainProgress) -> None:
        if p.step == 15:
            raise Interrupt

    with pytest.raises(Interrupt):
        train_rung(rung, workdir=tmp_path / "a", progress=stop)
    other = replace(rung, train=replace(rung.train, seed=1))
    (tmp_path / "b").mkdir()
    shutil.copy(tmp_path / "a" / "checkpoint.pt", tmp_path / "b" / "checkpoint.pt")
    result = train_rung(other, workdir=tmp_path / "b")
    assert result.resumed_from_step is None and result.run_id == other.run_id
    assert result.curve != train_rung(rung, workdir=tmp_path / "a").curve  # other seed


@pytest.mark.parametrize("positions", ["rope", "learned"])
def test_model_is_causal(positions: str) -> None:
    from scalinglab.ladder import build_model

    cfg = ModelConfig(width=32, depth=2, heads=4, context=16, positions=positions)  # type: ignore[arg-type]
    torch.manual_seed(0)
    model = build_model(cfg).eval()
    x = torch.randint(0, 256, (2, 16))
    y = x.clone()
    y[:, 10:] = torch.randint(0, 256, (2, 6))
    with torch.no_grad():
        a, b = model(x), model(y)
    assert a.shape == (2, 16, 256)
    torch.testing.assert_close(a[:, :10], b[:, :10])  # the future does not leak back
    assert not torch.allclose(a[:, 10:], b[:, 10:])


def test_bad_inputs(tmp_path: Path) -> None:
    with pytest.raises(ConfigError, match="does not exist"):
        train_rung(replace(micro(), corpus=str(tmp_path / "nowhere")), workdir=tmp_path / "x")
    if not torch.cuda.is_available():
        with pytest.raises(ConfigError, match="no CUDA device"):
            train_rung(micro(device="cuda"), workdir=tmp_path / "y")


@pytest.mark.gpu
@pytest.mark.skipif(not torch.cuda.is_available(), reason="needs CUDA")
def test_gpu_fast_path(tmp_path: Path) -> None:
    """bf16 autocast, torch.compile and fused AdamW switch on by themselves on CUDA."""
    rung = micro(device="auto", tokens=60 * 8 * 32)
    result = train_rung(rung, workdir=tmp_path)
    assert result.hardware == torch.cuda.get_device_name()
    assert result.curve[-1].train_loss < result.curve[0].train_loss - 1.0
    assert result.mfu is None or 0 < result.mfu < 1


@pytest.mark.heavy  # 2.2 s in the suite on a 2-core AMD EPYC
def test_a_changed_corpus_retrains_instead_of_reusing_the_old_result(tmp_path: Path) -> None:
    """The run id names the corpus by path: new contents under it must not reuse the result
    (or checkpoint) trained on the old ones."""
    text = tmp_path / "corpus.txt"
    text.write_text("\n\n".join("the quick brown fox jumps over it " * 40 for _ in range(200)))
    rung = replace(micro(), corpus=str(text))
    first = train_rung(rung, workdir=tmp_path / "w")
    again = train_rung(rung, workdir=tmp_path / "w")
    assert again == first  # unchanged corpus: the result is reused
    rng = np.random.default_rng(0)
    words = ["".join(rng.choice(list("abcdefgh "), size=30)) for _ in range(4000)]
    text.write_text("\n\n".join(" ".join(words[i : i + 40]) for i in range(0, 4000, 40)))
    fresh = train_rung(rung, workdir=tmp_path / "w")
    assert fresh.corpus_hash == load_corpus(str(text)).hash != first.corpus_hash
    assert fresh.loss != first.loss


def test_progress_names_the_step_of_the_checkpoint_a_resume_starts_from(tmp_path: Path) -> None:
    reports: list[TrainProgress] = []
    train_rung(micro(checkpoint_every=4), workdir=tmp_path, progress=reports.append)
    seen = [(p.step, p.checkpoint_step) for p in reports]
    # reports every 5 steps; a checkpoint between two reports sends the last one again
    assert seen == [(5, 4), (8, 8), (10, 8), (12, 12), (15, 12), (16, 16), (20, 20),
                    (24, 24), (25, 24), (28, 28), (30, 28)]  # fmt: skip
