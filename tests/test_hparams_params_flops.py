"""``hparams predict`` at N and C without D (``--params 1B --compute 1e21``): D = C/(6·N·r(N))
by the sweep's FLOPs convention, as ``predict --fit fit.json --params 70B --compute 1e23``
takes it, with the note ``predict`` gives where the count is not 6·N·D. It refused: "the lr*
law ... reads N and D, which N and C do not give"."""

from __future__ import annotations

import json
import math
from pathlib import Path

import pytest
from tests._cli import cli
from tests._hparam_sweeps import SEQ_LEN, sweep

from scalinglab.hparams import HparamFit, fit_hparams, get_hparam_preset

K = 2e8  # an exact count's share above 6·N·D: C = 6·N·D·(1 + K/N)


@pytest.fixture(scope="module")
def plain() -> HparamFit:
    """A fit of Step Law's forms to a sweep with no FLOPs column: C = 6·N·D."""
    return fit_hparams(sweep(0), seq_len=SEQ_LEN, law="steplaw", bootstrap=0)


def test_n_and_c_give_d_by_the_sweeps_count() -> None:
    frame = sweep(3)
    exact = fit_hparams(
        frame.assign(flops=6.0 * frame["params"] * frame["tokens"] * (1.0 + K / frame["params"])),
        seq_len=SEQ_LEN,
        law="steplaw",
        bootstrap=0,
    )
    pred = exact.predict(params=1e9, flops=1.44e20)
    at_d = exact.predict(params=1e9, tokens=2e10)  # 1.44e20 = 6·N·D·(1 + K/N); 6·N·D 1.2e20
    assert pred.tokens == pytest.approx(2e10, rel=1e-6) and pred.flops == 1.44e20
    assert (pred.lr, pred.batch, pred.loss) == pytest.approx((at_d.lr, at_d.batch, at_d.loss))
    assert pred.warnings == at_d.warnings
    # the line predict(params=, flops=) of a loss fit gives, once
    said = [n for n in pred.notes if n.startswith("FLOPs counted as:")]
    assert len(said) == 1 and said[0].startswith(
        "FLOPs counted as: C = 6·N·D·(1 + 2e8·N^-1), as the fitted runs' flops count compute"
    )
    assert not any(n.startswith("C=") for n in pred.notes)  # C is the one given


def test_a_6nd_sweep_takes_c_over_6n_and_adds_no_note(plain: HparamFit) -> None:
    pred = plain.predict(params=3e8, flops=1e21)
    at_d = plain.predict(params=3e8, tokens=1e21 / 1.8e9)
    assert pred.tokens == pytest.approx(1e21 / 1.8e9, rel=1e-12) and pred.flops == 1e21
    assert (pred.lr, pred.batch, pred.loss) == (at_d.lr, at_d.batch, at_d.loss)
    assert not any(n.startswith(("C=", "FLOPs counted as:")) for n in pred.notes)


def test_the_command_with_compute_or_flops(
    capsys: pytest.CaptureFixture[str], tmp_path: Path, plain: HparamFit
) -> None:
    path = tmp_path / "hp.json"
    plain.save(path)
    want = plain.predict(params=3e8, tokens=1e21 / 1.8e9)
    for option in ("--compute", "--flops"):
        code, out, err = cli(capsys, "hparams", "predict", "--fit", str(path), "--params",
                             "300M", option, "1e21", "--json")  # fmt: skip
        assert code == 0, err
        data = json.loads(out)
        assert (data["tokens"], data["flops"], data["lr"]) == (
            pytest.approx(1e21 / 1.8e9, rel=1e-12),
            1e21,
            pytest.approx(want.lr, rel=1e-12),
        )


def test_a_preset_of_d_takes_c_over_6n_one_of_n_alone_no_d() -> None:
    steplaw = get_hparam_preset("steplaw2025")
    pred = steplaw.predict(params="7B", flops=1e23)
    at_d = steplaw.predict(params=7e9, tokens=1e23 / 4.2e10)
    assert (pred.tokens, pred.lr, pred.batch) == (at_d.tokens, at_d.lr, at_d.batch)
    assert pred.flops == 1e23 and pred.notes == at_d.notes  # 7B: the range note alone
    assert math.isnan(get_hparam_preset("porian2024").predict(params="7B", flops=1e23).tokens)
