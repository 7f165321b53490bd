"""``ladder plan``'s time estimate: a per-rung overhead, a GPU only when one answers (not
any ``nvidia-smi`` on PATH), and a non-finite --flops-per-s refused."""

from __future__ import annotations

import json
import sys
from dataclasses import replace
from pathlib import Path

import pytest
from tests._ladders import write_ladder

from scalinglab.cli import _ladder_plan as plan
from scalinglab.cli import main
from scalinglab.store import RunStore, StoredRun


def _fake_smi(folder: Path, script: str, monkeypatch: pytest.MonkeyPatch) -> None:
    folder.mkdir()
    smi = folder / "nvidia-smi"
    smi.write_text("#!/bin/sh\n" + script)
    smi.chmod(0o755)
    monkeypatch.setenv("PATH", str(folder))
    monkeypatch.delitem(sys.modules, "torch", raising=False)  # judged by nvidia-smi alone


def test_a_failing_nvidia_smi_is_no_gpu(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    _fake_smi(tmp_path / "bin", 'echo "NVIDIA-SMI has failed"\nexit 9\n', monkeypatch)
    assert not plan.gpu_found()
    speed = plan.default_speed()
    assert (speed.flops_per_s, speed.step_s) == (5.5e10, 0.008) and speed.on_cpu
    assert speed.why.startswith("no GPU: assumed 8 ms a step plus 5.5e10 FLOP/s")


def test_a_working_nvidia_smi_is_a_gpu_unless_the_rungs_ask_for_the_cpu(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    _fake_smi(tmp_path / "bin", 'echo "GPU 0: NVIDIA H100 (UUID: GPU-1)"\n', monkeypatch)
    assert plan.gpu_found()
    assert plan.default_speed() == plan.Speed(
        1e14, 0.0, "a GPU was found: assumed 1e14 FLOP/s", on_cpu=False
    )
    from scalinglab.ladder import get_recipe

    assert plan.default_speed(get_recipe("tiny")).flops_per_s == 1e14  # device "auto"
    toml = write_ladder(tmp_path / "cpu.toml", steps=(10,), corpus=tmp_path)  # device "cpu"
    speed = plan.default_speed(get_recipe(str(toml)))
    assert speed.flops_per_s == 5.5e10 and speed.why.startswith("the rungs ask for the CPU")


def test_the_estimate_adds_the_rung_overhead(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["ladder", "plan", "tiny", "--flops-per-s", "1e10", "--json"]) == 0
    rows = json.loads(capsys.readouterr().out)["rungs"]
    assert [r["est_s"] for r in rows] == pytest.approx([r["flops"] / 1e10 + 5.0 for r in rows])
    assert main(["ladder", "plan", "tiny", "--flops-per-s", "1e10"]) == 0
    out = " ".join(capsys.readouterr().out.split())
    assert "(an estimate: given by --flops-per-s, plus about 5 s a rung to start a worker" in out


@pytest.mark.parametrize("value", ["nan", "inf", "-inf"])
def test_a_non_finite_speed_is_refused(value: str, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["ladder", "plan", "tiny", f"--flops-per-s={value}"]) == 2
    said = f"--flops-per-s must be a positive, finite number, got {value!r}"
    assert said in capsys.readouterr().err


def test_two_speeds_and_a_folder_as_store_are_refused(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    # --store was silently ignored beside --flops-per-s, even one that does not exist
    args = ["ladder", "plan", "tiny", "--flops-per-s", "1e10", "--store", "nope.duckdb"]
    assert main(args) == 2
    assert "give --flops-per-s or --store, not both" in capsys.readouterr().err
    assert main(["ladder", "plan", "tiny", "--store", str(tmp_path)]) == 2
    assert f"error: {tmp_path}: is a folder, not a store file" in capsys.readouterr().err


def test_a_hparams_file_that_is_no_fit_names_hparams_in_the_hint(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    toml = tmp_path / "mini.toml"
    toml.write_text('name = "mini"\n')
    assert main(["ladder", "plan", "tiny", "--hparams", str(toml)]) == 2
    err = " ".join(capsys.readouterr().err.split())
    assert "fit file is not valid JSON" in err
    assert "hint: `--hparams` reads a fit written by `scalinglab hparams fit SWEEP" in err
    assert "--fit" not in err


def _ladder_run(name: str, hardware: str, *, steps: int, flops: float, wall_s: float) -> StoredRun:
    return StoredRun(
        run_id=name, name=name, flops=flops, wall_s=wall_s, hardware=hardware,
        source="ladder:x", extra={"training": {"steps": steps}},
    )  # fmt: skip


@pytest.mark.heavy  # 1.6 s in the suite on a 2-core AMD EPYC
def test_a_store_s_finished_cpu_rungs_measure_the_speed(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    """Two CPU rungs that trained twice as long as assumed halve the speed; a GPU rung and
    an unfinished one in the store are not this device's measure (sweep finding 14)."""
    monkeypatch.setattr(plan, "gpu_found", lambda: False)
    store = tmp_path / "s.duckdb"
    cpu = "cpu x86_64 (1 thread)"
    assumed = plan.default_speed()
    runs = RunStore(store)
    for i, (steps, flops) in enumerate([(100, 1e11), (1000, 2e12)]):
        took = 2 * assumed.train_s(flops, steps)
        runs.put_run(_ladder_run(f"c{i}", cpu, steps=steps, flops=flops, wall_s=took))
    runs.put_run(_ladder_run("g", "NVIDIA H100", steps=10, flops=1e15, wall_s=1.0))
    runs.put_run(replace(_ladder_run("p", cpu, steps=10, flops=1e9, wall_s=99.0), status="failed"))
    assert main(["ladder", "plan", "tiny", "--store", str(store), "--json"]) == 0
    data = json.loads(capsys.readouterr().out)
    assert data["flops_per_s"] == pytest.approx(5.5e10 / 2)
    assert data["step_overhead_s"] == pytest.approx(0.016)
    assert data["estimate_note"] == (
        f"measured: the finished CPU rungs in {store} ({cpu}) trained 2x as long as assumed, "
        "so 16 ms a step plus 2.8e10 FLOP/s"
    )
    row = data["rungs"][0]
    assert row["est_s"] == pytest.approx(row["steps"] * 0.016 + row["flops"] / 2.75e10 + 5.0)
    assert main(["ladder", "plan", "tiny", "--store", str(store)]) == 0
    out = " ".join(capsys.readouterr().out.split())
    assert "(an estimate: measured: the finished CPU rungs in" in out


def test_a_store_without_rungs_of_this_device_keeps_the_assumption(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    monkeypatch.setattr(plan, "gpu_found", lambda: False)
    store = tmp_path / "s.duckdb"
    RunStore(store).put_run(_ladder_run("g", "NVIDIA H100", steps=10, flops=1e15, wall_s=1.0))
    assert main(["ladder", "plan", "tiny", "--store", str(store), "--json"]) == 0
    data = json.loads(capsys.readouterr().out)
    assert data["flops_per_s"] == 5.5e10
    assert data["estimate_note"].endswith(f"({store} holds no finished CPU ladder rung)")
    none = tmp_path / "none.duckdb"  # not written yet: nothing finished, the assumption kept
    assert main(["ladder", "plan", "tiny", "--store", str(none), "--json"]) == 0
    data = json.loads(capsys.readouterr().out)
    assert data["flops_per_s"] == 5.5e10
    assert f"{none} does not exist yet" in data["estimate_note"] and not none.exists()


@pytest.mark.parametrize(("given", "value"), [("400T", 4e14), ("1.5P", 1.5e15), ("3e10", 3e10)])
def test_a_speed_takes_the_units_other_options_take(
    given: str, value: float, capsys: pytest.CaptureFixture[str]
) -> None:
    # 400T was "'400T' is not a valid float"; --compute, --params and --tokens read it
    assert main(["ladder", "plan", "tiny", "--flops-per-s", given, "--json"]) == 0
    assert json.loads(capsys.readouterr().out)["flops_per_s"] == value


def test_a_speed_that_is_no_number_says_what_to_write(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["ladder", "plan", "tiny", "--flops-per-s", "fast"]) == 2
    assert capsys.readouterr().err == (
        "error: --flops-per-s 'fast' is not a number\n"
        "hint: e.g. --flops-per-s 3e10 (one CPU thread), 1e14 or 400T (a GPU)\n"
    )
