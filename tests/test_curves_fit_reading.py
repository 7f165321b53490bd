"""``fit_curves`` and ``backtest_curves`` given a path take what ``curves fit`` and ``curves
backtest`` take to read it (``warmup=``, ``columns=``, ``keep_diverged=``, ``schedule=``, as
``read_lr_curves`` names them) and fit what the command fits; given curves read already,
they refuse those options in one line naming the reader."""

from __future__ import annotations

import json
from pathlib import Path

import numpy as np
import pytest
from tests._cli import cli
from tests.conftest import SHARED
from tests.test_curves import SPECS, _synthetic

from scalinglab import ConfigError, DataError, fit_curves, read_lr_curves
from scalinglab.curves import CurveFit, Tissue, backtest_curves

LR = SHARED / "lr-schedules" / "25M"
TRUTH = {"L0": 2.8, "A": 0.6, "alpha": 0.45, "C": 0.8}


def _coefs_match(python: CurveFit, command: dict[str, float]) -> None:
    assert python.coefs.keys() == command.keys()
    for name, value in command.items():
        assert python.coefs[name] == pytest.approx(value, rel=1e-9, abs=1e-12), name


@pytest.fixture(scope="module")
def logged(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """Four curves logging train_loss and val_loss (refused until one is named), and a
    fifth, ``gone``, whose loss turns inf (left out unless kept)."""
    rows = []
    curves = _synthetic(Tissue(), TRUTH, SPECS, noise=1e-3, seed=4, every=50)
    for c in [*curves, _synthetic(Tissue(), TRUTH, SPECS[:1], noise=1e-3, seed=5, every=50)[0]]:
        name = "gone" if len(rows) == sum(len(k.step) for k in curves) else c.run
        loss = c.loss.copy()
        if name == "gone":
            loss[-3:] = np.inf
        rows += [f"{name},{k},{c.schedule.lr[k]},{v},{1.02 * v}"
                 for k, v in zip(c.step, loss, strict=True)]  # fmt: skip
    path = tmp_path_factory.mktemp("reading") / "logged.csv"
    path.write_text("run,step,lr,train_loss,val_loss\n" + "\n".join(rows) + "\n")
    return path


@pytest.mark.heavy
def test_fit_curves_of_a_path_with_warmup_is_the_commands_fit(
    capsys: pytest.CaptureFixture[str],
) -> None:
    # the shared curves log from step 2176 (7) or 2160 (2): read as logged, the fit differs
    python = fit_curves(str(LR), warmup=2160, bootstrap=0)  # the default law, as the command's
    code, out, err = cli(capsys, "curves", "fit", str(LR), "--warmup", "2160", "--bootstrap",
                         "0", "--json")  # fmt: skip
    assert code == 0, err
    _coefs_match(python, json.loads(out)["coefs"])
    # the rest is about reading, not the law: Tissue fits these curves ~50 times faster
    tissue = fit_curves(str(LR), law="tissue", warmup=2160, bootstrap=0)
    read = fit_curves(read_lr_curves(str(LR), warmup=2160), law="tissue", bootstrap=0)
    assert dict(read.coefs) == dict(tissue.coefs)
    assert fit_curves(str(LR), law="tissue", bootstrap=0).coefs["C"] != pytest.approx(
        tissue.coefs["C"]
    )
    bt = backtest_curves(str(LR), train=["cosine_24000", "constant_24000", "wsdcon_9"],
                         law="tissue", warmup=2160)  # fmt: skip
    code, out, err = cli(capsys, "curves", "backtest", str(LR), "--train",
                         "cosine_24000,constant_24000,wsdcon_9", "--law", "tissue",
                         "--warmup", "2160", "--json")  # fmt: skip
    assert code == 0, err
    data = json.loads(out)
    _coefs_match(bt.fit, data["coefs"])
    assert list(bt.mean_are) == pytest.approx([h["mean_are"] for h in data["held_out"]])
    unwarmed = backtest_curves(str(LR), train=["cosine_24000", "constant_24000", "wsdcon_9"],
                               law="tissue")  # fmt: skip
    assert unwarmed.fit.coefs["C"] != pytest.approx(bt.fit.coefs["C"])  # warmup= reached it


def test_columns_and_keep_diverged_read_a_path_as_the_command_does(
    capsys: pytest.CaptureFixture[str], logged: Path
) -> None:
    with pytest.raises(DataError, match="'train_loss', 'val_loss' could each be loss"):
        fit_curves(str(logged), law="tissue", bootstrap=0)
    with pytest.warns(UserWarning, match="'gone'"):  # left out, said
        val = fit_curves(str(logged), law="tissue", bootstrap=0, columns={"loss": "val_loss"})
    assert val.runs == ("run0", "run1", "run2", "run3") and "gone" in val.left_out
    code, out, err = cli(capsys, "curves", "fit", str(logged), "--law", "tissue", "--map",
                         "loss=val_loss", "--bootstrap", "0", "--json")  # fmt: skip
    assert code == 0, err
    _coefs_match(val, json.loads(out)["coefs"])
    with pytest.warns(UserWarning, match="gone") as said:  # its inf rows skipped, the run kept
        train = fit_curves(str(logged), law="tissue", bootstrap=0,
                           columns={"loss": "train_loss"}, keep_diverged=True)  # fmt: skip
    assert any("'gone'" in str(w.message) and "kept, as asked" in str(w.message) for w in said)
    assert train.runs[-1] == "gone" and train.left_out == {}
    code, out, err = cli(capsys, "curves", "fit", str(logged), "--law", "tissue", "--map",
                         "loss=train_loss", "--keep-diverged", "--bootstrap", "0",
                         "--json")  # fmt: skip
    assert code == 0, err
    _coefs_match(train, json.loads(out)["coefs"])


def test_schedule_reads_a_path_without_lr_as_the_command_does(
    capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    spec = "cosine:peak=3e-4,end=3e-5,warmup=200,steps=3000"
    rows = []
    for seed in (1, 2):
        c = _synthetic(Tissue(), TRUTH, [spec], noise=1e-3, seed=seed, every=50)[0]
        rows += [f"s{seed},{k},{v}" for k, v in zip(c.step, c.loss, strict=True)]
    path = tmp_path / "no_lr.csv"
    path.write_text("run,step,loss\n" + "\n".join(rows) + "\n")
    python = fit_curves(str(path), law="tissue", bootstrap=0, schedule=spec)
    code, out, err = cli(capsys, "curves", "fit", str(path), "--law", "tissue", "--schedule",
                         spec, "--bootstrap", "0", "--json")  # fmt: skip
    assert code == 0, err
    _coefs_match(python, json.loads(out)["coefs"])
    assert python.defaults["peak"] == pytest.approx(3e-4)


def test_reading_options_with_curves_read_already_are_refused_in_one_line(logged: Path) -> None:
    with pytest.warns(UserWarning, match="'gone'"):
        curves = read_lr_curves(str(logged), columns={"loss": "val_loss"})
    with pytest.raises(ConfigError) as refused:
        fit_curves(curves, law="tissue", bootstrap=0, warmup=2160)
    assert refused.value.message == (
        "scalinglab.fit_curves: warmup= applies when reading; these curves were read "
        "already: pass it to read_lr_curves"
    )
    assert refused.value.hint == (
        "read_lr_curves(path, warmup=...), or give scalinglab.fit_curves the path"
    )
    with pytest.raises(ConfigError) as refused:
        backtest_curves(curves, train=["run0"], columns={"loss": "val_loss"}, keep_diverged=True)
    assert refused.value.message == (
        "scalinglab.curves.backtest_curves: columns= and keep_diverged= apply when "
        "reading; these curves were read already: pass them to read_lr_curves"
    )
    with pytest.raises(ConfigError, match=r"^scalinglab\.fit_curves: schedule= applies"):
        fit_curves(curves, law="tissue", bootstrap=0, schedule="constant:steps=3000")
    # defaults are no option given: warmup=0 is one, columns={} maps nothing
    assert fit_curves(curves, law="tissue", bootstrap=0, columns={}, keep_diverged=False).runs
    with pytest.raises(ConfigError, match=r"warmup= applies"):
        fit_curves(curves, law="tissue", bootstrap=0, warmup=0)
    with pytest.raises(ConfigError, match=r"needs train="):  # a keyword check, as fit_curves'
        backtest_curves(curves)
