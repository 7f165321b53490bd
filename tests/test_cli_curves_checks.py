"""The curve commands say what their fit says: a law across sizes on one size refused."""

from __future__ import annotations

from pathlib import Path

import pytest
from tests.test_cli_curves import _write_curves
from tests.test_curves_notes import sized_curves

from scalinglab.cli import main


def test_curves_fit_refuses_a_law_across_sizes_on_one_size(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    path = _write_curves(tmp_path / "c.csv", sized_curves()[0][:3])
    assert main(["curves", "fit", path, "--law", "sized:tissue", "--bootstrap", "0"]) == 2
    err = capsys.readouterr().err
    assert "every curve is of one size (25M): l0_N and A_N cannot be fitted" in err
    assert "hint: fit the plain law 'tissue' (--law tissue), or add curves" in err
