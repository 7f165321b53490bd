"""``Prediction.to_dict()`` is what ``predict --json`` holds of a prediction (the README says
so): the point's variables, loss, interval, distance and width_from, flat for one point and
as ``points`` for several; and a loss-to-loss prediction says which term set its width."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from tests._cli import cli
from tests.test_loss2loss_coverage import synthetic_runs

import scalinglab
from scalinglab import fit_loss_to_loss, read_runs


@pytest.fixture(scope="module")
def fit_file(tmp_path_factory: pytest.TempPathFactory) -> Path:
    path = tmp_path_factory.mktemp("pred") / "fit.json"
    scalinglab.fit("chinchilla", scalinglab.simulated_runs(), bootstrap=20).save(path)
    return path


def _cli_json(capsys: pytest.CaptureFixture[str], *args: str) -> dict[str, object]:
    code, out, err = cli(capsys, "predict", *args, "--json")
    assert code == 0, err
    data = dict(json.loads(out))
    assert data.pop("format") == "scalinglab.predict/1"
    for key in ("source", "warnings"):  # the fit's, beside the prediction
        data.pop(key)
    return data


def test_to_dict_is_the_predict_json(capsys: pytest.CaptureFixture[str], fit_file: Path) -> None:
    result = scalinglab.FitResult.load(fit_file)
    many = result.predict(params=["1B", 7e9], tokens=1.4e11).to_dict()
    # was column lists without params or tokens: {"loss": [...], "lower": [...], ...}
    assert list(many) == ["points", "level", "noise", "interval_kind", "max_level", "notes"]
    assert [(p["params"], p["tokens"]) for p in many["points"]] == [(1e9, 1.4e11), (7e9, 1.4e11)]
    assert list(many["points"][0]) == [
        "params", "tokens", "loss", "loss_lower", "loss_upper", "lower", "upper", "distance",
        "below", "width_from",
    ]  # fmt: skip
    assert _cli_json(capsys, "--fit", str(fit_file), "--params", "1B,7B", "--tokens",
                     "140B") == many  # fmt: skip
    one = result.predict(params=7e9, tokens=1.4e11).to_dict()
    assert (one["params"], one["tokens"]) == (7e9, 1.4e11) and "points" not in one
    assert _cli_json(capsys, "--fit", str(fit_file), "--params", "7B", "--tokens", "140B") == one


@pytest.mark.heavy  # 2.6 s in the suite on a 2-core AMD EPYC
def test_a_loss_to_loss_prediction_says_which_term_set_its_width() -> None:
    l2l = fit_loss_to_loss(read_runs(synthetic_runs(100)), x="loss", y="loss_other", bootstrap=20)
    pred = l2l.predict([3.0, 3.3], level=0.9)["all"]
    inner = l2l.fits["all"].predict(L=[3.0, 3.3], level=0.9)
    assert inner.width_from is not None and pred.width_from is not None
    assert pred.width_from.tolist() == inner.width_from.tolist() == ["noise-floor"] * 2
    assert pred.to_dict()["width_from"] == ["noise-floor", "noise-floor"]
    assert any("the run-to-run noise's own" in n for n in pred.notes)  # what sets it, said
