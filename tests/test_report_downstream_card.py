"""The downstream report says what was done: its loss-law sections are the chain's own first
step (its fit, its resamples, its delta and how ``--law auto`` chose it), its prediction says
how far the model lies past the data, and ``report --downstream`` refuses the fitting options
it would not honour, as every ``report`` page refuses another page's options."""

from __future__ import annotations

import html
import json
import re
from pathlib import Path

import numpy as np
import pytest
from tests.test_cli_downstream import run
from tests.test_downstream_chain import MULTS, SIZES, models

from scalinglab._format import format_g
from scalinglab._quantiles import percentile_intervals
from scalinglab.downstream import DownstreamFit, Evals, fit_downstream, read_evals
from scalinglab.downstream._loss_result import loss_card, loss_fit_result, loss_notes
from scalinglab.downstream._result import predict_model
from scalinglab.report import render_report
from scalinglab.report._downstream import downstream_sections

# its module's fixtures: 3.4 s in the suite on a 2-core AMD EPYC, for a few quick tests
pytestmark = pytest.mark.heavy


@pytest.fixture(scope="module")
def fitted() -> tuple[DownstreamFit, Evals]:
    evals = read_evals(models(np.random.default_rng(0), SIZES, MULTS), chance={"task": 0.25})
    return fit_downstream(evals, bootstrap=60, seed=0), evals


def test_the_loss_law_shown_is_the_chains_own(fitted: tuple[DownstreamFit, Evals]) -> None:
    chain, evals = fitted
    result = loss_fit_result(chain, evals)
    step = chain.loss_step
    assert result.law_spec == step.law.spec and dict(result.coefs) == dict(step.coefs)
    assert result.n_bootstrap == 60 and result.samples is not None and len(result.samples) == 60
    good = step.samples[np.all(np.isfinite(step.samples), axis=1)]
    want = percentile_intervals(good, step.law.param_names, chain.level)
    assert result.intervals == want  # the chain's own intervals, not a second bootstrap's
    assert result.delta == chain.loss_delta and result.robust_loss == "huber"
    assert result.extrapolation is chain.extrapolation
    assert result.n_starts == step.n_starts > 0 and 0 < result.n_starts_at_best <= step.n_starts
    # the residuals and objective as fit() computes them from the same coefficients
    data = {"N": evals.runs["params"], "D": evals.runs["tokens"]}
    predicted = step.law.evaluate(step.theta, data)
    np.testing.assert_allclose(result.residuals, np.log(predicted) - np.log(evals.runs["loss"]))
    r, d = np.abs(result.residuals), chain.loss_delta
    want_objective = float(np.sum(np.where(r <= d, 0.5 * r**2, d * (r - 0.5 * d))))
    assert result.objective == pytest.approx(want_objective, rel=1e-12)


def test_the_card_says_how_the_chain_fitted_its_loss_law(
    fitted: tuple[DownstreamFit, Evals],
) -> None:
    chain, evals = fitted
    result = loss_fit_result(chain, evals)
    page = render_report(
        result, evals.runs, validate=False, command="scalinglab downstream report x.csv "
        "--bootstrap 60", notes=loss_notes(chain), stated=loss_card(chain, evals),
    )  # fmt: skip
    card = page[page.index("Reproducibility card") :]
    assert "60 resamples of the models with replacement (60 kept), shared with every task " in card
    assert "refitted from several starts" not in card
    grid = len(step_grid(chain, evals))
    n = chain.loss_step.n_starts
    assert f"{n} starts, {'the whole' if n >= grid else 'an evenly spaced subset of the'}" in card
    # the law's choice, every candidate's error, and the delta it was fitted at
    assert "law auto: median extrapolation error over" in card
    assert f"loss law fitted by Huber at delta {chain.loss_delta:.3g}" in card
    assert "chinchilla" in card and "overtraining" in card and "kaplan" in card


def step_grid(chain: DownstreamFit, evals: Evals) -> np.ndarray:
    data = {"N": evals.runs["params"], "D": evals.runs["tokens"]}
    return np.asarray(chain.loss_step.law.start_grid(data, evals.runs["loss"]))


def test_the_prediction_section_says_how_far_past_the_data(
    fitted: tuple[DownstreamFit, Evals],
) -> None:
    chain, evals = fitted
    far = chain.distance(params=7e9, tokens=2e12)
    assert far > 1
    (section,) = downstream_sections(chain, evals, target=(7e9, 2e12))[1:]
    assert f"x{format_g(10**far, 3)} ({far:.2f} decades) beyond the fitted models" in section.body
    assert "warning: x" in section.body and "outside the fitted models" in section.body
    (near,) = downstream_sections(chain, evals, target=(3e7, 6e8))[1:]
    assert "inside the fitted models" in near.body and "warning" not in near.body


def test_the_report_and_downstream_predict_say_the_same_of_a_model(
    capsys: pytest.CaptureFixture[str], fitted: tuple[DownstreamFit, Evals], tmp_path: Path
) -> None:
    chain, evals = fitted
    model = predict_model(chain, params=7e9, tokens=2e12)  # one reading for both
    assert model.warnings and model.distance == chain.distance(params=7e9, tokens=2e12)
    (section,) = downstream_sections(chain, evals, target=(7e9, 2e12))[1:]
    said = html.unescape(section.body)
    assert all(f"note: {n}" in said for n in model.notes)
    assert all(f"warning: {w}" in said for w in model.warnings)
    chain.save(tmp_path / "ds.json")
    code, out, err = run(capsys, "downstream", "predict", "--fit", str(tmp_path / "ds.json"),
                         "--params", "7B", "--tokens", "2T", "--json")  # fmt: skip
    assert code == 0, err
    printed = json.loads(out)
    # the command adds the chain's own warnings first, which the page says with its law
    assert (printed["notes"], printed["warnings"]) == (
        model.notes, [*chain.warnings, *model.warnings]
    )  # fmt: skip


def test_report_downstream_refuses_the_fitting_options_it_would_ignore(
    capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    path = tmp_path / "evals.csv"
    models(np.random.default_rng(0), SIZES, MULTS).to_csv(path, index=False)
    out = str(tmp_path / "r.html")
    base = ["report", str(path), "--downstream", "--out", out]
    for option, value in (
        ("--robust-loss", "squared"), ("--delta", "0.01"), ("--space", "linear")
    ):  # fmt: skip
        code, _, err = run(capsys, *base, option, value)
        assert code == 2, option
        assert f"{option} is an option of the loss-law report; --downstream reads" in err
        assert "Huber on log residuals at the data's own delta" in err
    for option, value, page in (
        ("--seq-len", "2048", "--hparams"),
        ("--train", "a,b", "--curves"),
        ("--curve-law", "tissue", "--curves"),
        ("--warmup", "10", "--curves"),
        ("--format", "png", "loss-law report"),
    ):
        code, _, err = run(capsys, *base, option, value)
        assert code == 2 and f"{option} is an option of the" in err and page in err, option
    assert not Path(out).exists()
    # the other pages refuse each other's options too, rather than ignore them
    code, _, err = run(capsys, "report", str(path), "--seq-len", "2048", "--out", out)
    assert code == 2 and "--seq-len is an option of the --hparams page; the loss-law report" in err
    code, _, err = run(
        capsys, "report", str(path), "--hparams", "--robust-loss", "squared", "--out", out
    )
    assert code == 2
    assert (
        "--robust-loss is the robust loss of the loss-law report's fit; the --hparams page" in err
    )
    # --loss, its old spelling, is refused alike, by the name the user typed, with no warning
    # first that points to --robust-loss (refused as well)
    code, _, err = run(capsys, "report", str(path), "--hparams", "--loss", "squared", "--out", out)
    assert code == 2 and "warning" not in err
    assert "error: --loss is the robust loss of the loss-law report's fit" in err
    assert "hint: drop --loss:" in err and "--robust-loss is" not in err
    code, _, err = run(capsys, *base, "--loss", "squared")
    assert code == 2 and "warning" not in err
    assert "error: --loss is an option of the loss-law report; --downstream" in err


def test_a_page_at_bootstrap_0_says_its_loss_has_no_interval() -> None:
    evals = read_evals(models(np.random.default_rng(0), SIZES, MULTS), chance={"task": 0.25})
    chain = fit_downstream(evals, law="chinchilla", bootstrap=0, max_backtest_error=None)
    page = render_report(loss_fit_result(chain, evals), evals.runs, validate=False)
    text = " ".join(html.unescape(re.sub(r"<[^>]+>", " ", page)).split())
    assert "none prediction interval" not in text  # was: "with its 90% none prediction ..."
    assert (
        "along its compute-optimal path L*(C) at N*(C), D*(C) (line), without an interval (a "
        "point fit, without bootstrap resamples); beyond the largest run" in text
    )
