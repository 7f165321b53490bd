"""What ``downstream predict|plan|backtest`` and ``loss2loss predict`` give back: ``--out``
saving what ``--json`` prints (checked as every ``--out`` is), the backtest's predictions
model by model, several models and targets in one call, a chain without a bootstrap that
still knows how far a model lies past its data, and plan intervals that say what they leave
out."""

from __future__ import annotations

import json
import math
from pathlib import Path

import numpy as np
import pytest
from tests.test_cli_downstream import run
from tests.test_downstream_chain import MULTS, SIZES, models, true_acc

from scalinglab._format import format_g
from scalinglab.cli import main
from scalinglab.downstream import DownstreamFit, backtest_downstream, read_evals

# its module's fixtures: 3.3 s in the suite on a 2-core AMD EPYC, for a few quick tests
pytestmark = pytest.mark.heavy


@pytest.fixture(scope="module")
def files(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Path]:
    folder = tmp_path_factory.mktemp("outputs")
    evals = folder / "evals.csv"
    frame = models(np.random.default_rng(0), SIZES, MULTS)
    # a second predictable task, so that the chain has an average
    frame["acc_task2"] = 0.9 * true_acc(frame["loss"].to_numpy()) + 0.05
    frame.to_csv(evals, index=False)
    out = {"evals": evals}
    for name, n in (("ds", "40"), ("ds0", "0")):
        out[name] = folder / f"{name}.json"
        args = ["downstream", "fit", str(evals), "--bootstrap", n, "--out", str(out[name])]
        assert main(args) == 0
    return out


@pytest.mark.heavy
def test_predict_out_saves_what_json_prints_and_pairs_several_models(
    capsys: pytest.CaptureFixture[str], files: dict[str, Path], tmp_path: Path
) -> None:
    capsys.readouterr()
    base = ["downstream", "predict", "--fit", str(files["ds"])]
    code, printed, err = run(capsys, *base, "--params", "1B,7B", "--tokens", "20B,2T", "--json")
    assert code == 0, err
    both = json.loads(printed)
    saved = tmp_path / "p.json"
    code, out, err = run(
        capsys, *base, "--params", "1B,7B", "--tokens", "20B,2T", "--out", str(saved)
    )
    assert code == 0, err
    assert json.loads(saved.read_text()) == both and f"wrote predictions: {saved}" in out
    assert out.count("params 1B, tokens 20B") == 1 and out.count("params 7B, tokens 2T") == 1
    # one model per pair, each what the single-model call gives
    for model, (n, d) in zip(both["predictions"], (("1B", "20B"), ("7B", "2T")), strict=True):
        code, one, _ = run(capsys, *base, "--params", n, "--tokens", d, "--json")
        single = json.loads(one)
        assert single == {"format": single["format"], "source": both["source"], **model}
    # one value stands for every model; lists of other lengths do not pair up
    code, one_tokens, _ = run(capsys, *base, "--params", "1B,7B", "--tokens", "2T", "--json")
    assert [m["tokens"] for m in json.loads(one_tokens)["predictions"]] == [2e12, 2e12]
    code, _, err = run(capsys, *base, "--params", "1B,7B,70B", "--tokens", "20B,2T")
    assert code == 2 and "--params has 3 values and --tokens has 2" in err
    # never over the chain it reads
    code, _, err = run(
        capsys, *base, "--params", "1B", "--tokens", "20B", "--out", str(files["ds"])
    )
    assert code == 2 and "--out" in err and "--fit" in err
    assert DownstreamFit.load(files["ds"]).n_bootstrap == 40


def test_a_chain_without_bootstrap_knows_how_far_a_model_lies(
    capsys: pytest.CaptureFixture[str], files: dict[str, Path]
) -> None:
    point, boot = DownstreamFit.load(files["ds0"]), DownstreamFit.load(files["ds"])
    far = point.distance(params=7e9, tokens=2e12)
    assert far == pytest.approx(boot.distance(params=7e9, tokens=2e12)) and far > 1
    assert point.distance(params=3e7, tokens=6e8) == 0.0  # inside the fitted models
    assert not any(n.startswith("loss extrapolation error") for n in point.notes)  # unmeasured
    capsys.readouterr()
    base = ["downstream", "predict", "--fit", str(files["ds0"]), "--params", "7B", "--tokens", "2T"]
    code, out, err = run(capsys, *base, "--json")
    assert code == 0, err
    data = json.loads(out)
    assert data["distance"] == pytest.approx(far)
    assert data["warnings"] == [
        *point.warnings,  # the chain's first, as a fit's go before predict's own
        f"x{format_g(10**far, 3)} ({far:.2f} decades) outside the fitted models in N, D, N·D or tokens per parameter: a point "
        "prediction (no bootstrap, no interval) that reads the loss law and the task laws "
        "beyond what they were fitted on",
    ]
    code, out, _ = run(capsys, *base)
    assert "warning: x" in out and "[nan, nan]" not in out
    # no bootstrap: no interval column of dashes, one line that says why
    assert "interval ┃" not in out
    assert "no intervals: the fit was made with no bootstrap (--bootstrap 0)" in out
    code, out, _ = run(capsys, "downstream", "predict", "--fit", str(files["ds"]),
                       "--params", "7B", "--tokens", "2T")  # fmt: skip
    kind = DownstreamFit.load(files["ds"]).predict(params=7e9, tokens=2e12).interval_kind
    assert f"90% {kind} interval ┃" in out  # with a bootstrap the column is there, its kind
    code, out, _ = run(capsys, "downstream", "plan", "--fit", str(files["ds0"]),
                       "--target-accuracy", "task=0.7", "--json")  # fmt: skip
    allocation = json.loads(out)["allocation"]
    assert allocation["distance"] > 0 and allocation["interval_note"] == ""


def test_plan_says_what_its_intervals_are_and_takes_targets_comma_separated(
    capsys: pytest.CaptureFixture[str], files: dict[str, Path], tmp_path: Path
) -> None:
    capsys.readouterr()
    base = ["downstream", "plan", "--fit", str(files["ds"])]
    code, out, err = run(capsys, *base, "--target-accuracy", "task=0.7,average=0.6", "--json")
    repeated = run(capsys, *base, "--target-accuracy", "task=0.7", "--target-accuracy",
                   "average=0.6", "--json")  # fmt: skip
    assert code == 0, err
    assert json.loads(out) == json.loads(repeated[1])
    plans = json.loads(out)["plans"]
    assert [p["query"]["task"] for p in plans] == ["task", "average"]
    note = plans[0]["allocation"]["interval_note"]
    assert note.startswith("one model's prediction interval (backtest-calibrated, as downstream ")
    assert "from the compute where its upper bound reaches the target to where its lower" in note
    assert plans[0]["allocation"]["flops_interval_kind"] == "backtest-calibrated"
    saved = tmp_path / "plan.json"
    code, out, err = run(capsys, *base, "--target-accuracy", "task=0.7", "--out", str(saved))
    assert code == 0, err
    assert f"90% intervals: {note}" in " ".join(out.split())
    assert json.loads(saved.read_text())["allocation"]["interval_note"] == note
    code, _, err = run(capsys, *base, "--target-accuracy", "task=0.7,piqa")
    assert code == 2 and "--target-accuracy 'piqa' is not TASK=ACC" in err
    code, _, err = run(capsys, *base, "--target-accuracy", "task=high")
    assert code == 2 and "'high' is not a number" in err and "hellaswag=0.6,piqa=0.75" in err


def test_backtest_json_holds_each_held_out_model(
    capsys: pytest.CaptureFixture[str], files: dict[str, Path], tmp_path: Path
) -> None:
    capsys.readouterr()
    options = ["--holdout", "params>=200M", "--task", "task", "--bootstrap", "20",
               "--max-backtest-error", "inf"]  # fmt: skip
    saved = tmp_path / "bt.json"
    code, out, err = run(capsys, "downstream", "backtest", str(files["evals"]), *options,
                         "--json", "--out", str(saved))  # fmt: skip
    assert code == 0, err
    data = json.loads(out)
    assert json.loads(saved.read_text()) == data and f"wrote backtest: {saved}" in err
    want = backtest_downstream(
        read_evals(files["evals"]), holdout="params>=200M", tasks=["task"], bootstrap=20,
        max_backtest_error=None,
    ).tasks["task"]  # fmt: skip
    row = data["tasks"]["task"]
    assert len(row["predicted"]) == len(data["held_out_runs"]) == len(want.actual)
    np.testing.assert_allclose(row["predicted"], want.predicted)
    np.testing.assert_allclose(row["actual"], want.actual)
    bands = zip(row["lower"], row["predicted"], row["upper"], strict=True)
    assert all(lo <= p <= hi for lo, p, hi in bands)
    assert row["abs_error"] == pytest.approx(float(np.mean(np.abs(want.predicted - want.actual))))
    code, _, err = run(capsys, "downstream", "backtest", str(files["evals"]), *options,
                       "--out", str(files["evals"]))  # fmt: skip
    assert code == 2 and "EVALS" in err


def test_loss2loss_predict_out(
    capsys: pytest.CaptureFixture[str], files: dict[str, Path], tmp_path: Path
) -> None:
    import pandas as pd

    frame = pd.read_csv(files["evals"])
    frame["loss_other"] = 1.2 * (frame["loss"] - 1.5) ** 1.1 + 0.9
    path = tmp_path / "runs.csv"
    frame.to_csv(path, index=False)
    fit = tmp_path / "l2l.json"
    args = ["loss2loss", "fit", str(path), "--x", "loss", "--y", "loss_other", "--bootstrap", "0"]
    assert main([*args, "--out", str(fit)]) == 0
    capsys.readouterr()
    predict = ["loss2loss", "predict", "--fit", str(fit), "--loss", "3.1,3.3"]
    code, printed, err = run(capsys, *predict, "--json")
    assert code == 0, err
    saved = tmp_path / "p.json"
    code, out, err = run(capsys, *predict, "--out", str(saved))
    assert code == 0, err
    assert json.loads(saved.read_text()) == json.loads(printed)
    assert f"wrote predictions: {saved}" in out and "loss_other from loss" in out
    code, _, err = run(capsys, *predict, "--out", str(fit))
    assert code == 2 and "--fit" in err
    assert not math.isnan(json.loads(printed)["predictions"]["all"]["loss_y"][0])
