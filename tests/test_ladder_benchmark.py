"""The throughput benchmark runs end to end (CPU smoke mode), refuses too few steps, measures
its window without the final evaluation, and exits 3 (skipped) without CUDA."""

from __future__ import annotations

import importlib.util
import sys
from collections.abc import Iterator
from pathlib import Path
from types import ModuleType

import pytest

torch = pytest.importorskip("torch")

SCRIPT = Path(__file__).resolve().parents[1] / "benchmarks" / "trainer_throughput.py"


@pytest.fixture(scope="module")
def bench(tmp_path_factory: pytest.TempPathFactory) -> Iterator[ModuleType]:
    spec = importlib.util.spec_from_file_location("trainer_throughput", SCRIPT)
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    with pytest.MonkeyPatch.context() as mp:
        mp.setitem(sys.modules, spec.name, module)  # dataclasses look their module up there
        spec.loader.exec_module(module)
        mp.setenv("SCALINGLAB_CACHE", str(tmp_path_factory.mktemp("cache")))
        yield module


@pytest.mark.heavy  # 6.1 s in the suite on a 2-core AMD EPYC
def test_cpu_smoke_run_measures_both_variants(
    bench: ModuleType, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    out = tmp_path / "bench.json"
    assert bench.main(["--cpu", "--steps", "5", "--json", str(out)]) == 0
    text = capsys.readouterr().out
    assert "scalinglab" in text and "baseline" in text
    import json

    rows = json.loads(out.read_text())["rows"]
    assert [r["variant"] for r in rows] == ["scalinglab", "baseline"] * 2
    assert all(r["tokens_per_s"] > 0 and r["mfu_datasheet"] is None for r in rows)


@pytest.mark.skipif(torch.cuda.is_available(), reason="a GPU is present")
def test_without_cuda_it_says_skipped_and_exits_3(
    bench: ModuleType, capsys: pytest.CaptureFixture[str]
) -> None:
    assert bench.main([]) == 3
    assert capsys.readouterr().out.startswith("skipped: trainer_throughput needs CUDA")


@pytest.mark.parametrize("steps", [0, 2, 4])
def test_too_few_steps_are_refused_in_one_line(
    bench: ModuleType, steps: int, capsys: pytest.CaptureFixture[str]
) -> None:
    with pytest.raises(SystemExit) as exit_info:
        bench.main(["--cpu", "--steps", str(steps)])
    assert exit_info.value.code == 2
    err = capsys.readouterr().err.splitlines()[-1]
    assert f"--steps {steps}: too few for a measured window; use at least 5" in err


def test_the_window_ends_before_the_final_evaluation(bench: ModuleType) -> None:
    from scalinglab.ladder import TrainProgress

    def mark(step: int, elapsed: float) -> TrainProgress:
        return TrainProgress("r", step, 5, 100 * step, 3.0, None, 1.0, elapsed)

    # the final report (step 5) comes after the evaluation: 9 s later, not in the window
    first, last = bench.window([mark(2, 1.0), mark(4, 2.0), mark(5, 11.0)], steps=5)
    assert (first.step, last.step) == (2, 4)
    with pytest.raises(ValueError, match="4 steps leave no measured window"):
        bench.window([mark(2, 1.0), mark(4, 10.0)], steps=4)
