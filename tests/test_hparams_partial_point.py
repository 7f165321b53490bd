"""``hparams predict`` given one of N and D (``--params 7B``, with or without ``--flops``):
answered where the lr* and B* laws read only what was given (porian2024 reads N alone),
refused naming what is missing (``--tokens``) otherwise; the "C alone" refusal is for a
prediction given neither N nor D."""

from __future__ import annotations

import math

import pytest
from tests._cli import cli
from tests._hparam_sweeps import SEQ_LEN, sweep

from scalinglab._errors import ConfigError
from scalinglab.hparams import fit_hparams, get_hparam_preset
from scalinglab.ladder._rules import batch_tokens, learning_rate

PORIAN = (
    "preset porian2024 (lr* = 0.0047 * (N/108e6)^(-1/3); B* = 160*2048 * (N/108e6)^(2/3) (tokens))"
)
STEPLAW = "preset steplaw2025 (lr* = 1.79 * N^-0.713 * D^0.307; B* = 0.58 * D^0.571 (tokens))"


def test_porian_at_n_alone_is_its_rule_at_n_with_or_without_c() -> None:
    porian = get_hparam_preset("porian2024")
    pred = porian.predict(params="7B", flops=1e23)
    assert pred.lr == pytest.approx(learning_rate(7e9)) and pred.lr == pytest.approx(0.00117, 1e-3)
    assert pred.batch == pytest.approx(batch_tokens(7e9))
    assert pred.params == 7e9 and math.isnan(pred.tokens) and pred.flops == 1e23
    assert pred.notes == (
        "C=1e23 as given labels the prediction only: preset porian2024's rules do not read "
        "C, so the given C (--flops, Python: flops=) changes no number",
        # 7B is just past the 901M its source fitted: a note, not yet a warning
        "N = 7B is 0.9 decades above 901M, outside the 5M to 901M its source fitted (Porian "
        "et al. 2024: models of 5M to 901M parameters): preset porian2024's lr and batch "
        "extrapolate there",
    )
    alone = porian.predict(params="7B")
    assert alone.lr == pred.lr and math.isnan(alone.flops) and alone.notes == pred.notes[1:]


def test_rules_that_read_what_was_not_given_are_named_with_what_is_missing() -> None:
    with pytest.raises(ConfigError) as caught:  # N and C give D (D = C/(6·N)); D and C no N
        get_hparam_preset("steplaw2025").predict(tokens="2T", flops=1e23)
    assert caught.value.message == (
        "a prediction at D and C (tokens= and flops= without params=, --tokens and --flops "
        f"without --params): {STEPLAW} reads N and D, which D and C do not give"
    )
    assert caught.value.hint == "give params= (--params)"
    with pytest.raises(ConfigError) as caught:
        get_hparam_preset("deepseek2024").predict(tokens="2T")
    assert caught.value.message.endswith("reads C, which D alone does not give")
    assert (
        caught.value.hint == "give flops= (--flops), or params= (--params), from which C is counted"
    )
    # given C as well, deepseek's rules of C alone answer (at N too)
    assert get_hparam_preset("deepseek2024").predict(params="7B", flops=1e23).lr == pytest.approx(
        0.3118 * 1e23**-0.1250
    )


def test_a_fit_at_n_alone_answers_laws_of_n_and_names_a_law_of_d() -> None:
    of_n = fit_hparams(
        sweep(0), seq_len=SEQ_LEN, lr_law="A*N**alpha", batch_law="B*N**gamma", bootstrap=0
    )
    pred = of_n.predict(params=3e8)
    assert pred.lr == pytest.approx(of_n.lr_law.predict(params=3e8)[0])
    assert pred.params == 3e8 and math.isnan(pred.tokens) and math.isnan(pred.loss)
    # with C, its D = C/(6·N) is the loss law's D: the loss at the optimum is predicted too
    at_c, d = of_n.predict(params=3e8, flops=1e21), 1e21 / (6 * 3e8)
    assert (at_c.lr, at_c.tokens) == (pred.lr, pytest.approx(d, rel=1e-12))
    assert at_c.loss == of_n.predict(params=3e8, tokens=d).loss
    steplaw = fit_hparams(sweep(0), seq_len=SEQ_LEN, law="steplaw", bootstrap=0)
    with pytest.raises(ConfigError) as caught:
        steplaw.predict(tokens=3e10, flops=1e21)
    assert caught.value.message == (
        "a prediction at D and C (tokens= and flops= without params=, --tokens and --flops "
        "without --params): the lr* law 'A * N**alpha * D**beta' reads N and D, which D and "
        "C do not give"  # the B* law 'B * D**gamma' reads D alone: given
    )
    with pytest.raises(ConfigError, match=r"^HparamFit.predict needs params= and tokens="):
        steplaw.predict()  # nothing given


def test_hparams_predict_params_and_flops(capsys: pytest.CaptureFixture[str]) -> None:
    args = ("hparams", "predict", "--params", "7B", "--flops", "1e23", "--preset")
    code, out, err = cli(capsys, *args, "porian2024")
    assert code == 0, err
    assert "optimal hyperparameters at N=7B (C=1e23)" in " ".join(out.split())
    assert "0.00117" in out and "C alone" not in out + err
    code, out, err = cli(capsys, "hparams", "predict", "--tokens", "2T", "--flops", "1e23",
                         "--preset", "steplaw2025", one_line=True)  # fmt: skip
    assert code == 2 and not out
    assert f"{STEPLAW} reads N and D, which D and C do not give" in err
    assert "hint: give params= (--params)" in err
    code, out, err = cli(capsys, "hparams", "predict", "--params", "7B", "--preset", "porian2024")
    assert code == 0 and "optimal hyperparameters at N=7B" in out, err
