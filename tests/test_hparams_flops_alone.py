"""``hparams predict --flops`` alone (``predict(flops=)``): answered where the lr* and B*
laws read C alone (DeepSeek's rules, a fit of the compute forms), refused naming each law
that reads N or D otherwise."""

from __future__ import annotations

import math

import pytest
from tests._cli import cli
from tests._hparam_sweeps import SEQ_LEN, sweep

from scalinglab._errors import ConfigError
from scalinglab.hparams import fit_hparams, get_hparam_preset

HINT = (
    "give params= and tokens= (--params, --tokens); C alone answers where every law reads C "
    "alone (a law of C: lr_law='A*C**alpha', or preset deepseek2024)"
)


def test_deepseek_at_c_alone_is_its_rules_at_c() -> None:
    pred = get_hparam_preset("deepseek2024").predict(flops=1e21)
    assert pred.lr == pytest.approx(0.3118 * 1e21**-0.1250)
    assert pred.batch == pytest.approx(0.2920 * 1e21**0.3271)
    assert math.isnan(pred.params) and math.isnan(pred.tokens) and pred.flops == 1e21
    assert pred.notes == ("C=1e21 as given: preset deepseek2024's rules read C alone",)
    with pytest.raises(ConfigError) as caught:
        get_hparam_preset("steplaw2025").predict(flops=1e21)
    assert caught.value.message == (
        "a prediction at C alone (flops= without params= and tokens=, --flops without "
        "--params and --tokens): preset steplaw2025 (lr* = 1.79 * N^-0.713 * D^0.307; B* = "
        "0.58 * D^0.571 (tokens)) reads N and D, which C alone does not give"
    )
    assert caught.value.hint == HINT


def test_a_fit_of_the_compute_forms_predicts_at_c_alone_without_its_loss_law_of_n_and_d() -> None:
    hp = fit_hparams(sweep(0), seq_len=SEQ_LEN, law="compute", bootstrap=0)
    assert hp.loss_law is not None and hp.loss_law.formula == "K * N**a * D**b"
    assert hp.batch_law is not None
    pred = hp.predict(flops=1e21)
    assert pred.lr == pytest.approx(hp.lr_law.predict(flops=1e21)[0])
    assert pred.batch == pytest.approx(hp.batch_law.predict(flops=1e21)[0])
    assert math.isnan(pred.loss) and math.isnan(pred.params)
    assert (
        "no loss at the optimum: its law 'K * N**a * D**b' reads N and D, not given "
        "(params=, tokens=; --params, --tokens)"
    ) in pred.notes
    assert "C=1e21 as given: the fit's lr* and B* laws read C alone" in pred.notes


def test_a_fit_of_n_and_d_at_c_alone_names_the_laws_that_read_them() -> None:
    hp = fit_hparams(sweep(0), seq_len=SEQ_LEN, law="steplaw", bootstrap=0)
    with pytest.raises(ConfigError) as caught:
        hp.predict(flops=1e21)
    assert caught.value.message == (
        "a prediction at C alone (flops= without params= and tokens=, --flops without "
        "--params and --tokens): the lr* law 'A * N**alpha * D**beta' reads N and D; the B* "
        "law 'B * D**gamma' reads D, which C alone does not give"
    )
    with pytest.raises(ConfigError) as caught:
        hp.predict(tokens=1e10)  # D without N: not C alone, and N is named as missing
    assert caught.value.message == (
        "a prediction at D alone (tokens= without params=, --tokens without --params): the lr* "
        "law 'A * N**alpha * D**beta' reads N and D, which D alone does not give"
    )
    assert caught.value.hint == "give params= (--params)"


def test_hparams_predict_flops_alone(capsys: pytest.CaptureFixture[str]) -> None:
    code, out, err = cli(
        capsys, "hparams", "predict", "--preset", "deepseek2024", "--flops", "1e21"
    )
    assert code == 0, err
    assert "optimal hyperparameters at C=1e21" in out and "N=nan" not in out
    code, out, err = cli(capsys, "hparams", "predict", "--preset", "porian2024", "--flops", "1e21")
    assert code == 2 and not out
    assert "preset porian2024 (lr* = 0.0047 * (N/108e6)^(-1/3); B* = 160*2048 * " in err
    assert "reads N, which C alone does not give" in " ".join(err.split())
