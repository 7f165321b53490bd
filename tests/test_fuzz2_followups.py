"""Follow-ups of a malformed-input sweep: each message names its file, says what a file is
and what to do, one rule for a JSON table of columns, and one line for runs of one size."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from tests._cli import cli, refused


def test_curves_too_few_points_names_the_file(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    path = tmp_path / "one.csv"
    path.write_text("run,step,tokens,lr,loss,params\n20M-const,50,26214400,0.003,7.80857,2e7\n")
    error, hint = refused(capsys, ["curves", "fit", str(path)])
    assert error == (
        f"error: {path}: 1 logged point for law 'multipower' with 7 parameters (in 1 curve): "
        "need more points than parameters"
    )
    assert hint == "hint: add curves or log the loss more often"


def test_a_fit_file_without_a_format_key_is_said_so(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    path = tmp_path / "fit.json"
    path.write_text(json.dumps({"law": "chinchilla", "coefs": {}}))
    code, _, err = cli(capsys, "predict", "--fit", str(path), "--params", "1e9", "--tokens", "2e10")
    assert code == 2
    assert f'{path}: not a scalinglab fit (no "format" key, expected ' in err
    assert "None" not in err


def test_runs_all_alike_are_one_error_not_a_line_per_law(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    path = tmp_path / "same.csv"
    row = "20000000,3000000000,4.00729,0.0464"
    path.write_text("params,tokens,loss,acc_hellaswag\n" + "\n".join([row] * 12) + "\n")
    error, hint = refused(capsys, ["downstream", "fit", str(path)])
    assert error == (
        f"error: {path}: every run has params = 20M and tokens = 3B: no candidate law "
        "(chinchilla, overtraining, kaplan) can fit how the loss depends on them without runs "
        "at different params and tokens"
    )
    assert hint == (
        "hint: add runs at other values of params and tokens: a scaling law is fitted across sizes"
    )
