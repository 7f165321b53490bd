"""The throughput benchmark runs end to end (CPU smoke mode) and says so without CUDA."""

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


def test_cpu_smoke_run_measures_both_variants(
    bench: ModuleType, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    out = tmp_path / "bench.json"
    assert bench.main(["--cpu", "--steps", "4", "--json", str(out)]) == 0
    text = capsys.readouterr().out
    assert "scalinglab" in text and "baseline" in text
    import json

    rows = json.loads(out.read_text())["rows"]
    assert [r["variant"] for r in rows] == ["scalinglab", "baseline"] * 2
    assert all(r["tokens_per_s"] > 0 and r["mfu_datasheet"] is None for r in rows)


@pytest.mark.skipif(torch.cuda.is_available(), reason="a GPU is present")
def test_without_cuda_it_says_so_and_exits_0(
    bench: ModuleType, capsys: pytest.CaptureFixture[str]
) -> None:
    assert bench.main([]) == 0
    assert "needs CUDA" in capsys.readouterr().out
