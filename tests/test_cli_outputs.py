"""No command writes over a file it was given: every ``--out``, ``--plot`` and written store is
refused, before any work, when it is one of the command's inputs (the same path spelled
another way, a symlink, a hard link), lies inside a folder it reads (JSON), or is an
existing file plainly of another kind (a run store, a run table where JSON goes); the input
keeps its bytes. Rewriting one's own fit.json or figure still works."""

from __future__ import annotations

import os
from pathlib import Path

import pandas as pd
import pytest
from tests._chinchilla_draws import HOFFMANN, isoflop_runs, law_curves
from tests._hashes import unchanged
from tests._stores import store_of

from scalinglab.cli import main

pytestmark = pytest.mark.filterwarnings("ignore")


def _runs(tmp_path: Path, name: str = "runs.csv") -> Path:
    rows = []
    for i in range(12):
        N, D = 1e7 * 2 ** (i % 4), 1e9 * 2 ** (i // 4)
        rows.append(f"r{i},{N:g},{D:g},{1.9 + 500 * N**-0.35 + 1500 * D**-0.3:.5f}")
    path = tmp_path / name
    path.write_text("run,params,tokens,loss\n" + "\n".join(rows) + "\n", encoding="utf-8")
    return path


def refused(capsys: pytest.CaptureFixture[str], *args: object, keep: Path) -> str:
    """Run the CLI, expect exit 2 and one error with a hint; ``keep`` must keep its bytes."""
    with unchanged(keep):
        code = main([str(a) for a in args])
    out, err = capsys.readouterr()
    assert code == 2, err
    assert err.startswith("error: ") and "\nhint: " in err and "Traceback" not in err
    assert "wrote" not in out + err
    return err


# -- the same file as an input -------------------------------------------------------------


@pytest.mark.parametrize("spelling", ["same", "dot", "hardlink", "symlink"])
def test_fit_out_is_the_run_table(
    capsys: pytest.CaptureFixture[str], tmp_path: Path, spelling: str
) -> None:
    runs = _runs(tmp_path)
    out = {"same": runs, "dot": tmp_path / "." / "runs.csv"}.get(spelling, tmp_path / "o.json")
    if spelling == "hardlink":
        os.link(runs, out)
    elif spelling == "symlink":
        out.symlink_to(runs)
    err = refused(capsys, "fit", runs, "--bootstrap", "0", "--out", out, keep=runs)
    assert f"error: --out {str(out)!r} is the same file as RUNS {str(runs)!r}: this command " in err
    assert "writing the fit there would destroy it" in err
    assert "hint: write the fit somewhere else, e.g. --out fit.json" in err


def test_fit_out_is_the_store_and_the_store_stays_readable(
    capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    table = pd.read_csv(_runs(tmp_path))
    store = store_of(table, tmp_path / "s.duckdb")
    err = refused(capsys, "fit", "--store", store, "--bootstrap", "0", "--out", store, keep=store)
    assert f"--out {str(store)!r} is the same file as --store {str(store)!r}" in err
    assert main(["runs", "--store", str(store), "--json"]) == 0  # still a store
    assert '"r11"' in capsys.readouterr().out


def test_fit_plot_is_an_input_by_a_symlink(
    capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    runs = _runs(tmp_path)
    (tmp_path / "runs.png").symlink_to(runs)
    err = refused(capsys, "fit", runs, "--plot", tmp_path / "runs.png", keep=runs)
    assert "error: --plot" in err and f"is the same file as RUNS {str(runs)!r}" in err
    assert "hint: write the figure somewhere else, e.g. --plot fit.png" in err


def test_isoflop_and_backtest_out_is_the_run_table(
    capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    runs = _runs(tmp_path)
    err = refused(capsys, "isoflop", runs, "--out", runs, keep=runs)
    assert f"--out {str(runs)!r} is the same file as RUNS" in err and "--out iso.json" in err
    assert "writing the isoflop result there would destroy it" in err  # not "the result"
    err = refused(capsys, "backtest", runs, "--out", runs, keep=runs)
    assert "is the same file as RUNS" in err and "--out backtest.json" in err
    assert "writing the backtest there would destroy it" in err


def test_envelope_out_is_the_runs_file(capsys: pytest.CaptureFixture[str], tmp_path: Path) -> None:
    curves = tmp_path / "curves.csv"
    curves.write_text("run,step,loss\na,1,3.0\n", encoding="utf-8")
    runs = tmp_path / "runs.csv"
    runs.write_text("run,params\na,1e8\n", encoding="utf-8")
    err = refused(capsys, "envelope", curves, "--runs", runs, "--out", runs, keep=runs)
    assert f"--out {str(runs)!r} is the same file as --runs {str(runs)!r}" in err
    assert "writing the envelope result there would destroy it" in err


def test_report_out_is_the_run_table_by_a_symlink(
    capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    runs = _runs(tmp_path)
    page = tmp_path / "report.html"
    page.symlink_to(runs)
    err = refused(capsys, "report", runs, "--out", page, keep=runs)
    assert f"--out {str(page)!r} is the same file as RUNS {str(runs)!r}" in err
    assert "hint: write the report somewhere else, e.g. --out report.html" in err


def test_curves_fit_out_is_a_curve_file_or_inside_the_curves_folder(
    capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    folder = tmp_path / "25M"
    folder.mkdir()
    curve = folder / "cosine.csv"
    curve.write_text("step,lr,loss\n1,1e-3,3.0\n2,1e-3,2.9\n", encoding="utf-8")
    err = refused(capsys, "curves", "fit", curve, "--out", curve, keep=curve)
    assert f"--out {str(curve)!r} is the same file as CURVES {str(curve)!r}" in err
    assert "e.g. --out curve.json" in err
    fit = folder / "fit.json"  # not written yet: the next read of the folder would take it
    err = refused(capsys, "curves", "fit", folder, "--out", fit, keep=folder)
    assert f"--out {str(fit)!r} is inside CURVES {str(folder)!r}, a folder this command " in err
    assert not fit.exists()


def test_curves_backtest_plot_is_checked_before_the_curves_are_read(
    capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    curve = tmp_path / "c.csv"
    curve.write_text("step,lr,loss\n1,1e-3,3.0\n", encoding="utf-8")
    figure = tmp_path / "notes.svg"  # text that is no SVG
    figure.write_text("params,tokens,loss\n", encoding="utf-8")
    err = refused(
        capsys, "curves", "backtest", curve, "--train", "c", "--plot", figure, keep=figure
    )
    assert f"--plot {str(figure)!r} already exists and is not a .svg image (it begins " in err


def test_downstream_fit_and_report_out_is_an_input(
    capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    evals = tmp_path / "evals.csv"
    evals.write_text("run,params,tokens,loss,acc_x\na,1e8,1e9,3.0,0.3\n", encoding="utf-8")
    runs = tmp_path / "runs.json"
    runs.write_text('[{"run": "a", "params": 1e8}]', encoding="utf-8")
    err = refused(capsys, "downstream", "fit", evals, "--runs", runs, "--out", runs, keep=runs)
    assert f"--out {str(runs)!r} is the same file as --runs {str(runs)!r}" in err
    assert "e.g. --out ds.json" in err
    assert "writing the chain there would destroy it" in err  # as DownstreamFit.load reads it
    err = refused(capsys, "downstream", "backtest", evals, "--out", evals, keep=evals)
    assert "writing the backtest there would destroy it" in err
    page = tmp_path / "page.html"
    page.symlink_to(evals)
    err = refused(capsys, "downstream", "report", evals, "--out", page, keep=evals)
    assert f"--out {str(page)!r} is the same file as EVALS {str(evals)!r}" in err


def test_hparams_fit_out_is_the_sweep(capsys: pytest.CaptureFixture[str], tmp_path: Path) -> None:
    sweep = _runs(tmp_path, "sweep.csv")
    err = refused(capsys, "hparams", "fit", sweep, "--out", sweep, keep=sweep)
    assert f"--out {str(sweep)!r} is the same file as SWEEP {str(sweep)!r}" in err
    assert "writing the fit there would destroy it" in err


def test_a_written_store_is_not_an_input(
    capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    runs = _runs(tmp_path)
    err = refused(capsys, "ingest", runs, "--store", tmp_path / "." / "runs.csv", keep=runs)
    assert "--store" in err and f"is the same file as SOURCE {str(runs)!r}" in err
    assert "hint: write the store somewhere else, e.g. --store runs.duckdb" in err
    history = tmp_path / "history.csv"
    history.write_text("run,step,loss\nr0,1,3.0\n", encoding="utf-8")
    err = refused(capsys, "ingest", runs, "--history", history, "--store", history, keep=history)
    assert f"is the same file as --history {str(history)!r}" in err
    recipe = tmp_path / "ladder.toml"
    recipe.write_text('name = "x"\n', encoding="utf-8")
    err = refused(capsys, "ladder", "run", recipe, "--store", recipe, keep=recipe)
    assert f"--store {str(recipe)!r} is the same file as LADDER {str(recipe)!r}" in err


# -- an existing file of another kind ------------------------------------------------------


def test_json_out_over_a_store_or_a_run_table_is_refused(
    capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    runs = _runs(tmp_path)
    store = store_of(pd.read_csv(runs), tmp_path / "other.duckdb")
    err = refused(capsys, "fit", runs, "--out", store, keep=store)
    assert f"--out {str(store)!r} already exists and is a run store (a DuckDB database)" in err
    # deleting a .duckdb or .csv would only meet the refusal of the name itself
    assert "delete the file first" not in err
    other = _runs(tmp_path, "other.csv")
    err = refused(capsys, "isoflop", runs, "--out", other, keep=other)
    assert "already exists and is a .csv file (a run table or data), not a JSON result" in err
    assert "delete the file first" not in err
    array = tmp_path / "runs.json"
    array.write_text('[{"params": 1e8, "tokens": 1e9, "loss": 3.0}]', encoding="utf-8")
    err = refused(capsys, "backtest", runs, "--out", array, keep=array)
    assert "already exists and is a JSON array (a run table), not a JSON result" in err
    assert "or delete the file first if it should go" in err  # a .json name may hold one
    page = tmp_path / "old.html"
    page.write_text("run,params\n", encoding="utf-8")
    err = refused(capsys, "report", runs, "--out", page, keep=page)
    assert "already exists and is not HTML (it begins 'run,params')" in err


@pytest.mark.heavy  # 3.1 s in the suite on a 2-core AMD EPYC
def test_rewriting_ones_own_fit_and_figure_still_works(
    capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    runs = _runs(tmp_path)
    out, plot = tmp_path / "fit.json", tmp_path / "fit.svg"
    args = ["fit", str(runs), "--bootstrap", "0", "--no-compare", "--out", str(out)]
    for _ in range(2):
        assert main([*args, "--plot", str(plot)]) == 0
    said = [line for line in capsys.readouterr().out.splitlines() if line.startswith("wrote ")]
    again = " (replaced the earlier file)"  # the second run says what it wrote over
    assert said == [
        f"wrote fit: {out}",
        f"wrote figure: {plot}",
        f"wrote fit: {out}{again}",
        f"wrote figure: {plot}{again}",
    ]
    assert out.read_text(encoding="utf-8").startswith('{\n  "format": "scalinglab.fit/1"')


def test_loss2loss_fit_out_is_the_run_table(
    capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    runs = _runs(tmp_path, "runs.json")
    runs.write_text('[{"params": 1e8, "tokens": 1e9, "loss": 3.0, "loss_b": 3.1}]', "utf-8")
    err = refused(capsys, "loss2loss", "fit", runs, "--x", "loss", "--y", "loss_b", "--out", runs,
                  keep=runs)  # fmt: skip
    assert f"error: --out {str(runs)!r} is the same file as RUNS {str(runs)!r}" in err
    assert "writing the loss-to-loss fit there would destroy it" in err
    assert "hint: write the loss-to-loss fit somewhere else, e.g. --out l2l.json" in err


def test_a_result_of_another_kind_is_not_replaced(
    capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    runs, fit = _runs(tmp_path), tmp_path / "fit.json"
    assert main(["fit", str(runs), "--bootstrap", "0", "--no-compare", "--out", str(fit)]) == 0
    capsys.readouterr()
    args = ["loss2loss", "fit", runs, "--x", "loss", "--y", "loss_b", "--out", fit]
    err = refused(capsys, *args, keep=fit)
    assert (
        f"error: --out {str(fit)!r} already exists and is a scaling-law fit (`scalinglab fit "
        "--out`) (format 'scalinglab.fit/1'): writing the loss-to-loss fit there would replace "
        "it\nhint: write the loss-to-loss fit somewhere else, e.g. --out l2l.json; or delete "
        "the file first if it should go\n"
    ) == err
    curve = tmp_path / "curve.json"  # a big one is told by its first key
    curve.write_text('{"format": "scalinglab.curve_fit/1", "pad": "' + "x" * (2 << 20) + '"}')
    err = refused(capsys, "fit", runs, "--out", curve, keep=curve)
    assert (
        "already exists and is a curve fit (format 'scalinglab.curve_fit/1'): writing the fit"
        in err
    )
    # a JSON object of a format not scalinglab's is replaced, as before
    other = tmp_path / "other.json"
    other.write_text('{"format": "someone.else/2"}', encoding="utf-8")
    assert main(["fit", str(runs), "--bootstrap", "0", "--no-compare", "--out", str(other)]) == 0


def test_an_output_without_a_format_replaces_no_result(
    capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    """plan --out writes JSON with no "format": it still may not replace a fit (it did)."""
    fit_file = tmp_path / "fit.json"
    assert main(["fit", "--bootstrap", "0", "--no-compare", "--out", str(fit_file)]) == 0
    capsys.readouterr()
    keep = tmp_path / "keep.json"  # another fit, not this plan's input
    keep.write_bytes(fit_file.read_bytes())
    err = refused(capsys, "plan", "--compute", "1e23", "--fit", fit_file, "--out", keep, keep=keep)
    assert "is a scaling-law fit" in err
    plan = tmp_path / "plan.json"
    for _ in range(2):  # a plan over a plan: fine
        assert main(["plan", "--compute", "1e23", "--fit", str(fit_file), "--out", str(plan)]) == 0


@pytest.mark.heavy  # 2.2 s in the suite on a 2-core AMD EPYC
def test_an_image_is_named_where_json_goes_and_replaced_where_a_figure_goes(
    capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    runs, image = _runs(tmp_path), tmp_path / "fit.json"
    image.write_bytes(b"\x89PNG\r\n\x1a\n" + bytes(64))
    err = refused(capsys, "fit", runs, "--bootstrap", "0", "--out", image, keep=image)
    assert f"{image}" in err and "is a PNG image" in err
    png = tmp_path / "fit.png"
    png.write_bytes(b"\x89PNG\r\n\x1a\n" + bytes(64))
    assert main(["fit", str(runs), "--bootstrap", "0", "--plot", str(png)]) == 0
    assert png.stat().st_size > 1000  # the figure replaced the old one


# -- what a written file is named --------------------------------------------------------


def test_isoflop_and_envelope_out_name_their_result(
    capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    """They name what they wrote, as fit (``wrote fit:``), plan and backtest do, where
    they said ``wrote results:``, which any command could say."""
    runs, curves, sizes = tmp_path / "runs.csv", tmp_path / "curves.csv", tmp_path / "sizes.csv"
    isoflop_runs().to_csv(runs, index=False)
    frame = law_curves(HOFFMANN, noise=0.0, sizes=8)
    frame.drop(columns="params").to_csv(curves, index=False)
    frame.groupby("run", sort=False)["params"].first().reset_index().to_csv(sizes, index=False)
    iso, env = tmp_path / "iso.json", tmp_path / "env.json"
    assert main(["isoflop", str(runs), "--bootstrap", "0", "--out", str(iso)]) == 0
    assert f"wrote isoflop result: {iso}" in capsys.readouterr().out.splitlines()
    args = ["envelope", str(curves), "--runs", str(sizes), "--bootstrap", "0", "--out", str(env)]
    assert main(args) == 0
    assert f"wrote envelope result: {env}" in capsys.readouterr().out.splitlines()
