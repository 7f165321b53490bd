"""A saved curve fit records how it was fitted: ``robust_loss`` (its name as fit records
it), ``delta`` and ``max_iter`` (``curves fit --robust-loss/--delta/--max-iter``), so a
fit made with ``--robust-loss squared`` is told apart from the default's; older files load
with ``None`` (not recorded). An hparams fit records its ``--robust-loss`` and ``--delta``
in its settings, read back from its file."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from tests._cli import cli
from tests._hparam_sweeps import sweep
from tests.test_cli_curves import _write_curves
from tests.test_curves import SPECS, _synthetic

from scalinglab import CurveFit, HparamFit
from scalinglab._errors import DataError
from scalinglab.curves import Tissue


@pytest.fixture(scope="module")
def curves_csv(tmp_path_factory: pytest.TempPathFactory) -> Path:
    truth = {"L0": 2.8, "A": 0.6, "alpha": 0.45, "C": 0.8}
    curves = _synthetic(Tissue(), truth, SPECS[:3], noise=0.002, seed=0, every=100)
    return _write_curves(tmp_path_factory.mktemp("c") / "curves.csv", curves)


def _fit(capsys: pytest.CaptureFixture[str], csv: Path, saved: Path, *more: str) -> dict:
    args = ("--law", "tissue", "--bootstrap", "0", "--out", str(saved), *more)
    code, _, err = cli(capsys, "curves", "fit", str(csv), *args)
    assert code == 0, err
    return json.loads(saved.read_text())


def test_curves_fit_records_its_robust_loss_delta_and_max_iter(
    capsys: pytest.CaptureFixture[str], tmp_path: Path, curves_csv: Path
) -> None:
    default = _fit(capsys, curves_csv, tmp_path / "huber.json")
    assert (default["robust_loss"], default["delta"], default["max_iter"]) == ("huber", 1e-3, 300)
    more = ("--robust-loss", "l2", "--delta", "0.01", "--max-iter", "80")  # l2: squared
    data = _fit(capsys, curves_csv, tmp_path / "squared.json", *more)
    assert (data["robust_loss"], data["delta"], data["max_iter"]) == ("squared", 0.01, 80)
    fit = CurveFit.load(tmp_path / "squared.json")
    assert (fit.robust_loss, fit.delta, fit.max_iter) == ("squared", 0.01, 80)
    assert fit.to_dict()["robust_loss"] == "squared"  # written again as read


def test_an_older_curve_fit_file_loads_them_as_not_recorded(
    capsys: pytest.CaptureFixture[str], tmp_path: Path, curves_csv: Path
) -> None:
    saved = tmp_path / "curve.json"
    data = _fit(capsys, curves_csv, saved)
    for key in ("robust_loss", "delta", "max_iter"):
        del data[key]
    saved.write_text(json.dumps(data))
    old = CurveFit.load(saved)
    assert (old.robust_loss, old.delta, old.max_iter) == (None, None, None)
    assert old.to_dict()["robust_loss"] is None  # not written as the default it may not be
    data["robust_loss"] = "cauchy"  # an edited file: no loss a fit writes
    saved.write_text(json.dumps(data))
    with pytest.raises(DataError) as err:
        CurveFit.load(saved)
    assert "robust_loss 'cauchy' is none of huber, soft_l1, squared" in err.value.message
    assert err.value.source == str(saved)


@pytest.mark.heavy  # 4.5 s in the suite on a 2-core AMD EPYC
def test_hparams_fit_records_its_robust_loss_and_delta(
    capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    path, saved = tmp_path / "sweep.csv", tmp_path / "hp.json"
    sweep(1).to_csv(path, index=False)
    args = ("--bootstrap", "0", "--robust-loss", "soft_l1", "--delta", "0.2", "--out", str(saved))
    code, _, err = cli(capsys, "hparams", "fit", str(path), *args)
    assert code == 0, err
    settings = json.loads(saved.read_text())["settings"]
    assert (settings["robust_loss"], settings["delta"]) == ("soft_l1", 0.2)
    loaded = HparamFit.load(saved).settings
    assert (loaded["robust_loss"], loaded["delta"]) == ("soft_l1", 0.2)
