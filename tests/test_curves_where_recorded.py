""":attr:`CurveFit.where` is ``None`` where it is not recorded, as :attr:`FitResult.where`
is: curves given to ``fit_curves`` or ``backtest_curves`` read already (a selection made
when they were read is not known there), and files written before it was; ``{}`` says every
run of what was read, as a fit of paths, or ``curves fit`` without ``--where``, records it."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from tests._cli import cli
from tests.test_curves import SPECS, _synthetic

from scalinglab import fit_curves, read_lr_curves
from scalinglab.curves import CurveFit, Tissue, backtest_curves
from scalinglab.curves._report_parts import data_html

TRUTH = {"L0": 2.8, "A": 0.6, "alpha": 0.45, "C": 0.8}


@pytest.fixture(scope="module")
def curves_csv(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """Four curves of one corpus, in one file."""
    rows = []
    for c in _synthetic(Tissue(), TRUTH, SPECS, noise=1e-3, seed=4, every=50):
        rows += [f"{c.run},c4,{k},{c.schedule.lr[k]},{v}"
                 for k, v in zip(c.step, c.loss, strict=True)]  # fmt: skip
    path = tmp_path_factory.mktemp("recorded") / "curves.csv"
    path.write_text("run,dataset,step,lr,loss\n" + "\n".join(rows) + "\n")
    return path


def test_where_is_none_where_not_recorded(
    capsys: pytest.CaptureFixture[str], curves_csv: Path, tmp_path: Path
) -> None:
    curves = read_lr_curves(str(curves_csv), where={"dataset": "c4"})
    given = fit_curves(curves, law="tissue", bootstrap=0)
    assert given.where is None and given.source is None  # their reading is not known here
    assert backtest_curves(curves, train=["run0", "run1", "run2"], law="tissue").fit.where is None
    read = fit_curves(str(curves_csv), law="tissue", bootstrap=0)
    assert read.where == {}  # read here, with no condition: every run
    kept = backtest_curves(str(curves_csv), train=["run0", "run1", "run2"], law="tissue",
                           where={"dataset": "c4"})  # fmt: skip
    assert kept.fit.where == {"dataset": "c4"}
    given.save(tmp_path / "given.json")
    saved = json.loads((tmp_path / "given.json").read_text())
    assert saved["where"] is None and CurveFit.load(tmp_path / "given.json").where is None
    read.save(tmp_path / "read.json")
    older = json.loads((tmp_path / "read.json").read_text())
    assert older["where"] == {} and CurveFit.load(tmp_path / "read.json").where == {}
    del older["where"]  # a file from before fits recorded it
    (tmp_path / "older.json").write_text(json.dumps(older))
    assert CurveFit.load(tmp_path / "older.json").where is None
    # the curves page's data line: no selection claimed where none is known
    assert f"4 curves read from {curves_csv}:" in data_html(curves, given, held_out=())
    code, out, err = cli(capsys, "curves", "fit", str(curves_csv), "--law", "tissue",
                         "--bootstrap", "0", "--json")  # fmt: skip
    assert code == 0 and json.loads(out)["where"] == {}, err
    code, out, err = cli(capsys, "curves", "backtest", str(curves_csv), "--train",
                         "run0,run1,run2", "--law", "tissue", "--json")  # fmt: skip
    assert code == 0 and json.loads(out)["where"] == {}, err
