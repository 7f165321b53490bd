"""Recipes, scaling rules, TOML files and config round trips; every bad input a clear error."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from scalinglab import ConfigError
from scalinglab.ladder import (
    LadderSpec,
    ModelConfig,
    Rules,
    RungConfig,
    TrainConfig,
    batch_tokens,
    get_recipe,
    ladder_to_toml,
    learning_rate,
    load_toml,
    model_params,
    recipe_names,
    rung_counts,
)

EXAMPLE = Path(__file__).resolve().parents[1] / "examples" / "ladder.toml"


def _rung(**train: object) -> RungConfig:
    values: dict[str, object] = {"tokens": 100_000, "batch_size": 8, "lr": 1e-3, **train}
    return RungConfig(
        name="r",
        model=ModelConfig(width=64, depth=2, heads=4, context=32),
        train=TrainConfig(**values),  # type: ignore[arg-type]
    )


def test_porian_olmo_rules_closed_form() -> None:
    # at the anchor (108M non-embedding parameters) the rules give OLMo's own numbers
    assert learning_rate(108e6) == pytest.approx(0.0047)
    assert batch_tokens(108e6) == pytest.approx(160 * 2048)
    # LR ∝ N^(-1/3), batch ∝ N^(2/3): 8× the parameters halves the LR and quadruples the batch
    assert learning_rate(8 * 1e6) / learning_rate(1e6) == pytest.approx(0.5)
    assert batch_tokens(8 * 1e6) / batch_tokens(1e6) == pytest.approx(4.0)
    rules = Rules(lr_scale=0.5, max_lr=0.003)
    assert rules.lr_for(108_000_000) == pytest.approx(0.00235)
    assert rules.lr_for(1000) == 0.003  # capped
    assert Rules(batch=12).batch_for(10**9, 128) == 12
    assert Rules().batch_for(108_000_000, 1024) == 320


@pytest.mark.parametrize("name", recipe_names())
def test_built_in_recipes_are_valid_ladders(name: str) -> None:
    spec = get_recipe(name)
    assert isinstance(spec, LadderSpec) and spec.source == name and spec.notes
    sizes = [rung_counts(r).params_non_embedding for r in spec.rungs]
    if name != "isoflop-tiny":
        assert sizes == sorted(sizes) and len(set(sizes)) == len(sizes)
    assert len({r.run_id for r in spec.rungs}) == len(spec.rungs)
    for rung in spec.rungs:
        assert rung_counts(rung).steps >= 50


def test_recipe_sizes_as_advertised() -> None:
    gpu = [rung_counts(r).params_non_embedding for r in get_recipe("gpu").rungs]
    assert len(gpu) == 6 and 0.8e6 < gpu[0] < 1.5e6 and 40e6 < gpu[-1] < 60e6
    assert len(get_recipe("tiny").rungs) == 3
    chinchilla = get_recipe("chinchilla-tiny")
    assert 5 <= len(chinchilla.rungs) <= 6
    for rung in chinchilla.rungs:  # about 20 tokens per non-embedding parameter
        c = rung_counts(rung)
        assert 19 < c.tokens / c.params_non_embedding <= 20.01
    # the note's figures: Hoffmann et al. counted total parameters, so per total N it is less
    per_total = [rung_counts(r).tokens / rung_counts(r).params for r in chinchilla.rungs]
    assert f"{min(per_total):.1f} to {max(per_total):.1f} tokens per total" in chinchilla.notes
    assert "Pearce & Song 2024" in chinchilla.notes
    iso = get_recipe("isoflop-tiny")
    budgets: dict[str, list[float]] = {}
    for rung in iso.rungs:
        budgets.setdefault(rung.name.rsplit("-", 1)[1], []).append(rung_counts(rung).flops)
    assert len(budgets) == 3
    for flops in budgets.values():  # every size of a budget spends the same FLOPs (to a step)
        assert len(flops) == 4 and max(flops) / min(flops) < 1.05


def test_run_id_is_a_stable_hash_of_the_config() -> None:
    a, b = _rung(), _rung()
    assert a.run_id == b.run_id and len(a.run_id) == 16
    int(a.run_id, 16)
    assert _rung(seed=1).run_id != a.run_id
    assert RungConfig.from_dict(json.loads(json.dumps(a.to_dict()))) == a
    assert RungConfig.from_dict(a.to_dict()).run_id == a.run_id


def test_unknown_recipe_suggests_the_closest() -> None:
    with pytest.raises(ConfigError, match="unknown ladder recipe 'chinchila-tiny'") as e:
        get_recipe("chinchila-tiny")
    assert "did you mean 'chinchilla-tiny'" in e.value.hint


def test_malformed_toml_names_the_line(tmp_path: Path) -> None:
    path = tmp_path / "bad.toml"
    path.write_text('name = "x"\n[rules]\ntokens_per_param = = 20\n')
    with pytest.raises(ConfigError, match=r"bad\.toml: malformed TOML.*line 3"):
        get_recipe(str(path))
    with pytest.raises(ConfigError, match="does not exist"):
        get_recipe(str(tmp_path / "missing.toml"))


def test_impossible_shapes_and_budgets(tmp_path: Path) -> None:
    with pytest.raises(ConfigError, match="width = 60 is not divisible by heads = 8"):
        ModelConfig(width=60, depth=2, heads=8)
    path = tmp_path / "shape.toml"
    path.write_text(
        "[[rungs]]\nwidth = 64\ndepth = 2\nheads = 4\n[[rungs]]\nwidth = 60\ndepth = 2\nheads = 8\n"
    )
    with pytest.raises(ConfigError, match=r"shape\.toml: ladder 'shape', rung 2: .*not divisible"):
        get_recipe(str(path))
    with pytest.raises(ConfigError, match="less than one step of 256 tokens"):
        _rung(tokens=255)
    path.write_text(
        "[rules]\ntokens_per_param = 0.001\n[[rungs]]\nwidth = 32\ndepth = 1\nheads = 2\n"
    )
    with pytest.raises(ConfigError, match="less than one step"):
        get_recipe(str(path))
    path.write_text("[[rungs]]\nwidth = 32\ndepth = 1\nheads = 2\nwidht = 3\n")
    with pytest.raises(ConfigError, match="unknown key"):
        get_recipe(str(path))
    with pytest.raises(ConfigError, match="schedule = 'cosin'"):
        _rung(schedule="cosin")
    with pytest.raises(ConfigError, match="lr must be a number"):
        _rung(lr=-1.0)


def test_example_toml_loads_and_round_trips(tmp_path: Path) -> None:
    spec = get_recipe(str(EXAMPLE))
    assert spec.name == "example" and len(spec.rungs) == 4 and spec.rungs[-1].name == "largest"
    first = spec.rungs[0]
    n = model_params(first.model).non_embedding
    assert first.train.lr == pytest.approx(min(0.5 * learning_rate(n), 0.01))
    assert first.train.tokens == round(20 * n)
    assert first.train.betas == (0.9, 0.95)
    # written back as explicit rungs, it reads into the same rungs with the same run ids
    path = tmp_path / "again.toml"
    path.write_text(ladder_to_toml(spec))
    again = load_toml(path)
    assert again.rungs == spec.rungs
    assert [r.run_id for r in again.rungs] == [r.run_id for r in spec.rungs]


def test_built_in_round_trips_through_toml(tmp_path: Path) -> None:
    spec = get_recipe("isoflop-tiny")
    path = tmp_path / "iso.toml"
    path.write_text(ladder_to_toml(spec))
    assert load_toml(path).rungs == spec.rungs


def test_ladder_rejects_duplicate_names() -> None:
    rung = _rung()
    with pytest.raises(ConfigError, match="rung names repeat: r"):
        LadderSpec(name="x", rungs=(rung, rung))


def test_configs_recipes_and_counts_need_no_torch() -> None:
    import subprocess
    import sys

    code = (
        "import sys; from scalinglab.ladder import get_recipe, rung_counts; "
        "[rung_counts(r) for r in get_recipe('gpu').rungs]; print('torch' in sys.modules)"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "False"


def test_seeds_multiply_rungs_and_bad_rules_are_refused() -> None:
    from scalinglab.ladder import build_ladder

    spec = build_ladder(
        name="s",
        shapes=[{"width": 32, "depth": 1, "heads": 2}],
        rules=Rules(tokens_per_param=50),
        model={"context": 32},
        seeds=(0, 1),
    )
    assert [r.name for r in spec.rungs] == ["w32-d1-s0", "w32-d1-s1"]
    assert [r.train.seed for r in spec.rungs] == [0, 1]
    assert spec.rungs[0].run_id != spec.rungs[1].run_id
    for bad in (-1.0, True):  # `lr = true` in a TOML file is not a learning rate of 1
        with pytest.raises(ConfigError, match="lr must be 'porian' or a positive number"):
            Rules(lr=bad)
    with pytest.raises(ConfigError, match="batch must be 'porian' or a positive integer"):
        Rules(batch=0)
    with pytest.raises(ConfigError, match="tokens_per_param > 0 or a list of flops"):
        Rules(tokens_per_param=None)


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("seeds = 3\n", "seeds must be a list"),
        ("[rules]\ntokens_per_param = 'x'\n", "tokens_per_param must be a positive number"),
        ("[rules]\nflops = [1e12, -1]\n", "flops budgets must be positive"),
        ("rules = 3\n", "rules must be a table"),
        ("[model]\ncontext = 'long'\n", "context must be an integer"),
        ("[train]\nlr = 'fast'\n", "lr must be a number"),
    ],
)
def test_wrong_types_in_toml_are_config_errors(tmp_path: Path, text: str, message: str) -> None:
    path = tmp_path / "types.toml"
    path.write_text(text + "[[rungs]]\nwidth = 32\ndepth = 1\nheads = 2\n")
    with pytest.raises(ConfigError, match=message):
        get_recipe(str(path))


def test_every_rung_error_says_where_in_the_file(tmp_path: Path) -> None:
    """A rung's ``schedule`` error said ``train: schedule = ...`` with no place, where its
    ``width`` error said ``ladder 'NAME', rung N:``: every rung-level error says it."""
    rung = "[[rungs]]\nwidth = 32\ndepth = 1\nheads = 2\n"
    path = tmp_path / "sched.toml"
    path.write_text(rung + rung + 'schedule = "cosin"\n')
    with pytest.raises(ConfigError) as err:
        get_recipe(str(path))
    assert err.value.message == (
        f"{path}: ladder 'sched', rung 2: train: schedule = 'cosin' is not one of 'cosine', "
        "'linear', 'constant', 'wsd'"
    )
    path = tmp_path / "short.toml"
    path.write_text(rung + "tokens = 100\n")
    with pytest.raises(ConfigError) as err:
        get_recipe(str(path))
    # once "rung 'w32-d1': budget ...": the same place as every other rung error, said once
    assert err.value.message.startswith(
        f"{path}: ladder 'short', rung 1: budget of 100 tokens is less than one step of "
    )
    assert err.value.hint == "raise tokens, or lower batch_size or context"


@pytest.mark.parametrize(
    ("line", "said"),
    [
        ('schedule = "cosin"', "schedule = 'cosin' is not one of 'cosine', 'linear', "),
        ("warmup_fraction = 5", "warmup_fraction must be a number in [0, 1], got 5"),
    ],
)
def test_a_bad_train_default_is_named_in_train_not_at_rung_1(
    tmp_path: Path, line: str, said: str
) -> None:
    """A value written in ``[train]`` was reported against ``rung 1``, where the user did
    not write it; it names ``[train]``, and a rung's own bad value still names its rung."""
    rung = "[[rungs]]\nwidth = 32\ndepth = 1\nheads = 2\n"
    path = tmp_path / "defaults.toml"
    path.write_text(f"[train]\n{line}\n\n{rung}{rung}")
    with pytest.raises(ConfigError) as err:
        get_recipe(str(path))
    assert err.value.message.startswith(f"{path}: ladder 'defaults', [train]: {said}")
    assert "rung" not in err.value.message
    path.write_text(f"{rung}{rung}{line}\n")
    with pytest.raises(ConfigError) as err:
        get_recipe(str(path))
    assert err.value.message.startswith(f"{path}: ladder 'defaults', rung 2: train: {said}")
