"""What testing as a new user found (issue 12, item 2): each fix, asserted on the message or
the output a user sees."""

from __future__ import annotations

import html
import json
import re
import sys
from pathlib import Path

import numpy as np
import pytest
from tests._cli import cli
from tests.conftest import isoflop_runs

from scalinglab import read_runs

TRUTH = {"E": 1.69, "A": 406.4, "B": 410.7, "alpha": 0.34, "beta": 0.28}


@pytest.fixture(scope="module")
def wandb_csv(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A W&B-style export: run_name, model_size, tokens, val_loss (exactly on the law)."""
    lines = ["run_name,model_size,tokens,val_loss"]
    for n in map(float, np.geomspace(1e7, 1e9, 8)):
        for ratio in (10, 20, 40):
            d = ratio * n
            loss = TRUTH["E"] + TRUTH["A"] * n ** -TRUTH["alpha"] + TRUTH["B"] * d ** -TRUTH["beta"]
            lines.append(f"run-{n:.3g}-{ratio},{n!r},{d!r},{loss!r}")
    path = tmp_path_factory.mktemp("wandb") / "export.csv"
    path.write_text("\n".join(lines) + "\n")
    return path


def test_x_may_name_a_column_the_reader_renamed(
    capsys: pytest.CaptureFixture[str], wandb_csv: Path
) -> None:
    """`--x N=model_size` works although the reader read model_size as params."""
    code, out, _ = cli(
        capsys, "fit", str(wandb_csv), "--law", "E + A*N**-alpha", "--x", "N=model_size",
        "--y", "val_loss", "--bootstrap", "0", "--json",
    )  # fmt: skip
    assert code == 0
    assert json.loads(out)["columns"]["N"] == "model_size"  # the column it was read from


def test_x_alone_names_the_size_columns_of_a_file_without_known_names(
    capsys: pytest.CaptureFixture[str], wandb_csv: Path, tmp_path: Path
) -> None:
    """`--x N=n_par --x D=ntok` on a file whose size columns have no known name: read as
    params and tokens (it used to stop at "no model-size column")."""
    weird = tmp_path / "weird.csv"
    text = wandb_csv.read_text().splitlines()
    weird.write_text("\n".join(["who,n_par,ntok,my_loss", *text[1:]]) + "\n")
    code, out, err = cli(
        capsys, "fit", str(weird), "--x", "N=n_par", "--x", "D=ntok", "--y", "my_loss",
        "--bootstrap", "0", "--json",
    )  # fmt: skip
    assert code == 0, err
    coefs = json.loads(out)["coefs"]
    for name, truth in TRUTH.items():  # the runs lie exactly on the law
        assert coefs[name] == pytest.approx(truth, rel=1e-3)
    code, out, err = cli(
        capsys, "fit", str(weird), "--law", "E + A*N**-alpha", "--x", "N=n_par", "--y",
        "my_loss", "--bootstrap", "0",
    )  # fmt: skip
    assert code == 0, err


def test_a_missing_x_column_lists_the_columns_not_the_users_own_flag(
    capsys: pytest.CaptureFixture[str], wandb_csv: Path
) -> None:
    code, _, err = cli(
        capsys, "fit", str(wandb_csv), "--law", "E + A*N**-alpha", "--x", "N=size",
        "--y", "val_loss", "--bootstrap", "0",
    )  # fmt: skip
    assert code == 2
    assert "needs column 'size' for N, and the runs have no column 'size'" in err
    assert (
        "hint: the runs' unused numeric columns are params (read from model_size), tokens; "
        "pick one: --x N=COLUMN"
    ) in err


def test_run_name_is_the_run_column(wandb_csv: Path) -> None:
    table = read_runs(wandb_csv)
    assert table.runs[0] == "run-1e+07-10"
    assert any("run ids read from column 'run_name'" in n for n in table.notes)
    assert dict(table.origins) == {"params": "model_size", "loss": "val_loss"}


def test_map_name_sets_the_run_column(tmp_path: Path, wandb_csv: Path) -> None:
    """`--map name=COL` (or run=, run_id=, id=) names the run ids; it used to be ignored."""
    other = tmp_path / "who.csv"
    other.write_text(wandb_csv.read_text().replace("run_name", "who", 1))
    assert read_runs(other).runs[0] == "row2"  # no conventional run column
    for key in ("name", "run", "run_id"):
        table = read_runs(other, columns={key: "who"})
        assert table.runs[0] == "run-1e+07-10", key
        assert "name" not in table.labels and "who" not in table.labels


def test_json_is_a_flag_everywhere_and_never_swallows_the_input(
    capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    """`isoflop --json RUNS` used to read RUNS as the JSON output path."""
    grid = tmp_path / "grid.csv"
    isoflop_runs(seed=0).to_csv(grid, index=False)
    code, out, _ = cli(capsys, "isoflop", "--json", str(grid), "--bootstrap", "0")
    assert code == 0
    assert json.loads(out)["budgets"]
    for command in ("laws", "report", "ladder run", "backtest", "envelope", "plan"):
        code, out, _ = cli(capsys, *command.split(), "--help")
        assert code == 0 and "--json" in out, command


def test_compute_is_the_one_name_for_budgets(
    capsys: pytest.CaptureFixture[str], wandb_csv: Path
) -> None:
    """--compute everywhere; --budget and --budgets stay as older spellings."""
    for command in ("fit", "isoflop", "report"):
        code, out, _ = cli(capsys, command, "--help")
        assert code == 0 and "--compute" in out, command
    code, _, err = cli(capsys, "isoflop", str(wandb_csv), "--y", "val_loss", "--budgets", "lots")
    assert code == 2 and "--compute 'lots' is not a number" in err


def test_backtest_takes_level(capsys: pytest.CaptureFixture[str], wandb_csv: Path) -> None:
    code, out, _ = cli(
        capsys, "backtest", str(wandb_csv), "--y", "val_loss", "--holdout", "largest:3",
        "--bootstrap", "20", "--no-rolling", "--level", "0.95", "--json",
    )  # fmt: skip
    assert code == 0
    summary = json.loads(out)["laws"][0]["backtest"]["summary"]
    assert set(summary["coverage"]) == {"0.95"}
    code, _, err = cli(capsys, "backtest", str(wandb_csv), "--level", "90")
    assert code == 2 and "--level must be between 0 and 1, got 90.0" in err


def test_laws_json(capsys: pytest.CaptureFixture[str]) -> None:
    code, out, _ = cli(capsys, "laws", "--json")
    assert code == 0
    data = json.loads(out)
    assert data["format"] == "scalinglab.laws/2"
    chinchilla = next(law for law in data["laws"] if law["law"] == "chinchilla")
    assert chinchilla["coefs"] == ["E", "A", "B", "alpha", "beta"]  # as a fit's "coefs"
    hoffmann = next(p for p in data["presets"] if p["preset"] == "hoffmann2022")
    assert hoffmann["coefs"] == {"E": 1.69, "A": 406.4, "B": 410.7, "alpha": 0.34, "beta": 0.28}
    assert "params" not in chinchilla and "values" not in hoffmann


def test_gzipped_csv_and_comment_lines_are_read(tmp_path: Path, wandb_csv: Path) -> None:
    import gzip

    lines = wandb_csv.read_text().splitlines()
    text = "# exported from W&B\n" + lines[0] + "\n# a comment between rows\n"
    text += "\n".join(lines[1:]) + "\n"
    plain, packed = tmp_path / "runs.csv", tmp_path / "runs.csv.gz"
    plain.write_text(text)
    packed.write_bytes(gzip.compress(text.encode()))
    expected = read_runs(wandb_csv)
    for path in (plain, packed):
        table = read_runs(path)
        assert table.runs == expected.runs
        np.testing.assert_array_equal(table["params"], expected["params"])
    # rows keep the line numbers a user sees: the first run is on line 4 (2 comments)
    assert read_runs(packed).rows[0] == 4
    broken = tmp_path / "broken.csv.gz"
    broken.write_bytes(b"not gzip at all")
    with pytest.raises(Exception, match=r"broken\.csv\.gz: cannot read the file"):
        read_runs(broken)


def test_without_bootstrap_no_output_claims_intervals(
    capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    saved = tmp_path / "fit.json"
    code, out, _ = cli(capsys, "fit", "--bootstrap", "0", "--out", str(saved))
    assert code == 0 and "90%" not in out
    assert "compute-optimal allocation (C = 6·N·D, no intervals (see above))" in out
    assert "no intervals: no bootstrap was asked (--bootstrap 0); run with --bootstrap 200" in out
    code, out, _ = cli(capsys, "plan", "--compute", "1e23", "--fit", str(saved))
    assert code == 0 and "90%" not in out and "interval (the fit has no bootstrap)" in out
    # with resamples the level is stated
    code, out, _ = cli(capsys, "fit", "--bootstrap", "30")
    assert code == 0 and "90% intervals" in out


@pytest.mark.heavy
def test_report_is_not_silent_when_stderr_is_not_a_terminal(
    capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    """Under pytest stderr is captured, not a terminal: as in a pipe or a CI log."""
    out = tmp_path / "r.html"
    code, _, err = cli(capsys, "report", "--bootstrap", "20", "--no-validate", "--out", str(out))
    assert code == 0 and out.is_file()
    assert "fitting chinchilla to 31 runs (20 bootstrap resamples)..." in err  # bundled, real
    assert "writing the report (figures)..." in err
    # with --json, stdout holds only the JSON (the page, the command, the fit)
    code, out_text, err = cli(
        capsys, "report", "--bootstrap", "20", "--no-validate", "--out", str(out), "--json"
    )
    data = json.loads(out_text)
    assert code == 0 and data["report"] == str(out) and data["fit"]["law"] == "chinchilla"
    assert "wrote report:" in err and data["command"].startswith("scalinglab report")


@pytest.mark.heavy
def test_report_speaks_the_users_columns_and_units(
    capsys: pytest.CaptureFixture[str], wandb_csv: Path, tmp_path: Path
) -> None:
    out = tmp_path / "r.html"
    code, _, err = cli(
        capsys, "report", str(wandb_csv), "--y", "val_loss", "--bootstrap", "20",
        "--holdout", "largest:3", "--out", str(out),
    )  # fmt: skip
    assert code == 0, err
    page = html.unescape(out.read_text())
    card = page[page.index("<section id='card'>") :]
    assert "N = column 'model_size' (read as params)" in card
    assert "(column 'val_loss')" in card
    data = page[page.index("<section id='data'>") : page.index("<section id='card'>")]
    # each reading note said once, with the data (the card counts them and links there)
    assert page.count("column 'model_size' read as params") == 1
    assert "column 'model_size' read as params" in data
    assert "<th>model_size</th>" in data and "<th>val_loss</th>" in data
    assert ">10M</td>" in data  # human units, as the command line prints them
    assert "@media print { .scroll { max-height: none" in page  # the data table prints whole
    backtest = page[page.index("<th>held-out run</th>") :]
    assert backtest.startswith("<th>held-out run</th><th>flops</th><th>× fitted</th>")
    # a count over 3 runs, and the note that they cannot judge calibration, said once
    assert re.search(r"interval coverage 50%: \d of 3, 80%: \d of 3, 90%: \d of 3\.", page)
    caution = "Coverage over 3 held-out runs cannot judge calibration: each run moves it 33"
    assert caution in page and page.lower().count(caution.lower()) == 1


def _drawn(monkeypatch: pytest.MonkeyPatch, runs: object, path: Path) -> object:
    """The matplotlib Figure plot_fit draws (captured at savefig)."""
    from matplotlib.figure import Figure

    from scalinglab import fit
    from scalinglab.report import plot_fit

    seen: list[Figure] = []

    def saved(self: Figure, *args: object, **kwargs: object) -> None:
        seen.append(self)  # its figure-level texts as written: the file's title
        self.written_texts = [t.get_text() for t in self.texts]  # type: ignore[attr-defined]

    monkeypatch.setattr(Figure, "savefig", saved)
    table = read_runs(runs)  # type: ignore[arg-type]
    plot_fit(fit("chinchilla", table, bootstrap=0), table, path)
    return seen[0]


@pytest.mark.heavy  # 1.6 s in the suite on a 2-core AMD EPYC
def test_fit_plot_draws_isoflop_curves_only_for_isoflop_data(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path, wandb_csv: Path
) -> None:
    from scalinglab.report._plot import on_isoflop_grid

    grid = isoflop_runs(seed=0)
    assert on_isoflop_grid(grid["flops"].to_numpy(), grid["params"].to_numpy())
    ladder = read_runs(wandb_csv)
    assert not on_isoflop_grid(ladder["flops"], ladder["params"])

    scattered = _drawn(monkeypatch, wandb_csv, tmp_path / "a.png")
    titles = [ax.get_title() for ax in scattered.axes]  # type: ignore[attr-defined]
    assert "fitted IsoFLOP curves L(N, C/6N)" not in titles
    on_grid = _drawn(monkeypatch, grid, tmp_path / "b.png")
    assert "fitted IsoFLOP curves L(N, C/6N)" in [ax.get_title() for ax in on_grid.axes]  # type: ignore[attr-defined]
    # a short title, as a report --figures file's: the figure, the law and the data
    assert on_grid.written_texts == [  # type: ignore[attr-defined]
        f"Loss against compute: chinchilla on <DataFrame> ({len(grid)} runs)"
    ]


def test_minor_log_ticks_are_thinned_where_the_span_is_wide() -> None:
    from scalinglab.report._plot import _minor_label

    assert [_minor_label(v, sparse=True) for v in (2, 3, 4, 5, 6, 7)] == ["2", "3", "", "5", "", ""]
    assert [_minor_label(v, sparse=False) for v in (2, 3, 4)] == ["2", "3", "4"]


def test_ladder_plan_cpu_speed_matches_the_measured_cpu_ladders(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """The CPU estimate of each rung within 15% of the project's two real CPU sessions:
    examples/isoflop-tiny's 12 rungs and the README's chinchilla-tiny (its session's steps
    and seconds); one rate of 1e10 FLOP/s was 4x too long on the latter (sweep finding 14)."""
    import shutil

    import pandas as pd

    from scalinglab.cli import _ladder_plan

    monkeypatch.setattr(shutil, "which", lambda _: None)  # no GPU
    monkeypatch.delitem(sys.modules, "torch", raising=False)
    speed = _ladder_plan.default_speed()
    measured = Path(__file__).resolve().parents[1] / "examples" / "isoflop-tiny" / "runs.parquet"
    runs = pd.read_parquet(measured)
    steps = runs["tokens"] / (8 * 128)  # batch 8 of context 128
    rows = zip(runs["flops"], steps, runs["wall_s"], strict=True)
    iso = [speed.train_s(f, s) / w for f, s, w in rows]
    readme = [(5.52e10, 272, 3), (1.53e11, 394, 6), (6.19e11, 542, 15), (1.82e12, 655, 41),
              (4.06e12, 735, 87)]  # fmt: skip
    chin = [speed.train_s(f, s) / w for f, s, w in readme]
    assert all(0.85 <= r <= 1.15 for r in iso + chin), (iso, chin)
    assert "no GPU" in speed.why


def test_backtest_fit_set_and_held_out_set_as_separate_rules(
    capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    """'fit budgets <= max/8, score the top two budgets, only runs within 1.5x of each
    budget's best' (issue 12), on an IsoFLOP grid of 5 budgets x 6 sizes."""
    from scalinglab.validate import split_runs

    grid = isoflop_runs(seed=0, budgets=5, top=1e20)  # budgets 1e18 ... 1e20, 0.5 decade apart
    table = read_runs(grid)
    near = "near-best:1.5"
    split = split_runs(table, f"top-scales:2 & {near}", fit_on=f"flops<=max/8 & {near}")
    flops_test = sorted(set(split.held_out["flops"]))
    assert flops_test == pytest.approx([10**19.5, 1e20], rel=1e-9)
    assert split.fitted["flops"].max() <= 1e20 / 8
    # near-best: each budget keeps its lowest-loss run and the sizes within 1.5x of it
    for part in (split.fitted, split.held_out):
        for c in set(part["flops"]):
            members = part["flops"] == c
            all_at_c = table["flops"] == c
            best = table["params"][all_at_c][np.argmin(table["loss"][all_at_c])]
            assert np.all(np.abs(np.log(part["params"][members] / best)) <= np.log(1.5) + 1e-12)
            assert best in part["params"][members]
    assert len(split.fitted) + len(split.held_out) < len(table)  # runs in neither rule are left out
    assert "fitted on flops<=max/8 and near-best:1.5" in split.description
    # overlapping rules are refused with both named
    with pytest.raises(Exception, match="both select"):
        split_runs(table, "top-scales:2", fit_on="flops>=1e19")
    # and the command line takes --fit-on
    path = tmp_path / "grid.csv"
    grid.to_csv(path, index=False)
    code, out, err = cli(
        capsys, "backtest", str(path), "--holdout", "top-scales:2", "--fit-on", "flops<=max/8",
        "--bootstrap", "20", "--no-rolling", "--json",
    )  # fmt: skip
    assert code == 0, err
    data = json.loads(out)
    assert data["n_held_out"] == 12 and "fitted on flops<=max/8" in data["holdout_description"]


def test_python_backtest_can_show_progress(capsys: pytest.CaptureFixture[str]) -> None:
    """progress=True: lines on stderr (here a capture, not a terminal: one per stage's end)."""
    from scalinglab import backtest

    table = read_runs(isoflop_runs(seed=1))
    backtest(table, law="chinchilla", holdout="largest:4", bootstrap=20, progress=True)
    err = capsys.readouterr().err.splitlines()
    assert "fit: 4500/4500" in err and "bootstrap: 20/20" in err  # counted in resamples
    backtest(table, law="chinchilla", holdout="largest:4", bootstrap=20)
    assert capsys.readouterr().err == ""  # silent unless asked


def test_report_first_figure_shows_the_law_at_each_run(wandb_csv: Path) -> None:
    """Against N or D the compute-optimal line is an envelope the runs lie above; the figure
    now says so and draws the law's value at each run, which matches the runs."""
    from scalinglab import fit
    from scalinglab.report._report_figures import fit_figures

    table = read_runs(wandb_csv)
    result = fit("chinchilla", table, bootstrap=0)
    figures, _ = fit_figures(result, table)
    scaling = next(f for f in figures if f.key == "loss-scaling")
    n_panel = scaling.figure.axes[0]
    labels = [t.get_text() for t in n_panel.get_legend().get_texts()]
    assert "compute-optimal envelope L*(C)" in labels and "the law at each run" in labels
    circles = next(c for c in n_panel.collections if c.get_label() == "the law at each run")
    drawn = np.asarray(circles.get_offsets())[:, 1]
    np.testing.assert_allclose(drawn, table["loss"], rtol=1e-6)  # exact data: the law hits them
    assert "lower envelope" in scaling.caption


@pytest.mark.heavy  # 1.7 s in the suite on a 2-core AMD EPYC
def test_format_works_wherever_plot_does(
    capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    grid = tmp_path / "grid.csv"
    isoflop_runs(seed=0).to_csv(grid, index=False)
    base = tmp_path / "figure"
    runs = [
        ("backtest", str(grid), "--holdout", "largest:4", "--bootstrap", "20", "--no-rolling"),
        ("isoflop", str(grid), "--bootstrap", "0"),
    ]
    for args in runs:
        code, _, err = cli(capsys, *args, "--plot", str(base), "--format", "pdf")
        assert code == 0, err
        written = base.with_name("figure.pdf")
        assert written.read_bytes()[:5] == b"%PDF-", args[0]
        written.unlink()
        code, _, err = cli(capsys, *args, "--format", "pdf")
        assert code == 2 and "--format sets the format of --plot, and no --plot was given" in err


def test_rows_that_repeat_exactly_without_run_ids_get_a_note(tmp_path: Path) -> None:
    lines = ["params,tokens,loss", "1e7,2e8,3.5", "2e7,4e8,3.2", "1e7,2e8,3.5", "4e7,8e8,3.0"]
    path = tmp_path / "noid.csv"
    path.write_text("\n".join(lines) + "\n")
    notes = [n for n in read_runs(path).notes if "another exactly in" in n]
    assert notes == [
        "1 row repeats another exactly in params, tokens, flops, loss (rows 2 and 4): a run "
        "counted twice weighs twice in the fit; drop the repeats, or name runs with a run-id "
        "column"
    ]
    path.write_text("\n".join([*lines[:3], "1e7,2e8,3.6"]) + "\n")  # same size, other loss
    assert not any("repeat" in n for n in read_runs(path).notes)
