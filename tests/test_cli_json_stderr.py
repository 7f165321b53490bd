"""With ``--json``, ``fit``, ``predict`` and ``plan`` say on stderr the ``warning:`` and
``note:`` lines their text prints, as ``curves fit --json`` and ``downstream fit --json``
do (the README: with ``--json`` messages go to stderr); stdout stays the JSON alone."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from tests._cli import cli
from tests.conftest import isoflop_runs
from tests.test_plan_few_resamples import FEW

from scalinglab import FitResult
from scalinglab.cli import main


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
    assert [f"warning: {w}" for w in data["warnings"]] == [
        line for line in err.splitlines() if line.startswith("warning: ")
    ]
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
