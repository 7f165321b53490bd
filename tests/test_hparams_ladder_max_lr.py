"""A recipe's ``max_lr`` is a safety limit: a hyperparameter rule that replaces the recipe's
lr (``--hparams``) is held to it too, with a note naming the rule's lr on each rung it cut
and by how much, in place of the recipe's note on what the cap cut of its own rule."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from tests._cli import cli
from tests._hparam_sweeps import SEQ_LEN, sweep

from scalinglab import ConfigError
from scalinglab.hparams import fit_hparams, get_hparam_preset
from scalinglab.hparams._ladder import with_hparams
from scalinglab.ladder import (
    LadderSpec,
    Rules,
    build_ladder,
    ladder_to_toml,
    load_toml,
    rung_counts,
)

EXAMPLE = Path(__file__).resolve().parents[1] / "examples" / "ladder.toml"
SHAPES = [{"width": w, "depth": 2, "heads": 2} for w in (32, 48, 64)]


def _porian(n: float) -> float:
    """porian2024's lr*, computed here: 0.0047 (N / 108M)^(-1/3)."""
    return 0.0047 * (n / 108e6) ** (-1 / 3)


def test_the_recipes_cap_holds_the_rules_lr_and_says_what_it_cut() -> None:
    spec = build_ladder(name="x", shapes=SHAPES, rules=Rules(max_lr=0.05, min_batch=8),
                        notes="three rungs")  # fmt: skip
    assert spec.notes.splitlines()[1].startswith("lr capped at max_lr = 0.05 on 2 of 3 rungs")
    n = [rung_counts(r).params_non_embedding for r in spec.rungs]
    law = [_porian(x) for x in n]
    assert law[0] > law[1] > 0.05 > law[2]  # the two smaller rungs over the cap
    ladder = with_hparams(spec, get_hparam_preset("porian2024"))
    assert [r.train.lr for r in ladder.rungs] == [0.05, 0.05, pytest.approx(law[2])]
    assert ladder.max_lr == 0.05
    lines = ladder.notes.splitlines()
    # the recipe's line on its own rule's capped lr is gone; its other notes stay
    assert lines[0] == "recipe notes (its lr and batch rules replaced as below): three rungs"
    assert lines[1].startswith("lr and batch of every rung from preset porian2024: ")
    assert "(w32-d2: lr 0.05, batch " in lines[1] and f"w64-d2: lr {law[2]:.3g}, " in lines[1]
    assert lines[2] == (
        "lr capped at the recipe's max_lr = 0.05 on 2 of 3 rungs, a safety limit the rule's lr "
        f"is held to as the recipe's was: the rule gives w32-d2 {law[0]:.3g} "
        f"({law[0] / 0.05:.3g}x the cap), w48-d2 {law[1]:.3g} ({law[1] / 0.05:.3g}x)"
    )


def test_a_ladder_without_a_cap_keeps_the_rules_lr() -> None:
    spec = build_ladder(name="x", shapes=SHAPES, rules=Rules(min_batch=8))
    assert spec.max_lr is None
    ladder = with_hparams(spec, get_hparam_preset("porian2024"))
    assert ladder.rungs[0].train.lr > 0.07 and "max_lr" not in ladder.notes


def test_ladder_plan_of_the_example_caps_a_fits_lr(
    capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    """examples/ladder.toml caps lr at 0.01; a sweep's law gives its CPU-sized rungs more."""
    path = tmp_path / "hp.json"
    fit_hparams(sweep(7), seq_len=SEQ_LEN, law="steplaw", bootstrap=0).save(path)
    code, out, err = cli(capsys, "ladder", "plan", str(EXAMPLE), "--hparams", str(path),
                         "--json")  # fmt: skip
    assert code == 0, err
    data = json.loads(out)
    assert {r["lr"] for r in data["rungs"]} == {0.01}
    notes = "\n".join(data["notes"] + data["warnings"])
    assert "lr capped at the recipe's max_lr = 0.01 on every rung, a safety limit" in notes
    assert "the rule (x lr_scale 0.5) gives" not in notes  # the replaced rule's values


def test_the_cap_is_checked_and_kept_through_toml(tmp_path: Path) -> None:
    spec = build_ladder(name="x", shapes=SHAPES, rules=Rules(max_lr=0.05, min_batch=8))
    with pytest.raises(ConfigError, match="ladder 'x': max_lr must be a positive number, got 0"):
        LadderSpec(name="x", rungs=spec.rungs, max_lr=0)
    path = tmp_path / "x.toml"
    path.write_text(ladder_to_toml(spec))
    again = load_toml(path)
    assert again.max_lr == 0.05 and [r.train.lr for r in again.rungs] == [
        r.train.lr for r in spec.rungs
    ]
