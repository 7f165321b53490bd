"""``ladder run --gpus`` where the GPUs asked for are not there is refused before anything
starts (the rungs would otherwise train on the CPU without a word), and ``ladder plan`` says
where ``max_lr`` caps the learning-rate rule."""

from __future__ import annotations

from pathlib import Path

import pytest
from tests.test_cli_downstream import run

from scalinglab import ConfigError
from scalinglab.execute import LocalBackend
from scalinglab.execute import _local as local
from scalinglab.ladder import Rules, build_ladder, get_recipe

pytest.importorskip("torch")

EXAMPLE = Path(__file__).resolve().parents[1] / "examples" / "ladder.toml"


def test_gpus_asked_for_without_cuda_are_refused(
    capsys: pytest.CaptureFixture[str], tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(local, "cuda_gpus", lambda: ())  # a machine without CUDA
    with pytest.raises(ConfigError, match="sees no CUDA device on this machine") as err:
        LocalBackend(gpus=("0",))
    assert "--gpus none" in err.value.hint
    store, work = tmp_path / "runs.duckdb", tmp_path / "work"
    code, _, err_text = run(capsys, "ladder", "run", "tiny", "--gpus", "0", "--store", str(store),
                            "--workdir", str(work))  # fmt: skip
    assert code == 2 and "GPU 0 asked for (--gpus 0)" in err_text
    assert "the rungs would train on the CPU" in err_text
    assert not work.exists()  # nothing started
    LocalBackend(gpus=())  # the CPU asked for: fine
    LocalBackend(gpus=None)  # every visible GPU: none here, the CPU


def test_a_gpu_id_not_visible_is_refused(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(local, "cuda_gpus", lambda: ("0", "1"))
    with pytest.raises(
        ConfigError, match=r"GPU 3 asked for \(--gpus 0,3\), but the GPUs visible here are 0, 1"
    ):
        LocalBackend(gpus=("0", "3"))
    assert LocalBackend(gpus=("1",)).slots == 1
    assert LocalBackend(gpus=("GPU-5f0e",)).gpus == ("GPU-5f0e",)  # a UUID is passed on


def test_plan_notes_where_max_lr_caps_the_rule(capsys: pytest.CaptureFixture[str]) -> None:
    spec = get_recipe(str(EXAMPLE))
    assert {r.train.lr for r in spec.rungs} == {0.01}
    rules = Rules(tokens_per_param=20, lr_scale=0.5, max_lr=0.01, min_batch=8)
    rule = [rules.capped_lr(r.train.tokens // 20) for r in spec.rungs]
    assert all(v is not None and v > 0.01 for v in rule)
    code, out, err = run(capsys, "ladder", "plan", str(EXAMPLE))
    assert code == 0, err
    text = " ".join(out.split())
    assert (
        "lr capped at max_lr = 0.01 on every rung: the rule (x lr_scale 0.5) gives w32-d2 " in text
    )
    # a cap that binds on the small rungs only names them; an lr given to a rung is not capped
    shapes = [{"width": 32, "depth": 2, "heads": 2}, {"width": 96, "depth": 3, "heads": 4},
              {"width": 48, "depth": 2, "heads": 2, "lr": 0.02}]  # fmt: skip
    some = build_ladder(name="x", shapes=shapes, rules=Rules(max_lr=0.05, min_batch=8))
    assert some.notes == "lr capped at max_lr = 0.05 on 1 of 3 rungs: the rule gives w32-d2 0.0763"
    assert Rules(max_lr=1.0).capped_lr(10_000) is None
