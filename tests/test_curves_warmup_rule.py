"""One warm-up rule for every logged lr: the steps before the rate first peaks, whether the
curves of ``curves fit`` or a ``--schedule-file`` are read, and what a warm-up unlike the
fitted curves' does to the loss, in the fitted law's words."""

from __future__ import annotations

import json
from pathlib import Path

import numpy as np
import pandas as pd
import pytest

from scalinglab import parse_schedule
from scalinglab.cli import main
from scalinglab.curves import Tissue, fit_curves

TRUTH = {"L0": 2.8, "A": 0.6, "alpha": 0.45, "C": 0.8}
#: Runs warmed up over 200 steps, logged every 50 from step 50: inside the warm-up.
SPECS = {
    "cos": "cosine:peak=1e-3,end=1e-4,warmup=200,steps=4000",
    "con": "constant:peak=1e-3,warmup=200,steps=4000",
    "wsd": "wsd:peak=1e-3,end=1e-4,warmup=200,decay=0.2,steps=4000",
}


def logged_from_warmup(path: Path, specs: dict[str, str] = SPECS) -> Path:
    """Tissue-law curves (no noise) logged every 50 steps from step 50, as a W&B history
    export holds them: the first rows lie inside the 200-step warm-up."""
    law = Tissue()
    p = np.array([[TRUTH[n] for n in law.param_names]])
    parts = []
    for run, spec in specs.items():
        s = parse_schedule(spec)
        steps = np.arange(50, s.steps, 50)
        loss = law.evaluate(p, law.prepare([s], [steps]), jacobian=False)[0][0]
        parts.append(
            pd.DataFrame({"Name": run, "_step": steps, "train/lr": s.lr[steps], "train/loss": loss})
        )
    pd.concat(parts, ignore_index=True).to_csv(path, index=False)
    return path


@pytest.fixture(scope="module")
def fitted(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, Path]:
    folder = tmp_path_factory.mktemp("warmup")
    curves = logged_from_warmup(folder / "curves.csv")
    fit_curves(curves, law="tissue", bootstrap=0).save(folder / "fit.json")
    return curves, folder / "fit.json"


def test_a_schedule_file_takes_the_warmup_curves_fit_takes(
    fitted: tuple[Path, Path], capsys: pytest.CaptureFixture[str]
) -> None:
    curves, fit = fitted
    assert json.loads(fit.read_text())["defaults"]["warmup"] == 200  # the rate peaks at 200
    args = ["curves", "predict", "--fit", str(fit), "--schedule-file", str(curves)]
    assert main([*args, "--run", "wsd", "--json"]) == 0
    out, err = capsys.readouterr()
    got = json.loads(out)
    # the first logged step (50) was taken before: a 50-step warm-up, its rise past it
    # counted as negative annealing, predicted the final loss 2.5% high
    assert got["warmup"] == 200
    truth = pd.read_csv(curves).query("Name == 'wsd'")["train/loss"].iloc[-1]
    assert got["loss"][-1] == pytest.approx(truth, rel=2e-4)
    assert "warm-up taken as the 200 steps before the rate first peaks" in err
    assert "a warm-up of" not in err  # the fitted curves' own: nothing extrapolated
    # --warmup still sets it, and the note says what the fitted law does with it
    assert main([*args, "--run", "wsd", "--warmup", "50", "--points", "1"]) == 0
    said = " ".join(capsys.readouterr().out.split())
    assert (
        "a warm-up of 50 steps where the fitted curves had 200: the warm-up's share of the "
        "loss is extrapolated (tissue counts the rate's changes after the warm-up as its "
        "annealing area S2: a rise past the warm-up lowers S2 and raises the loss)" in said
    )
    assert "multi-power" not in said


@pytest.mark.parametrize(
    "command",
    [["curves", "fit"], ["curves", "backtest"], ["curves", "predict"], ["fit"], ["report"]],
)
def test_every_warmup_help_says_the_rule_the_code_takes(
    command: list[str], capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    # each said "[default: the first logged step]" where the rate had not yet peaked
    monkeypatch.setenv("COLUMNS", "200")
    assert main([*command, "--help"]) == 0
    helped = " ".join(capsys.readouterr().out.replace("│", " ").split())
    assert "the steps before the logged lr first peaks]" in helped
    assert "first logged step" not in helped
