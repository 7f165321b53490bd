"""A preset given ``flops=`` (``--flops``) with ``params=`` reads D = C/(6·N); a compute typed
orders too small (``1e3`` for 1e23) gives a fraction of a token. The note a fit gives there
(:mod:`scalinglab.fit._flops_slip`) is measured against the tokens the preset's source
trained on (:attr:`Preset.trained_tokens`), as the source states them; the prediction is
still made, and a sensible compute says nothing. A plan from a preset (no runs: no distance)
says the same of its D* at a budget typed too small."""

from __future__ import annotations

import json
import math
from pathlib import Path

import pandas as pd
import pytest
from tests._cli import cli

import scalinglab
from scalinglab.laws import get_preset
from scalinglab.plan import frontier

N = 7e9


def _slip(notes: tuple[str, ...] | list[str]) -> str:
    (said,) = [n for n in notes if "for a slip" in n]
    return said


def _chinchilla(values: dict[str, float], n: float, d: float) -> float:
    """E + A/N^α + B/D^β, written out here (Hoffmann et al. 2022, eq. 2)."""
    return values["E"] + values["A"] / n ** values["alpha"] + values["B"] / d ** values["beta"]


def test_hoffmann2022_at_a_compute_of_1e3_says_the_d_it_gives() -> None:
    preset = get_preset("hoffmann2022")
    d = 1e3 / (6 * N)  # 2.38e-8 tokens
    pred = preset.predict(params=N, flops=1e3)
    # still predicted, at that D: the paper's law written out
    assert float(pred.loss[0]) == pytest.approx(_chinchilla(dict(preset.coefs), N, d), rel=1e-12)
    said = _slip(pred.notes)
    decades = math.log10(5e9 / d)  # the abstract's 5 to 500 billion tokens
    assert said == (
        f"D = 2.38e-8 tokens, derived from flops=1e3 at N = 7B as flops = 6·N·D, is "
        f"{decades:.1f} decades below the smallest D the runs behind preset hoffmann2022 "
        "trained on (5B; Hoffmann et al. 2022's abstract: 5 to 500 billion tokens): check "
        "flops=1e3 for a slip (D = 5B at this N takes 2.1e20 FLOPs); predicted there as asked"
    )
    assert f"{decades:.1f}" == "17.3"
    assert pytest.approx(2.1e20) == 6 * N * 5e9


def test_kaplan2020_measures_against_its_dataset_sizes() -> None:
    preset = get_preset("kaplan2020")
    v = dict(preset.coefs)
    d = 1e5 / (6 * 1e9)
    pred = preset.predict(params=[1e9, 1e9], flops=[1e5, 1e21])
    # Kaplan et al.'s eq. 1.5 written out: [(N_c/N)^(α_N/α_D) + D_c/D]^α_D
    want = ((v["N_c"] / 1e9) ** (v["alpha_N"] / v["alpha_D"]) + v["D_c"] / d) ** v["alpha_D"]
    assert float(pred.loss[0]) == pytest.approx(want, rel=1e-12)
    said = _slip(pred.notes)
    assert said.startswith("D = 1.67e-5 tokens (1 of 2 rows; the farthest), derived from flops=1e5")
    assert f"is {math.log10(22e6 / d):.1f} decades below the smallest D the runs behind " in said
    assert "preset kaplan2020 trained on (22M; Kaplan et al. 2020: dataset sizes" in said


def test_a_sensible_compute_or_given_tokens_say_nothing() -> None:
    for name in ("hoffmann2022", "epoch2024", "kaplan2020"):
        preset = get_preset(name)
        low = preset.trained_tokens.low if preset.trained_tokens else math.nan
        assert not [n for n in preset.predict(params=N, flops=5.9e22).notes if "slip" in n]
        # a third of the smallest D the source trained on: below it, within a decade
        near = preset.predict(params=N, flops=6 * N * low / 3)
        assert not [n for n in near.notes if "slip" in n]
        assert not preset.predict(params=N, tokens=1e-8).notes  # D given: nothing derived
        assert _slip(preset.predict(params=N, flops=6 * N * low / 11).notes)  # past a decade


def test_epoch2024_records_the_range_of_the_runs_its_refit_kept(chinchilla_csv_path: Path) -> None:
    runs = pd.read_csv(chinchilla_csv_path)
    kept = runs[runs["loss"] < runs["loss"].nlargest(5).min()]  # the refit drops the 5 worst
    d = kept["Training FLOP"] / (6 * kept["Model Size"])
    assert len(kept) == 240
    trained = get_preset("epoch2024").trained_tokens
    assert trained is not None
    assert (trained.low, trained.high) == (
        pytest.approx(d.min(), rel=1e-3),
        pytest.approx(d.max(), rel=1e-3),
    )


def test_the_command_says_it_and_still_predicts(capsys: pytest.CaptureFixture[str]) -> None:
    d = 1e3 / (6 * N)
    args = ("predict", "--preset", "hoffmann2022", "--params", "7B")
    code, out, _ = cli(capsys, *args, "--flops", "1e3")
    assert code == 0
    said = " ".join(out.split())
    assert "derived from --flops 1e3 at N = 7B as flops = 6·N·D" in said
    assert "check --flops 1e3 for a slip (D = 5B at this N takes 2.1e20 FLOPs)" in said
    loss = _chinchilla(dict(get_preset("hoffmann2022").coefs), N, d)
    assert f"{loss:.4f}" in out  # the prediction still printed
    code, out, err = cli(capsys, *args, "--compute", "1e3", "--json")  # the alias, as typed
    assert code == 0
    data = json.loads(out)
    assert data["loss"] == pytest.approx(loss, rel=1e-12)
    assert data["tokens"] == pytest.approx(d, rel=1e-12)
    assert "check --compute 1e3 for a slip" in data["notes"][0]
    assert "--compute 1e3 for a slip" in " ".join(err.split())
    code, out, _ = cli(capsys, *args, "--flops", "5.9e22")
    assert code == 0 and "slip" not in out


def _hoffmann_d_opt(c: float) -> float:
    """D* of Hoffmann et al. 2022's eq. 4 written out: G^-1·(C/6)^(α/(α+β)),
    G = (α·A/(β·B))^(1/(α+β)), with the paper's values."""
    v = dict(get_preset("hoffmann2022").coefs)
    a, b = v["alpha"], v["beta"]
    g = (a * v["A"] / (b * v["B"])) ** (1 / (a + b))
    return (c / 6) ** (a / (a + b)) / g


def test_a_plan_at_a_budget_of_1e3_says_d_star_lies_far_below_the_source() -> None:
    d = _hoffmann_d_opt(1e3)
    found = scalinglab.optimal_allocation("hoffmann2022", flops=1e3)
    assert found.tokens.value == pytest.approx(d, rel=1e-9)  # still planned
    (said,) = [n for n in found.notes if "slip" in n]
    assert said == (
        f"D* = {d:.3g} tokens, the optimum at a budget of 1e3 FLOPs, is "
        f"{math.log10(5e9 / d):.1f} decades below the smallest D the runs behind preset "
        "hoffmann2022 trained on (5B; Hoffmann et al. 2022's abstract: 5 to 500 billion "
        "tokens): check the budget for a slip (a compute typed orders of magnitude too "
        "small?); planned there as asked"
    )
    near, far = frontier(get_preset("hoffmann2022"), budgets=[1e21, 1e3])
    assert not [n for n in near.notes if "slip" in n]  # D* = 91B: inside
    assert [n for n in far.notes if "slip" in n] == [said]
    # a budget whose D* lies a third of a decade below 5B: within a decade, nothing said
    c = next(c for c in (1e17, 1e18, 1e19) if 0 < math.log10(5e9 / _hoffmann_d_opt(c)) <= 1)
    assert not [
        n for n in scalinglab.optimal_allocation("hoffmann2022", flops=c).notes if "slip" in n
    ]


def test_plan_says_it_at_exit_0_with_the_allocation(capsys: pytest.CaptureFixture[str]) -> None:
    code, out, _ = cli(capsys, "plan", "--preset", "hoffmann2022", "--compute", "1e3")
    assert code == 0
    said = " ".join(out.split())
    assert "D* = 12.3 tokens, the optimum at a budget of 1e3 FLOPs, is 8.6 decades below" in said
    assert "check the budget for a slip" in said
    assert f"{_hoffmann_d_opt(1e3):.3g}" == "12.3" and "tokens D*" in out
    code, out, _ = cli(capsys, "plan", "--preset", "hoffmann2022", "--compute", "1e23")
    assert code == 0 and "slip" not in out
