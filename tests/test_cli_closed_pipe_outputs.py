"""A closed stdout (``scalinglab fit --out f.json | head -3``) where the command writes a
file: the printing stops, the work goes on, the file is written whole and the command exits
0 (it exited 141 with no file, its outputs being written last). A command with no file to
write still ends with 141 (``tests/test_cli_closed_pipe.py``)."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from tests.test_cli_closed_pipe import _closed
from tests.test_fit_plan_withheld import _runs

_FIT = ["--law", "chinchilla", "--bootstrap", "0"]


@pytest.mark.heavy
@pytest.mark.parametrize("as_json", [False, True])
def test_fit_out_is_written_when_stdout_closes(tmp_path: Path, as_json: bool) -> None:
    runs, out = _runs(tmp_path / "r.csv", ratio_spread=True), tmp_path / "f.json"
    done = _closed(["fit", str(runs), *_FIT, "--out", str(out), *(["--json"] if as_json else [])])
    assert done.returncode == 0, done.stderr
    assert "A" in json.loads(out.read_text(encoding="utf-8"))["coefs"]


@pytest.mark.heavy
def test_plan_out_is_written_when_stdout_closes(tmp_path: Path) -> None:
    runs, fitted, out = (
        _runs(tmp_path / "r.csv", ratio_spread=True),
        tmp_path / "f.json",
        tmp_path / "p.json",
    )
    fitted_ok = _closed(["fit", str(runs), *_FIT, "--out", str(fitted)], stderr_only=True)
    assert fitted_ok.returncode == 0  # stdout read: the fit is written on main too
    done = _closed(["plan", "--fit", str(fitted), "--compute", "1e21,1e22", "--out", str(out)])
    assert done.returncode == 0, done.stderr
    assert json.loads(out.read_text(encoding="utf-8"))


@pytest.mark.heavy
def test_fit_without_out_still_ends_with_141(tmp_path: Path) -> None:
    runs = _runs(tmp_path / "r.csv", ratio_spread=True)
    done = _closed(["fit", str(runs), *_FIT])
    assert (done.returncode, done.stderr.count("error")) == (141, 0)
