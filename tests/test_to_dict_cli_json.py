"""Every result has a ``to_dict()``, and the command that prints the result prints it: the
JSON of ``curves backtest``, ``hparams backtest`` and ``downstream backtest`` is their
backtest's ``to_dict()`` (each task's entry its ``TaskBacktest.to_dict()``), and a chain's
``tasks`` in ``downstream fit --json`` are each ``TaskFit.to_dict()`` (``curves predict``:
tests/test_cli_curves_predict.py)."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import numpy as np
import pytest
from tests._cli import cli
from tests._hparam_sweeps import sweep
from tests.test_cli_curves import _write_curves
from tests.test_curves import SPECS, _synthetic
from tests.test_downstream_chain import MULTS, SIZES, models

from scalinglab.curves import Tissue, backtest_curves
from scalinglab.downstream import backtest_downstream, fit_downstream, read_evals
from scalinglab.hparams import backtest_hparams


def _plain(d: dict[str, Any]) -> Any:
    """``d`` as its JSON reads back."""
    return json.loads(json.dumps(d, allow_nan=False))


def test_curves_backtest_json_is_its_to_dict(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    from scalinglab.cli._cmd_curves_backtest import FORMAT
    from scalinglab.curves._backtest import FORMAT as LIBRARY

    truth = {"L0": 2.8, "A": 0.6, "alpha": 0.45, "C": 0.8}
    path = _write_curves(tmp_path / "c.csv", _synthetic(Tissue(), truth, SPECS, noise=1e-3,
                                                        seed=6, every=50))  # fmt: skip
    args = ["--train", "run0,run1,run2", "--law", "tissue", "--warmup", "200"]
    code, out, err = cli(capsys, "curves", "backtest", path, *args, "--json")
    assert code == 0, err
    bt = backtest_curves(path, train=["run0", "run1", "run2"], law="tissue", warmup=200)
    data = json.loads(out)
    assert data == _plain(bt.to_dict()) and data["format"] == FORMAT == LIBRARY
    assert [h["run"] for h in data["held_out"]] == ["run3"]


def test_hparams_backtest_json_is_its_to_dict(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    from scalinglab.cli._cmd_hparams import BACKTEST_FORMAT

    path = tmp_path / "sweep.csv"
    sweep(1).to_csv(path, index=False)
    code, out, err = cli(capsys, "hparams", "backtest", str(path), "--holdout", "top-scales:1",
                         "--seq-len", "2048", "--json")  # fmt: skip
    assert code == 0, err
    bt = backtest_hparams(str(path), holdout="top-scales:1", seq_len=2048)
    data = json.loads(out)
    assert data == _plain(bt.to_dict()) and data["format"] == BACKTEST_FORMAT
    assert data["held_out"][0]["method"] == bt.held_out[0].method


@pytest.mark.heavy
def test_downstream_json_is_the_backtests_and_the_tasks_to_dict(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    from scalinglab.cli._downstream_views import BACKTEST_FORMAT

    path = tmp_path / "evals.csv"
    models(np.random.default_rng(0), SIZES, MULTS).to_csv(path, index=False)
    options = ["--task", "task", "--bootstrap", "40", "--max-backtest-error", "inf"]
    code, out, err = cli(capsys, "downstream", "backtest", str(path), "--holdout",
                         "params>=200M", *options, "--json")  # fmt: skip
    assert code == 0, err
    bt = backtest_downstream(read_evals(path), holdout="params>=200M", tasks=["task"],
                             bootstrap=40, max_backtest_error=None)  # fmt: skip
    data = json.loads(out)
    assert data == _plain(bt.to_dict()) and data["format"] == BACKTEST_FORMAT
    assert data["tasks"]["task"] == _plain(bt.tasks["task"].to_dict())
    assert data["tasks"]["task"]["inside"] == [bool(x) for x in bt.tasks["task"].inside]
    code, out, err = cli(capsys, "downstream", "fit", str(path), *options, "--json")
    assert code == 0, err
    chain = fit_downstream(read_evals(path), tasks=["task"], bootstrap=40,
                           max_backtest_error=None)  # fmt: skip
    fitted = json.loads(out)["tasks"]["task"]
    assert fitted == _plain(chain.tasks["task"].to_dict())
    assert fitted["step"]["coefs"] == pytest.approx(chain.tasks["task"].step.coefs)
