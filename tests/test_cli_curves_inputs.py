"""What the curve commands say about the inputs a user gets wrong or half right: a
scalinglab result given as data."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from scalinglab.cli import main


def _run(capsys: pytest.CaptureFixture[str], *args: str) -> tuple[int, str, str]:
    code = main(list(args))
    out = capsys.readouterr()
    return code, out.out, out.err


def test_a_scalinglab_result_given_as_data_is_named(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    hp, curve = tmp_path / "hp.json", tmp_path / "curve.json"
    hp.write_text(json.dumps({"format": "scalinglab.hparams/1", "cells": []}))
    curve.write_text(json.dumps({"format": "scalinglab.curve_fit", "law": "tissue"}))
    code, _, err = _run(capsys, "curves", "fit", str(hp))
    assert code == 2 and "hp.json: is an hparams fit, a scalinglab result, not a table" in err
    assert "hint: read it with `hparams predict --fit`" in err
    code, _, err = _run(capsys, "hparams", "fit", str(curve))
    assert code == 2 and "curve.json: is a curve fit, a scalinglab result, not a table" in err
    assert "`curves predict --fit`" in err
