"""``scalinglab report`` and ``fit --format``, driven through ``main([...])``."""

from __future__ import annotations

import html
import json
import re
import shlex
from pathlib import Path

import pandas as pd
import pytest
from tests._cli import cli
from tests.conftest import SHARED, isoflop_runs

from scalinglab.cli import main


def _frame() -> pd.DataFrame:
    runs = isoflop_runs(seed=5).drop(columns="flops")
    runs.insert(0, "run", [f"run-{i}" for i in range(len(runs))])
    return runs.rename(columns={"params": "n_params", "loss": "val_loss"})


@pytest.fixture(scope="module")
def runs_csv(tmp_path_factory: pytest.TempPathFactory) -> Path:
    path = tmp_path_factory.mktemp("runs") / "runs.csv"
    _frame().to_csv(path, index=False)
    return path


@pytest.mark.heavy
def test_report_from_a_table(
    capsys: pytest.CaptureFixture[str], runs_csv: Path, tmp_path: Path
) -> None:
    out = tmp_path / "report.html"
    code, stdout, err = cli(
        capsys, "report", str(runs_csv), "--map", "params=n_params", "--y", "loss=val_loss",
        "--bootstrap", "20", "--budget", "1e22", "--out", str(out),
        "--figures", str(tmp_path / "figs"), "--format", "png",
    )  # fmt: skip
    assert code == 0, err
    assert f"wrote report: {out}" in stdout
    figures = sorted(p.name for p in (tmp_path / "figs").iterdir())
    assert figures == [
        "backtest.png", "frontier.png", "isoflop.png", "loss-scaling.png", "residuals.png",
    ]  # fmt: skip
    assert all((tmp_path / "figs" / f).read_bytes().startswith(b"\x89PNG") for f in figures)
    page = out.read_text(encoding="utf-8")
    sections = re.findall(r"<section id='([a-z-]+)'>", page)
    assert sections == ["fit", "figures", "plan", "backtest", "isoflop", "data", "card"]
    assert "SIMULATED" not in page
    card = html.unescape(page[page.index("<section id='card'>") :])
    command = re.search(r"command</th><td>([^<]*)</td>", card)
    assert command is not None
    assert command[1] == (
        f"scalinglab report {runs_csv} --out {out} --law chinchilla --map params=n_params "
        "--compute 1e22 --y loss=val_loss --robust-loss huber --delta 0.001 --space log "
        "--bootstrap 20 --level 0.9 --seed 0 --holdout top-decile "
        f"--figures {tmp_path / 'figs'} --format png"
    )
    # the plan row is the budget asked for
    plan = page[page.index("<table class='plan'>") :]
    assert re.findall(r"<tr><td class='num' data-value='([^']*)'", plan)[0] == "1e+22"


@pytest.mark.heavy  # 2.2 s in the suite on a 2-core AMD EPYC
def test_report_command_reproduces_the_report(
    capsys: pytest.CaptureFixture[str], runs_csv: Path, tmp_path: Path
) -> None:
    """The card's command, run again, writes the same page (the fit is deterministic)."""
    first = tmp_path / "a.html"
    args = ["report", str(runs_csv), "--map", "params=n_params", "--y", "val_loss",
            "--law", "E + A*N**-alpha", "--bootstrap", "10", "--no-validate",
            "--out", str(first)]  # fmt: skip
    assert cli(capsys, *args)[0] == 0
    page = first.read_text(encoding="utf-8")
    command = re.search(r"command</th><td>scalinglab ([^<]*)</td>", html.unescape(page))
    assert command is not None
    first.unlink()
    assert cli(capsys, *shlex.split(command[1]))[0] == 0  # writes to the same --out
    assert first.read_text(encoding="utf-8") == page


@pytest.mark.heavy  # 1.8 s in the suite on a 2-core AMD EPYC
def test_report_default_data_is_real(capsys: pytest.CaptureFixture[str], tmp_path: Path) -> None:
    """Without RUNS or --store: the bundled real runs, named with their source on the page and
    in the reproducing command; ``--data simulated`` keeps the simulated ladder, marked."""
    out = tmp_path / "r.html"
    code, stdout, _ = cli(
        capsys, "report", "--law", "power-law", "--bootstrap", "0", "--no-validate",
        "--out", str(out),
    )  # fmt: skip
    assert code == 0
    page = html.unescape(out.read_text(encoding="utf-8"))
    assert "SIMULATED" not in stdout + page
    assert "overtraining-c4: open_lm models" in page and "Gadre et al. 2024" in page
    assert "scalinglab report --data overtraining-c4 --out" in page
    # the plan's default budgets are spelled: the command remakes the page's plan table
    assert "--compute 1e21,1e22,1e23,1e24 --robust-loss huber" in page
    code, stdout, _ = cli(
        capsys, "report", "--law", "power-law", "--bootstrap", "0", "--no-validate",
        "--out", str(out), "--data", "simulated",
    )  # fmt: skip
    assert code == 0
    assert stdout.startswith("SIMULATED DATA")
    assert "SIMULATED DATA" in out.read_text(encoding="utf-8")


@pytest.mark.heavy
def test_report_figures_beside_it(capsys: pytest.CaptureFixture[str], tmp_path: Path) -> None:
    fmt, magic = "pdf", b"%PDF"
    out = tmp_path / "r.html"
    code, stdout, _ = cli(
        capsys, "report", "--law", "power-law", "--bootstrap", "0", "--no-validate",
        "--out", str(out), "--format", fmt,
    )  # fmt: skip
    assert code == 0
    folder = tmp_path / "r-figures"
    names = sorted(p.name for p in folder.iterdir())
    assert names == [f"loss-scaling.{fmt}", f"residuals.{fmt}"]
    assert all((folder / n).read_bytes().startswith(magic) for n in names)
    assert f"wrote figures: {folder}" in stdout


def test_report_format_help_says_when_files_are_written(
    capsys: pytest.CaptureFixture[str],
) -> None:
    code, out, _ = cli(capsys, "report", "--help")
    assert code == 0
    assert (
        "Write each figure as a file of this format too: svg, png or pdf, into --figures DIR, "
        "else a folder beside the report (REPORT-figures) [default with --figures: svg]."
    ) in " ".join(out.split()).replace("REPORT- figures", "REPORT-figures")  # a wrapped line


@pytest.mark.heavy  # 1.5 s in the suite on a 2-core AMD EPYC
def test_report_figures_folder(capsys: pytest.CaptureFixture[str], tmp_path: Path) -> None:
    out, folder = tmp_path / "r.html", tmp_path / "figs"
    code, _, _ = cli(
        capsys, "report", "--law", "power-law", "--bootstrap", "0", "--no-validate",
        "--out", str(out), "--figures", str(folder),
    )  # fmt: skip
    assert code == 0
    assert sorted(p.name for p in folder.iterdir()) == ["loss-scaling.svg", "residuals.svg"]


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["--format", "bmp"], "--format 'bmp' is not a figure format"),
        (["--out", "{tmp}/r.txt"], "cannot tell the format"),
        # a missing folder is made (tests/test_report3_followups.py); a file on the way is not
        (["--out", "{tmp}/x.csv/r.html"], "cannot create the folder"),
        (["--store", "{tmp}/none.duckdb"], "run store not found"),
        (["{tmp}/x.csv", "--store", "{tmp}/s.duckdb"], "give RUNS or --store, not both"),
        (["--map", "params=n"], "--map and --y rename columns of a RUNS file"),
        (["--figures", "{tmp}/x.csv/figs"], "cannot create the folder"),
        (
            ["--holdout", "largest:3", "--no-validate"],
            "--holdout largest:3 chooses the runs the backtest holds out, and --no-validate "
            "turns the backtest off",
        ),
    ],
)
def test_report_refuses_bad_options(
    capsys: pytest.CaptureFixture[str], tmp_path: Path, args: list[str], message: str
) -> None:
    argv = [a.replace("{tmp}", str(tmp_path)) for a in args]
    if "--out" not in argv:
        argv += ["--out", str(tmp_path / "r.html")]
    (tmp_path / "x.csv").write_text("params,tokens,loss\n")  # there: a missing one is said first
    (tmp_path / "s.duckdb").write_bytes(b"")
    code, _, err = cli(capsys, "report", "--bootstrap", "0", *argv)
    assert code == 2
    assert message in err and "Traceback" not in err
    assert not (tmp_path / "r.html").exists()


@pytest.mark.heavy  # 1.4 s in the suite on a 2-core AMD EPYC
def test_report_from_a_store(capsys: pytest.CaptureFixture[str], tmp_path: Path) -> None:
    pytest.importorskip("duckdb")
    from tests._stores import store_of

    store = store_of(_frame(), tmp_path / "runs.duckdb", params="n_params", loss="val_loss")
    out = tmp_path / "r.html"
    code, _, err = cli(
        capsys, "report", "--store", str(store), "--law", "power-law-plus-constant",
        "--bootstrap", "10", "--no-validate", "--out", str(out),
    )  # fmt: skip
    assert code == 0, err
    page = out.read_text(encoding="utf-8")
    assert "run-7" in page and "SIMULATED" not in page
    assert f"Runs: {html.escape(str(store))} (30 runs)." in page


@pytest.mark.heavy  # 1.6 s in the suite on a 2-core AMD EPYC
def test_fit_plot_format(capsys: pytest.CaptureFixture[str], tmp_path: Path) -> None:
    code, stdout, _ = cli(
        capsys, "fit", "--law", "power-law", "--bootstrap", "0", "--plot", str(tmp_path / "fit"),
        "--format", "pdf",
    )  # fmt: skip
    assert code == 0
    assert (tmp_path / "fit.pdf").read_bytes().startswith(b"%PDF")
    assert f"wrote figure: {tmp_path / 'fit.pdf'}" in stdout
    # a suffix that agrees is kept; one that contradicts is refused before fitting
    assert cli(capsys, "fit", "--law", "power-law", "--bootstrap", "0",
               "--plot", str(tmp_path / "f.svg"), "--format", "SVG")[0] == 0  # fmt: skip
    assert (tmp_path / "f.svg").read_bytes().startswith(b"<?xml")
    code, _, err = cli(
        capsys, "fit", "--bootstrap", "0", "--plot", str(tmp_path / "f.png"), "--format", "pdf"
    )
    assert code == 2 and "ends in '.png' but --format is 'pdf'" in err
    assert not (tmp_path / "f.png").exists()
    code, _, err = cli(capsys, "fit", "--bootstrap", "0", "--format", "pdf")
    assert code == 2 and "no --plot was given" in err


def test_a_level_in_percent_is_refused_before_any_fit(
    capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    code = main(["report", "--level", "90", "--out", str(tmp_path / "r.html")])
    err = capsys.readouterr().err
    assert code == 2 and "--level must be between 0 and 1" in err and "--level 0.9" in err
    assert "fitting" not in err and not (tmp_path / "r.html").exists()


def _fit_notes(page: str) -> list[str]:
    """The notes under the fitted law, as text."""
    section = page[page.index("<section id='fit'>") : page.index("<section id='figures'>")]
    return [html.unescape(n) for n in re.findall(r"<li>([^<]*)</li>", section)]


@pytest.mark.heavy
def test_report_law_auto_says_what_it_compared_and_chose(
    capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    """``report --law auto`` chooses as ``fit --law auto`` does and the page says so: the
    candidates' errors and the law chosen, under the fitted law, on the card and in --json."""
    import scalinglab as sl
    from scalinglab.cli import _law_choice as law_choice

    out = tmp_path / "auto.html"
    code, stdout, err = cli(
        capsys, "report", "--law", "auto", "--bootstrap", "0", "--no-validate",
        "--out", str(out), "--json",
    )  # fmt: skip
    assert code == 0, err
    choice = law_choice.auto_law(sl.bundled_runs(), "loss", seed=0)
    line = law_choice.auto_line(choice)
    assert line.startswith(f"law auto chose {choice.chosen}: median extrapolation error")
    assert all(name in line for name in ("chinchilla", "overtraining", "kaplan"))
    page = out.read_text(encoding="utf-8")
    assert _fit_notes(page)[0] == line
    assert f"<title>{choice.chosen} fitted to" in page
    card = html.unescape(page[page.index("<section id='card'>") :])
    assert f"notes</th><td>{line}" in card and " --law auto " in card
    data = json.loads(stdout)
    assert data["law_choice"]["chosen"] == choice.chosen
    assert data["fit"]["law"] == choice.chosen
    # Chinchilla's law ties and plans N* 3.30x the chosen one's: fit('auto')'s warning
    warned = sl.fit("auto", sl.bundled_runs(), bootstrap=0).warnings
    assert warned[-1].startswith("law auto: chinchilla backtests 3% better than overtraining")
    assert data["fit"]["warnings"] == list(warned) and data["fit"]["trusted"] is False
    assert warned[-1] in html.unescape(page)


@pytest.mark.heavy
def test_report_warns_of_a_law_that_backtests_clearly_better(
    capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    """The line ``fit`` saves as a warning when another catalog law backtests clearly better
    is a warning of the report too, where the page shows the fit's warnings (it was shown
    as a note while the report's --json fit held it as a warning): the same line, from the
    same code."""
    import scalinglab as sl
    from scalinglab.validate._law_hint import hint

    out = tmp_path / "r.html"
    code, _, err = cli(
        capsys, "report", "--law", "kaplan", "--bootstrap", "0", "--no-validate",
        "--out", str(out),
    )  # fmt: skip
    assert code == 0, err
    line, _ = hint("kaplan", sl.bundled_runs(), "loss", seed=0)
    assert line is not None and line.startswith("law 'overtraining' backtests clearly better")
    page = out.read_text(encoding="utf-8")
    fitted = page[page.index("<section id='fit'>") : page.index("<section id='figures'>")]
    warned = fitted[fitted.index("<ul class='warnings'>") :]
    assert f"<li><strong>warning:</strong> {html.escape(line)}</li>" in warned.split("</ul>")[0]
    assert line not in _fit_notes(page) and "<p class='status warn'>" in fitted
    code, stdout, _ = cli(capsys, "fit", "--law", "kaplan", "--bootstrap", "0", "--json")
    assert code == 0 and json.loads(stdout)["warnings"][-1] == line


def _which_flops(page: str) -> str:
    card = html.unescape(page[page.index("<section id='card'>") :])
    found = re.search(r"which FLOPs</th><td>([^<]*)</td>", card)
    assert found is not None
    return found[1]


def _ladder_store(tmp_path: Path) -> Path:
    """A store holding what `ladder run tiny` records: three rungs, total and non-embedding
    parameters, exact FLOPs and 6ND (of the non-embedding N the ladder plans in)."""
    pytest.importorskip("duckdb")
    from scalinglab.store import RunStore, StoredRun

    store = RunStore(tmp_path / "ladder.duckdb")
    sizes = [(41_600.0, 126_000.0, 3.16e10, 1.91e10, 2.83), (80_100.0, 278_000.0, 1.34e11,
             9.25e10, 2.41), (133_000.0, 503_000.0, 4.04e11, 3.04e11, 1.91)]  # fmt: skip
    store.put_runs(
        (
            StoredRun(
                run_id=f"r{i}", name=f"w{i}", params=n, params_non_embedding=c6 / (6 * d),
                tokens=d, flops=c, flops_6nd=c6, loss=loss, source="ladder:mini",
            ),
            None,
        )
        for i, (n, d, c, c6, loss) in enumerate(sizes)
    )  # fmt: skip
    return store.path


@pytest.mark.heavy  # 3.1 s in the suite on a 2-core AMD EPYC
def test_report_card_says_what_the_flops_of_a_ladder_store_are(
    capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    """Runs of `ladder run` carry exact matmul FLOPs (and 6ND beside them): the card says so,
    and with the ratio of the two, rather than C = 6·N·D."""
    store = _ladder_store(tmp_path)
    out = tmp_path / "r.html"
    code, _, err = cli(
        capsys, "report", "--store", str(store), "--law", "power-law:flops",
        "--bootstrap", "0", "--no-validate", "--out", str(out),
    )  # fmt: skip
    assert code == 0, err
    which = _which_flops(out.read_text(encoding="utf-8"))
    assert which.startswith("exact matmul FLOPs of training (forward + backward")
    assert "counted by the ladder trainer" in which
    # the ratio to 6·N·D in the N the fit reads a ladder store with (the inverse of the
    # stored 6ND's 0.60–0.75×)
    assert (
        "they are 1.33–1.65× 6·N·D with N = params_non_embedding (non-embedding parameters)"
        in which
    )


@pytest.mark.parametrize(
    ("flops", "want"),
    [
        (None, "C = 6·N·D, computed from params and tokens (the data have no FLOPs column)"),
        (
            "compute",
            "as given in the data (column 'compute'), counted as its source did: 1.03× 6·N·D",
        ),
    ],
)
@pytest.mark.heavy  # 1.8 s in the suite on a 2-core AMD EPYC
def test_report_card_says_whether_the_flops_were_computed_or_given(
    capsys: pytest.CaptureFixture[str], tmp_path: Path, flops: str | None, want: str
) -> None:
    frame = _frame()
    if flops is not None:
        frame[flops] = 6.2 * frame["n_params"] * frame["tokens"]
    path = tmp_path / "runs.csv"
    frame.to_csv(path, index=False)
    out = tmp_path / "r.html"
    code, _, err = cli(
        capsys, "report", str(path), "--map", "params=n_params", "--y", "val_loss",
        "--law", "power-law", "--bootstrap", "0", "--no-validate", "--out", str(out),
    )  # fmt: skip
    assert code == 0, err
    assert _which_flops(out.read_text(encoding="utf-8")) == want


@pytest.mark.heavy  # 2.4 s in the suite on a 2-core AMD EPYC
def test_report_of_a_three_rung_ladder_says_which_law_to_pass(
    capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    """The README's `report --store` after the tiny ladder: Chinchilla's five parameters cannot
    be fitted to three rungs, and the refusal names the law that can; that law then works."""
    store, out = _ladder_store(tmp_path), tmp_path / "r.html"
    code, _, err = cli(capsys, "report", "--store", str(store), "--out", str(out))
    assert code == 2 and "Traceback" not in err
    assert "only 3 runs, but law 'chinchilla' has 5 parameters" in err
    assert (
        "hint: with 3 runs, fit a law of fewer parameters: --law power-law:flops "
        "(L = A * C**(-alpha), 2 parameters) — law='power-law:flops' in Python; or add runs"
    ) in err
    assert not out.exists()
    code, stdout, err = cli(
        capsys, "report", "--store", str(store), "--law", "power-law:flops", "--out", str(out)
    )
    assert code == 0, err
    assert f"wrote report: {out}" in stdout


def test_hparams_and_curves_pages_refuse_the_options_they_would_ignore(
    capsys: pytest.CaptureFixture[str], runs_csv: Path, tmp_path: Path
) -> None:
    out = str(tmp_path / "page.html")
    hp = ["report", str(runs_csv), "--hparams", "--bootstrap", "0", "--out", out]
    cv = ["report", str(runs_csv), "--curves", "--train", "a,b", "--out", out]
    loss_page = "it belongs with a loss-law report (scalinglab report RUNS)"
    for args, option, page, hint in (
        # the review's command: --x and --no-validate were each ignored, exit 0 (--law is
        # the page's lr* and B* forms, as `hparams fit --law`)
        ([*hp, "--seq-len", "2048", "--x", "Q=params", "--law", "steplaw"], "--x", "--hparams",
         loss_page),
        ([*hp, "--no-validate"], "--no-validate", "--hparams",
         "the page always reports the held-out regret (--holdout top-scales:K)"),
        # (--store: the page reads a store's sweep now, test_cli_sweep_store.py)
        ([*cv, "--law", "chinchilla"], "--law", "--curves",
         "the page's law is --curve-law (multipower, multipower-after-warmup, tissue, "
         "power-s1, power-steps)"),
        ([*cv, "--holdout", "largest:2"], "--holdout", "--curves",
         "the page predicts the runs outside --train"),
        ([*cv, "--no-validate"], "--no-validate", "--curves",
         "the page's backtest is its predictions of the runs outside --train"),
    ):  # fmt: skip
        code, _, err = cli(capsys, *args)
        assert code == 2, args
        assert " ".join(err.split()) == (
            f"error: {option} is an option of the loss-law report; the {page} page does not "
            f"read it hint: drop {option}: {hint}"
        )
    assert not Path(out).exists()


@pytest.mark.heavy  # 6.1 s in the suite on a 2-core AMD EPYC
def test_a_loss_page_at_bootstrap_0_says_its_law_has_no_interval(
    capsys: pytest.CaptureFixture[str], runs_csv: Path, tmp_path: Path
) -> None:
    out = tmp_path / "report.html"
    code, _, err = cli(
        capsys, "report", str(runs_csv), "--map", "params=n_params", "--y", "loss=val_loss",
        "--bootstrap", "0", "--no-validate", "--out", str(out),
    )  # fmt: skip
    assert code == 0, err
    text = " ".join(html.unescape(re.sub(r"<[^>]+>", " ", out.read_text())).split())
    assert "none prediction interval" not in text  # was: "with its 90% none prediction ..."
    assert "D*(C) (line), without an interval (a point fit, without bootstrap resamples);" in text


def test_an_explicit_holdout_the_hparams_page_cannot_take_is_refused(
    capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    # --hparams swapped top-decile for largest:1 silently, and --curves ignored it; the page
    # now reads backtest's rules on the cells, and refuses near-best:F (cells have no loss)
    sweep = SHARED / "steplaw" / "dense_lr_bs_loss.dev.csv"
    if not sweep.is_file():
        pytest.skip(f"shared data not found: {sweep}")
    out = str(tmp_path / "r.html")
    args = ["report", str(sweep), "--hparams", "--bootstrap", "0", "--out", out]
    assert main([*args, "--holdout", "near-best:1.5"]) == 2
    assert "--holdout 'near-best:1.5' (holdout= in Python): near-best:F keeps the runs" in (
        capsys.readouterr().err
    )
