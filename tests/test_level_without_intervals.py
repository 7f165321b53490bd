"""``--level`` where nothing has an interval to set is said to have no effect, as a backtest
with no bootstrap says its coverage is not scored: ``plan --preset`` (a point estimate),
``plan --fit`` of a fit with no bootstrap, ``isoflop --bootstrap 0``; ``fit``, ``curves fit``
and ``envelope`` with ``--bootstrap 0``, in the words ``plan`` uses
(:mod:`scalinglab.cli._level_unused`), and nothing where no ``--level`` is given; a
``plan --hparams`` fit's lr* and B* take it, so no such note there."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from tests._chinchilla_draws import HOFFMANN, law_curves
from tests._cli import cli
from tests._hparam_sweeps import SEQ_LEN, sweep
from tests.conftest import isoflop_runs
from tests.test_cli_curves import _write_curves
from tests.test_curves import MPL_TRUE, SPECS, _synthetic

from scalinglab.curves import MultiPower
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
        "no intervals: the fit was made with no bootstrap (--bootstrap 0), so --level 0.8 has "
        "no effect; refit with scalinglab fit --bootstrap 200" in " ".join(out.split())
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
    said = "no intervals: no bootstrap was asked (--bootstrap 0), so --level 0.5 has no effect"
    assert f"note: {said}" in " ".join(out.split()) and _ISOFLOP not in " ".join(out.split())
    code, out, err = cli(capsys, "isoflop", str(path), "--bootstrap", "0")  # no --level
    assert code == 0 and "no effect" not in out + err, err


def test_hparams_fit_says_level_has_no_effect(
    capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    path = tmp_path / "sweep.csv"
    sweep(5).to_csv(path, index=False)
    args = ("hparams", "fit", str(path), "--seq-len", str(SEQ_LEN), "--bootstrap", "0")
    code, out, err = cli(capsys, *args, "--level", "0.8")
    assert code == 0, err
    said = _asking(NO_INTERVALS, 1000)  # hparams fit's default
    assert said in " ".join(out.split())
    code, out, err = cli(capsys, *args, "--level", "0.8", "--json")
    assert code == 0 and f"note: {said}" in " ".join(err.split())
    code, out, err = cli(capsys, *args)
    assert code == 0 and "no effect" not in out + err


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
        "no intervals: the fit was made with no bootstrap (--bootstrap 0), so --level 0.8 has "
        "no effect; refit with scalinglab fit --bootstrap 200" in " ".join(out.split())
    )


UNUSED = ", so --level 0.8 has no effect"
NO_LEVEL = "no intervals: no bootstrap was asked (--bootstrap 0); run with --bootstrap 200"
NO_INTERVALS = (
    "no intervals: no bootstrap was asked (--bootstrap 0)" + UNUSED + "; run with --bootstrap 200"
)


def _asking(line: str, n: int) -> str:
    """``line`` asking for ``n`` resamples, a command's own default, not fit's 200."""
    return line.replace("--bootstrap 200", f"--bootstrap {n}")


def test_fit_says_level_has_no_effect(capsys: pytest.CaptureFixture[str]) -> None:
    code, out, err = cli(capsys, "fit", "--bootstrap", "0", "--level", "0.8", one_line=True)
    assert code == 0, err
    assert NO_INTERVALS in " ".join(out.split())
    code, out, err = cli(capsys, "fit", "--bootstrap", "0", "--level", "0.8", "--json")
    assert code == 0 and json.loads(out)["n_bootstrap"] == 0
    assert f"note: {NO_INTERVALS}" in " ".join(err.split())
    code, out, _ = cli(capsys, "fit", "--bootstrap", "0")
    assert f"{NO_LEVEL}\n" in out and "--level" not in out


def test_curves_fit_says_level_has_no_effect(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    curves = _synthetic(MultiPower(), MPL_TRUE, SPECS[:3], noise=0, seed=0, every=100)
    path = _write_curves(tmp_path / "c.csv", curves)
    args = ("curves", "fit", path, "--law", "tissue", "--warmup", "200", "--bootstrap", "0")
    for json_args in ((), ("--json",)):
        code, out, err = cli(capsys, *args, "--level", "0.8", *json_args, one_line=True)
        assert code == 0, err
        lines = err if json_args else " ".join(out.split())
        assert f"note: {_asking(NO_INTERVALS, 100)}" in lines  # curves fit's default
    code, out, err = cli(capsys, *args)  # no --level: why there are none, all the same
    assert code == 0 and "no effect" not in out + err
    assert f"note: {_asking(NO_LEVEL, 100)}" in " ".join(out.split())


def test_envelope_says_level_has_no_effect(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    frame = law_curves(HOFFMANN, noise=0.0, sizes=16)
    frame.to_csv(tmp_path / "curves.csv", index=False)
    args = ("envelope", str(tmp_path / "curves.csv"), "--bootstrap", "0")
    code, out, err = cli(capsys, *args, "--level", "0.8")
    assert code == 0, err
    said = _asking(NO_INTERVALS, 1000)  # envelope's default
    assert f"note: {said}" in " ".join(out.split())
    code, out, err = cli(capsys, *args, "--level", "0.8", "--json", one_line=True)
    assert code == 0 and json.loads(out)["n_bootstrap"] == 0
    assert f"note: {said}" in err
    code, out, err = cli(capsys, *args)
    assert code == 0 and "no effect" not in out + err
    assert out.splitlines()[-1] == f"note: {_asking(NO_LEVEL, 1000)}"
    code, out, err = cli(capsys, *args, "--at", "1e21", "--level", "0.8")
    assert code == 0, err
    assert " ".join(out.split()).count("has no effect") == 1
