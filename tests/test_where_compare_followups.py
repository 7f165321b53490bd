"""``--where COLUMN OP NUMBER`` follow-ups: the column a comparison reads is refused when
repeated (as ``COLUMN=VALUE``'s is), a store's note replays each condition with its own
``--where``, and a curve file's hint lists only the columns a comparison may use."""

from __future__ import annotations

from pathlib import Path

import pytest
from tests._cli import cli
from tests.test_store_where_everywhere import _ladder


def test_a_repeated_column_a_comparison_reads_is_refused_as_such(
    capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    path = tmp_path / "dup.csv"
    path.write_text(
        "params,tokens,loss,seq_len,seq_len\n1e7,1e9,3.0,2048,2048\n2e7,2e9,2.9,4096,4096\n"
        "4e7,4e9,2.8,4096,4096\n"
    )
    for where in ("seq_len=2048", "seq_len>=2048"):
        code, _, err = cli(capsys, "fit", str(path), "--law", "power-law:params", "--where",
                           where, "--bootstrap", "0")  # fmt: skip
        assert code == 2 and "columns 4 and 5 are both named 'seq_len'" in err, (where, err)


def test_a_store_note_gives_each_condition_its_own_where(
    capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    path = str(_ladder(tmp_path / "s.duckdb").path)
    code, _, err = cli(capsys, "fit", "--store", path, "--where", "lr>0.0035", "--where",
                       "params>0", "--bootstrap", "0", "--json")  # fmt: skip
    assert code == 0, err
    assert "kept by --where 'lr>0.0035' --where 'params>0', from" in err, err


def test_a_curve_file_hint_lists_only_columns_a_comparison_may_use(
    capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    path = tmp_path / "curves.csv"
    rows = ["run,step,loss,lr,wallclock,params"]
    for run, params in (("a", 1e7), ("b", 2e7)):
        rows += [f"{run},{s * 100},{3 - s * 0.1},0.001,{s * 7},{params}" for s in range(1, 6)]
    path.write_text("\n".join(rows) + "\n")
    code, _, err = cli(capsys, "curves", "fit", str(path), "--where", "parms>=1e7")
    assert code == 2 and "no number column 'parms'" in err, err
    assert err.rstrip().endswith("its number columns are params"), err
