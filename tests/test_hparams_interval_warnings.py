"""An hparams law's coefficient whose bootstrap interval spans decades is warned of, by the
rule a loss fit uses (``fit._diagnostics.unidentified``), and every reading carries it:
``hparams fit``, ``hparams predict --fit``, ``plan --hparams``."""

from __future__ import annotations

import json
import math
from pathlib import Path

import numpy as np
import pytest
from tests.conftest import SHARED

from scalinglab.cli import main
from scalinglab.hparams import fit_hparams
from scalinglab.hparams._carried import carried_warnings
from scalinglab.hparams._laws import HparamLaw
from scalinglab.hparams._raw_loss import raw_loss_lines, raw_loss_note
from scalinglab.hparams._unidentified import interval_warnings

STEPLAW_CSV = SHARED / "steplaw" / "dense_lr_bs_loss.dev.csv"


def _law(intervals: dict[str, tuple[float, float]]) -> HparamLaw:
    return HparamLaw(
        target="lr", formula="A * N**alpha * D**beta",
        coefs={"A": 6.3e4, "alpha": -1.0, "beta": 0.13}, intervals=intervals,
        samples=np.ones((20, 3)), level=0.9, status="converged", n_cells=11,
    )  # fmt: skip


def test_a_coefficient_spanning_decades_is_warned_and_a_tight_one_not() -> None:
    wide = _law({"A": (508.3, 3.679e33), "alpha": (-1.3, -0.8), "beta": (0.08, 0.25)})
    assert interval_warnings(wide, None) == [
        "the lr* law's A is not identified: its interval [508, 3.68e+33] spans 30.9 decades"
    ]
    # 1.9 decades: under MAX_DECADES; an exponent's interval (not positive) is never judged
    tight = _law({"A": (1.0, 80.0), "alpha": (-100.0, 100.0), "beta": (0.08, 0.25)})
    assert interval_warnings(tight) == []
    nan = _law(dict.fromkeys(("A", "alpha", "beta"), (math.nan, math.nan)))  # no bootstrap
    assert interval_warnings(nan) == []


@pytest.mark.skipif(not STEPLAW_CSV.exists(), reason=f"no shared sweeps at {STEPLAW_CSV}")
def test_the_raw_loss_fit_warns_and_its_readings_carry_it(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    hp = fit_hparams(STEPLAW_CSV, law="steplaw", bootstrap=20)
    said = [w for w in hp.warnings if " law's " in w]
    assert said == [
        "the lr* law's A is not identified: its interval [508, 3.68e+33] spans 30.9 decades",
        "the B* law's B is not identified: its interval [0.000338, 179] spans 5.7 decades",
    ]
    assert set(said) <= set(carried_warnings(hp))
    assert set(said) <= set(hp.predict(params=4e8, tokens=4e10).warnings)
    # four cells flagged on the raw loss beside 'smooth loss': the line naming it is a warning
    assert (
        "4 of 15 cells flagged (N=215M D=4B, N=215M D=11.4B, N=215M D=100B, N=268M D=14.2B) "
        "with optima located on the raw final loss, whose noise can break a cell's surface; "
        "the sweep also has 'smooth loss', a smoothed loss that locates them with less noise: "
        "--y 'smooth loss'"
    ) in hp.warnings
    assert not any(n.startswith("optima located on the raw final loss") for n in hp.notes)
    path = tmp_path / "hp.json"
    hp.save(path)
    plan = ["plan", "--compute", "1e21", "--preset", "hoffmann2022", "--hparams", str(path)]
    assert main([*plan, "--json"]) == 0
    data = json.loads(capsys.readouterr().out)
    assert set(said) <= set(data["hparams"]["warnings"])


def test_the_raw_loss_line_stays_a_note_where_no_cell_is_flagged() -> None:
    note = raw_loss_note("smooth loss")
    assert raw_loss_lines(["a", note], [], 15) == (["a", note], [])
    notes, warned = raw_loss_lines(["a", note], ["N=1M D=1B"], 3)
    assert notes == ["a"] and warned[0].startswith("1 of 3 cells flagged (N=1M D=1B) with ")
    assert raw_loss_lines(["a"], ["N=1M D=1B"], 3) == (["a"], [])  # smoothed loss used
