"""``multipower-after-warmup`` is defined from the end of warm-up: a fit of curves logged
during it leaves those points out with a note (it stopped with "got step 50", naming no run,
file or remedy), and a curve with no point after it is named."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest
from tests.test_curves_warmup_rule import logged_from_warmup

from scalinglab import ConfigError, parse_schedule
from scalinglab.cli import main
from scalinglab.curves import Curve, fit_curves, read_lr_curves


@pytest.mark.heavy
def test_points_logged_during_warmup_are_left_out_with_a_note(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    path = logged_from_warmup(tmp_path / "curves.csv")  # steps 50, 100, 150 of 200 warm
    curves = read_lr_curves(path)
    fit = fit_curves(curves, law="multipower-after-warmup", bootstrap=0)
    assert fit.status == "converged"
    assert len(fit.residuals) == sum(len(c) for c in curves) - 9
    said = (
        "9 points logged during the warm-up (before step 200) left out: "
        "multipower-after-warmup is defined from its end (multipower counts the warm-up)"
    )
    assert fit.notes[0] == said
    assert not any("left out" in n for n in fit_curves(curves, law="tissue", bootstrap=0).notes)
    args = ["curves", "fit", str(path), "--law", "multipower-after-warmup", "--bootstrap", "0"]
    assert main(args) == 0
    assert f"note: {said}" in " ".join(capsys.readouterr().out.split())


def test_a_curve_logged_within_its_warmup_alone_is_named(tmp_path: Path) -> None:
    curves = read_lr_curves(logged_from_warmup(tmp_path / "curves.csv"))
    # a run of a spec's schedule, stopped inside its warm-up
    early = Curve("early", np.array([50, 100, 150]), np.array([9.0, 8.0, 7.0]),
                  parse_schedule("constant:peak=1e-3,warmup=200,steps=4000"), source="x.csv")  # fmt: skip
    with pytest.raises(ConfigError) as err:
        fit_curves([*curves, early], law="multipower-after-warmup", bootstrap=0)
    assert "run 'early' (x.csv) logs no point after its 200-step warm-up" in str(err.value)
    assert "--law multipower" in err.value.hint
