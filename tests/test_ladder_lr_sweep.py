"""A ladder's own learning-rate sweep, as a user asks for one: ``lr_sweep`` under
``[rules]`` trains every shape at each multiple of its lr. There was no way to ask for one
but spelling every rung out with its own ``lr``; and ``ladder plan --hparams`` on such a
ladder would have set every rung of a shape to one lr.

The references are the same ladder without the sweep: each sweep rung is that rung with its
lr times the multiplier, and nothing else changed.
"""

from __future__ import annotations

import json
from dataclasses import replace
from pathlib import Path

import pytest
from tests._cli import cli, refused

from scalinglab import ConfigError
from scalinglab.hparams import get_hparam_preset
from scalinglab.hparams._ladder import with_hparams
from scalinglab.ladder import LadderSpec, build_ladder, get_recipe
from scalinglab.ladder._rules import Rules

_SHAPES = [{"width": 32, "depth": 2, "heads": 2}, {"width": 48, "depth": 2, "heads": 2}]
_SWEEP = (0.3, 1.0, 3.0, 10.0)
_TOML = """name = "tiny-lr"
[model]
context = 64
[rules]
tokens_per_param = 5
lr = 0.003
batch = 16
lr_sweep = [0.3, 1, 3, 10]
[[rungs]]
width = 32
depth = 2
heads = 2
[[rungs]]
width = 48
depth = 2
heads = 2
"""


def _ladder(**rules: object) -> LadderSpec:
    return build_ladder(name="l", shapes=_SHAPES, model={"context": 64},
                        rules=Rules(tokens_per_param=5, batch=16, **rules))  # type: ignore[arg-type]  # fmt: skip


def test_every_shape_is_trained_at_each_multiple_of_its_lr() -> None:
    plain = _ladder(lr=0.003)
    swept = _ladder(lr=0.003, lr_sweep=list(_SWEEP))
    assert [r.name for r in swept.rungs] == [f"w{w}-d2-lr{m:g}x" for w in (32, 48) for m in _SWEEP]
    assert swept.lr_multipliers == _SWEEP * 2
    for i, rung in enumerate(swept.rungs):
        base = plain.rungs[i // len(_SWEEP)]
        m = _SWEEP[i % len(_SWEEP)]
        assert rung.train.lr == pytest.approx(0.003 * m, rel=1e-12)
        # the rung itself, but for its lr and name: same size, tokens, batch, seed
        assert replace(rung, name=base.name, train=replace(rung.train, lr=base.train.lr)) == base
    assert len({r.run_id for r in swept.rungs}) == 8
    assert "lr sweep: every shape at 4 peak learning rates" in swept.notes


def test_the_sweep_multiplies_the_lr_the_cap_holds() -> None:
    """``max_lr`` caps the rule's lr, as without a sweep; the sweep multiplies the capped lr
    (it measures around the lr the recipe trains at, above the cap too)."""
    swept = _ladder(lr=0.01, max_lr=0.005, lr_sweep=[0.5, 2])
    assert [r.train.lr for r in swept.rungs] == pytest.approx([0.0025, 0.01] * 2)


@pytest.mark.parametrize(
    ("value", "said"),
    [
        ([0.5, -1], "lr_sweep multipliers must be positive numbers, got -1"),
        ([1, 2, 2], "lr_sweep repeats 2"),
        ([1e-5, 1e-5, 1], "lr_sweep repeats 1e-5: each"),  # not 1e-05
        (0.5, "lr_sweep must be a list of multipliers, got 0.5"),
    ],
)
def test_a_bad_sweep_is_refused(value: object, said: str) -> None:
    with pytest.raises(ConfigError, match=said):
        Rules(lr=0.003, lr_sweep=value)  # type: ignore[arg-type]


def test_ladder_plan_of_a_toml_sweep(capsys: pytest.CaptureFixture[str], tmp_path: Path) -> None:
    path = tmp_path / "sweep.toml"
    path.write_text(_TOML)
    code, out, err = cli(capsys, "ladder", "plan", str(path), "--json")
    assert code == 0, err
    plan = json.loads(out)
    rungs = plan["rungs"]
    assert [r["rung"] for r in rungs][:4] == ["w32-d2-lr0.3x", "w32-d2-lr1x", "w32-d2-lr3x",
                                              "w32-d2-lr10x"]  # fmt: skip
    assert [r["lr"] for r in rungs] == pytest.approx([0.003 * m for m in _SWEEP] * 2)
    path.write_text(_TOML.replace("[0.3, 1, 3, 10]", "[1, 0]"))
    error, _ = refused(capsys, ["ladder", "plan", str(path)])
    assert "lr_sweep multipliers must be positive numbers, got 0" in error


def test_hparams_keeps_the_sweep_around_the_rules_lr(tmp_path: Path) -> None:
    """``--hparams`` sets each shape's lr from the law, and each sweep rung trains at its
    multiple of it: the next ladder sweeps around the law's lr*. Before, every rung of a
    shape got the one lr (the sweep collapsed to copies)."""
    preset = get_hparam_preset("steplaw2025")
    path = tmp_path / "sweep.toml"
    path.write_text(_TOML)
    swept = with_hparams(get_recipe(str(path)), preset)
    plain = with_hparams(_ladder(lr=0.003), preset)  # type: ignore[arg-type]
    assert swept.lr_multipliers == _SWEEP * 2
    for i, rung in enumerate(swept.rungs):
        base = plain.rungs[i // len(_SWEEP)]
        assert rung.train.batch_size == base.train.batch_size
        assert rung.train.lr == pytest.approx(base.train.lr * _SWEEP[i % len(_SWEEP)], rel=1e-12)
    assert (
        "(the lr times each rung's multiple in the ladder's lr sweep), in place of the "
        "recipe's rules (w32-d2-lr0.3x: lr "
    ) in swept.notes


def test_toml_spells_the_sweep_out_and_keeps_each_rungs_multiple(tmp_path: Path) -> None:
    """``ladder plan --toml`` writes every rung spelled out; each keeps its multiple
    (``lr_multiplier``), so the file has the same rungs and run ids, and ``--hparams`` on it
    sweeps as on the ladder it came from. Before, the file's rungs of a shape all took the
    law's one lr (names ``-lr0.3x`` to ``-lr10x`` at one lr)."""
    from scalinglab.ladder import ladder_to_toml

    path = tmp_path / "sweep.toml"
    path.write_text(_TOML)
    spec = get_recipe(str(path))
    spelled = tmp_path / "spelled.toml"
    spelled.write_text(ladder_to_toml(spec))
    again = get_recipe(str(spelled))
    assert [r.run_id for r in again.rungs] == [r.run_id for r in spec.rungs]
    assert again.lr_multipliers == spec.lr_multipliers == _SWEEP * 2
    preset = get_hparam_preset("steplaw2025")
    lrs = [r.train.lr for r in with_hparams(spec, preset).rungs]
    assert [r.train.lr for r in with_hparams(again, preset).rungs] == lrs
    assert len(set(lrs)) == 8
    spelled.write_text(spelled.read_text().replace("tokens_per_param = 1.0", "tokens_per_param = 1.0\nlr_sweep = [1, 2]"))  # fmt: skip
    with pytest.raises(ConfigError, match="lr_multiplier records a rung's multiple"):
        get_recipe(str(spelled))
