"""A run store not named ``.duckdb`` (``runs.db``): known by its bytes (``DUCK`` at byte 8),
as the store's own check knows it.

Given where a command reads a table file, such a store was "a run store (a DuckDB
database), not a table of runs" with "here give a table" for a hint, where a ``.duckdb``
one is told the command's own ``--store``; ``ingest runs.db`` read it as an MLflow database
("not a SQLite file"); and ``fit --store runs.db`` lacking a size hinted ``--x D=lr``, the
covariate a store's size is never read from. Given as ``--store``, it is read as any store.
"""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pandas as pd
import pytest
from tests._cli import cli, refused
from tests.conftest import SHARED

_SWEEP = SHARED / "steplaw" / "dense_lr_bs_loss.dev.csv"
pytestmark = pytest.mark.skipif(not _SWEEP.exists(), reason="the shared data are not here")
_OPTIONS = ["--y", "smooth loss", "--seq-len", "2048", "--bootstrap", "0", "--json"]


@pytest.fixture(scope="module")
def stores(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, Path]:
    """The Step Law runs of N < 300M ingested into ``runs.duckdb``, and a copy: ``runs.db``."""
    from scalinglab.ingest import ingest

    folder = tmp_path_factory.mktemp("named")
    table = folder / "sweep.csv"
    pd.read_csv(_SWEEP).query("N < 3e8").to_csv(table, index=False)
    ingest(table, store=folder / "runs.duckdb")
    return folder / "runs.duckdb", Path(shutil.copy(folder / "runs.duckdb", folder / "runs.db"))


@pytest.mark.parametrize(
    ("command", "argument"),
    [(["hparams", "fit"], "SWEEP"), (["hparams", "backtest"], "SWEEP"), (["fit"], "RUNS"),
     (["loss2loss", "fit", "--x", "a", "--y", "b"], "RUNS"), (["curves", "fit"], "CURVES")],
)  # fmt: skip
def test_a_store_given_as_the_file_is_told_the_commands_store(
    capsys: pytest.CaptureFixture[str], stores: tuple[Path, Path], command: list[str], argument: str
) -> None:
    db = stores[1]
    error, hint = refused(capsys, [*command, str(db)])
    assert error == f"error: {db}: is a run store (DuckDB), not a table file"
    words = " ".join(command[:1] if command[0] == "fit" else command[:2])  # hparams fit
    assert (
        hint
        == f"hint: pass it with --store, in place of {argument}: scalinglab {words} --store {db}"
    )


def test_ingest_of_a_store_is_not_read_as_mlflow(
    capsys: pytest.CaptureFixture[str], stores: tuple[Path, Path], tmp_path: Path
) -> None:
    db = stores[1]
    error, hint = refused(capsys, ["ingest", str(db), "--store", str(tmp_path / "x.duckdb")])
    assert error == f"error: {db}: is a run store (DuckDB), not a table file"
    assert hint.startswith("hint: 'scalinglab ingest' reads no run store; the commands that fit")


def test_store_option_reads_a_db_named_store(
    capsys: pytest.CaptureFixture[str], stores: tuple[Path, Path]
) -> None:
    fits = {}
    for store in stores:
        code, out, err = cli(capsys, "hparams", "fit", "--store", str(store), *_OPTIONS)
        assert code == 0, err
        fits[store.suffix] = json.loads(out)
    assert len(fits[".db"]["cells"]) == 8
    assert fits[".db"]["cells"] == fits[".duckdb"]["cells"]
    assert fits[".db"]["lr_law"] == fits[".duckdb"]["lr_law"]


def test_a_missing_stored_size_is_hinted_as_of_a_store(
    capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    from scalinglab.ingest import ingest

    table = tmp_path / "no_tokens.csv"
    table.write_text("run,params,loss,lr\na,1e8,3.0,0.001\nb,2e8,2.9,0.002\nc,4e8,2.8,0.003\n")
    ingest(table, store=tmp_path / "s.duckdb")
    db = Path(shutil.copy(tmp_path / "s.duckdb", tmp_path / "s.db"))
    _, hint = refused(capsys, ["fit", "--store", str(db), "--law", "power-law:tokens"])
    assert hint == (
        "hint: no stored run has tokens: ingest the runs again with the column that holds it, "
        f"scalinglab ingest SOURCE --store {db} --map tokens=COLUMN (the runs are updated in "
        "place)"
    )
