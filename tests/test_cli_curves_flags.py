"""``curves backtest``'s flags checked before any curve is read: ``--level``, ``--seed`` and
``--bootstrap`` without what they shape are refused before the curves package (SciPy)
loads, and their help says what they need."""

from __future__ import annotations

import json
import subprocess
import sys

import pytest

from scalinglab.cli import main


@pytest.mark.parametrize(
    ("flags", "said"),
    [
        (["--level", "0.5"], "error: --level shapes the --plot's bands of --bootstrap resamples"),
        (["--seed", "3"], "error: --seed shapes the --plot's bands of --bootstrap resamples"),
        (["--bootstrap", "5"], "error: --bootstrap draws the bands of --plot, and no --plot"),
    ],
)
def test_band_flags_are_refused_before_the_curves_load(flags: list[str], said: str) -> None:
    args = ["curves", "backtest", "curves.csv", "--train", "a,b", *flags]
    probe = (
        "import json, sys\nfrom scalinglab.cli import main\n"
        f"code = main({args!r})\n"
        "print(json.dumps([code, sorted(m for m in ('scalinglab.curves', 'scipy', 'numpy') "
        "if m in sys.modules)]))"
    )
    run = subprocess.run(
        [sys.executable, "-c", probe], capture_output=True, text=True, check=True, timeout=60
    )
    code, loaded = json.loads(run.stdout.strip().splitlines()[-1])
    assert code == 2 and run.stderr.startswith(said)
    assert loaded == []  # was scalinglab.curves, scipy and numpy: seconds on a busy machine


def test_band_flags_help_says_what_they_need(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["curves", "backtest", "--help"]) == 0
    text = " ".join(capsys.readouterr().out.split())
    assert "--level FLOAT Coverage of the --plot's bands (needs --bootstrap and --plot)." in text
    assert (
        "--seed INTEGER Seed of the --bootstrap resamples (needs --bootstrap and --plot)." in text
    )
