"""An evaluation file ``downstream fit`` cannot read is refused as a run table's file is:
text that is not UTF-8 and JSON that does not parse are named by their line with a hint
(not a codec's or parser's bare message), a .json table saved with a byte-order mark is
read, and a folder without harness results says so (not that harness results lack sizes)."""

from __future__ import annotations

import json
from pathlib import Path

import numpy as np
import pytest
from tests.test_cli_downstream import run
from tests.test_downstream_chain import MULTS, SIZES, models

from scalinglab import DataError
from scalinglab.downstream import read_evals


def test_a_file_that_is_not_utf8_is_named_by_its_line_with_a_hint(tmp_path: Path) -> None:
    path = tmp_path / "evals.csv"
    path.write_bytes(
        "params,tokens,loss,acc_piqa\n1e8,2e9,3.1,0.6\n2e8,4e9,2.9,0.6\xe9\n".encode("latin-1")
    )
    with pytest.raises(DataError) as info:
        read_evals(path)
    assert info.value.message.endswith(", row 3: not UTF-8 text (byte 59)")
    assert info.value.row == 3
    assert "UTF-8" in info.value.hint


def test_invalid_json_is_named_by_its_line_with_a_hint(tmp_path: Path) -> None:
    path = tmp_path / "evals.json"
    path.write_text('[{"params": 1e8, "tokens": 2e9,\n "loss": ]\n')
    with pytest.raises(DataError) as info:
        read_evals(path)
    assert ", row 2: not valid JSON (Expecting value, line 2" in info.value.message
    assert info.value.row == 2
    assert "list of records" in info.value.hint


def test_a_json_table_with_a_byte_order_mark_is_read(tmp_path: Path) -> None:
    frame = models(np.random.default_rng(0), SIZES, MULTS[:2])
    path = tmp_path / "evals.json"
    path.write_bytes(b"\xef\xbb\xbf" + json.dumps(frame.to_dict(orient="records")).encode())
    assert len(read_evals(path).runs) == len(frame)


def test_a_folder_without_harness_results_says_so(
    capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    (tmp_path / "runs.csv").write_text("params,tokens,loss\n1e8,2e9,3.1\n")
    code, _, err = run(capsys, "downstream", "fit", str(tmp_path))
    assert code == 2
    assert "no lm-evaluation-harness results files (results*.json) in this folder" in err
    assert "hold no parameter or token counts" not in err
