"""``envelope CURVES --runs RUNS --map params=COLUMN``: the mapping names the run table's size
column too (the curves have none), as the --map help's own example does; a column in neither
file is refused naming both; a curve folder reads it alike."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from tests._cli import cli

from scalinglab import DataError
from scalinglab.data import read_curves
from scalinglab.validate._curve_folder import read_curve_folder

#: Four sizes, each run's size under a name no alias reads.
SIZES = {"m0": 1e7, "m1": 3e7, "m2": 1e8, "m3": 3e8}
#: Steps of 1e8 tokens (--tokens-per-step 100M).
PER_STEP = 1e8


def _loss(n: float, d: float) -> float:
    """Hoffmann et al. 2022's law: the curves' loss at N params after D tokens."""
    return 1.69 + 406.4 / n**0.34 + 410.7 / d**0.28


#: Each run's curve in steps, and no params column (the run table gives each size).
CURVES = "run,step,val_loss\n" + "".join(
    f"{r},{s},{_loss(n, s * PER_STEP)}\n" for r, n in SIZES.items() for s in range(1, 41)
)
#: A decoy ``params`` column the mapping must not read, and the sizes under another name.
RUNS = "run,params,size_n\n" + "".join(f"{r},1,{n}\n" for r, n in SIZES.items())


@pytest.fixture
def files(tmp_path: Path) -> tuple[Path, Path]:
    curves, runs = tmp_path / "curves.csv", tmp_path / "runs.csv"
    curves.write_text(CURVES)
    runs.write_text(RUNS)
    return curves, runs


def test_map_params_reads_the_run_tables_column(files: tuple[Path, Path]) -> None:
    curves, runs = files
    read = read_curves(curves, columns={"params": "size_n"}, runs=runs, tokens_per_step=1e6)
    assert sorted(set(read.params.tolist())) == list(SIZES.values())  # not the decoy's 1
    assert f"params of each run read from {runs}" in read.notes
    folder = curves.parent / "curves"
    folder.mkdir()
    (folder / "all.csv").write_text(CURVES)
    alike = read_curve_folder(folder, columns={"params": "size_n"}, runs=runs,
                              tokens_per_step=1e6)  # fmt: skip
    assert alike.params.tolist() == read.params.tolist()


def test_envelope_cli_map_params_reaches_runs(
    files: tuple[Path, Path], capsys: pytest.CaptureFixture[str]
) -> None:
    curves, runs = files
    code, out, err = cli(capsys, "envelope", str(curves), "--runs", str(runs), "--map",
                         "params=size_n", "--tokens-per-step", "100M", "--bootstrap", "0",
                         "--json")  # fmt: skip
    assert code == 0, err
    data = json.loads(out)
    assert data["n_runs"] == 4 and {p["params"] for p in data["grid"]} <= set(SIZES.values())
    assert f"params of each run read from {runs}" in data["notes"]


def test_a_mapped_column_in_neither_file_is_refused(
    files: tuple[Path, Path], capsys: pytest.CaptureFixture[str]
) -> None:
    curves, runs = files
    with pytest.raises(DataError) as err:
        read_curves(curves, columns={"params": "size"}, runs=runs, tokens_per_step=1e6)
    assert str(err.value).startswith(
        f"{runs}, column 'size': no column 'size' to read params from, in the curves nor in "
        "this run table; its columns are 'run', 'params', 'size_n'"
    )
    code, _, stderr = cli(capsys, "envelope", str(curves), "--runs", str(runs), "--map",
                          "params=size", "--tokens-per-step", "1M", one_line=True)  # fmt: skip
    assert code == 2 and "pass a column of either file: --map params=COLUMN" in stderr


def test_two_size_columns_are_told_apart_by_map(files: tuple[Path, Path]) -> None:
    curves, runs = files
    runs.write_text("run,n_params,num_params\n" + "".join(f"{r},1,{n}\n" for r, n in SIZES.items()))
    with pytest.raises(DataError, match="'n_params', 'num_params' could each be params") as err:
        read_curves(curves, runs=runs, tokens_per_step=1e6)
    assert err.value.hint == "say which: --map params=n_params (or rename it 'params')"
    read = read_curves(curves, columns={"params": "num_params"}, runs=runs, tokens_per_step=1e6)
    assert sorted(set(read.params.tolist())) == list(SIZES.values())


def test_in_a_folder_of_one_file_per_run_map_run_names_the_run_tables_column(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """Each file is a run named by its file (m0.csv: run m0); ``--map run=run_name`` names
    the run table's column holding those names (it read each file for it: 'env/m0.csv,
    column 'run_name': no column 'run_name' to read run from')."""
    folder = tmp_path / "env"
    folder.mkdir()
    for r, n in SIZES.items():
        steps = range(1, 41)
        body = "".join(f"{s * PER_STEP},{_loss(n, s * PER_STEP)}\n" for s in steps)
        (folder / f"{r}.csv").write_text("tokens,loss\n" + body)
    runs = tmp_path / "runs.csv"
    runs.write_text("run_name,n_params\n" + "".join(f"{r},{n}\n" for r, n in SIZES.items()))
    read = read_curve_folder(folder, columns={"run": "run_name"}, runs=runs)
    assert dict(zip(read.runs, read.params.tolist(), strict=True)) == SIZES
    code, out, err = cli(capsys, "envelope", str(folder), "--runs", str(runs), "--map",
                         "run=run_name", "--bootstrap", "0", "--json")  # fmt: skip
    assert code == 0, err
    assert f"params of each run read from {runs}" in json.loads(out)["notes"]
    # a run column in neither the files nor the run table is refused naming both
    code, _, stderr = cli(capsys, "envelope", str(folder), "--runs", str(runs), "--map",
                          "run=nope", "--bootstrap", "0", one_line=True)  # fmt: skip
    assert code == 2
    said = "no column 'nope' to read run from, in the curves nor in this run table"
    assert f"{said}; its columns are 'run_name', 'n_params'" in stderr
