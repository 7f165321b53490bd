"""``--level`` where nothing has an interval to set is said to have no effect, as a backtest
with no bootstrap says its coverage is not scored: ``plan --preset`` (a point estimate),
``plan --fit`` of a fit with no bootstrap, ``isoflop --bootstrap 0``; a ``plan --hparams``
fit's lr* and B* take it, so no such note there."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from tests._cli import cli
from tests._hparam_sweeps import SEQ_LEN, sweep
from tests.conftest import isoflop_runs

from scalinglab.hparams import fit_hparams
from scalinglab.validate import isoflop

_PRESET = "no intervals: a preset is a point estimate"
_ISOFLOP = (
    "no intervals: with no bootstrap (bootstrap=0, --bootstrap 0) each budget's optimum and "
    "the laws across budgets are points, so level (--level) has no effect"
)


def test_plan_preset_says_level_has_no_effect(capsys: pytest.CaptureFixture[str]) -> None:
    args = ("plan", "--preset", "hoffmann2022", "--compute", "1e22")
    code, out, err = cli(capsys, *args, "--level", "0.5")
    assert code == 0, err
    assert f"{_PRESET}, so --level 0.5 has no effect" in out
    code, out, err = cli(capsys, *args, "--level", "0.5", "--json")
    assert code == 0
    assert json.loads(out)["notes"] == [f"{_PRESET}, so --level 0.5 has no effect"]
    assert f"note: {_PRESET}, so --level 0.5 has no effect" in err
    code, out, _ = cli(capsys, *args)  # no --level: no level to speak of
    assert code == 0 and _PRESET in out and "--level" not in out


def test_plan_fit_without_bootstrap_says_level_has_no_effect(
    capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    path = tmp_path / "fit.json"
    code, _, err = cli(capsys, "fit", "--bootstrap", "0", "--out", str(path))
    assert code == 0, err
    code, out, err = cli(capsys, "plan", "--fit", str(path), "--compute", "1e22", "--level", "0.8")
    assert code == 0, err
    assert (
        "no intervals: the fit has no bootstrap (fit with --bootstrap N), so --level 0.8 has "
        "no effect" in " ".join(out.split())
    )


def test_plan_hparams_fit_takes_level(capsys: pytest.CaptureFixture[str], tmp_path: Path) -> None:
    path = tmp_path / "hp.json"
    fit_hparams(sweep(5), seq_len=SEQ_LEN, bootstrap=20).save(path)
    args = ("--preset", "epoch2024", "--hparams", str(path), "--level", "0.5", "--json")
    code, out, err = cli(capsys, "plan", "--compute", "1e21", *args)
    assert code == 0, err
    data = json.loads(out)
    assert data["notes"] == [_PRESET]  # the lr* and B* intervals are at 50%
    assert data["hparams"]["level"] == 0.5


def test_isoflop_without_bootstrap_says_level_has_no_effect(
    capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    runs = isoflop_runs(seed=0)
    assert isoflop(runs, bootstrap=0).notes[-1] == _ISOFLOP
    assert _ISOFLOP not in isoflop(runs, bootstrap=50).notes
    path = tmp_path / "iso.csv"
    runs.to_csv(path, index=False)
    code, out, err = cli(capsys, "isoflop", str(path), "--bootstrap", "0", "--level", "0.5")
    assert code == 0, err
    assert f"note: {_ISOFLOP}" in " ".join(out.split())


_PREDICT = "no intervals: a preset is a point estimate (its paper's values, no bootstrap)"


def test_predict_preset_says_level_has_no_effect(capsys: pytest.CaptureFixture[str]) -> None:
    """``predict --preset --level`` took the level and ignored it, silently."""
    args = ("predict", "--preset", "hoffmann2022", "--params", "70B", "--tokens", "1.4T")
    said = f"{_PREDICT}, so --level 0.9 has no effect"
    code, out, err = cli(capsys, *args, "--level", "0.9")
    assert code == 0, err
    assert said in " ".join(out.split())
    code, out, err = cli(capsys, *args, "--level", "0.9", "--json")
    assert code == 0, err
    assert json.loads(out)["notes"] == [said]
    assert f"note: {said}" in " ".join(err.split())
    code, out, _ = cli(capsys, *args)  # no --level: no level to speak of
    assert code == 0 and _PREDICT in out and "--level" not in out
    code, out, _ = cli(capsys, *args, "--json")
    assert json.loads(out)["notes"] == []


def test_predict_fit_without_bootstrap_says_level_has_no_effect(
    capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    path = tmp_path / "fit.json"
    code, _, err = cli(capsys, "fit", "--bootstrap", "0", "--out", str(path))
    assert code == 0, err
    args = ("predict", "--fit", str(path), "--params", "1B", "--tokens", "20B", "--level", "0.8")
    code, out, err = cli(capsys, *args)
    assert code == 0, err
    assert (
        "no intervals: the fit has no bootstrap (fit with --bootstrap N), so --level 0.8 has "
        "no effect" in " ".join(out.split())
    )
