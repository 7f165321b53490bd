"""A fit that did not converge says so first among its own warnings, once: in memory, saved
and read back, read from a file written before fits said it, and in every prediction, plan,
backtest and command built on it (``fit`` says it on its status line alone)."""

from __future__ import annotations

import json
from dataclasses import replace
from pathlib import Path

import numpy as np
import pytest
from tests._cli import cli
from tests.conftest import chinchilla_runs
from tests.test_downstream_chain import MULTS, SIZES, models
from tests.test_loss2loss_coverage import synthetic_runs

import scalinglab as sl
from scalinglab.downstream import LossToLoss, fit_downstream, read_evals
from scalinglab.downstream._l2l_predict import predict_group
from scalinglab.downstream._loss_result import loss_fit_result
from scalinglab.downstream._refit import fit_step

#: What a fit stopped at the solver's step limit warns, first.
WARNED = (
    "the fit did not converge (status failed: the maximum number of iterations was reached; "
    "increase max_iter (--max-iter)): its coefficients are not an optimum; refit before "
    "trusting this"
)


@pytest.fixture(scope="module")
def failed() -> sl.FitResult:
    # no run flagged as diverged: its warning would stand beside this one
    return sl.fit("chinchilla", chinchilla_runs(outliers=0), bootstrap=0, max_iter=2)


@pytest.fixture
def saved(failed: sl.FitResult, tmp_path: Path) -> Path:
    path = tmp_path / "failed.json"
    failed.save(path)
    return path


@pytest.fixture
def older(saved: Path, tmp_path: Path) -> Path:
    """The file as releases before this one wrote it: the same fit, its warnings without
    the line (fit() did not put it there; the loader added it on reading)."""
    d = json.loads(saved.read_text())
    d["warnings"] = [w for w in d["warnings"] if w != WARNED]
    path = tmp_path / "older.json"
    path.write_text(json.dumps(d))
    return path


def test_a_fit_that_did_not_converge_says_so_first_once(failed: sl.FitResult) -> None:
    assert failed.status == "failed"
    assert failed.warnings[0] == WARNED and failed.warnings.count(WARNED) == 1
    assert failed.trusted is False and failed.to_dict()["trusted"] is False
    # a prediction read alone says it, once, first among its notes; a plan first among
    # its warnings (Allocation.warnings), not its notes
    notes = failed.predict(params=1e9, tokens=2e10).notes
    assert notes[0] == f"warning: {WARNED}" and notes.count(f"warning: {WARNED}") == 1
    plan = sl.optimal_allocation(failed, flops=1e22)
    assert plan.warnings[0] == WARNED and plan.warnings.count(WARNED) == 1
    assert not any("did not converge" in n for n in plan.notes)


def test_a_converged_fit_has_no_such_line() -> None:
    result = sl.fit("chinchilla", chinchilla_runs(), bootstrap=0)
    assert result.status == "converged"
    assert not any("did not converge" in w for w in result.warnings)


def test_saved_and_read_back_it_is_said_once(failed: sl.FitResult, saved: Path) -> None:
    assert json.loads(saved.read_text())["warnings"].count(WARNED) == 1
    back = sl.FitResult.load(saved)
    assert back.warnings == failed.warnings  # the loader adds nothing fit() said
    assert back.warnings.count(WARNED) == 1 and back.trusted is False
    assert back.predict(params=1e9, tokens=2e10).notes.count(f"warning: {WARNED}") == 1


def test_a_file_written_before_fits_said_it_reads_with_it_once(
    failed: sl.FitResult, older: Path
) -> None:
    assert WARNED not in json.loads(older.read_text())["warnings"]
    back = sl.FitResult.load(older)
    assert back.warnings[0] == WARNED and back.warnings.count(WARNED) == 1
    assert back.warnings == failed.warnings
    # from_dict alone (no file) reads it the same way
    d = json.loads(older.read_text())
    assert sl.FitResult.from_dict(d).warnings.count(WARNED) == 1


@pytest.mark.parametrize("which", ["saved", "older"])
def test_predict_and_plan_say_it_once(
    which: str, request: pytest.FixtureRequest, capsys: pytest.CaptureFixture[str]
) -> None:
    path: Path = request.getfixturevalue(which)
    for args in (
        ["plan", "--fit", str(path), "--compute", "1e22", "--compute", "1e23"],
        ["plan", "--fit", str(path), "--target-loss", "2.6", "--target-loss", "2.5"],
        ["predict", "--fit", str(path), "--params", "1B", "--tokens", "20B"],
    ):
        code, out, err = cli(capsys, *args)
        assert code == 0, err
        assert " ".join((out + err).split()).count("did not converge") == 1, out
        code, out, _ = cli(capsys, *args, "--json")
        said = json.loads(out)
        assert said["warnings"] == [WARNED] and said["source"]["trusted"] is False
        # not again in the prediction's or each allocation's notes
        assert out.count("did not converge") == 1


def test_fit_says_it_on_its_status_line_alone(
    capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    path = tmp_path / "fit.json"
    args = ("fit", "--bootstrap", "0", "--no-compare", "--max-iter", "2")
    code, out, err = cli(capsys, *args, "--out", str(path))
    assert code == 1
    said = "FAILED: the maximum number of iterations was reached; increase max_iter (--max-iter)"
    assert said in out
    assert out.count("the maximum number of iterations was reached") == 1
    assert "did not converge" not in out  # the status line said it: no warning line again
    assert err.startswith("error: the fit did not converge")  # why it exits 1
    assert json.loads(path.read_text())["warnings"][0] == WARNED  # saved with the fit
    code, out, _ = cli(capsys, *args, "--json")
    assert code == 1 and json.loads(out)["warnings"].count(WARNED) == 1


def test_a_backtest_of_a_fit_that_did_not_converge_says_it_once() -> None:
    bt = sl.backtest(chinchilla_runs(), law="chinchilla", bootstrap=0, max_iter=2)
    assert bt.fit is not None and bt.fit.status == "failed"
    said = [n for n in (*bt.notes, *bt.warnings) if "converge" in n or "FAILED" in n]
    assert said == [f"backtest fit: {WARNED}"] and bt.warnings[0] == f"backtest fit: {WARNED}"


def test_a_loss_to_loss_prediction_says_it_among_its_warnings_alone() -> None:
    table = sl.read_runs(synthetic_runs(100))
    law = LossToLoss(column="loss", floor=0.999 * float(np.min(table["loss"])))
    result = sl.fit(law, table, y="loss_other", bootstrap=0, max_iter=2)
    assert result.status == "failed"
    pred = predict_group(result, np.array([3.0]))
    assert pred.warnings.count(WARNED) == 1
    assert not any("did not converge" in n for n in pred.notes)


@pytest.mark.heavy  # 1.6 s in the suite on a 2-core AMD EPYC
def test_a_chains_loss_law_that_did_not_converge_says_so_first() -> None:
    """The chain's loss law as a FitResult (what ``downstream report``'s page and terminal
    warn of): a loss step stopped at the step limit says it, once; a converged one not."""
    evals = read_evals(models(np.random.default_rng(0), SIZES, MULTS), chance={"task": 0.25})
    chain = fit_downstream(evals, bootstrap=0, seed=0)
    step = chain.loss_step
    data = {"N": evals.runs["params"], "D": evals.runs["tokens"]}
    stopped = fit_step(step.law, data, evals.runs["loss"], space="log",
                       delta=chain.loss_delta, weights=None, max_iter=2)  # fmt: skip
    assert stopped.status == "failed"
    result = loss_fit_result(replace(chain, loss_step=stopped), evals)
    assert result.status == "failed" and result.trusted is False
    first = result.warnings[0]
    assert first.startswith("the fit did not converge (status failed: no start that reached")
    assert sum("did not converge" in w for w in result.warnings) == 1
    assert not any("did not converge" in w for w in loss_fit_result(chain, evals).warnings)
