"""What ``fit --from-curves`` says of the runs it derives: cooled-down runs that end past
the longest fitted curve, how far in steps (it said nothing, where ``curves predict`` notes
it), and no units warning for tokens that count steps."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from tests.test_fit_from_curves import LAW, _curves, _write

from scalinglab.cli import main
from scalinglab.curves import cooldown_runs, fit_curves, read_lr_curves

ARGS = ("--law", LAW, "--curve-law", "tissue", "--bootstrap", "0", "--json")


def test_cooled_down_runs_past_the_longest_curve_are_said_with_how_far(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    path = _write(tmp_path, _curves(0))  # the longest logged to step 3950: 3951 steps
    assert main(["fit", "--from-curves", path, *ARGS]) == 0
    notes = json.loads(capsys.readouterr().out)["notes"]
    curves = read_lr_curves(path)
    frame = cooldown_runs(fit_curves(curves, law="tissue", bootstrap=0), curves)
    past = int((frame["steps"] > 3951).sum())
    # the checkpoint at 0-based step 3950 (3951 updates) cooled down over 0.2/0.8 of them,
    # 988 steps: 4939 in all
    assert (
        past == 2
        and (
            f"{past} of the {len(frame)} cooled-down runs end past the longest fitted curve's 3,951 "
            "steps, the longest at 4,939 (988 steps, 25% past it): the curve law is extrapolated "
            "in steps there"
        )
        in notes
    )
    # the constant run of 2000 steps cooled down, a cosine of 4000 the longest: none past
    path = _write(tmp_path, [c for c in _curves(0) if c.run in ("r0", "r1", "r3")])
    assert main(["fit", "--from-curves", path, *ARGS]) == 0
    assert not any("end past" in n for n in json.loads(capsys.readouterr().out)["notes"])


def test_tokens_that_count_steps_get_no_units_warning(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    path = _write(tmp_path, _curves(0))
    assert main(["fit", "--from-curves", path, *ARGS]) == 0
    got = json.loads(capsys.readouterr().out)
    # it warned "tokens 312 to 4938 (column 'tokens'): ... may be in millions or billions"
    said = got["notes"] + got["warnings"]
    assert not any("millions or billions" in n for n in said)
    assert "tokens count steps (no --tokens-per-step): D and its coefficients are in steps" in said
    # with --tokens-per-step the tokens are tokens, and checked as such: 1 per step is few
    assert main(["fit", "--from-curves", path, *ARGS, "--tokens-per-step", "1"]) == 0
    got = json.loads(capsys.readouterr().out)
    # a reading warning: one of the fit's warnings (so not trusted), not a note
    assert any(w.startswith("tokens 314 to 4939") for w in got["warnings"]) and not got["trusted"]
    assert not any("tokens 314 to 4939" in n for n in got["notes"])
