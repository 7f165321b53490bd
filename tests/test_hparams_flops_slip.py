"""``hparams predict`` at N and C without D reads D = C/(6·N·r(N)) by the sweep's count; a
compute typed orders too small (``--flops 1e3`` for 1e21) gives a fraction of a token. The
note a loss fit's ``predict`` gives there (:mod:`scalinglab.fit._flops_slip`: one rule, one
wording) is measured against the smallest D of the fitted cells; lr* and B* are still
predicted, and a sensible compute says nothing."""

from __future__ import annotations

import json
import math
from pathlib import Path

import pytest
from tests._cli import cli
from tests._hparam_sweeps import SEQ_LEN, sweep

from scalinglab.hparams import HparamFit, fit_hparams

N = 3e8


@pytest.fixture(scope="module")
def plain() -> HparamFit:
    """Step Law's forms fitted to a sweep with no FLOPs column: C = 6·N·D."""
    return fit_hparams(sweep(0), seq_len=SEQ_LEN, law="steplaw", bootstrap=0)


def _slip(notes: tuple[str, ...]) -> str:
    (said,) = [n for n in notes if "for a slip" in n]
    return said


def test_a_compute_that_gives_a_fraction_of_a_token_says_the_d_it_gives(
    plain: HparamFit,
) -> None:
    smallest = float(sweep(0)["tokens"].min())  # the sweep's own smallest D
    assert smallest == pytest.approx(1e9) and len(plain.used) == len(plain.cells)
    d = 1e3 / (6 * N)
    pred = plain.predict(params=N, flops=1e3)
    at_d = plain.predict(params=N, tokens=d)
    assert pred.tokens == pytest.approx(d, rel=1e-12)
    assert (pred.lr, pred.batch, pred.loss) == (at_d.lr, at_d.batch, at_d.loss)  # still made
    assert _slip(pred.notes) == (
        f"D = 5.56e-7 tokens, derived from flops=1e3 at N = 300M as flops = 6·N·D, is "
        f"{math.log10(smallest / d):.1f} decades below the smallest fitted D (1B): check "
        "flops=1e3 for a slip (D = 1B at this N takes 1.8e18 FLOPs); predicted there as asked"
    )
    assert pred.notes[0] == _slip(pred.notes)  # first: every number rests on that D


def test_a_sensible_compute_or_given_tokens_say_nothing(plain: HparamFit) -> None:
    for pred in (
        plain.predict(params=N, flops=1e21),
        plain.predict(params=N, flops=6 * N * 1e9 / 3),  # a third of the smallest D
        plain.predict(params=N, tokens=1e-6),  # D given, not derived
    ):
        assert not [n for n in pred.notes if "slip" in n]
    assert _slip(plain.predict(params=N, flops=6 * N * 1e9 / 11).notes)  # past a decade


def test_the_sweeps_count_of_flops_gives_d_and_the_flops_of_the_smallest() -> None:
    k = 2e8  # C = 6·N·D·(1 + k/N): the sweep's count, not 6·N·D
    frame = sweep(3)
    exact = fit_hparams(
        frame.assign(flops=6.0 * frame["params"] * frame["tokens"] * (1.0 + k / frame["params"])),
        seq_len=SEQ_LEN,
        law="steplaw",
        bootstrap=0,
    )
    d = 1e3 / (6 * 1e9 * (1 + k / 1e9))
    pred = exact.predict(params=1e9, flops=1e3)
    assert pred.tokens == pytest.approx(d, rel=1e-12) and d == pytest.approx(1.389e-7, rel=1e-3)
    said = _slip(pred.notes)
    assert said.startswith("D = 1.39e-7 tokens, derived from flops=1e3 at N = 1B")
    assert f"is {math.log10(1e9 / d):.1f} decades below the smallest fitted D (1B)" in said
    at_smallest = 6 * 1e9 * 1e9 * (1 + k / 1e9)  # the smallest fitted D at N = 1B, counted so
    assert at_smallest == pytest.approx(7.2e18)
    assert "(D = 1B at this N takes 7.2e18 FLOPs)" in said


def test_the_command_says_it_with_the_option_typed(
    capsys: pytest.CaptureFixture[str], tmp_path: Path, plain: HparamFit
) -> None:
    path = tmp_path / "hp.json"
    plain.save(path)
    want = plain.predict(params=N, flops=1e3)
    args = ("hparams", "predict", "--fit", str(path), "--params", "300M")
    code, out, _ = cli(capsys, *args, "--flops", "1e3")
    assert code == 0
    said = " ".join(out.split())
    assert "derived from --flops 1e3 at N = 300M as flops = 6·N·D" in said
    assert "check --flops 1e3 for a slip (D = 1B at this N takes 1.8e18 FLOPs)" in said
    assert "flops=1e3" not in said
    assert want.lr == pytest.approx(2.72e-8, rel=2e-3)
    assert "│ peak lr*               │ 2.72e-8  │" in out  # lr* still printed
    code, out, err = cli(capsys, *args, "--compute", "1e3", "--json")
    assert code == 0
    data = json.loads(out)
    assert data["lr"] == pytest.approx(want.lr, rel=1e-12)
    assert "check --compute 1e3 for a slip" in _slip(tuple(data["notes"]))
    assert "--compute 1e3 for a slip" in " ".join(err.split())
    code, out, _ = cli(capsys, *args, "--flops", "1e21")
    assert code == 0 and "slip" not in out
