"""``curves fit`` takes the robust-loss options ``fit_curves`` takes, spelled and explained
as ``fit`` does: ``--robust-loss``, ``--delta`` and ``--max-iter``, with its defaults
(``hparams fit``'s: tests/test_cli_hparams_robust.py)."""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest
from tests._cli import cli
from tests.test_cli_curves import _write_curves
from tests.test_curves import SPECS, _synthetic

from scalinglab import fit_curves
from scalinglab.curves import Tissue

TRUTH = {"L0": 2.8, "A": 0.6, "alpha": 0.45, "C": 0.8}


def _help(capsys: pytest.CaptureFixture[str], *command: str) -> dict[str, str]:
    """Each option's help line of ``command --help``, whitespace joined, by option."""
    code, out, _ = cli(capsys, *command, "--help")
    assert code == 0
    text = " ".join(out.replace("│", " ").split())
    found = re.findall(r"(--[a-z-]+) [A-Z]+ (.*?)(?= --[a-z-]+ [A-Z]+ |$)", text)
    return dict(found)


def test_curves_fit_takes_fits_robust_options(
    capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    path = _write_curves(tmp_path / "c.csv", _synthetic(Tissue(), TRUTH, SPECS, noise=2e-3, seed=1))
    base = ["curves", "fit", path, "--law", "tissue", "--bootstrap", "0", "--json"]
    code, out, _ = cli(capsys, *base, "--robust-loss", "soft_l1", "--delta", "0.01",
                       "--max-iter", "40")  # fmt: skip
    assert code == 0
    given = json.loads(out)["coefs"]
    oracle = fit_curves(path, law="tissue", robust_loss="soft_l1", delta=0.01, max_iter=40,
                        bootstrap=0)  # fmt: skip
    assert given == pytest.approx(oracle.coefs, rel=1e-12)
    default = fit_curves(path, law="tissue", bootstrap=0).coefs
    assert given["L0"] != pytest.approx(default["L0"], rel=1e-9)  # the options took effect
    code, _, err = cli(capsys, *base, "--robust-loss", "bogus", one_line=True)
    assert code == 2
    assert "error: unknown robust loss 'bogus' hint: choose one of huber, soft_l1, squared" in err
    fits, curves = _help(capsys, "fit"), _help(capsys, "curves", "fit")
    for option in ("--robust-loss", "--delta", "--max-iter"):
        assert curves[option] == fits[option], option
    assert curves["--delta"] == "Scale of the robust loss. [default: 0.001]"
