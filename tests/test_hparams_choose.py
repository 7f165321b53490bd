"""The choice of the lr* and B* forms by leave-one-size-out regret (``law="auto"``)."""

from __future__ import annotations

import json
import math
from pathlib import Path

import numpy as np
import pandas as pd
import pytest
from tests._hparam_sweeps import SEQ_LEN, sweep

from scalinglab import ConfigError
from scalinglab._hparams_numbers import regret_pct
from scalinglab.cli import main
from scalinglab.hparams import HparamFit, HparamLawChoice, backtest_hparams, fit_hparams
from scalinglab.hparams._choose import BATCH_CANDIDATES, LR_CANDIDATES, TIE_RTOL
from scalinglab.hparams._regret import surface_regret

STEP = ("A * N**alpha * D**beta", "B * D**gamma")
WITH_N = ("A * N**alpha * D**beta", "B * N**delta * D**gamma")


def _scores(choice: HparamLawChoice) -> dict[tuple[str, str | None], float]:
    return dict(zip(choice.candidates, choice.median_regret, strict=True))


@pytest.mark.parametrize("seed", [11, 12])
def test_an_n_term_in_the_batch_law_is_chosen_when_b_star_depends_on_n(seed: int) -> None:
    # B* = B (N / 3e8)^-0.3 D^gamma: Step Law's B*(D) cannot follow it across sizes
    hp = fit_hparams(sweep(seed, delta=-0.3), seq_len=SEQ_LEN, bootstrap=0)
    choice = hp.law_choice
    assert choice is not None and choice.chose
    assert (choice.lr_law, choice.batch_law) == WITH_N
    assert hp.batch_law is not None and hp.batch_law.formula == WITH_N[1]
    assert hp.batch_law.coefs["delta"] == pytest.approx(-0.3, abs=0.05)
    scores = _scores(choice)
    assert scores[WITH_N] < 0.2 * scores[STEP]
    assert "chose lr* = A * N**alpha * D**beta, B* = B * N**delta * D**gamma" in choice.reason
    assert any(n.startswith("the law choice rests on cells of N = 100M to 800M") for n in hp.notes)


@pytest.mark.parametrize("seed", [21, 22, 23, 24])
def test_step_laws_form_is_kept_on_sweeps_drawn_from_step_laws_own_laws(seed: int) -> None:
    hp = fit_hparams(sweep(seed), seq_len=SEQ_LEN, bootstrap=0)
    choice = hp.law_choice
    assert choice is not None and choice.chose
    assert (choice.lr_law, choice.batch_law) == STEP == (hp.lr_law.formula, hp.batch_law.formula)  # type: ignore[union-attr]
    assert choice.candidates == tuple((lr, b) for lr in LR_CANDIDATES for b in BATCH_CANDIDATES)
    assert choice.n_coefs == (5, 6, 5, 4, 5, 4)
    assert choice.sizes == (1e8, 2e8, 4e8, 8e8) and choice.n_scored == 12
    assert not any("law choice" in n for n in hp.notes)
    scores = _scores(choice)
    # the compute forms cannot follow lr* = A N^-0.713 D^0.307 across sizes at all
    assert min(scores[p] for p in scores if "C" in p[0]) > 20 * scores[STEP]
    # the N term is either worse or within the tie, which goes to the fewer coefficients
    assert scores[WITH_N] > scores[STEP] / (1 + TIE_RTOL)


def test_the_verdict_says_in_full_why_the_forms_were_chosen() -> None:
    """``law choice: <verdict>`` is printed alone: it names the score it was chosen on."""
    choice = fit_hparams(sweep(11, delta=-0.3), seq_len=SEQ_LEN, bootstrap=0).law_choice
    assert choice is not None
    best = regret_pct(min(choice.median_regret), choice.median_regret)  # as its table row
    assert choice.verdict == (
        "chose lr* = A * N**alpha * D**beta, B* = B * N**delta * D**gamma: the lowest median "
        f"held-out regret, {best}"
    )
    # a tie within TIE_RTOL goes to Step Law's B*(D), one coefficient fewer than the lowest
    tie = fit_hparams(sweep(23), seq_len=SEQ_LEN, bootstrap=0).law_choice
    assert tie is not None and _scores(tie)[WITH_N] < _scores(tie)[STEP]
    assert tie.verdict == (
        "chose lr* = A * N**alpha * D**beta, B* = B * D**gamma: the fewest coefficients of "
        "the 2 pairs within 25% of the lowest median held-out regret, "
        f"{regret_pct(_scores(tie)[WITH_N], tie.median_regret)} "
        f"(its own {regret_pct(_scores(tie)[STEP], tie.median_regret)})"
    )


def test_the_score_is_the_median_regret_of_each_size_predicted_by_the_others() -> None:
    # an independent path: fit_hparams with Step Law's forms named, on the cells of three
    # sizes, predicting the fourth's cells, read on the full fit's cell surfaces
    frame = sweep(31)
    hp = fit_hparams(frame, seq_len=SEQ_LEN, bootstrap=0)
    assert hp.law_choice is not None
    regrets = []
    for size in sorted(frame["params"].unique()):
        rest = fit_hparams(
            frame[frame["params"] != size], seq_len=SEQ_LEN, bootstrap=0, law="steplaw"
        )
        for cell in hp.cells:
            if cell.keys["params"] == size:
                p = rest.predict(params=size, tokens=cell.keys["tokens"])
                regrets.append(surface_regret(cell, p.lr, p.batch)[0])
    assert _scores(hp.law_choice)[STEP] == pytest.approx(float(np.median(regrets)), rel=1e-9)


def test_too_few_sizes_keep_step_laws_forms_and_say_so() -> None:
    frame = sweep(32)
    two = frame[frame["params"] <= 2e8]  # 6 cells of two sizes
    hp = fit_hparams(two, seq_len=SEQ_LEN, bootstrap=0)
    choice = hp.law_choice
    assert choice is not None and not choice.chose and choice.median_regret == ()
    assert (hp.lr_law.formula, hp.batch_law.formula) == STEP  # type: ignore[union-attr]
    assert choice.reason == (
        "no choice of law: 2 model sizes among the fitted cells: a leave-one-size-out choice "
        "needs 3; kept lr* = A * N**alpha * D**beta, B* = B * D**gamma"
    )


def test_named_forms_win_over_auto_and_auto_can_be_asked_for_one_law() -> None:
    frame = sweep(33, delta=-0.3)
    assert fit_hparams(frame, seq_len=SEQ_LEN, bootstrap=0, law="steplaw").law_choice is None
    fixed_b = fit_hparams(frame, seq_len=SEQ_LEN, bootstrap=0, batch_law="B * D**gamma")
    assert fixed_b.law_choice is not None and fixed_b.batch_law is not None
    assert fixed_b.batch_law.formula == "B * D**gamma"
    assert [b for _, b in fixed_b.law_choice.candidates] == ["B * D**gamma"] * 2
    only_b = fit_hparams(frame, seq_len=SEQ_LEN, bootstrap=0, law="steplaw", batch_law="auto")
    assert only_b.law_choice is not None and len(only_b.law_choice.candidates) == 3
    assert only_b.lr_law.formula == STEP[0] and only_b.law_choice.batch_law == WITH_N[1]
    with pytest.raises(ConfigError, match="the laws are auto, steplaw, compute"):
        fit_hparams(frame, law="chinchilla", bootstrap=0)


def test_a_sweep_of_lr_alone_chooses_among_lr_forms_only() -> None:
    frame = sweep(34)
    one_bs = frame.groupby(["params", "tokens"])["bs"].transform(lambda b: sorted(b.unique())[4])
    hp = fit_hparams(frame[frame["bs"] == one_bs], seq_len=SEQ_LEN, bootstrap=0)
    assert hp.batch_law is None and hp.law_choice is not None
    assert hp.law_choice.candidates == tuple((lr, None) for lr in LR_CANDIDATES)
    assert hp.law_choice.lr_law == STEP[0] and hp.law_choice.batch_law is None


def test_the_choice_round_trips_through_json(tmp_path: Path) -> None:
    hp = fit_hparams(sweep(35), seq_len=SEQ_LEN, bootstrap=20)
    hp.save(tmp_path / "hp.json")
    again = HparamFit.load(tmp_path / "hp.json")
    assert again.law_choice == hp.law_choice and again.law_choice is not None
    data = json.loads((tmp_path / "hp.json").read_text())
    assert data["settings"]["law"] == "auto"
    assert data["law_choice"]["candidates"][0] == {
        "lr_law": STEP[0],
        "batch_law": STEP[1],
        "n_coefs": 5,
        "median_regret": hp.law_choice.median_regret[0],  # type: ignore[union-attr]
    }
    # a score that is not finite is saved as null and read back as nan; older files: none
    odd = HparamLawChoice(*STEP, (STEP,), (5,), (math.inf,), (1.0, 2.0, 3.0), 9, "r", "v")
    back = HparamLawChoice.from_dict(odd.to_dict())
    assert back.chose and math.isnan(back.median_regret[0])
    del data["law_choice"]
    (tmp_path / "old.json").write_text(json.dumps(data))
    assert HparamFit.load(tmp_path / "old.json").law_choice is None


def test_the_backtest_chooses_on_its_training_cells_only() -> None:
    bt = backtest_hparams(sweep(36, delta=-0.3), holdout="top-scales:1", seq_len=SEQ_LEN)
    assert bt.law_choice is not None and bt.law_choice.sizes == (1e8, 2e8, 4e8)
    assert bt.law_choice.batch_law == WITH_N[1]
    named = backtest_hparams(
        sweep(36, delta=-0.3), holdout="top-scales:1", seq_len=SEQ_LEN, law="steplaw"
    )
    assert named.law_choice is None
    assert bt.summary("scalinglab")["median_regret"] < named.summary("scalinglab")["median_regret"]


def test_the_cli_prints_and_records_the_choice(
    capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    path = tmp_path / "sweep.csv"
    sweep(37, delta=-0.3).to_csv(path, index=False)
    code = main(["hparams", "fit", str(path), "--seq-len", "2048", "--bootstrap", "20"])
    out, err = capsys.readouterr()
    assert code == 0, err
    assert "law choice on the fitted cells: leave-one-size-out over 4 model sizes" in out
    assert (
        "law choice: chose lr* = A * N**alpha * D**beta, B* = B * N**delta * D**gamma: the "
        "lowest median held-out regret, " in out
    )
    code = main(["hparams", "backtest", str(path), "--seq-len", "2048", "--json"])
    out, err = capsys.readouterr()
    assert code == 0, err
    data = json.loads(out)
    assert data["law_choice"]["batch_law"] == WITH_N[1] and len(data["law_choice"]["sizes"]) == 3
    code = main(["hparams", "backtest", str(path), "--seq-len", "2048", "--law", "steplaw"])
    out, _ = capsys.readouterr()
    assert code == 0 and "law choice" not in out
    frame = pd.read_csv(path)
    few = tmp_path / "few.csv"
    frame[frame["params"] <= 2e8].to_csv(few, index=False)
    code = main(["hparams", "fit", str(few), "--seq-len", "2048", "--bootstrap", "0"])
    out, _ = capsys.readouterr()
    assert code == 0 and "law choice: no choice of law: 2 model sizes" in out


def test_a_prediction_far_beyond_the_cells_says_so_and_names_the_chosen_forms() -> None:
    # cells of N = 1e8 .. 8e8: 7B is log10(7e9 / 8e8) = 0.94 decades above (inside), 20B 1.40
    hp = fit_hparams(sweep(11, delta=-0.3), seq_len=SEQ_LEN, bootstrap=0)
    inside = hp.predict(params=7e9, tokens=4e10)
    assert inside.warnings == ()
    far = hp.predict(params=2e10, tokens=4e10)
    (line,) = far.warnings
    assert line.startswith(
        f"N = 20B is {math.log10(2e10 / 8e8):.2f} decades above the largest fitted N, 800M"
    )
    assert "forms were chosen on these cells alone" in line
    assert far.to_dict()["warnings"] == [line]
    below = hp.predict(params=5e6, tokens=4e10).warnings
    assert below and f"{math.log10(1e8 / 5e6):.2f} decades below the smallest fitted N" in below[0]
    # Step Law's own forms: the distance, without the line about the choice
    step = fit_hparams(sweep(21), seq_len=SEQ_LEN, bootstrap=0).predict(params=2e10, tokens=4e10)
    assert len(step.warnings) == 1 and "chosen on these cells" not in step.warnings[0]
