"""A C given to ``predict`` (``--flops``): laws of C warn where it is far off the C the sweep
counts at (N, D) and say how far beyond the cells' C they reach; laws of N and D say that it
changes no number. Presets alike, against 6·N·D."""

from __future__ import annotations

import math

import pytest
from tests._cli import cli
from tests._hparam_sweeps import SEQ_LEN, sweep

from scalinglab.hparams import HparamFit, fit_hparams, get_hparam_preset

#: The largest fitted cell's C: N = 800M at 100 tokens per parameter, 6·N·D.
C_TOP = 6.0 * 8e8 * 8e10


@pytest.fixture(scope="module")
def compute() -> HparamFit:
    return fit_hparams(sweep(3), seq_len=SEQ_LEN, law="compute", bootstrap=0)


@pytest.fixture(scope="module")
def steplaw() -> HparamFit:
    return fit_hparams(sweep(3), seq_len=SEQ_LEN, law="steplaw", bootstrap=0)


def test_a_c_far_off_the_sweeps_count_is_warned_of(compute: HparamFit) -> None:
    pred = compute.predict(params="300M", tokens="20B", flops=1e25)
    assert pred.flops == 1e25
    assert pred.warnings[0] == (
        "the given C=1e25 (--flops, Python: flops=) is 5.44 decades above the 3.6e19 "
        "counted at N=300M, D=20B (C = 6·N·D), more than 2x off: the fit's laws of C give "
        "lr* and B* at that C, as for a run of another N or D; give the C of this N and D, "
        "or leave it out"
    )
    # and how far beyond the cells' C the laws of C reach there
    d = math.log10(1e25 / C_TOP)
    assert pred.warnings[1].startswith(
        f"C = 1e25 is {d:.2f} decades above the largest fitted C, 3.84e20: lr* and B* "
        "extrapolate their laws that far"
    )
    below = compute.predict(params="300M", tokens="20B", flops=3.6e19 / 2.5).warnings
    assert below[0].startswith(
        "the given C=1.44e19 (--flops, Python: flops=) is 0.40 decades below"
    )
    # within 2x (an exact count's attention and head): read as given, no warning
    assert compute.predict(params="300M", tokens="20B", flops=3.6e19 * 1.9).warnings == ()


def test_the_distance_in_c_joins_n_and_d_for_laws_of_c(
    compute: HparamFit, steplaw: HparamFit
) -> None:
    far = compute.predict(params="10B", tokens="1.4T").warnings
    assert len(far) == 1
    n, d, c = math.log10(1e10 / 8e8), math.log10(1.4e12 / 8e10), math.log10(8.4e22 / C_TOP)
    assert far[0].startswith(
        f"N = 10B is {n:.2f} decades above the largest fitted N, 800M; D = 1.4T is {d:.2f} "
        f"decades above the largest fitted D, 80B; C = 8.4e22 is {c:.2f} decades above the "
        "largest fitted C, 3.84e20: lr* and B* extrapolate"
    )
    # laws of N and D alone do not extrapolate in C
    (nd,) = steplaw.predict(params="10B", tokens="1.4T").warnings
    assert "fitted D, 80B: lr* and B* extrapolate" in nd and "fitted C" not in nd


def test_laws_of_n_and_d_say_a_given_c_changes_nothing(steplaw: HparamFit) -> None:
    plain = steplaw.predict(params="7B", tokens="1.4T")
    assert plain.notes[-1].endswith(
        "C = 6·N·D, computed from params and tokens (the data have no FLOPs column); the laws "
        "read N and D alone, not C, so a given C would change no number"
    )
    given = steplaw.predict(params="7B", tokens="1.4T", flops=1e20)
    assert (given.lr, given.batch, given.flops) == (plain.lr, plain.batch, 1e20)
    assert given.notes[-1] == (
        "C=1e20 as given labels the prediction only: the laws read N and D alone, not C, so "
        "the given C (--flops, Python: flops=) changes no number"
    )
    assert given.warnings == plain.warnings  # no warning on a C no law reads


def test_presets_check_a_given_c_against_6nd() -> None:
    deepseek = get_hparam_preset("deepseek2024")
    pred = deepseek.predict(params="7B", tokens="1.4T", flops=1e20)
    assert pred.warnings == (
        "the given C=1e20 (--flops, Python: flops=) is 2.77 decades below the 5.88e22 "
        "counted at N=7B, D=1.4T (C = 6·N·D, as the presets count it), more than 2x off: "
        "preset deepseek2024 gives lr* and B* at that C, as for a run of another N or D; give "
        "the C of this N and D, or leave it out",
    )
    assert deepseek.predict(params="7B", tokens="1.4T", flops=8e22).warnings == ()
    steplaw = get_hparam_preset("steplaw2025")
    plain, given = (steplaw.predict(params="7B", tokens="1.4T", flops=c) for c in (None, 1e20))
    assert given.lr == plain.lr and given.warnings == ()
    assert not any(n.startswith("C=") for n in plain.notes)
    # the note on a given C, then the preset's own (7B: just past the sizes it was fitted on)
    assert given.notes == (
        "C=1e20 as given labels the prediction only: preset steplaw2025's rules do not read "
        "C, so the given C (--flops, Python: flops=) changes no number",
        *plain.notes,
    )


def test_cli_warns_and_a_plan_keeps_no_note_on_its_own_c(
    capsys: pytest.CaptureFixture[str],
) -> None:
    at = ("hparams", "predict", "--params", "7B", "--tokens", "1.4T", "--flops", "1e20")
    code, out, err = cli(capsys, *at, "--preset", "deepseek2024")
    assert code == 0, err
    said = " ".join(out.split())
    assert "warning: the given C=1e20 (--flops, Python: flops=) is 2.77 decades below" in said
    # a plan passes its own C to a rule of N and D: no note about a C its user never gave
    plan = ("plan", "--preset", "hoffmann2022", "--compute", "1e21")
    code, out, err = cli(capsys, *plan, "--hparams-preset", "steplaw2025")
    assert code == 0, err
    assert "optimal hyperparameters" in out and "as given labels" not in out
