"""A chain's ``law="auto"`` warns, as ``fit --law auto`` does, where a law its backtests could
not tell from the chosen one plans another N* (:mod:`scalinglab.downstream._loss_unsettled`):
the line checked against each law's closed-form optimum, carried into the chain's
``warnings``, its file and ``downstream plan``; silent on the over-trained C4 models, whose
two laws lie within the chain's own interval."""

from __future__ import annotations

import json
from pathlib import Path

import numpy as np
import pandas as pd
import pytest
from tests._cli import cli
from tests.conftest import SHARED
from tests.test_validate_unsettled import TIED, _optimum, _runs, _split

import scalinglab as sl
from scalinglab._format import format_count
from scalinglab.downstream import DownstreamFit, Evals, fit_downstream, read_evals
from scalinglab.downstream._loss_link import choose_loss
from scalinglab.validate._unsettled import rivals

C = 1e24  # the largest default budget of these runs (up to 5.5e20 FLOPs)
DATA = SHARED / "overtraining"


def _evals(frame: pd.DataFrame) -> Evals:
    """``frame``'s runs with a task whose accuracy is a sigmoid of their loss (1 point of
    noise)."""
    rng = np.random.default_rng(0)
    acc = 0.6 / (1 + np.exp(3.0 * (frame["loss"] - 2.9))) + 0.25
    return read_evals(
        frame.assign(acc_task=acc + rng.normal(0, 0.01, len(frame))), chance={"task": 0.25}
    )


@pytest.fixture(scope="module")
def evals() -> Evals:
    return _evals(_runs(**TIED))


@pytest.fixture(scope="module")
def chain(evals: Evals) -> DownstreamFit:
    return fit_downstream(evals, bootstrap=50, max_backtest_error=None)


def test_the_chain_warns_where_a_tied_law_puts_n_star_elsewhere(
    evals: Evals, chain: DownstreamFit
) -> None:
    """Chinchilla's law at its own chain delta against the chain's over-training law, the
    numbers from each law's closed-form optimum (Hoffmann et al. 2022, eq. 4)."""
    choice, deltas = choose_loss(evals.runs, seed=0)
    assert choice.chosen == "overtraining" and rivals(choice) == ("chinchilla",)
    rival = sl.fit("chinchilla", evals.runs, delta=deltas["chinchilla"], bootstrap=0).coefs
    n_chin = float(_optimum(np.array([rival["A"], rival["B"], rival["alpha"], rival["beta"]]))[0])
    step = chain.loss_step
    c = step.coefs
    n_over = float(_optimum(np.array([c["A"], c["B"], c["alpha"], c["alpha"]]))[0])
    s = step.samples[np.all(np.isfinite(step.samples), axis=1)]  # E, A, B, alpha
    lower, upper = np.percentile(_optimum(np.c_[s[:, 1], s[:, 2], s[:, 3], s[:, 3]]), [5, 95])
    ours, theirs = choice.scores["overtraining"], choice.scores["chinchilla"]
    assert theirs < ours  # chinchilla scores better; the tie goes to fewer parameters
    expected = (
        f"law auto: chinchilla backtests {(ours - theirs) / ours:.0%} better than overtraining "
        f"({theirs:.2%} vs {ours:.2%}) but puts N* at 1e24 FLOPs at {_split(n_chin)} against "
        f"{_split(n_over)}, {n_over / n_chin:.2f}x apart, wider than overtraining's 90% "
        f"interval [{format_count(lower)}, {format_count(upper)}] ({upper / lower:.2f}x): "
        "the runs do not settle the allocation; plan with each law (--law chinchilla, --law "
        "overtraining; fit_downstream(evals, law='chinchilla') in Python) and compare"
    )
    assert chain.warnings == (expected,)
    assert "65.5B (38.8 tokens/param) against 85.9B (22.6 tokens/param), 1.31x apart" in expected
    # a warning only: the notes say the choice, not the warning again
    assert f"law auto: {choice.reason}" in chain.notes
    assert not [n for n in chain.notes if expected in n]


def test_a_law_given_is_not_questioned(evals: Evals) -> None:
    given = fit_downstream(evals, law="overtraining", bootstrap=20, max_backtest_error=None)
    assert given.warnings == ()


def test_the_file_and_downstream_plan_carry_the_warning(
    chain: DownstreamFit, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    path = tmp_path / "ds.json"
    chain.save(path)
    (line,) = chain.warnings
    assert json.loads(path.read_text(encoding="utf-8"))["warnings"] == [line]
    assert DownstreamFit.load(path).warnings == (line,)
    code, out, err = cli(
        capsys, "downstream", "plan", "--fit", str(path), "--target-accuracy", "task=0.6"
    )
    assert code == 0, err
    assert f"warning: {_short(path)}" in " ".join(out.split())  # the JSON's in full
    code, out, err = cli(
        capsys, "downstream", "plan", "--fit", str(path), "--target-accuracy", "task=0.6",
        "--json", one_line=True,
    )  # fmt: skip
    assert code == 0, err
    assert json.loads(out)["warnings"] == [line]
    assert f"warning: {_short(path)}" in err  # echoed on stderr, as plan --json echoes a fit's


def test_downstream_predict_carries_the_chains_warnings(
    chain: DownstreamFit, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """``downstream predict --json`` wrote ``"warnings": []`` where ``downstream plan``
    repeats the chain's: it carries them too, before each model's own, as ``predict --fit``
    carries a fit's; the text says them once for every model."""
    path = tmp_path / "ds.json"
    chain.save(path)
    (line,) = chain.warnings
    args = ["downstream", "predict", "--fit", str(path), "--params", "1.4B", "--tokens", "28B"]
    code, out, err = cli(capsys, *args, "--json")
    assert code == 0, err
    data = json.loads(out)
    assert data["warnings"][0] == line and data["warnings"].count(line) == 1
    code, out, err = cli(capsys, *args[:-4], "--params", "1B,2B", "--tokens", "20B", "--json")
    assert code == 0, err
    data = json.loads(out)
    assert all(p["warnings"][0] == line for p in data["points"])
    code, out, err = cli(capsys, *args[:-4], "--params", "1B,2B", "--tokens", "20B")
    assert code == 0, err
    assert " ".join(out.split()).count("the runs do not settle the allocation") == 1


def _short(path: Path) -> str:
    """The chain's law auto warning as a predict or a plan says it, pointing at the fit."""
    return (
        "law auto: the chain's loss law, overtraining, and chinchilla, tied in its backtests, "
        "put N* 1.31x apart: the runs do not settle the allocation (downstream fit's warning, "
        f"in full in {path}'s warnings)"
    )


def test_predict_and_plan_say_the_chains_warning_in_one_short_line(
    chain: DownstreamFit, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """``downstream predict`` and ``plan --target-accuracy`` said the chain's whole law auto
    warning (its advice, ``--law chinchilla``, is ``downstream fit``'s): one short line
    pointing at the fit, once per command, on stdout or (``--json``) stderr; the JSON keeps
    the whole warning."""
    path = tmp_path / "ds.json"
    chain.save(path)
    (line,) = chain.warnings
    predict = ["downstream", "predict", "--fit", str(path), "--params", "1B,2B", "--tokens", "20B"]
    plan = ["plan", "--target-accuracy", "task=0.6", "--downstream", str(path)]
    for args in (predict, plan):
        code, out, err = cli(capsys, *args)
        assert code == 0, err
        said = " ".join(out.split())
        assert said.count(f"warning: {_short(path)}") == 1
        assert "--law chinchilla" not in said and said.count("warning:") == 1
        code, out, err = cli(capsys, *args, "--json", one_line=True)
        assert code == 0, err
        data = json.loads(out)  # several models: each point's warnings begin with it
        assert [p["warnings"][0] for p in data.get("points", [data])] in ([line], [line] * 2)
        assert err.count(f"warning: {_short(path)}") == 1 and line not in err


def test_the_file_holds_each_warning_once_and_older_files_read_the_same(
    chain: DownstreamFit, tmp_path: Path
) -> None:
    """Warnings are a field of their own: the saved JSON holds each once (not also among
    the notes); a file written when the notes held them too, marked (``warning: ...``,
    ``loss law: ...``), with or without its ``warnings`` list, loads to the same chain."""
    path = tmp_path / "ds.json"
    chain.save(path)
    text = path.read_text(encoding="utf-8")
    (line,) = chain.warnings
    assert text.count(json.dumps(line)[1:-1]) == 1
    data = json.loads(text)
    law = "loss law: too few runs: 20 for 5 parameters"
    data["warnings"] = [line, law]
    data["notes"] = [data["notes"][0], f"warning: {line}", law, *data["notes"][1:]]
    for old in (data, {k: v for k, v in data.items() if k != "warnings"}):
        (tmp_path / "old.json").write_text(json.dumps(old), encoding="utf-8")
        loaded = DownstreamFit.load(tmp_path / "old.json")
        assert loaded.warnings == (line, law)
        assert loaded.notes == chain.notes


@pytest.mark.skipif(
    not (DATA / "models.dev.csv").exists(), reason=f"the over-trained models are not at {DATA}"
)
@pytest.mark.heavy  # 1.1 s in the suite on a 2-core AMD EPYC
def test_silent_where_the_tied_law_lies_within_the_chains_interval() -> None:
    """The README's chain (the 31 c4_original models): the over-training law is chosen,
    tied with Chinchilla's, whose N* at 1e24 FLOPs is 265B at its chain delta (0.0199)
    against the chain's 151B [95.0B, 193B]: 1.75x apart, within that interval's 2.03x, so no
    warning (``fit --law auto``, at delta 1e-3, puts Chinchilla's at 487B: 3.30x)."""
    evals = read_evals(
        DATA / "models.dev.csv", loss="loss_c4_val", chance=DATA / "eval_metadata.csv",
        tasks=["hellaswag"], where={"dataset": "c4_original"},
    )  # fmt: skip
    choice, deltas = choose_loss(evals.runs, seed=0)
    assert choice.chosen == "overtraining" and "chinchilla" in rivals(choice)
    rival = sl.fit("chinchilla", evals.runs, delta=deltas["chinchilla"], bootstrap=0).coefs
    n_chin = float(_optimum(np.array([rival["A"], rival["B"], rival["alpha"], rival["beta"]]))[0])
    chain = fit_downstream(evals, bootstrap=1000, max_backtest_error=None)
    planned = sl.optimal_allocation(_as_fit(chain, evals), flops=C).params
    assert (n_chin, planned.value) == pytest.approx((2.65e11, 1.51e11), rel=0.01)
    assert (planned.lower, planned.upper) == pytest.approx((9.50e10, 1.93e11), rel=0.01)
    ratio, wide = n_chin / planned.value, planned.upper / planned.lower
    assert (ratio, wide) == pytest.approx((1.75, 2.03), abs=0.01) and ratio < wide
    assert not [w for w in chain.warnings if w.startswith("law auto:")]


def _as_fit(chain: DownstreamFit, evals: Evals) -> sl.FitResult:
    from scalinglab.downstream._loss_result import loss_fit_result

    return loss_fit_result(chain, evals)
