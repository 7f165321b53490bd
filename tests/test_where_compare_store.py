"""``--where COLUMN OP NUMBER`` on a run store: ``runs --where 'params<1e8'``, ``runs rm``
(listing what it removes, ``--dry-run`` removing nothing), a fit of a ``--store`` and
``RunStore(...).to_run_table(where=...)`` keep the runs whose stored number meets it (was:
"no stored run has a value 'params<'"); a text column, a missing one, or none kept refused
in one line; ``name==x`` says ``==`` compares numbers and to write ``name=x``."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from tests._cli import cli
from tests.test_store_runs_where_cli import _store
from tests.test_store_where_everywhere import _ladder

from scalinglab import ConfigError
from scalinglab.store import RunStore


def _listed(capsys: pytest.CaptureFixture[str], path: str, *where: str) -> list[str]:
    args = [w for clause in where for w in ("--where", clause)]
    code, out, err = cli(capsys, "runs", "--store", path, *args, "--json")
    assert code == 0, err
    return [r["name"] for r in json.loads(out)["runs"]]


@pytest.mark.heavy  # 1.0 s in the suite on a 2-core AMD EPYC
def test_runs_where_compares_the_stored_numbers(
    capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    path = str(_store(tmp_path / "s.duckdb").path)
    assert _listed(capsys, path, "params<1e8") == ["small", "small-long"]
    assert _listed(capsys, path, "params>=1.6e8") == ["big"]
    assert _listed(capsys, path, "tokens>5e8", "loss<=3.3") == ["small-long", "big"]
    assert _listed(capsys, path, "params==2e7", "dataset=c4") == ["small", "small-long"]


@pytest.mark.parametrize(
    ("clause", "lines"),
    [
        (
            "dataset>=3",
            [
                "error: --where 'dataset>=3' compares numbers, and 'dataset' is a text column "
                "of {path}",
                "hint: keep runs by its text as --where dataset=VALUE; its number columns are "
                "params, tokens, loss",
            ],
        ),
        (
            "parms<3e7",
            [
                "error: --where 'parms<3e7': no number column 'parms' in {path}",
                "hint: did you mean 'params'? its number columns are params, tokens, loss",
            ],
        ),
        (
            "params>1e12",
            [
                "error: no run has params > 1e12 in {path}",
                "hint: its values run from 2e7 to 1.6e8; compare with a number within it, or "
                "drop --where 'params>1e12'",
            ],
        ),
        (
            "name==big",
            [
                "error: --where 'name==big' (where= in Python): == compares numbers, and 'big' "
                "is not a number",
                "hint: for a text column, write one =: --where name=big (where='name=big' in "
                "Python)",
            ],
        ),
    ],
)
def test_a_bad_comparison_on_a_store_is_refused_in_one_line(
    capsys: pytest.CaptureFixture[str], tmp_path: Path, clause: str, lines: list[str]
) -> None:
    path = str(_store(tmp_path / "s.duckdb").path)
    for command in (["runs"], ["runs", "rm"]):
        code, out, err = cli(capsys, *command, "--store", path, "--where", clause)
        assert (code, out) == (2, "") and err.splitlines() == [
            line.format(path=path) for line in lines
        ]
    assert len(RunStore(path).runs()) == 3  # nothing removed


@pytest.mark.heavy  # 1.2 s in the suite on a 2-core AMD EPYC
def test_rm_where_a_comparison_lists_what_it_removes(
    capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    path = str(_store(tmp_path / "s.duckdb").path)
    code, out, err = cli(capsys, "runs", "rm", "--store", path, "--where", "params<1e8",
                         "--dry-run")  # fmt: skip
    assert code == 0, err
    assert "would remove 2 runs from" in out and "run ids: a, b" in out
    assert len(RunStore(path).runs()) == 3  # --dry-run: nothing removed
    # a named run it does not meet: nothing removed, the --where quoted for the shell
    code, _, err = cli(capsys, "runs", "rm", "--store", path, "big", "--where", "params<1e8")
    assert code == 2 and err.splitlines()[1].endswith(
        f"`scalinglab runs --store {path} --where 'params<1e8'` lists those --where does"
    )
    code, out, err = cli(capsys, "runs", "rm", "--store", path, "--where", "params<1e8")
    assert code == 0 and "removed 2 runs from" in out and "run ids: a, b" in out, err
    assert [r.name for r in RunStore(path).runs()] == ["big"]


@pytest.mark.heavy  # 1.8 s in the suite on a 2-core AMD EPYC
def test_fit_of_a_store_keeps_the_runs_a_comparison_keeps(
    capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    path = str(_ladder(tmp_path / "s.duckdb").path)
    code, out, err = cli(capsys, "fit", "--store", path, "--where", "lr>0.0035", "--bootstrap",
                         "0", "--json")  # fmt: skip
    assert code == 0, err
    fitted = json.loads(out)
    assert fitted["where"] == {"lr>": "0.0035"}
    assert fitted["source"].startswith(f"{path} where lr > 0.0035 (7 of its 14 runs selected")
    assert "note: read 7 finished runs of 14, kept by --where 'lr>0.0035', from" in err
    # Python, in every form where= takes, the fit's recorded where among them
    store = RunStore(path)
    want = store.to_run_table(where=[("train.lr", "0.004")]).runs
    for where in ("lr>0.0035", ["train.lr>0.0035"], fitted["where"], ("lr>", "3.5e-3")):
        table = store.to_run_table(where=where)  # type: ignore[arg-type]
        assert table.runs == want
    assert dict(store.to_run_table(where="params>=3e7").kept_where) == {"params>=": "3e7"}
    with pytest.raises(ConfigError, match="'dataset' is a text column"):
        store.to_run_table(where="dataset<2")


def test_a_comparison_matching_runs_a_fit_leaves_out_says_so(
    capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    path = str(_store(tmp_path / "s.duckdb").path)
    code, _, err = cli(capsys, "fit", "--store", path, "--where", "params>=1e8")
    assert code == 2 and err.splitlines() == [
        f"error: {path}: a fit reads finished runs: 1 failed run (big) matches --where "
        "'params>=1e8', which a fit leaves out",
        f"hint: `scalinglab runs --store {path} --where 'params>=1e8'` lists them; drop this "
        "--where to fit the finished runs",
    ]
