"""``--where run=NAME``: a table's run ids are the text column ``run``, and also its run
column's own name (``name``), for run tables, sweeps and curve files (a folder's file names
included); a name no run has lists the nearest run names; the Python spellings of
``where=`` (a mapping, pairs, one pair, ``"column=value"``) and ``scalinglab.fit(where=)``."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pandas as pd
import pytest
from tests._cli import cli
from tests.test_where_curves import _rows

from scalinglab import ConfigError, fit, read_runs
from scalinglab.curves import read_lr_curves
from scalinglab.data._where_rows import as_where


@pytest.fixture(scope="module")
def named(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """18 runs of two corpora, their ids in a column ``name``."""
    rows = []
    for corpus, floor in (("c4", 1.8), ("rpj", 1.9)):
        for n in (1e7, 1e8, 1e9):
            for tpp in (10.0, 20.0, 40.0):
                loss = floor + 400 * n**-0.34 + 410 * (n * tpp) ** -0.28
                rows.append({"name": f"{corpus}-{n:g}-{tpp:g}", "params": n,
                             "tokens": n * tpp, "loss": loss, "dataset": corpus})  # fmt: skip
    path = tmp_path_factory.mktemp("run_names") / "runs.csv"
    pd.DataFrame(rows).to_csv(path, index=False)
    return path


def test_run_ids_are_the_text_column_run_and_their_column_name(named: Path) -> None:
    runs = read_runs(named)
    assert runs.run_column == "name"
    assert runs.where("run", "c4-1e+08-20").runs == ("c4-1e+08-20",)
    assert runs.where(name="rpj-1e+09-40").runs == ("rpj-1e+09-40",)
    with pytest.raises(ConfigError) as caught:
        runs.where("name", "c4-1e+08-25")
    assert caught.value.message == f"no run has name = 'c4-1e+08-25' in {named}"
    # 18 names: the nearest ones, not all of them
    assert caught.value.hint.startswith("the nearest run names are c4-1e+08-20, ")
    assert caught.value.hint.endswith(" (18 runs)") and caught.value.hint.count(",") == 5
    with pytest.raises(ConfigError) as caught:  # nothing near: a few names, not "nearest"
        runs.where("run", "zzz")
    assert caught.value.hint.startswith("no run name is near it; the runs are ")
    assert caught.value.hint.endswith(", ... (18 runs)")
    with pytest.raises(ConfigError) as caught:
        runs.where("corpus", "c4")
    assert caught.value.hint == "its text columns are dataset, name, run (from name)"


def test_cli_fit_where_name_keeps_or_names_the_nearest(
    capsys: pytest.CaptureFixture[str], named: Path
) -> None:
    code, _, err = cli(capsys, "fit", str(named), "--where", "name=zzz", "--bootstrap", "0")
    assert code == 2 and f"error: no run has name = 'zzz' in {named}" in err
    assert "(18 runs)" in err and "no text column" not in err
    code, _, err = cli(capsys, "fit", str(named), "--where", "dataset=c4", "--where",
                         "run=c4-1e+07-10", "--law", "power-law:flops", "--bootstrap", "0")  # fmt: skip
    assert code == 2 and "only 1 run" in err  # kept one run: too few for any law


def test_python_spellings_of_where() -> None:
    pair = (("dataset", "c4"),)
    for given in ({"dataset": "c4"}, [("dataset", "c4")], ("dataset", "c4"), "dataset=c4",
                  ["dataset=c4"]):  # fmt: skip
        assert as_where(given) == pair  # type: ignore[arg-type]
    assert as_where(("dataset=c4", "arch=x")) == (("dataset", "c4"), ("arch", "x"))
    assert as_where(("dataset", "a=b")) == (("dataset", "a=b"),)  # one pair: no '=' first
    with pytest.raises(ConfigError, match=r"where holds 'c4': each condition is a \(column"):
        as_where(["dataset=a", "c4"])


def test_fit_where_fits_the_runs_kept_and_records_them(named: Path) -> None:
    runs = read_runs(named)
    own = fit("chinchilla", runs.where("dataset", "rpj"), bootstrap=0)
    for where in ("dataset=rpj", {"dataset": "rpj"}, ("dataset", "rpj")):
        kept = fit("chinchilla", named, where=where, bootstrap=0)  # type: ignore[arg-type]
        assert dict(kept.where) == {"dataset": "rpj"} and kept.n_runs == 9
        assert dict(kept.coefs) == dict(own.coefs)
    of_table = fit("chinchilla", runs, where="dataset=rpj", bootstrap=0)
    assert dict(of_table.coefs) == dict(own.coefs) and dict(of_table.where) == {"dataset": "rpj"}
    with pytest.raises(ConfigError, match=r"no run has dataset = 'wiki'"):
        fit("chinchilla", named, where={"dataset": "wiki"}, bootstrap=0)


def test_curves_where_run_in_a_file_and_a_folder(tmp_path: Path) -> None:
    both = tmp_path / "both.csv"
    both.write_text("run,dataset,step,lr,loss\n" + "\n".join(_rows("a", 6)) + "\n")
    assert [c.run for c in read_lr_curves(str(both), where={"run": "a2"})] == ["a2"]
    folder = tmp_path / "folder"
    folder.mkdir()
    for k in range(3):  # one run a file, no run column: the file names the run
        lines = [r.split(",", 1)[1] for r in _rows("a", 6) if r.startswith(f"a{k},")]
        (folder / f"cos{k}.csv").write_text("dataset,step,lr,loss\n" + "\n".join(lines) + "\n")
    assert [c.run for c in read_lr_curves(str(folder), where="run=cos1")] == ["cos1"]
    with pytest.raises(ConfigError) as caught:
        read_lr_curves(str(folder), where={"corpus": "a"})
    # not "none"; the folder's runs are named after their files
    assert caught.value.hint == (
        "its text columns are dataset, run (cos0, cos1, ...: no column names the runs)"
    )
    with pytest.raises(ConfigError) as caught:
        read_lr_curves(str(folder), where={"run": "cos9"})
    assert caught.value.hint == "its values are cos0, cos1, cos2"


def test_sweep_where_run(tmp_path: Path) -> None:
    from tests._hparam_sweeps import sweep

    from scalinglab.hparams import read_sweep

    frame = sweep(1)
    frame["run"] = [f"r{i}" for i in range(len(frame))]
    path = tmp_path / "sweep.csv"
    frame.to_csv(path, index=False)
    assert read_sweep(path, where="run=r5").table.runs == ("r5",)
    with pytest.raises(ConfigError) as caught:
        read_sweep(path, where={"dataset": "a"})
    assert caught.value.hint == "its only text column is run"
    assert np.all(np.asarray(read_sweep(path, where=("run", "r7")).table.runs) == "r7")


def test_run_names_that_begin_with_row_are_names_given(tmp_path: Path) -> None:
    """A run column's names (``rowan-0``) are no names the reader gave after the rows:
    the hint says ``run`` is that column, not that no column names the runs."""
    path = tmp_path / "rw.csv"
    rows = [f"rowan-{k},adam,{n:g},{20 * n:g},{3 + 1e8 / n}" for k, n in enumerate((1e7, 1e8, 1e9))]
    path.write_text("\n".join(["run,opt,params,tokens,loss", *rows]) + "\n")
    with pytest.raises(ConfigError) as info:
        read_runs(path).where("optt", "adam")
    assert info.value.hint == "did you mean 'opt'? its text columns are opt, run"
    unnamed = tmp_path / "unnamed.csv"
    unnamed.write_text("\n".join(["opt,params,tokens,loss", *(r.split(",", 1)[1] for r in rows)]))
    with pytest.raises(ConfigError) as info:
        read_runs(unnamed).where("optt", "adam")
    assert info.value.hint == (
        "did you mean 'opt'? its text columns are opt, run (row2, row3, ...: no column names the runs)"
    )
