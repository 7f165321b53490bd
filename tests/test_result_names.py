"""A JSON result under a name that says another format is refused, by ``save()`` in Python
and by every command's ``--out`` alike, before anything is written: ``fit.json.gz`` (plain
JSON that gunzip refuses; scalinglab reads results uncompressed) and a table's, page's,
figure's or store's suffix (``fit.csv``, ``fit.html``, ``fit.png``, ``fit.duckdb``).
Before: each wrote plain JSON under that name. The commands that write pages, figures and
stores on purpose keep their suffixes."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import numpy as np
import pytest
from tests._chinchilla_draws import HOFFMANN, isoflop_runs, law_curves
from tests._cli import refused
from tests._hparam_sweeps import sweep
from tests.test_cli_backtest import ladder_csv
from tests.test_cli_curves import _write_curves
from tests.test_curves import MPL_TRUE, SPECS, _synthetic
from tests.test_downstream_chain import MULTS, SIZES, models

import scalinglab as sl
from scalinglab._result_names import check_result_name, misnamed, right_name
from scalinglab.cli._output_paths import check_output
from scalinglab.curves import MultiPower

#: Names refused, each with what the file would be said to be instead of JSON ("" for a
#: compressed name, said in its own words).
_WRONG = {
    "r.json.gz": "",
    "r.csv": "not a CSV table as its .csv suffix says",
    "r.parquet": "not a Parquet table as its .parquet suffix says",
    "r.html": "not an HTML page as its .html suffix says",
    "r.png": "not a PNG image as its .png suffix says",
    "r.duckdb": "not a run store (a DuckDB database) as its .duckdb suffix says",
}


def test_the_right_name_replaces_the_format_suffixes() -> None:
    assert right_name("fit.csv") == Path("fit.json")
    assert right_name("out/fit.json.gz") == Path("out/fit.json")
    assert right_name("fit.csv.gz") == Path("fit.json")
    assert right_name("fit.v2.HTML") == Path("fit.v2.json")
    for fine in ("fit.json", "fit", "fit.out", "runs.json.bak", "fit.gzip"):
        assert misnamed(fine) is None
    assert misnamed("FIT.JSON.GZ") == ".gz" and misnamed("a.xz") == ".xz"


def test_pages_figures_and_stores_keep_their_suffixes(tmp_path: Path) -> None:
    """The commands that write those kinds on purpose are not JSON outputs: unchanged."""
    check_output(tmp_path / "r.html", option="--out", kind="html", suffixes=(".html",))
    check_output(tmp_path / "f.png", option="--plot", kind="figure", suffixes=(".png",))
    check_output(tmp_path / "s.duckdb", option="--store", kind="store")
    with pytest.raises(sl.ConfigError, match=r"would hold the plan as JSON, not an HTML page"):
        check_output(tmp_path / "r.html", option="--out", what="the plan")


def _results() -> dict[str, Any]:
    """One result of every class that has ``save``, each as small as it fits."""
    runs = sl.simulated_runs()
    frame = models(np.random.default_rng(0), SIZES, MULTS)
    frame["loss_other"] = 1.2 * (frame["loss"] - 1.5) ** 1.1 + 0.9
    curves = _synthetic(MultiPower(), MPL_TRUE, SPECS[:3], noise=0, seed=0, every=100)
    return {
        "fit": sl.fit("chinchilla", runs, bootstrap=0),
        "single-law backtest": sl.backtest(runs, law="chinchilla", holdout="largest:5",
                                           bootstrap=0),
        "law comparison": sl.compare(runs, laws=["chinchilla", "kaplan"], holdout="largest:5",
                                     bootstrap=0),
        "rolling-origin backtest": sl.rolling_backtest(runs, law="chinchilla",
                                                       holdout="largest:5", bootstrap=0),
        "IsoFLOP result": sl.isoflop(isoflop_runs(), bootstrap=0),
        "envelope result": sl.envelope(law_curves(HOFFMANN, noise=0.003, sizes=10),
                                       bootstrap=0),
        "curve fit": sl.fit_curves(curves, law="tissue", bootstrap=0),
        "hyperparameter fit": sl.fit_hparams(sweep(0), bootstrap=0, seq_len=2048),
        "chain": sl.fit_downstream(sl.read_evals(frame), law="chinchilla", bootstrap=0,
                                   max_backtest_error=None),
        "loss-to-loss fit": sl.fit_loss_to_loss(frame, x="loss", y="loss_other", bootstrap=0),
    }  # fmt: skip


@pytest.fixture(scope="module")
def results() -> dict[str, Any]:
    return _results()


def test_every_class_with_save_is_here(results: dict[str, Any]) -> None:
    """A class that gains ``save`` joins :func:`_results` (each exported one, by name)."""
    saving = {n for n in sl.__all__ if callable(getattr(getattr(sl, n), "save", None))}
    assert saving == {type(r).__name__ for r in results.values()}


@pytest.mark.parametrize("name", list(_WRONG))
@pytest.mark.parametrize(
    "what",
    ["fit", "single-law backtest", "law comparison", "rolling-origin backtest",
     "IsoFLOP result", "envelope result", "curve fit", "hyperparameter fit", "chain",
     "loss-to-loss fit"],
)  # fmt: skip
def test_save_refuses_a_name_of_another_format(
    results: dict[str, Any], tmp_path: Path, what: str, name: str
) -> None:
    path = tmp_path / "sub" / name
    with pytest.raises(sl.ConfigError) as err:
        results[what].save(path)
    said = _WRONG[name]
    if said:
        assert err.value.message == (
            f"path {str(path)!r}: the file would hold the {what} as JSON, {said}"
        )
    else:
        assert err.value.message == (
            f"path {str(path)!r}: a .gz name says gzip-compressed, but the {what} is written "
            "as plain JSON, which gunzip refuses (scalinglab reads results uncompressed)"
        )
    assert err.value.hint.startswith(f"name it {tmp_path / 'sub' / 'r.json'}")
    assert "--" not in err.value.hint  # no command-line option in a Python session
    assert not (tmp_path / "sub").exists()  # nothing written, no folder made
    # the name it says to give is written, and reads back as the same result
    right = tmp_path / "sub" / "r.json"
    results[what].save(right)
    assert type(results[what]).load(right).to_dict() == results[what].to_dict()


@pytest.fixture(scope="module")
def inputs(tmp_path_factory: pytest.TempPathFactory) -> dict[str, str]:
    """An input of every command that saves a result with --out (none is read: the name
    is refused first)."""
    folder = tmp_path_factory.mktemp("names")
    f = {"runs": str(ladder_csv(folder / "runs.csv")), "sweep": str(folder / "sweep.csv")}
    sweep(0).to_csv(f["sweep"], index=False)
    f["curves"] = str(_write_curves(folder / "curves.csv", _synthetic(
        MultiPower(), MPL_TRUE, SPECS[:3], noise=0, seed=0, every=100)))  # fmt: skip
    f["sized"] = str(folder / "sized.csv")
    law_curves(HOFFMANN, noise=0.0, sizes=16).to_csv(f["sized"], index=False)
    frame = models(np.random.default_rng(0), SIZES, MULTS)
    frame["loss_other"] = 1.2 * (frame["loss"] - 1.5) ** 1.1 + 0.9
    f["evals"] = str(folder / "evals.csv")
    frame.to_csv(f["evals"], index=False)
    return f


#: Every command whose --out saves a result of a class with ``save``, with what it is called.
_COMMANDS = {
    "fit": (["fit", "{runs}", "--bootstrap", "0"], "the fit"),
    "backtest": (["backtest", "{runs}", "--no-rolling"], "the backtest"),
    "isoflop": (["isoflop", "{runs}", "--bootstrap", "0"], "the isoflop result"),
    "envelope": (["envelope", "{sized}", "--bootstrap", "0"], "the envelope result"),
    "curves fit": (["curves", "fit", "{curves}", "--law", "tissue", "--bootstrap", "0"],
                   "the fit"),
    "hparams fit": (["hparams", "fit", "{sweep}", "--bootstrap", "0", "--seq-len", "2048"],
                    "the fit"),
    "downstream fit": (["downstream", "fit", "{evals}", "--tasks", "all", "--bootstrap", "0"],
                       "the chain"),
    "loss2loss fit": (["loss2loss", "fit", "{evals}", "--x", "loss", "--y", "loss_other",
                       "--bootstrap", "0"], "the loss-to-loss fit"),
}  # fmt: skip


@pytest.mark.parametrize("name", ["r.json.gz", "r.csv", "r.html", "r.png", "r.duckdb"])
@pytest.mark.parametrize("command", list(_COMMANDS))
def test_out_refuses_a_name_of_another_format(
    capsys: pytest.CaptureFixture[str],
    inputs: dict[str, str],
    tmp_path: Path,
    command: str,
    name: str,
) -> None:
    words, what = _COMMANDS[command]
    out = tmp_path / "sub" / name
    error, hint = refused(capsys, [*(w.format(**inputs) for w in words), "--out", str(out)])
    # the Python rule's own words, the option in place of "path"
    with pytest.raises(sl.ConfigError) as python:
        check_result_name(out, option="--out", what=what)
    assert error == f"error: {python.value.message}"
    assert hint == f"hint: {python.value.hint}"
    assert error.startswith(f"error: --out {str(out)!r}: ")
    assert hint.startswith(f"hint: name it {tmp_path / 'sub' / 'r.json'}")
    assert not (tmp_path / "sub").exists()  # refused before any work: nothing written


def test_out_names_the_command_that_writes_a_page_or_a_figure(
    capsys: pytest.CaptureFixture[str], inputs: dict[str, str], tmp_path: Path
) -> None:
    args = ["fit", inputs["runs"], "--bootstrap", "0", "--out"]
    error, hint = refused(capsys, [*args, str(tmp_path / "fit.html")])
    assert error.endswith("the file would hold the fit as JSON, not an HTML page as its "
                          ".html suffix says")  # fmt: skip
    assert hint == (
        f"hint: name it {tmp_path / 'fit.json'}; a report page is written by "
        "`scalinglab report --out`"
    )
    _, hint = refused(capsys, [*args, str(tmp_path / "fit.svg")])
    assert hint.endswith("a figure is written by `--plot`, on the commands that draw one")
    _, hint = refused(capsys, [*args, str(tmp_path / "fit.json.gz")])
    assert hint == (
        f"hint: name it {tmp_path / 'fit.json'}; to keep a compressed copy, run `gzip -k "
        f"{tmp_path / 'fit.json'}` after, and decompress it before reading it back"
    )
