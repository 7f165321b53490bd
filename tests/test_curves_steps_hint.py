"""A schedule spec without ``steps=`` (``curves predict``) or no ``--steps`` (``curves
compare``) is refused with what to write: an example that parses, its step count the longest
fitted curve's, and the fitted curves' lengths, each once, from the fit (``CurveFit.lengths``,
saved with it). No default is filled in. Before, the hint named the longest curve alone, and
a spec ending in ``:`` or ``,`` got an example that does not parse (``cosine:,steps=3000``)."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from tests._cli import cli
from tests.test_curves import SPECS, _synthetic
from tests.test_curves_notes import TISSUE

from scalinglab import fit_curves, parse_schedule
from scalinglab.curves import CurveFit, Tissue

_TAIL = "; a fit fills peak, end and warmup, never steps"


def _halved(spec: str) -> str:
    """The spec over 1500 steps (a multistep's step moved inside them)."""
    return spec.replace("steps=3000", "steps=1500").replace("at=1500", "at=700")


@pytest.fixture(scope="module")
def two_lengths(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A fit of curves over 3000 and 1500 steps (every other spec halved)."""
    specs = [_halved(s) if i % 2 else s for i, s in enumerate(SPECS)]
    path = tmp_path_factory.mktemp("fit") / "fit.json"
    fit_curves(_synthetic(Tissue(), TISSUE, specs, noise=1e-3, seed=0), law="tissue").save(path)
    return path


def test_the_fit_keeps_each_curves_length(two_lengths: Path) -> None:
    fit = CurveFit.load(two_lengths)
    lengths = sorted({parse_schedule(s).steps for s in SPECS} | {1500})
    assert list(fit.lengths) == lengths == [1500, 3000] and fit.steps == 3000
    assert json.loads(two_lengths.read_text())["lengths"] == [1500, 3000]


@pytest.mark.parametrize(
    ("spec", "example"),
    [
        ("wsd:0.2", "wsd:0.2,steps=3000"),
        ("cosine", "cosine:steps=3000"),
        ("cosine:", "cosine:steps=3000"),
        ("cosine:peak=3e-4,", "cosine:peak=3e-4,steps=3000"),
    ],
)
def test_predict_names_the_fitted_lengths_in_an_example_that_runs(
    capsys: pytest.CaptureFixture[str], two_lengths: Path, spec: str, example: str
) -> None:
    code, _, err = cli(capsys, "curves", "predict", "--fit", str(two_lengths), "--schedule",
                       spec, one_line=True)  # fmt: skip
    assert code == 2
    assert f"error: schedule {spec!r}: steps= is missing" in err
    assert (
        f"hint: add steps=N, the total steps with warm-up, e.g. {example} (the fitted curves "
        f"ran 1,500 and 3,000 steps){_TAIL}"
    ) in err
    code, out, _ = cli(capsys, "curves", "predict", "--fit", str(two_lengths), "--schedule",
                       example)  # fmt: skip
    assert code == 0 and "2,999" in out  # the example, as written, predicts to its last step


def test_compare_names_them_too(capsys: pytest.CaptureFixture[str], two_lengths: Path) -> None:
    code, out, err = cli(capsys, "curves", "compare", "--fit", str(two_lengths), "--schedules",
                         "cosine,wsd:0.2", one_line=True)  # fmt: skip
    assert code == 2 and out == ""
    assert (
        "hint: add --steps N, the total steps with warm-up, e.g. --steps 3000 (the fitted "
        f"curves ran 1,500 and 3,000 steps){_TAIL}"
    ) in err


def test_an_older_fit_names_the_longest_curve_alone(
    capsys: pytest.CaptureFixture[str], two_lengths: Path, tmp_path: Path
) -> None:
    data = json.loads(two_lengths.read_text())
    del data["lengths"]  # a file saved before the lengths were
    old = tmp_path / "old.json"
    old.write_text(json.dumps(data))
    assert CurveFit.load(old).lengths == ()
    code, _, err = cli(capsys, "curves", "predict", "--fit", str(old), "--schedule", "cosine",
                       one_line=True)  # fmt: skip
    assert code == 2
    assert f"e.g. cosine:steps=3000 (the longest fitted curve ran 3,000 steps){_TAIL}" in err
