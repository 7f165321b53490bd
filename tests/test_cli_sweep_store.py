"""``--store`` on ``hparams fit``, ``hparams backtest`` and ``loss2loss fit``: the runs of a
run store read as ``fit --store`` reads them, fitted as the table ingested into it is.

Before, these commands had no ``--store``, and a store given as their file was told to
"pass --store on the command line", an option they did not have. Each store here is a real
``ingest`` of a real table (the Step Law sweep, the over-training runs), and each fit of it is
compared with the fit of that table itself, not with constants.
"""

from __future__ import annotations

import json
from pathlib import Path

import numpy as np
import pandas as pd
import pytest
from tests._cli import cli, refused
from tests.conftest import SHARED

_SWEEP = SHARED / "steplaw" / "dense_lr_bs_loss.dev.csv"
_MODELS = SHARED / "overtraining" / "models.dev.csv"
pytestmark = pytest.mark.skipif(
    not (_SWEEP.exists() and _MODELS.exists()), reason="the shared data sets are not here"
)
#: What both reads of the sweep take: its smoothed loss, its batch in sequences of 2048.
_SWEEP_OPTIONS = ["--y", "smooth loss", "--seq-len", "2048", "--json"]


@pytest.fixture(scope="module")
def sweep(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, Path]:
    """A sweep of two corpora (``dataset`` a: Step Law's runs of N < 500M, every third;
    b: the same grid with a loss that grows with lr) as a table, and ingested into a store."""
    from scalinglab.ingest import ingest

    folder = tmp_path_factory.mktemp("sweep")
    runs = pd.read_csv(_SWEEP)
    runs = runs[runs["N"] < 5e8].iloc[::3]
    tilted = runs["smooth loss"] * (1 + 0.02 * runs["lr"] / runs["lr"].max())
    other = runs.assign(dataset="b", exp_name="b_" + runs["exp_name"], **{"smooth loss": tilted})
    table = folder / "sweep.csv"
    pd.concat([runs.assign(dataset="a"), other]).to_csv(table, index=False)
    store = folder / "sweep.duckdb"
    ingest(table, store=store)
    return table, store


@pytest.fixture(scope="module")
def models(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The over-training runs ingested with their C4 loss as the loss, the other loss_*
    columns kept in each run's extra."""
    from scalinglab.ingest import ingest

    store = tmp_path_factory.mktemp("models") / "models.duckdb"
    ingest(_MODELS, store=store, mapping={"loss": "loss_c4_val"})
    return store


def _json(capsys: pytest.CaptureFixture[str], *args: str) -> dict:
    code, out, err = cli(capsys, *args)
    assert code == 0, err
    data: dict = json.loads(out)
    return data


def _coefs(fit: dict) -> dict[str, float]:
    return {
        f"{law}.{k}": v for law in ("lr_law", "batch_law") for k, v in fit[law]["coefs"].items()
    }


@pytest.mark.heavy  # 1.8 s in the suite on a 2-core AMD EPYC
def test_hparams_fit_store_fits_as_the_table(
    capsys: pytest.CaptureFixture[str], sweep: tuple[Path, Path]
) -> None:
    table, store = sweep
    from_file = _json(capsys, "hparams", "fit", str(table), "--where", "dataset=a",
                      "--bootstrap", "0", *_SWEEP_OPTIONS)  # fmt: skip
    from_store = _json(capsys, "hparams", "fit", "--store", str(store), "--where", "dataset=a",
                       "--bootstrap", "0", *_SWEEP_OPTIONS)  # fmt: skip
    assert (
        from_store["source"] == f"{store} where dataset = a ({from_file['source'].split(' (')[1]}"
    )
    assert len(from_store["cells"]) == len(from_file["cells"]) == 12
    for mine, theirs in zip(from_store["cells"], from_file["cells"], strict=True):
        assert mine["keys"] == theirs["keys"] and mine["best_run"] == theirs["best_run"]
        assert mine["lr"] == pytest.approx(theirs["lr"], rel=1e-12)
        assert mine["batch"] == pytest.approx(theirs["batch"], rel=1e-12)
    assert _coefs(from_store) == pytest.approx(_coefs(from_file), rel=1e-12)
    # --where selected: the other corpus' optima sit elsewhere, and so do its laws
    other = _json(capsys, "hparams", "fit", "--store", str(store), "--where", "dataset=b",
                  "--bootstrap", "0", *_SWEEP_OPTIONS)  # fmt: skip
    assert other["lr_law"]["coefs"]["A"] != pytest.approx(from_file["lr_law"]["coefs"]["A"])
    # --map loss=COLUMN names the store's column the optima are located on, as --y does
    mapped = _json(capsys, "hparams", "fit", "--store", str(store), "--where", "dataset=a",
                   "--bootstrap", "0", "--map", "loss=smooth loss", "--seq-len", "2048",
                   "--json")  # fmt: skip
    assert _coefs(mapped) == pytest.approx(_coefs(from_file), rel=1e-12)


def test_hparams_backtest_store_scores_as_the_table(
    capsys: pytest.CaptureFixture[str], sweep: tuple[Path, Path]
) -> None:
    table, store = sweep
    args = ["--where", "dataset=a", "--holdout", "top-scales:1", *_SWEEP_OPTIONS]
    from_file = _json(capsys, "hparams", "backtest", str(table), *args)
    from_store = _json(capsys, "hparams", "backtest", "--store", str(store), *args)
    assert from_store["fitted_cells"] == from_file["fitted_cells"]
    assert from_store["held_out"] and len(from_store["held_out"]) == len(from_file["held_out"])
    for mine, theirs in zip(from_store["held_out"], from_file["held_out"], strict=True):
        numbers = {k: v for k, v in theirs.items() if isinstance(v, float) and np.isfinite(v)}
        assert numbers and {k: mine[k] for k in numbers} == pytest.approx(numbers, rel=1e-12)
        assert {k: v for k, v in mine.items() if k not in numbers} == {
            k: v for k, v in theirs.items() if k not in numbers
        }


@pytest.mark.heavy  # 2.5 s in the suite on a 2-core AMD EPYC
def test_loss2loss_fit_store_fits_as_the_table(
    capsys: pytest.CaptureFixture[str], models: Path
) -> None:
    common = ["--y", "loss_paloma_code", "--where", "dataset=rpj", "--bootstrap", "0", "--json"]
    from_file = _json(capsys, "loss2loss", "fit", str(_MODELS), "--x", "loss_c4_val", *common)
    # the store keeps the loss ingest read (loss_c4_val) as 'loss'
    from_store = _json(capsys, "loss2loss", "fit", "--store", str(models), "--x", "loss", *common)
    (mine,) = from_store["fits"].values()
    (theirs,) = from_file["fits"].values()
    assert mine["n_runs"] == theirs["n_runs"] == 32
    assert mine["coefs"] == pytest.approx(theirs["coefs"], rel=1e-9)


@pytest.mark.heavy  # 2.1 s in the suite on a 2-core AMD EPYC
def test_a_store_without_the_columns_says_which_and_where(
    capsys: pytest.CaptureFixture[str], models: Path, sweep: tuple[Path, Path]
) -> None:
    error, hint = refused(capsys, ["loss2loss", "fit", "--store", str(models), "--x",
                                   "loss_c4_val", "--y", "loss_paloma_code"])  # fmt: skip
    assert error.startswith(
        f"error: --x 'loss_c4_val': the runs of the store {models} hold no such loss; they "
        "hold 'loss' (the loss each run was stored with) and loss_de_en, loss_openlm,"
    )
    assert hint.startswith("hint: choose --x among them")
    # a store ingested from the sweep less its lr column: no learning rate to locate
    table = sweep[0].parent / "no_lr.csv"
    pd.read_csv(sweep[0]).drop(columns=["lr"]).to_csv(table, index=False)
    from scalinglab.ingest import ingest

    store = table.with_suffix(".duckdb")
    ingest(table, store=store)
    error, hint = refused(capsys, ["hparams", "fit", "--store", str(store)])
    assert error.startswith(f"error: {store}: no learning-rate column (looked for lr,")
    assert hint == "hint: say which column holds the peak learning rate: --lr COLUMN"


@pytest.mark.parametrize(
    "command",
    [["hparams", "fit"], ["hparams", "backtest"], ["loss2loss", "fit", "--x", "a", "--y", "b"]],
)
def test_a_file_and_a_store_together_are_refused(
    capsys: pytest.CaptureFixture[str], sweep: tuple[Path, Path], command: list[str]
) -> None:
    table, store = sweep
    argument = "SWEEP" if command[0] == "hparams" else "RUNS"
    words = " ".join(command[:2])
    example = (
        f"hint: scalinglab {words} {argument.lower()}.csv ... or scalinglab {words} --store "
        "runs.duckdb"
    )
    assert refused(capsys, [*command, str(table), "--store", str(store)]) == (
        f"error: give {argument} or --store, not both",
        example,
    )
    assert refused(capsys, command) == (f"error: give {argument} or --store, one of them", example)


def test_map_on_a_store_names_only_its_lr_batch_and_loss(
    capsys: pytest.CaptureFixture[str], sweep: tuple[Path, Path]
) -> None:
    store = sweep[1]
    error, hint = refused(capsys, ["hparams", "fit", "--store", str(store), "--map", "tokens=ti"])
    assert error == (
        f"error: --map tokens=ti: the runs of the store {store} carry their own tokens; "
        "--map there names the lr, batch or loss column"
    )
    error, hint = refused(
        capsys, ["hparams", "fit", "--store", str(store), "--map", "lr=bs", "--lr", "lr"]
    )
    assert error == "error: --map lr=bs and --lr lr name two columns as lr"
    assert hint == "hint: give one of them: --lr bs"


@pytest.mark.heavy
def test_report_hparams_store_writes_the_tables_page(
    capsys: pytest.CaptureFixture[str], sweep: tuple[Path, Path]
) -> None:
    """``report --store S --hparams`` was refused ("give the sweep as a file"): its page is
    the table's, but for the sweep's name and the card's command (its N's convention, once
    "params: total parameters, as stored", is now the table's: the store keeps the column
    ingest read N from)."""
    table, store = sweep
    pages = {}
    for name, source in (("file", [str(table)]), ("store", ["--store", str(store)])):
        out = store.parent / f"{name}.html"
        code, _, err = cli(capsys, "report", *source, "--hparams", "--where", "dataset=a",
                           "--y", "smooth loss", "--seq-len", "2048", "--bootstrap", "0",
                           "--out", str(out))  # fmt: skip
        assert code == 0, err
        pages[name] = out.read_text().split(">")
    assert len(pages["store"]) == len(pages["file"])
    differ = [(a, b) for a, b in zip(pages["store"], pages["file"], strict=True) if a != b]
    assert [a.split(" ")[0] for a, _ in differ] == ["Sweep:", "scalinglab"]
    assert differ[0][0].startswith(
        f"Sweep: {store} where dataset = a (468 of its 936 runs selected"
    )
    assert differ[1][0].startswith(f"scalinglab report --store {store} --hparams --out ")
    variables = [a for a in pages["store"] if a.startswith("Variables:")]
    assert variables == [a for a in pages["file"] if a.startswith("Variables:")]
    assert variables[0].startswith(
        "Variables: N: as given in column &#x27;N&#x27; (with or without embeddings: not recorded);"
    )
