"""A curve backtest of a one-size law that holds out curves of another size says so (text,
JSON, the report, and Python's ``CurveBacktest.warnings``, which lacked it: it was in
``bt.fit.warnings`` alone): it scored them with no warning, their errors the size gap, not the
schedules, where ``curves fit`` warns of curves of several sizes under one law."""

from __future__ import annotations

import json
from pathlib import Path

import pandas as pd
import pytest
from tests.test_curves_notes import sized_curves

from scalinglab.cli import main
from scalinglab.curves import backtest_curves

SAID = (
    "3 held-out curves of 100M (1e+08-cosine, 1e+08-consta, 1e+08-multis) are predicted "
    "by one tissue law fitted on curves of 25M, as if of that size: their errors measure the "
    "size gap, not the schedules; backtest across sizes with --law sized:tissue (L0 and A as powers of N) "
    "and training curves of each size, or hold out curves of the fitted size alone"
)


@pytest.mark.heavy  # 1.3 s in the suite on a 2-core AMD EPYC
def test_held_out_curves_of_a_size_not_fitted_are_warned_of(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    curves = sized_curves()[0]  # 2.5e+07-cosine, -consta, -multis; 1e+08-...
    train = ["2.5e+07-cosine", "2.5e+07-consta"]
    one = backtest_curves(curves[:3], train=train, law="tissue")  # one size: nothing to say
    assert not any("held-out curve" in w for w in one.warnings)
    gap = backtest_curves(curves, train=train, law="tissue")
    # the backtest's own: its fit's warnings, then the size gap; the fit itself is sound
    assert gap.warnings == (*gap.fit.warnings, SAID) and SAID not in gap.fit.warnings
    assert gap.own_warnings() == (SAID,) and gap.to_dict()["warnings"] == list(gap.warnings)
    assert repr(gap).endswith(f", {len(gap.warnings)} warning{'s' * (len(gap.warnings) > 1)})")
    each = [*train, "1e+08-cosine", "1e+08-consta"]
    sized = backtest_curves(curves, train=each, law="sized:tissue")
    assert not any("held-out curve" in w for w in sized.warnings)
    path = tmp_path / "sized.csv"
    pd.concat(
        pd.DataFrame({"run": c.run, "step": c.step, "lr": c.schedule.lr[c.step], "loss": c.loss,
                      "params": c.params})
        for c in curves
    ).to_csv(path, index=False)  # fmt: skip
    args = ["curves", "backtest", str(path), "--law", "tissue", "--train", ",".join(train)]
    assert main(args) == 0
    assert f"warning: {SAID}" in " ".join(capsys.readouterr().out.split())
    assert main([*args, "--json"]) == 0
    assert SAID in json.loads(capsys.readouterr().out)["warnings"]
    page = tmp_path / "r.html"
    args = ["report", str(path), "--curves", "--curve-law", "tissue", "--train", ",".join(train)]
    assert main([*args, "--bootstrap", "0", "--out", str(page)]) == 0
    assert f"warning: {SAID}" in " ".join(capsys.readouterr().err.split())
    assert "held-out curves of 100M" in page.read_text()
