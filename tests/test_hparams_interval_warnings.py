"""An hparams law's coefficient whose bootstrap interval spans decades is warned of, by the
rule a loss fit uses (``fit._spans.identified``), and every reading carries it: ``hparams
fit``, ``hparams predict --fit``, ``plan --hparams``. One whose span is at the edge of the
two decades within its ends' seed-to-seed error is a note at every seed, as in a loss fit."""

from __future__ import annotations

import json
import math
from pathlib import Path

import numpy as np
import pytest
from tests.conftest import SHARED

from scalinglab._hparams_numbers import coef
from scalinglab.cli import main
from scalinglab.hparams import fit_hparams
from scalinglab.hparams._carried import carried_warnings
from scalinglab.hparams._laws import HparamLaw
from scalinglab.hparams._raw_loss import raw_loss_lines, raw_loss_note
from scalinglab.hparams._unidentified import interval_lines

STEPLAW_CSV = SHARED / "steplaw" / "dense_lr_bs_loss.dev.csv"


def _law(intervals: dict[str, tuple[float, float]], samples: np.ndarray | None = None) -> HparamLaw:
    return HparamLaw(
        target="lr", formula="A * N**alpha * D**beta",
        coefs={"A": 6.3e4, "alpha": -1.0, "beta": 0.13}, intervals=intervals,
        samples=np.ones((20, 3)) if samples is None else samples, level=0.9,
        status="converged", n_cells=11,
    )  # fmt: skip


def _drawn(seed: int, collapsed: float) -> HparamLaw:
    """An lr* law from 200 resamples, a ``collapsed`` share of whose A fell to ~1e-3 (six
    decades under the rest), its intervals their percentiles as ``fit_law`` takes them."""
    rng = np.random.default_rng(seed)
    a = np.exp(rng.normal(np.log(6.3e4), 0.3, 200))
    a[rng.random(200) < collapsed] = 1e-3
    samples = np.column_stack([a, rng.normal(-1.0, 0.05, 200), rng.normal(0.13, 0.02, 200)])
    q = np.percentile(samples, [5, 95], axis=0)
    names = ("A", "alpha", "beta")
    return _law({n: (float(q[0, j]), float(q[1, j])) for j, n in enumerate(names)}, samples)


def test_a_coefficient_spanning_decades_is_warned_and_a_tight_one_not() -> None:
    wide = _law({"A": (508.3, 3.679e33), "alpha": (-1.3, -0.8), "beta": (0.08, 0.25)})
    assert interval_lines(wide, None) == (
        ["the lr* law's A is not identified: its interval [508.3, 3.679e33] spans 30.9 decades"],
        [],
    )
    # 1.9 decades: under MAX_DECADES; an exponent's interval (not positive) is never judged
    tight = _law({"A": (1.0, 80.0), "alpha": (-100.0, 100.0), "beta": (0.08, 0.25)})
    assert interval_lines(tight) == ([], [])
    nan = _law(dict.fromkeys(("A", "alpha", "beta"), (math.nan, math.nan)))  # no bootstrap
    assert interval_lines(nan) == ([], [])


def test_a_span_at_the_edge_is_a_note_at_every_seed_where_its_ends_would_flip() -> None:
    # 5% of resamples collapsed, the 5% that sets a 90% interval's lower end: by its ends
    # alone the interval spans 7 decades at some seeds and 0.6 at others
    laws = [_drawn(seed, 0.05) for seed in range(8)]
    ends = [iv["A"][1] / iv["A"][0] >= 100 for iv in (f.intervals for f in laws)]
    assert set(ends) == {True, False}
    for f in laws:
        warnings, notes = interval_lines(f)
        assert warnings == [] and len(notes) == 1, (warnings, notes)
        lo, hi = f.intervals["A"]
        assert notes[0].startswith(
            f"the lr* law's A is at the edge of identified: its 90% interval [{coef(lo)}, "
            f"{coef(hi)}] spans "
        )
        assert notes[0].endswith(
            "decades within its ends' seed-to-seed error at 200 resamples, around the 2 that "
            "warn; the seed would decide, so it is not warned of (more runs narrow it)"
        )


def test_a_clearly_unidentified_coefficient_warns_at_every_seed() -> None:
    for seed in range(4):  # 20% collapsed: the lower end lies among them at any likely seed
        f = _drawn(seed, 0.2)
        lo, hi = f.intervals["A"]
        assert interval_lines(f) == (
            [
                f"the lr* law's A is not identified: its interval [{coef(lo)}, {coef(hi)}] spans "
                f"{math.log10(hi / lo):.1f} decades"
            ],
            [],
        )


@pytest.mark.skipif(not STEPLAW_CSV.exists(), reason=f"no shared sweeps at {STEPLAW_CSV}")
def test_the_raw_loss_fit_warns_and_its_readings_carry_it(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    hp = fit_hparams(STEPLAW_CSV, law="steplaw", bootstrap=20)
    said = [w for w in hp.warnings if " law's " in w]
    assert said == [
        "the lr* law's A is not identified: its interval [508.3, 3.679e33] spans 30.9 decades",
        "the B* law's B is not identified: its interval [3.385e-4, 178.8] spans 5.7 decades",
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
