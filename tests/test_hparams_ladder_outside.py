"""A ladder whose lr and batch come from a hyperparameter rule counts every rung outside
what the rule was fitted to, however near, and says how far the nearest and the farthest
are (a fit's cells in N, D and D/N; a preset's sizes in N)."""

from __future__ import annotations

import math

import pytest
from tests._cli import cli
from tests._hparam_sweeps import SEQ_LEN, SIZES, TOKENS_PER_PARAM, sweep

from scalinglab.hparams import fit_hparams, get_hparam_preset
from scalinglab.hparams._ladder import with_hparams
from scalinglab.ladder import LadderSpec, get_recipe, rung_counts


def _warning(notes: str) -> str:
    (line,) = [n for n in notes.splitlines() if n.startswith("warning: ")]
    return line


def test_every_rung_below_the_cells_is_counted_with_the_nearest_and_farthest() -> None:
    fit = fit_hparams(sweep(6), seq_len=SEQ_LEN, law="steplaw", bootstrap=0)
    ladder = with_hparams(get_recipe("gpu"), fit)  # 1M-50M non-embedding, the cells 100M-800M
    lo_n, lo_d = SIZES[0], SIZES[0] * TOKENS_PER_PARAM[0]  # 100M, 1B: the smallest cell's
    far = {}
    for rung in ladder.rungs:
        counts = rung_counts(rung)
        n, d = counts.params_non_embedding, counts.tokens
        assert TOKENS_PER_PARAM[0] <= d / n <= TOKENS_PER_PARAM[-1]  # D/N inside: 20
        far[rung.name] = max(math.log10(lo_n / n), math.log10(lo_d / d))
    assert len(far) == 6 and min(far.values()) < 1.0  # the top rung: under a decade below
    near, top = min(far, key=far.__getitem__), max(far, key=far.__getitem__)
    assert (near, top) == ("w640-d10", "w128-d5")
    line = _warning(ladder.notes)
    assert line.startswith(
        f"warning: 6 of 6 rungs lie outside what the rule was fitted to, from "
        f"{far[near]:.2f} decades (w640-d10) to {far[top]:.2f} (w128-d5); w128-d5: N = 990K "
        f"is {math.log10(lo_n / 990e3):.2f} decades below the smallest fitted N, 100M; D = "
    )
    assert line.endswith(": lr* and B* extrapolate their laws that far")


def test_a_presets_rungs_inside_its_sizes_are_not_counted(
    capsys: pytest.CaptureFixture[str],
) -> None:
    # porian2024 was fitted on 5M to 901M: the gpu ladder's two smallest rungs lie below
    ladder = with_hparams(get_recipe("gpu"), get_hparam_preset("porian2024"))
    below = {
        r.name: math.log10(5e6 / n)
        for r in ladder.rungs
        if (n := rung_counts(r).params_non_embedding) < 5e6
    }
    assert list(below) == ["w128-d5", "w192-d6"]
    assert _warning(ladder.notes).startswith(
        f"warning: 2 of 6 rungs lie outside what the rule was fitted to, from "
        f"{below['w192-d6']:.2f} decades (w192-d6) to {below['w128-d5']:.2f} (w128-d5); "
        "w128-d5: N = 990K is 0.7 decades below 5M, outside the 5M to 901M its source fitted"
    )
    # one rung outside: it "lies", "by" its distance
    gpu = get_recipe("gpu")
    two = LadderSpec(name="two", rungs=gpu.rungs[1:3])  # w192-d6 below 5M, w256-d8 inside
    assert _warning(with_hparams(two, get_hparam_preset("porian2024")).notes).startswith(
        f"warning: 1 of 2 rungs lies outside what the rule was fitted to, by "
        f"{below['w192-d6']:.2f} decades; w192-d6: N = 2.66M is 0.3 decades below 5M"
    )
    code, out, err = cli(capsys, "ladder", "plan", "gpu", "--hparams-preset", "porian2024")
    assert code == 0, err
    assert (
        f"warning: 2 of 6 rungs lie outside what the rule was fitted to, from "
        f"{below['w192-d6']:.2f} decades (w192-d6) to {below['w128-d5']:.2f} (w128-d5)"
    ) in " ".join(out.split())
