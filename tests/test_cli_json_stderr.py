"""With ``--json``, ``fit``, ``predict``, ``plan``, ``loss2loss predict``, ``hparams
fit``, ``hparams predict``, ``hparams backtest``, ``curves predict`` and ``curves compare``
say on stderr the ``warning:`` and ``note:`` lines their text prints, as ``curves fit
--json`` and ``downstream fit --json`` do (the README: with ``--json`` messages go to
stderr); stdout stays the JSON alone."""

from __future__ import annotations

import json
import math
from pathlib import Path

import pytest
from tests._cli import cli
from tests._hparam_sweeps import two_corpora
from tests.conftest import isoflop_runs
from tests.test_curves import SPECS, _synthetic
from tests.test_curves_notes import TISSUE
from tests.test_loss2loss_coverage import synthetic_runs
from tests.test_plan_few_resamples import FEW

from scalinglab import FitResult, fit_curves, fit_loss_to_loss, read_runs
from scalinglab.cli import main
from scalinglab.curves import Tissue


def _said(text: str) -> list[str]:
    """The ``warning:`` and ``note:`` lines of an output."""
    return [line for line in text.splitlines() if line.startswith(("warning: ", "note: "))]


@pytest.fixture(scope="module")
def few(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """Eight runs: too few for five coefficients, a fit that warns."""
    path = tmp_path_factory.mktemp("stderr") / "runs.csv"
    isoflop_runs(seed=3).iloc[::4].to_csv(path, index=False)
    return path


@pytest.fixture(scope="module")
def fit_file(few: Path, tmp_path_factory: pytest.TempPathFactory) -> Path:
    path = tmp_path_factory.mktemp("stderr_fit") / "fit.json"
    args = ["fit", str(few), "--bootstrap", "100", "--no-compare", "--out", str(path)]
    assert main(args) == 0
    return path


def test_fit_json_says_its_warnings_and_notes_on_stderr(
    capsys: pytest.CaptureFixture[str], few: Path
) -> None:
    args = ["fit", str(few), "--bootstrap", "20", "--no-compare"]
    code, text, _ = cli(capsys, *args)
    assert code == 0
    code, out, err = cli(capsys, *args, "--json")
    assert code == 0
    data = json.loads(out)  # stdout: the JSON alone
    assert data["warnings"][0].startswith("too few runs: 8 for 5 parameters")
    # the fit's warnings, then its plan table's: each row's own that the runs do not pin
    # it down (in the JSON), said as one line for every budget (was a line per budget)
    rows = [row for row in data["plan"] if row["warnings"]]
    assert len(rows) >= 2 and all(len(row["warnings"]) == 1 for row in rows)
    # which budgets warn, and their spans, depend on the build's rounding here (eight runs
    # for five coefficients, 20 resamples: the resamples' optima lie in flat valleys; the
    # NumPy solver leaves 1e21 unwarned); what this test holds is that the warning rows'
    # lines are said as one
    warned = [line for line in err.splitlines() if line.startswith("warning: ")]
    *fit_lines, merged = warned
    assert fit_lines == [f"warning: {w}" for w in data["warnings"]]

    def listed(words: list[str]) -> str:
        return ", ".join(words[:-1]) + f" and {words[-1]}"

    budgets = listed([f"1e{round(math.log10(row['flops']))}" for row in rows])
    spans = listed(
        [
            f"{math.log10(r['tokens_per_param_upper'] / r['tokens_per_param_lower']):.1f}"
            for r in rows
        ]
    )
    assert merged.startswith(
        f"warning: the runs do not pin down the allocation at {budgets}: "
        f"tokens/param spans {spans} decades"
    ), merged
    assert merged.endswith(
        "(the plan's intervals); runs at more model sizes per budget, and at larger "
        "budgets, narrow it"
    )
    assert _said(err) == _said(text)  # the lines the text prints, in its order
    assert any(line.startswith("note: ") for line in err.splitlines())


def test_predict_json_says_its_warnings_and_notes_on_stderr(
    capsys: pytest.CaptureFixture[str], fit_file: Path
) -> None:
    args = ["predict", "--fit", str(fit_file), "--params", "70B", "--tokens", "1.4T"]
    code, text, _ = cli(capsys, *args, "--level", "0.999")
    assert code == 0
    code, out, err = cli(capsys, *args, "--level", "0.999", "--json")
    assert code == 0
    data = json.loads(out)
    fit = FitResult.load(fit_file)
    assert fit.warnings and FEW in data["warnings"]
    for warning in data["warnings"]:  # the fit's, and the prediction's own at 0.999
        assert f"warning: {warning}" in err.splitlines()
    assert any(line.startswith("note: rows more than 1 decade") for line in err.splitlines())
    assert _said(err) == _said(text)


def test_plan_json_says_its_warnings_and_notes_on_stderr(
    capsys: pytest.CaptureFixture[str], fit_file: Path
) -> None:
    args = ["plan", "--fit", str(fit_file), "--compute", "1e22,1e23", "--level", "0.999"]
    code, text, _ = cli(capsys, *args)
    assert code == 0
    code, out, err = cli(capsys, *args, "--json")
    assert code == 0
    data = json.loads(out)
    assert FEW in data["warnings"] and len(data["plans"]) == 2
    assert [f"warning: {w}" for w in data["warnings"]] == [
        line for line in err.splitlines() if line.startswith("warning: ")
    ]  # each once, for both budgets
    assert _said(err) == list(dict.fromkeys(_said(text)))  # the text says a note per table
    # a preset: no warning, the footer's note that there is no interval
    code, out, err = cli(capsys, "plan", "--preset", "hoffmann2022", "--compute", "1e22",
                         "--json")  # fmt: skip
    assert code == 0 and json.loads(out)["notes"] == ["no intervals: a preset is a point estimate"]
    assert err.splitlines() == ["note: no intervals: a preset is a point estimate"]


def test_loss2loss_predict_json_says_its_warnings_and_notes_on_stderr(
    capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    path = tmp_path / "l2l.json"  # eight runs for four coefficients: a fit that warns
    few = read_runs(synthetic_runs(100).iloc[::4])
    fit_loss_to_loss(few, x="loss", y="loss_other", bootstrap=20).save(path)
    args = ["loss2loss", "predict", "--fit", str(path), "--loss", "3,2"]
    code, text, _ = cli(capsys, *args)
    assert code == 0
    code, out, err = cli(capsys, *args, "--json")
    assert code == 0
    pred = json.loads(out)["predictions"]["all"]
    assert pred["warnings"][0].startswith("too few runs: 8 for 4 parameters")
    assert (
        pred["notes"][0] == "L_x 2: below the fitted L_x (2.552 to 5.373): the law is extrapolated"
    )
    assert _said(err) == [
        *(f"note: {n}" for n in pred["notes"]),
        *(f"warning: {w}" for w in pred["warnings"]),
    ]
    assert _said(err) == _said(text)


def test_hparams_predict_json_says_its_warnings_and_notes_on_stderr(
    capsys: pytest.CaptureFixture[str], fit_file: Path
) -> None:
    # a preset far below its sizes (a warning), at a C its rules do not read (a note)
    args = ["hparams", "predict", "--preset", "steplaw2025", "--params", "25K", "--tokens",
            "126K", "--flops", "1e20"]  # fmt: skip
    code, text, _ = cli(capsys, *args)
    assert code == 0
    code, out, err = cli(capsys, *args, "--json")
    assert code == 0
    data = json.loads(out)
    assert data["warnings"][0].startswith("N = 25K is 3.9 decades below 215M")
    assert data["notes"][0].startswith("C=1e20 as given labels the prediction only")
    assert err.splitlines() == [f"note: {data['notes'][0]}", f"warning: {data['warnings'][0]}"]
    # the text says the note without its "note: " (a line under the table), the warning as such
    assert data["notes"][0] in text.splitlines()
    assert _said(text) == [f"warning: {data['warnings'][0]}"]
    # a critical batch at a loss fit that warns: its warnings, then the note, as the text
    args = ["hparams", "predict", "--preset", "kaplan2020", "--loss", str(fit_file),
            "--params", "70B", "--tokens", "1.4T"]  # fmt: skip
    code, text, _ = cli(capsys, *args)
    assert code == 0
    code, out, err = cli(capsys, *args, "--json")
    assert code == 0
    data = json.loads(out)
    assert data["warnings"][0].startswith(f"loss fit {fit_file}: too few runs: 8 for 5")
    assert _said(err) == [
        *(f"warning: {w}" for w in data["warnings"]),
        *(f"note: {n}" for n in data["notes"]),
    ]
    assert _said(err) == _said(text) and err.splitlines()[-1].startswith("note: indicative")


@pytest.fixture(scope="module")
def curve_fit(tmp_path_factory: pytest.TempPathFactory) -> str:
    """A Tissue fit of 4 curves with 40 whole-curve resamples: too few at 99.9%."""
    path = tmp_path_factory.mktemp("stderr_curves") / "curve.json"
    curves = _synthetic(Tissue(), TISSUE, SPECS, noise=1e-3, seed=0)
    fit_curves(curves, law="tissue", bootstrap=40, resample="curves").save(path)
    return str(path)


@pytest.mark.parametrize(
    "command",
    [
        ["curves", "predict", "--schedule", "wsd:0.2,steps=3000"],
        ["curves", "compare", "--steps", "3000", "--schedules", "wsd:0.2"],
    ],
)
def test_curves_predict_and_compare_json_say_their_lines_on_stderr(
    capsys: pytest.CaptureFixture[str], curve_fit: str, command: list[str]
) -> None:
    args = [*command, "--fit", curve_fit, "--level", "0.999"]
    code, text, _ = cli(capsys, *args)
    assert code == 0
    code, out, err = cli(capsys, *args, "--json")
    assert code == 0
    data = json.loads(out)
    warning = (
        "intervals from 40 resamples only: their ends are noise at 99.9% (use 10000 or more; "
        "the estimate may lie outside them); a warning, not a refusal: the "
        "estimates do not depend on the resamples, only the intervals do"
    )
    assert data["warnings"] == [warning] and data["notes"]
    assert f"warning: {warning}" in err.splitlines()
    assert [n for n in _said(err) if n.startswith("note: ")] == [
        f"note: {n}" for n in data["notes"]
    ]
    assert _said(err) == _said(text)  # the text's lines, in its order


@pytest.mark.parametrize(
    ("command", "kind"),
    [(["fit", "--bootstrap", "5"], "fit"), (["backtest"], "backtest")],
)
def test_hparams_fit_and_backtest_json_say_their_lines_on_stderr(
    capsys: pytest.CaptureFixture[str], tmp_path: Path, command: list[str], kind: str
) -> None:
    path = tmp_path / "pooled.csv"  # two corpora pooled: both warn; the fit of few resamples
    two_corpora().to_csv(path, index=False)
    args = ["hparams", command[0], str(path), "--seq-len", "2048", *command[1:]]
    code, text, _ = cli(capsys, *args)
    assert code == 0
    out = tmp_path / f"{kind}.json"
    code, printed, err = cli(capsys, *args, "--json", "--out", str(out))
    assert code == 0
    data = json.loads(printed)  # stdout: the JSON alone
    assert len(data["warnings"]) == (2 if kind == "fit" else 1) and data["notes"]
    assert _said(err) == [
        *(f"note: {n}" for n in data["notes"]),
        *(f"warning: {w}" for w in data["warnings"]),
    ]
    assert _said(err) == _said(text)  # the text's lines, in its order
    assert f"wrote {kind}: {out}" in err.splitlines()
