"""One path for ``--out`` and ``--plot`` is refused before any work, on every command that has
both (fit, backtest, isoflop, envelope): the figure would replace the JSON just written."""

from __future__ import annotations

from pathlib import Path

import pytest
from tests._chinchilla_draws import HOFFMANN, isoflop_runs, law_curves
from tests._cli import cli


@pytest.mark.parametrize("command", ["fit", "backtest", "isoflop", "envelope"])
@pytest.mark.parametrize("name", ["same.png", "same.json"])
def test_out_and_plot_at_one_path_are_refused(
    command: str, name: str, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    data = tmp_path / "data.csv"
    frame = law_curves(HOFFMANN, sizes=6) if command == "envelope" else isoflop_runs()
    frame.to_csv(data, index=False)
    same = tmp_path / name
    code, out, err = cli(capsys, command, str(data), "--out", str(same), "--plot", str(same))
    assert code == 2, err
    if name.endswith(".png"):
        assert f"error: --plot {str(same)!r} is the same file as --out {str(same)!r}" in err
        assert "the figure would replace what --out writes" in err
        assert "hint: give each its own path, e.g. --plot " in err
    else:  # a figure's suffix is checked first: .json is no figure
        assert "--plot" in err and "cannot tell the format" in err
    assert not same.exists() and "wrote " not in out + err
