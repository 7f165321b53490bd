"""``RunStore.remove_runs`` refuses one string for ``runs`` (its letters were read as run
names: ``"alpha"`` looked for runs ``a``, ``l``, ``p``...), as do the other functions taking
a list of runs; and the named runs another selection leaves out are named in a note
(``runs rm``) or a ``UserWarning`` (Python), not dropped without a word."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from tests._cli import cli
from tests.test_store_rm_where import _sourced

from scalinglab._errors import ConfigError
from scalinglab.curves import read_store_curves


def test_one_string_for_runs_is_refused_before_anything_is_removed(tmp_path: Path) -> None:
    store = _sourced(tmp_path / "s.duckdb")
    for removing in (True, False):
        with pytest.raises(ConfigError) as err:
            store.remove_runs("r1", dry_run=removing)  # type: ignore[arg-type]
        assert err.value.message == (
            "RunStore.remove_runs: runs must be a list of names, got the one string 'r1' (a "
            "string would be read letter by letter, each letter a name)"
        )
        assert err.value.hint == "pass a list: runs=['r1']"
    assert len(store.runs()) == 3
    with pytest.raises(ConfigError, match=r"^RunStore.curves: run_ids must be a list"):
        store.curves("a")  # type: ignore[arg-type]
    with pytest.raises(ConfigError, match=r"^read_store_curves: runs must be a list of names"):
        read_store_curves(store.path, runs="a")  # type: ignore[arg-type]


def test_named_runs_the_source_leaves_out_are_warned_of(tmp_path: Path) -> None:
    store = _sourced(tmp_path / "s.duckdb")
    with pytest.warns(UserWarning, match="not stored from") as said:
        gone = store.remove_runs(["r2", "r3"], source="/data/a.csv", dry_run=True)
    assert [r.name for r in gone] == ["r3"]
    assert [str(w.message) for w in said] == [
        "1 of the 2 named runs not stored from /data/a.csv, so left out: r2 (stored from "
        "/data/b.csv); a removal takes only the runs every selection given selects"
    ]


@pytest.mark.parametrize("as_json", [False, True])
def test_runs_rm_notes_the_named_runs_left_out(
    capsys: pytest.CaptureFixture[str], tmp_path: Path, as_json: bool
) -> None:
    path = str(_sourced(tmp_path / "s.duckdb").path)
    args = ("runs", "rm", "--store", path, "r2", "r3", "--source", "/data/a.csv", "--dry-run")
    code, out, err = cli(capsys, *args, *["--json"] * as_json)
    assert code == 0, err
    note = (
        "note: 1 of the 2 named runs not stored from /data/a.csv, so left out: r2 (stored "
        "from /data/b.csv); a removal takes only the runs every selection given selects"
    )
    assert note in " ".join((err if as_json else out).split())
    if as_json:
        assert [r["run"] for r in json.loads(out)["removed"]] == ["r3"]
    code, out, err = cli(capsys, "runs", "rm", "--store", path, "r1", "r3", "--where",
                         "status=failed", "--dry-run")  # fmt: skip
    assert code == 0, err
    said = "note: 1 named run not meeting --where status=failed, so left out: r1"
    assert said in " ".join(out.split())
