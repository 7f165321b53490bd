"""``hparams predict --json`` writes each estimate as ``plan --json`` does: ``lr``,
``lr_lower``, ``lr_upper`` (so ``batch_*``, ``loss_*``) with ``level``; the old
``[lower, upper]`` lists ``lr_interval``, ``batch_interval``, ``loss_interval`` stay beside
them for one release, holding the same numbers."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from tests._cli import cli
from tests._hparam_sweeps import SEQ_LEN, sweep

from scalinglab.hparams import fit_hparams

_NAMES = ("lr", "batch", "loss")


@pytest.fixture(scope="module")
def fit_file(tmp_path_factory: pytest.TempPathFactory) -> Path:
    path = tmp_path_factory.mktemp("hp_flat") / "hp.json"
    fit_hparams(sweep(21), seq_len=SEQ_LEN, bootstrap=40).save(path)
    return path


def test_predict_json_has_flat_bounds_equal_to_the_old_lists(
    capsys: pytest.CaptureFixture[str], fit_file: Path
) -> None:
    args = ("hparams", "predict", "--params", "1B", "--tokens", "20B", "--fit", str(fit_file))
    code, out, err = cli(capsys, *args, "--json", "--level", "0.8")
    assert code == 0, err
    data = json.loads(out)
    assert data["format"] == "scalinglab.hparams_predict/1" and data["level"] == 0.8
    for name in _NAMES:
        lower, upper = data[f"{name}_lower"], data[f"{name}_upper"]
        assert [lower, upper] == data[f"{name}_interval"]  # the old key, kept one release
        assert lower < data[name] < upper  # numbers, bracketing the estimate
    keys = list(data)
    assert keys[keys.index("lr") : keys.index("lr") + 3] == ["lr", "lr_lower", "lr_upper"]


def test_to_dict_follows_the_json(fit_file: Path) -> None:
    from scalinglab.hparams import HparamFit

    pred = HparamFit.load(fit_file).predict(params=1e9, tokens=2e10)
    d = pred.to_dict()
    assert (d["batch_lower"], d["batch_upper"]) == pred.batch_interval
    assert (d["loss_lower"], d["loss_upper"]) == pred.loss_interval
    assert d["lr_interval"] == list(pred.lr_interval)


def test_a_preset_without_intervals_writes_nan_bounds(capsys: pytest.CaptureFixture[str]) -> None:
    args = ("hparams", "predict", "--params", "1B", "--tokens", "20B", "--preset", "steplaw2025")
    code, out, err = cli(capsys, *args, "--json")
    assert code == 0, err
    data = json.loads(out)
    assert data["lr"] > 0 and data["lr_lower"] == data["lr_upper"] == "nan"
    assert data["lr_interval"] == ["nan", "nan"]
