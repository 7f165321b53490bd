"""``curves predict --steps 30000`` (``curves compare`` takes ``--steps``): a spec's key typed
as an option. The refusal says that the schedule is read whole from ``--schedule`` or
``--schedule-file``, and the hint writes the command with the key in the spec as typed, a
command that runs."""

from __future__ import annotations

import shlex

import pytest
from tests._cli import cli
from tests.test_curves import SPECS, _synthetic
from tests.test_curves_notes import TISSUE

from scalinglab import fit_curves
from scalinglab.cli._curves_slips import _with_key
from scalinglab.curves import Tissue


@pytest.fixture(scope="module")
def fit_file(tmp_path_factory: pytest.TempPathFactory) -> str:
    path = tmp_path_factory.mktemp("fit") / "my curve.json"
    fit_curves(_synthetic(Tissue(), TISSUE, SPECS, noise=1e-3, seed=0), law="tissue").save(path)
    return str(path)


def _hint(err: str) -> str:
    return next(line for line in err.splitlines() if line.startswith("hint: "))[6:]


@pytest.mark.heavy  # a curve fit, then a prediction: 2.5 s on a 2-core AMD EPYC
def test_steps_as_an_option_is_written_into_the_spec_and_the_hint_runs(
    capsys: pytest.CaptureFixture[str], fit_file: str
) -> None:
    spec = "wsd:decay=0.3,shape=sqrt"
    code, _, err = cli(capsys, "curves", "predict", "--fit", fit_file, "--schedule", spec,
                       "--steps", "3000")  # fmt: skip
    assert code == 2 and "Traceback" not in err
    assert (
        "error: No such option: --steps: curves predict reads the schedule whole from "
        "--schedule, its steps a key of the spec (steps=...), or from --schedule-file"
    ) in err
    hint = _hint(err)
    words = shlex.split(hint)
    assert words[:3] == ["scalinglab", "curves", "predict"] and fit_file in words
    assert words[-1] == "wsd:decay=0.3,shape=sqrt,steps=3000"
    code, out, err = cli(capsys, *words[1:], "--points", "1")
    assert code == 0, err
    assert "│ 2,999 │" in out  # the last of the 3,000 steps


@pytest.mark.parametrize(
    ("words", "spec"),
    [
        (["--steps=3000"], "cosine:steps=3000"),  # no spec: a cosine one
        (["--schedule", "cosine:steps=2000", "--steps", "3000"], "cosine:steps=3000"),
        (["--schedule", "wsd:0.2,steps=3000", "--decay", "0.1"], "wsd:steps=3000,decay=0.1"),
        (["--schedule", "constant", "--peak"], "constant:peak=3e-4"),  # no value: an example
        (["--schedule", "wsd:steps=3000", "--end", "1e-5", "--peak", "1e-3"],
         "wsd:steps=3000,end=1e-5,peak=1e-3"),
    ],
)  # fmt: skip
def test_each_key_lands_in_the_spec(
    capsys: pytest.CaptureFixture[str], words: list[str], spec: str
) -> None:
    code, _, err = cli(capsys, "curves", "predict", "--fit", "c.json", *words)
    assert code == 2
    assert _hint(err) == f"scalinglab curves predict --fit c.json --schedule {spec}"


def test_with_a_schedule_file_the_file_sets_the_steps(capsys: pytest.CaptureFixture[str]) -> None:
    args = ("--fit", "c.json", "--schedule-file", "lr.csv", "--steps", "3000")
    code, _, err = cli(capsys, "curves", "predict", *args)
    assert code == 2
    assert "hint: the file's rows are the schedule, its last step the run's end" in err


def test_other_commands_and_options_keep_their_messages(
    capsys: pytest.CaptureFixture[str],
) -> None:
    code, _, err = cli(capsys, "curves", "predict", "--fit", "c.json", "--pionts", "3")
    assert code == 2 and "--points)" in err and "a key of the spec" not in err
    # compare takes --steps: no slip there (the missing fit file is what is refused)
    code, _, err = cli(capsys, "curves", "compare", "--fit", "nope.json", "--steps", "3000")
    assert code == 2 and "No such option" not in err and "nope.json" in err


def test_a_key_the_spec_has_is_replaced() -> None:
    assert _with_key("wsd:decay=0.2,steps=10", "steps", "20") == "wsd:decay=0.2,steps=20"
    assert _with_key("wsd:0.2", "decay", "0.3") == "wsd:decay=0.3"
    assert _with_key("cosine", "steps", "5") == "cosine:steps=5"
