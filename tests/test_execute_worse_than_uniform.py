"""A rung that trains to the end with a final eval loss worse than a uniform guess over its
vocabulary (ln 256 ≈ 5.545 nats for bytes) is recorded ``diverged`` with the reason and its
curve, left out of fits, and ``ladder status`` says why (sweep finding 11: lr = 10 ended at
eval loss 9.74 and was recorded finished); its ``result.json`` says ``diverged`` too (it said
``finished`` while the store and ``runs`` said ``diverged``)."""

from __future__ import annotations

import json
import math
from pathlib import Path

import pytest
from tests._ladders import make_corpus

from scalinglab.cli import main
from scalinglab.execute._record import still_falling, worse_than_uniform
from scalinglab.ladder import CurvePoint, RungResult, get_recipe
from scalinglab.ladder._result import beats_uniform
from scalinglab.store import RunStore


@pytest.fixture(autouse=True)
def _cache(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("SCALINGLAB_CACHE", str(tmp_path / "cache"))


def _result(rung_name: str, loss: float, train: tuple[float, ...] = ()) -> RungResult:
    """A result whose curve logs ``train`` (training losses at steps 10, 20, ...)."""
    curve = tuple(CurvePoint(10 * (i + 1), 2560 * (i + 1), 3e-3, t) for i, t in enumerate(train))
    return RungResult(
        run_id="x", name=rung_name, status="finished", steps=1, tokens=1, train_loss=loss,
        loss=loss, wall_s=1.0, tokens_per_s=1.0, mfu=None, hardware="cpu", software={},
        corpus="stdlib", corpus_hash="h", resumed_from_step=None, curve=curve,
    )  # fmt: skip


def _run_one_rung(tmp_path: Path, train: str, *, tokens: int) -> Path:
    """``ladder run`` of one CPU rung (width 16, depth 1) with ``train`` lines in its
    ``[train]`` table, on ``tokens``; its store (the run exits 1, as for any failed rung)."""
    toml = tmp_path / "one.toml"
    toml.write_text(
        f'name = "one"\ncorpus = "{make_corpus(tmp_path / "text")}"\n[model]\ncontext = 32\n'
        f"[train]\nbatch_size = 8\n{train}\neval_every = 20\n"
        'eval_tokens = 1024\ndevice = "cpu"\n[rules]\ntokens_per_param = 1\n'
        f"[[rungs]]\nwidth = 16\ndepth = 1\nheads = 2\ntokens = {tokens}\n"
    )
    store = tmp_path / "s.duckdb"
    args = ["ladder", "run", str(toml), "--store", str(store), "--backend", "in-process"]
    assert main(args) == 1
    return store


def test_the_uniform_guess_is_the_line() -> None:
    assert beats_uniform(math.log(256), 256) and not beats_uniform(math.log(256) + 1e-9, 256)
    assert not beats_uniform(math.nan, 256) and not beats_uniform(math.inf, 256)
    rung = get_recipe("tiny").rungs[0]
    assert worse_than_uniform(rung, _result(rung.name, math.log(256) - 1e-6)) is None
    error = worse_than_uniform(rung, _result(rung.name, 9.74))
    assert error is not None and error.diverged
    assert error.message == (
        "rung 'w32-d2' diverged: its final eval loss 9.7400 is worse than ln 256 = 5.5452, a "
        "uniform guess over its 256-token vocabulary"
    )
    assert error.hint == "lower the learning rate (lr 0.003) or raise warmup"
    nan = worse_than_uniform(rung, _result(rung.name, math.nan))
    assert nan is not None and "final eval loss nan" in nan.message


def test_a_rung_still_learning_is_told_too_short_not_to_lower_its_lr() -> None:
    """Worse than a uniform guess with its training loss falling to the last step: too few
    steps, and lowering the lr (the blow-up's advice) would not help; a loss that rose from
    its lowest, a NaN on the way, or a single point keep the blow-up's words."""
    rung = get_recipe("tiny").rungs[0]
    short = worse_than_uniform(rung, _result(rung.name, 5.61, (5.93, 5.74, 5.60)))
    assert short is not None and short.diverged  # recorded diverged all the same
    assert short.message == (
        "rung 'w32-d2' did not beat a uniform guess: its final eval loss 5.6100 is worse than "
        "ln 256 = 5.5452, a uniform guess over its 256-token vocabulary, though its training "
        "loss fell (5.9300 at step 10 to 5.6000 at step 30) and ended at its lowest: too few "
        "steps to learn, not a blow-up"
    )
    assert short.hint == (
        "train it on more tokens; a lower learning rate (lr 0.003) would only learn slower"
    )
    # within 1% of its lowest is at its lowest (a mean over a few steps is noisy)
    uniform = math.log(256)
    assert still_falling(_result(rung.name, 5.61, (5.93, 5.60, 5.64)), uniform) == (
        "5.9300 at step 10 to 5.6400 at step 30"
    )
    # rose from its lowest; a NaN on the way; one point; no fall; far above a uniform guess
    # (lr 10's curve: a blow-up within the first logged mean, falling slowly after it)
    blown = (5.93, 5.10, 7.20), (5.93, math.nan, 5.60), (5.93,), (5.60, 5.70), (), (11.2, 9.8)
    for train in blown:
        assert still_falling(_result(rung.name, 5.61, train), uniform) is None, train
        error = worse_than_uniform(rung, _result(rung.name, 5.61, train))
        assert error is not None and error.message.startswith("rung 'w32-d2' diverged: its final")
        assert error.hint == "lower the learning rate (lr 0.003) or raise warmup"
    nan = worse_than_uniform(rung, _result(rung.name, math.nan, (5.93, 5.74, 5.60)))
    assert nan is not None and nan.message.startswith("rung 'w32-d2' diverged")


@pytest.mark.heavy  # 4.1 s alone on a 2-core AMD EPYC (torch's import)
def test_a_ladder_rung_too_short_to_learn_says_so(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """Four steps at lr 3e-4: the training loss falls every step (5.565 to 5.548) and the
    eval loss, 5.550, is still above ln 256; recorded diverged, told as too short."""
    pytest.importorskip("torch")
    store = _run_one_rung(tmp_path, "lr = 0.0003\nlog_every = 1", tokens=1024)
    err = " ".join(capsys.readouterr().err.split())
    assert "FAILED w16-d1: rung 'w16-d1' did not beat a uniform guess: its final eval loss" in err
    assert "too few steps to learn, not a blow-up (train it on more tokens;" in err
    (run,) = RunStore(store).runs()
    assert run.status == "diverged" and run.loss is not None and run.loss > math.log(256)
    assert main(["ladder", "status", "--store", str(store), "--json"]) == 0
    (row,) = json.loads(capsys.readouterr().out)["rungs"]
    assert row["status"] == "diverged" and "did not beat a uniform guess" in row["error"]


def test_lr_10_is_recorded_diverged_with_its_curve_and_status_says_why(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    pytest.importorskip("torch")
    store = _run_one_rung(tmp_path, "lr = 10", tokens=6656)
    out = capsys.readouterr()
    assert "FAILED   w16-d1: rung 'w16-d1' diverged: its final eval loss" in out.err
    assert "0 trained, 0 skipped, 1 failed" in out.out
    (run,) = RunStore(store).runs()
    assert run.status == "diverged" and run.loss is not None and run.loss > math.log(256)
    assert RunStore(store).curve(run.run_id)["step"].tolist()[-1] == 26  # the curve is kept
    # the rung's result.json says what the store says: diverged, at its last step and loss
    kept = json.loads((tmp_path / "s.duckdb.wd" / run.run_id / "result.json").read_text())
    assert (kept["status"], kept["steps"], kept["eval_loss"]) == ("diverged", 26, run.loss)
    assert run.extra["training"]["steps"] == 26
    assert main(["ladder", "status", "--store", str(store), "--json"]) == 0
    (row,) = json.loads(capsys.readouterr().out)["rungs"]
    assert row["status"] == "diverged"
    assert row["error"].endswith("is worse than ln 256 = 5.5452, a uniform guess over its "
                                 "256-token vocabulary")  # fmt: skip
    assert main(["fit", "--store", str(store), "--law", "power-law:flops"]) == 2
    assert "no finished" in " ".join(capsys.readouterr().err.split())
