"""Every command that can run without intervals says so in one line, in one wording: why (no
bootstrap was asked, or every resample failed) and what to run (``--bootstrap N``, N the
command's own default), and the report pages in the same words. Before, ``loss2loss
fit``, ``downstream fit``, ``downstream backtest`` and ``curves fit`` said nothing, and the
others each had their own words (``fit with --bootstrap N``, ``loss2loss fit --bootstrap N``, ``N ≥ 100``)."""

from __future__ import annotations

import io
from dataclasses import replace
from pathlib import Path

import numpy as np
import pytest
from rich.console import Console
from tests._chinchilla_draws import HOFFMANN, law_curves
from tests._cli import cli
from tests._hparam_sweeps import SEQ_LEN, sweep
from tests.conftest import isoflop_runs
from tests.test_cli_curves import _write_curves
from tests.test_curves import MPL_TRUE, SPECS, _synthetic
from tests.test_downstream_chain import MULTS, SIZES, models

import scalinglab as sl
from scalinglab._no_intervals import chain_no_intervals, isoflop_no_intervals
from scalinglab.cli import main
from scalinglab.cli._fit_views import print_fit
from scalinglab.curves import MultiPower
from scalinglab.data import bundled_runs
from scalinglab.downstream import fit_downstream, read_evals
from scalinglab.validate import isoflop

#: The line where no bootstrap was asked of the command itself.
ASKED = "no intervals: no bootstrap was asked (--bootstrap 0); run with --bootstrap 200"
#: ``curves fit``'s: it asks for its own default of 100 resamples, not fit's 200.
CURVES_ASKED = "no intervals: no bootstrap was asked (--bootstrap 0); run with --bootstrap 100"
#: The commands whose default is 1000 resamples (``isoflop``, ``envelope``, ``loss2loss
#: fit``, ``downstream``, ``hparams fit``): each asks for its own, not fit's 200.
ASKED_1000 = "no intervals: no bootstrap was asked (--bootstrap 0); run with --bootstrap 1000"


def _saved(command: str, ask: int = 200) -> str:
    """The line of a command that reads a fit saved with ``--bootstrap 0`` (``ask``: the
    fitting command's default)."""
    return (
        "no intervals: the fit was made with no bootstrap (--bootstrap 0); refit with "
        f"scalinglab {command} --bootstrap {ask}"
    )


def _failed(n: int, ask: int = 200) -> str:
    """The line where every one of ``n`` resamples failed (``ask``: the command's default)."""
    return f"no intervals: {n} of {n} bootstrap resamples failed; add runs, then run with --bootstrap {ask}"


@pytest.fixture(scope="module")
def files(tmp_path_factory: pytest.TempPathFactory) -> dict[str, str]:
    """Each command's input, and the fits saved with ``--bootstrap 0`` that the reading
    commands take."""
    folder = tmp_path_factory.mktemp("none")
    curves = _synthetic(MultiPower(), MPL_TRUE, SPECS[:3], noise=0, seed=0, every=100)
    paths = {"curves": _write_curves(folder / "c.csv", curves)}
    for name, frame in (
        ("envelope", law_curves(HOFFMANN, noise=0.0, sizes=16)),
        ("isoflop", isoflop_runs(seed=0)),
        ("sweep", sweep(5)),
    ):
        paths[name] = str(folder / f"{name}.csv")
        frame.to_csv(paths[name], index=False)
    evals = models(np.random.default_rng(0), SIZES, MULTS)
    evals["loss_other"] = 1.2 * (evals["loss"] - 1.5) ** 1.1 + 0.9
    paths["evals"] = str(folder / "evals.csv")
    evals.to_csv(paths["evals"], index=False)
    for name, args in (
        ("fit", ("fit",)),
        ("l2l", ("loss2loss", "fit", paths["evals"], "--x", "loss", "--y", "loss_other")),
        ("ds", ("downstream", "fit", paths["evals"], "--tasks", "all")),
        ("hp", ("hparams", "fit", paths["sweep"], "--seq-len", str(SEQ_LEN))),
    ):
        paths[name] = str(folder / f"{name}.json")
        assert main([*args, "--bootstrap", "0", "--out", paths[name]]) == 0
    return paths


#: Each command run with --bootstrap 0, or reading a fit saved so, and the line it says.
COMMANDS = {
    "fit": (lambda p: ["fit", "--bootstrap", "0"], ASKED),
    "envelope": (lambda p: ["envelope", p["envelope"], "--bootstrap", "0"], ASKED_1000),
    "isoflop": (lambda p: ["isoflop", p["isoflop"], "--bootstrap", "0"], ASKED_1000),
    "isoflop --at": (
        lambda p: ["isoflop", p["isoflop"], "--bootstrap", "0", "--at", "1e21"],
        ASKED_1000,
    ),
    "curves fit": (
        lambda p: [
            "curves",
            "fit",
            p["curves"],
            "--law",
            "tissue",
            "--warmup",
            "200",
            "--bootstrap",
            "0",
        ],
        CURVES_ASKED,
    ),
    "loss2loss fit": (
        lambda p: [
            "loss2loss",
            "fit",
            p["evals"],
            "--x",
            "loss",
            "--y",
            "loss_other",
            "--bootstrap",
            "0",
        ],
        ASKED_1000,
    ),
    "downstream fit": (
        lambda p: ["downstream", "fit", p["evals"], "--tasks", "all", "--bootstrap", "0"],
        ASKED_1000,
    ),
    "downstream backtest": (
        lambda p: [
            "downstream",
            "backtest",
            p["evals"],
            "--holdout",
            "params>=200M",
            "--task",
            "task",
            "--bootstrap",
            "0",
            "--max-backtest-error",
            "inf",
        ],
        ASKED_1000,
    ),
    "hparams fit": (
        lambda p: ["hparams", "fit", p["sweep"], "--seq-len", str(SEQ_LEN), "--bootstrap", "0"],
        ASKED_1000,
    ),
    "predict": (
        lambda p: ["predict", "--fit", p["fit"], "--params", "1B", "--tokens", "20B"],
        _saved("fit"),
    ),
    "plan": (lambda p: ["plan", "--fit", p["fit"], "--compute", "1e22"], _saved("fit")),
    "loss2loss predict": (
        lambda p: ["loss2loss", "predict", "--fit", p["l2l"], "--loss", "3.0"],
        _saved("loss2loss fit", 1000),
    ),
    "downstream predict": (
        lambda p: [
            "downstream",
            "predict",
            "--fit",
            p["ds"],
            "--params",
            "800M",
            "--tokens",
            "16B",
        ],
        _saved("downstream fit", 1000),
    ),
    "downstream plan": (
        lambda p: ["downstream", "plan", "--fit", p["ds"], "--target-accuracy", "task=0.5"],
        _saved("downstream fit", 1000),
    ),
    "hparams predict": (
        lambda p: ["hparams", "predict", "--params", "7B", "--tokens", "1.4T", "--fit", p["hp"]],
        _saved("hparams fit", 1000),
    ),
}


@pytest.mark.parametrize("command", list(COMMANDS))
@pytest.mark.heavy
def test_every_command_says_why_there_are_no_intervals_in_one_line(
    command: str, files: dict[str, str], capsys: pytest.CaptureFixture[str]
) -> None:
    args, said = COMMANDS[command]
    code, out, err = cli(capsys, *args(files))
    assert code == 0, err
    text = " ".join(out.split())
    assert said in text
    assert text.count("no intervals:") == 1  # once, not in two wordings
    for old in ("--bootstrap N", "N ≥ 100", "no interval:"):  # the old wordings
        assert old not in text


def test_the_line_says_a_level_given_has_no_effect_after_the_cause(
    capsys: pytest.CaptureFixture[str],
) -> None:
    code, out, err = cli(capsys, "fit", "--bootstrap", "0", "--level", "0.8")
    assert code == 0, err
    assert (
        "no intervals: no bootstrap was asked (--bootstrap 0), so --level 0.8 has no effect; "
        "run with --bootstrap 200" in " ".join(out.split())
    )


@pytest.mark.heavy  # 2.9 s in the suite on a 2-core AMD EPYC
def test_a_fit_whose_every_resample_failed_says_how_many(tmp_path: Path) -> None:
    runs = bundled_runs("overtraining-c4")
    result = sl.fit("chinchilla", runs, bootstrap=20)
    assert result.samples is not None and len(result.samples) == 20
    failed = replace(result, samples=result.samples[:0])  # as a fit none of whose 20 solved
    console = Console(file=io.StringIO(), width=300)
    print_fit(console, failed)
    shown = console.file.getvalue()  # type: ignore[attr-defined]
    assert _failed(20) in shown and "no bootstrap was asked" not in shown
    out = tmp_path / "r.html"  # the page's status line, in the same words
    sl.write_report(failed, runs, out, budgets=[1e21], validate=False)
    assert _failed(20) in out.read_text(encoding="utf-8")


def test_isoflop_says_why_when_no_resample_gave_a_line() -> None:
    """The title dropped the intervals with no line saying why."""
    iso = isoflop(isoflop_runs(seed=0), bootstrap=30)
    assert isoflop_no_intervals(iso) == ""
    none = replace(iso, params_law=replace(iso.params_law, samples=None))
    assert isoflop_no_intervals(none) == _failed(30, 1000)  # isoflop's default: 1000
    assert isoflop_no_intervals(isoflop(isoflop_runs(seed=0), bootstrap=0)) == ASKED_1000


def test_a_downstream_chain_whose_every_resample_failed_says_how_many() -> None:
    evals = read_evals(models(np.random.default_rng(0), SIZES, MULTS), chance={"task": 0.25})
    chain = fit_downstream(evals, tasks=["task"], bootstrap=10, law="chinchilla", seed=0)
    assert chain_no_intervals(chain) == ""
    step = replace(chain.loss_step, samples=np.full_like(chain.loss_step.samples, np.nan))
    assert chain_no_intervals(replace(chain, loss_step=step)) == _failed(10, 1000)
    assert chain_no_intervals(replace(chain, loss_step=step), saved=True) == (
        "no intervals: 10 of 10 bootstrap resamples failed; add runs, then refit with "
        "scalinglab downstream fit --bootstrap 1000"
    )


def test_the_line_never_asks_for_fewer_resamples_than_failed() -> None:
    """Every one of 1,000 resamples failed: the line said to run with --bootstrap 200."""
    from scalinglab._no_intervals import no_intervals_line

    for n in (200, 1000):
        line = f"no intervals: {n:,} of {n:,} bootstrap resamples failed; add runs"
        assert no_intervals_line(requested=n) == line
        assert no_intervals_line(requested=n, refit="scalinglab fit") == (
            f"{line}, then refit with scalinglab fit"
        )
    assert no_intervals_line(requested=199) == _failed(199)  # fewer asked: more suggested
    iso = isoflop(isoflop_runs(seed=0), bootstrap=30)  # the callers say it alike
    none = replace(iso, params_law=replace(iso.params_law, samples=None), n_bootstrap=1000)
    assert isoflop_no_intervals(none).endswith(
        "1,000 of 1,000 bootstrap resamples failed; add runs"
    )
    evals = read_evals(models(np.random.default_rng(0), SIZES, MULTS), chance={"task": 0.25})
    chain = fit_downstream(evals, tasks=["task"], bootstrap=10, law="chinchilla", seed=0)
    step = replace(chain.loss_step, samples=np.full_like(chain.loss_step.samples, np.nan))
    failed = replace(chain, loss_step=step, n_bootstrap=1000)
    assert chain_no_intervals(failed, saved=True).endswith(
        "add runs, then refit with scalinglab downstream fit"
    )
