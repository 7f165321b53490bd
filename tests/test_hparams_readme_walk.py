"""Findings of a new user's walk through the README's hyperparameter section: the warning of
too few resamples, the critical batch's ignored or foreign inputs, and ``predict --level``."""

from __future__ import annotations

import json
import math
from pathlib import Path

import numpy as np
import pytest
from tests._cli import cli
from tests._hparam_sweeps import sweep

from scalinglab.hparams import HparamFit, fit_hparams

FEW = "intervals from 5 resamples only: their ends are noise at 90% (use 100 or more"


@pytest.fixture(scope="module")
def few(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A fit with 5 resamples, saved."""
    path = tmp_path_factory.mktemp("walk") / "hp5.json"
    fit_hparams(sweep(1), seq_len=2048, bootstrap=5).save(path)
    return path


@pytest.fixture(scope="module")
def many(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A fit with 100 resamples, saved."""
    path = tmp_path_factory.mktemp("walk") / "hp100.json"
    fit_hparams(sweep(1), seq_len=2048, bootstrap=100).save(path)
    return path


def test_fit_with_few_resamples_warns_as_fit_does(
    capsys: pytest.CaptureFixture[str], few: Path
) -> None:
    hp = HparamFit.load(few)
    assert any(w.startswith(FEW) for w in hp.warnings)
    code, out, err = cli(capsys, "hparams", "predict", "--params", "1B", "--tokens", "20B",
                         "--fit", str(few))  # fmt: skip
    assert code == 0, err
    assert f"warning: {FEW}" in " ".join(out.split())


def test_fit_with_enough_resamples_does_not_warn(many: Path) -> None:
    hp = HparamFit.load(many)
    assert not any("resamples only" in n for n in (*hp.notes, *hp.warnings))
    assert not any("resamples only" in w for w in hp.predict(params=1e9, tokens=2e10).warnings)


def test_predict_level_reads_the_saved_draws(
    capsys: pytest.CaptureFixture[str], many: Path
) -> None:
    hp = HparamFit.load(many)
    at = {"params": 1e9, "tokens": 2e10}
    wide, narrow = hp.predict(**at), hp.predict(**at, level=0.5)
    assert narrow.level == 0.5 and narrow.lr == wide.lr
    draws = hp.lr_law.predict(**at)[2]
    assert narrow.lr_interval == pytest.approx(tuple(np.percentile(draws, [25, 75])))
    assert wide.lr_interval[0] < narrow.lr_interval[0] < narrow.lr_interval[1] < wide.lr_interval[1]
    code, out, err = cli(capsys, "hparams", "predict", "--params", "1B", "--tokens", "20B",
                         "--fit", str(many), "--level", "0.5", "--json")  # fmt: skip
    assert code == 0, err
    data = json.loads(out)
    assert data["level"] == 0.5
    assert data["lr_interval"] == pytest.approx(list(narrow.lr_interval))


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["--fit", "{many}", "--level", "90"], "--level must be between 0 and 1, got 90.0"),
        (["--preset", "steplaw2025", "--level", "0.8"],
         "--level sets the coverage of a fit's intervals; preset steplaw2025 has none"),
    ],
)  # fmt: skip
def test_predict_level_refusals(
    capsys: pytest.CaptureFixture[str], many: Path, args: list[str], message: str
) -> None:
    args = [a.format(many=many) for a in args]
    code, out, err = cli(capsys, "hparams", "predict", "--params", "1B", "--tokens", "20B", *args)
    assert code == 2 and out == ""
    assert message in err


def test_critical_batch_refuses_params_it_would_ignore(
    capsys: pytest.CaptureFixture[str],
) -> None:
    code, out, err = cli(capsys, "hparams", "predict", "--preset", "kaplan2020", "--loss", "2.5",
                         "--params", "7B", "--tokens", "1.4T")  # fmt: skip
    assert code == 2 and out == ""
    assert (
        "error: --loss 2.5 is the loss itself, and B_crit depends on the model only through "
        "it: --params and --tokens place a predicted loss"
    ) in " ".join(err.split())
    assert "--loss hoffmann2022 --params 7B --tokens 1.4T" in err


def test_critical_batch_at_a_massivetext_loss_is_indicative(
    capsys: pytest.CaptureFixture[str],
) -> None:
    code, out, err = cli(capsys, "hparams", "predict", "--preset", "kaplan2020", "--loss",
                         "hoffmann2022", "--params", "7B", "--tokens", "1.4T", "--json")  # fmt: skip
    assert code == 0, err
    data = json.loads(out)
    (note,) = data["notes"]
    assert note.startswith(
        "indicative only: the loss is loss-law preset hoffmann2022's (final training loss "
        "(nats/token) on MassiveText; no repeated data), and kaplan2020's B_crit assumes a "
        "WebText2 test loss"
    )
    code, out, _ = cli(capsys, "hparams", "predict", "--preset", "kaplan2020", "--loss",
                       "hoffmann2022", "--params", "7B", "--tokens", "1.4T")  # fmt: skip
    assert "note: indicative only: the loss is loss-law preset hoffmann2022's" in out
    # Kaplan's own loss law predicts a WebText2 loss: nothing to say
    code, out, _ = cli(capsys, "hparams", "predict", "--preset", "kaplan2020", "--loss",
                       "kaplan2020", "--params", "7B", "--tokens", "1.4T", "--json")  # fmt: skip
    assert code == 0 and json.loads(out)["notes"] == []
    assert math.isfinite(json.loads(out)["batch"])


@pytest.mark.heavy
def test_report_echoes_the_pages_notes_and_warnings(
    capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    path, out = tmp_path / "s.csv", tmp_path / "hp.html"
    sweep(1).to_csv(path, index=False)
    code, stdout, err = cli(capsys, "report", str(path), "--hparams", "--bootstrap", "5",
                            "--out", str(out))  # fmt: skip
    assert code == 0, err
    assert stdout == f"wrote report: {out}\n"
    lines = err.splitlines()
    assert f"warning: {FEW}" in " ".join(err.split())
    # the fit's notes and the backtest's, the sweep's own (in both) once
    assert sum(line.startswith("note: batch in sequences of unknown length") for line in lines) == 1
    assert any(line.startswith("note: 144 diverged runs") for line in lines)  # 48 blank
    assert "note: presets scored on lr only: the batch is in sequences (give seq_len)" in lines
