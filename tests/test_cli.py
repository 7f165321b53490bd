"""The command line, driven through ``main([...])``: exit codes, output, files written.

Fits here are small (30 runs, ``--bootstrap 20``) so the whole file runs in seconds.
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from tests.conftest import TRUTH, isoflop_runs

import scalinglab
from scalinglab.cli import main


def chinchilla_csv(path: Path, *, seed: int = 1) -> Path:
    """30 IsoFLOP runs (5 budgets x 6 sizes) from the Chinchilla law with TRUTH, 1% noise."""
    runs = isoflop_runs(seed=seed)
    lines = ["run,params,tokens,loss"]
    for i, r in enumerate(runs.itertuples(), start=1):
        lines.append(f"r{i},{r.params:.8g},{r.tokens:.8g},{r.loss:.8g}")
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return path


def cli(capsys: pytest.CaptureFixture[str], *args: str) -> tuple[int, str, str]:
    """Run the CLI; return exit code, stdout, stderr. No output may hold a traceback."""
    code = main(list(args))
    out, err = capsys.readouterr()
    assert "Traceback" not in out + err
    return code, out, err


@pytest.fixture(scope="module")
def runs_csv(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return chinchilla_csv(tmp_path_factory.mktemp("runs") / "runs.csv")


@pytest.fixture(scope="module")
def fit_json(runs_csv: Path) -> Path:
    path = runs_csv.with_name("fit.json")
    assert main(["fit", str(runs_csv), "--bootstrap", "20", "--out", str(path), "--json"]) == 0
    return path


# -- fit -----------------------------------------------------------------------------------


def test_fit_without_arguments_fits_the_bundled_real_runs(
    capsys: pytest.CaptureFixture[str],
) -> None:
    code, out, _ = cli(capsys, "fit")
    assert code == 0
    assert "SIMULATED" not in out
    first = out.splitlines()[1]
    assert first.startswith("data: overtraining-c4: open_lm models of 10.6M-411.6M params")
    assert "C4 validation loss" in first and "Gadre et al. 2024 (arXiv:2403.08540)" in first
    assert "MIT license" in first
    for name in ("E", "A", "B", "alpha", "beta"):
        assert f" {name} " in out
    assert "90% interval (200 resamples)" in out
    assert "converged" in out
    assert "prediction intervals: backtest-calibrated" in out
    assert "beyond data" in out  # every plan row says how far it reaches
    # on the cuts the calibration counts the over-training law ties Chinchilla's: no hint
    assert "backtests clearly better" not in out


def test_fit_law_auto_says_what_it_compared_and_chose(capsys: pytest.CaptureFixture[str]) -> None:
    code, out, _ = cli(capsys, "fit", "--law", "auto", "--bootstrap", "0", "--json")
    assert code == 0
    data = json.loads(out)
    assert data["law"] == "overtraining" == data["law_choice"]["chosen"]
    assert set(data["law_choice"]["scores"]) == {"chinchilla", "overtraining", "kaplan"}
    assert "rolling-origin cuts" in data["law_choice"]["reason"]


def test_fit_data_simulated_says_simulated(capsys: pytest.CaptureFixture[str]) -> None:
    code, out, _ = cli(capsys, "fit", "--data", "simulated", "--bootstrap", "0")
    assert code == 0
    assert out.splitlines()[0].startswith("SIMULATED DATA")


def test_fit_data_refuses_an_unknown_name_and_a_runs_file(
    capsys: pytest.CaptureFixture[str], runs_csv: Path
) -> None:
    code, _, err = cli(capsys, "fit", "--data", "chinchilla-points")
    assert code == 2 and "no bundled data set 'chinchilla-points'" in err
    assert "overtraining-c4, overtraining-rpj, overtraining-rw, simulated" in err
    code, _, err = cli(capsys, "fit", str(runs_csv), "--data", "simulated")
    assert code == 2 and "cannot be combined with RUNS" in err


def test_fit_table_and_plan(capsys: pytest.CaptureFixture[str], runs_csv: Path) -> None:
    code, out, _ = cli(capsys, "fit", str(runs_csv), "--bootstrap", "20", "--budget", "1e22")
    assert code == 0
    assert "SIMULATED" not in out
    assert f"data: {runs_csv} (30 runs)" in out
    assert "fitted coefficients" in out and "reached the best" in out
    if _have_plan():
        assert "compute-optimal allocation" in out
        assert "1e22" in out.replace("1.00e22", "1e22")


def test_fit_json_is_only_json(
    capsys: pytest.CaptureFixture[str], runs_csv: Path, tmp_path: Path
) -> None:
    saved = tmp_path / "saved.json"
    code, out, err = cli(
        capsys, "fit", str(runs_csv), "--bootstrap", "20", "--json", "--budget", "1e21",
        "--out", str(saved),
    )  # fmt: skip
    assert code == 0
    assert f"wrote fit: {saved}" in err
    data = json.loads(out)
    assert json.loads(saved.read_text())["coefs"] == data["coefs"]
    assert data["law"] == "chinchilla"
    assert set(data["coefs"]) == set(TRUTH)
    assert len(data["samples"]) <= 20
    assert data["simulated"] is False
    if _have_plan():
        assert len(data["plan"]) == 1


def test_fit_json_simulated_banner_goes_to_stderr(capsys: pytest.CaptureFixture[str]) -> None:
    code, out, err = cli(capsys, "fit", "--data", "simulated", "--bootstrap", "0", "--json")
    assert code == 0
    assert json.loads(out)["simulated"] is True
    assert "SIMULATED" in err


def test_fit_out_is_loadable(fit_json: Path) -> None:
    result = scalinglab.FitResult.load(fit_json)
    assert result.law_spec == "chinchilla"
    assert result.samples is not None
    assert abs(result.coefs["alpha"] - TRUTH["alpha"]) < 0.1


@pytest.mark.parametrize("suffix", [".png", ".svg"])
@pytest.mark.heavy  # 2.5 s in the suite on a 2-core AMD EPYC
def test_fit_plot(capsys: pytest.CaptureFixture[str], runs_csv: Path, suffix: str) -> None:
    path = runs_csv.with_name(f"plot{suffix}")
    law = "power-law-plus-constant" if suffix == ".svg" else "chinchilla"
    code, out, _ = cli(
        capsys, "fit", str(runs_csv), "--law", law, "--bootstrap", "20", "--plot", str(path)
    )
    assert code == 0
    assert f"wrote figure: {path}" in out
    head = path.read_bytes()[:200]
    assert head.startswith(b"\x89PNG") if suffix == ".png" else b"<svg" in path.read_bytes()
    assert path.stat().st_size > 1000


def test_fit_formula_with_x_mapping(capsys: pytest.CaptureFixture[str], runs_csv: Path) -> None:
    code, out, _ = cli(
        capsys, "fit", str(runs_csv), "--law", "E + A*M**-alpha", "--x", "M=params",
        "--bootstrap", "0",
    )  # fmt: skip
    assert code == 0
    assert "E + A * M**(-alpha)" in out
    assert "compute-optimal" not in out  # a law in N alone has no N/D plan


def test_fit_renamed_columns(capsys: pytest.CaptureFixture[str], tmp_path: Path) -> None:
    text = chinchilla_csv(tmp_path / "a.csv").read_text()
    renamed = tmp_path / "b.csv"
    renamed.write_text(text.replace("run,params,tokens,loss", "run,n_params,tokens,val_loss"))
    code, out, _ = cli(
        capsys, "fit", str(renamed), "--map", "params=n_params", "--y", "loss=val_loss",
        "--law", "power-law-plus-constant", "--bootstrap", "0",
    )  # fmt: skip
    assert code == 0, out
    assert "converged" in out


def test_fit_that_did_not_converge_exits_1(
    capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch, fit_json: Path
) -> None:
    from dataclasses import replace

    failed = replace(scalinglab.FitResult.load(fit_json), status="failed", message="no luck")
    monkeypatch.setattr(scalinglab, "fit", lambda *a, **k: failed)
    code, out, err = cli(capsys, "fit", "--bootstrap", "0")
    assert code == 1
    assert "FAILED: no luck" in out
    assert err.startswith("error: the fit did not converge")


# -- plan ----------------------------------------------------------------------------------


def _have_plan() -> bool:
    try:
        from scalinglab.plan import optimal_allocation  # noqa: F401
    except ImportError:
        return False
    return True


needs_plan = pytest.mark.skipif(not _have_plan(), reason="scalinglab.plan is not there yet")


@needs_plan
def test_plan_preset_compute(capsys: pytest.CaptureFixture[str]) -> None:
    code, out, _ = cli(capsys, "plan", "--preset", "hoffmann2022", "--compute", "5.76e23")
    assert code == 0
    # closed form under C = 6ND (Hoffmann et al. 2022, eq. 4)
    E, A, B, a, b = 1.69, 406.4, 410.7, 0.34, 0.28
    n_opt = (a * A / (b * B)) ** (1 / (a + b)) * (5.76e23 / 6) ** (b / (a + b))
    d_opt = 5.76e23 / (6 * n_opt)
    assert f"{n_opt / 1e9:.3g}B" in out
    assert f"{d_opt / 1e12:.3g}T" in out
    assert f"{E + A * n_opt**-a + B * d_opt**-b:.4f}" in out
    assert "5.76e23" in out
    assert "Hoffmann et al. 2022" in out
    assert "conventions" in out and "embeddings" in out


@needs_plan
def test_plan_preset_json(capsys: pytest.CaptureFixture[str]) -> None:
    code, out, _ = cli(capsys, "plan", "--preset", "epoch2024", "--compute", "1e24", "--json")
    assert code == 0
    data = json.loads(out)
    assert data["query"] == {"flops": 1e24}
    assert data["source"]["name"] == "epoch2024"
    # the preset's values under a fit's name for them; no "values", no "compute" key
    assert data["source"]["coefs"]["E"] == 1.8172 and "values" not in data["source"]


@needs_plan
def test_plan_several_budgets(capsys: pytest.CaptureFixture[str]) -> None:
    """Repeated and comma-separated budgets (and the older spelling) each get a plan: none is
    dropped; the conventions are said once."""
    code, out, _ = cli(
        capsys, "plan", "--preset", "hoffmann2022", "--budget", "1e21", "--compute", "1e22,1e23"
    )
    assert code == 0
    for c in ("1e21", "1e22", "1e23"):
        assert f"compute-optimal allocation for C = {c} FLOPs" in out
    assert out.count("conventions") == 1
    code, out, _ = cli(
        capsys, "plan", "--preset", "hoffmann2022", "--target-loss", "2.2,2.1", "--json"
    )
    plans = json.loads(out)["plans"]
    assert [p["query"] for p in plans] == [{"target_loss": 2.2}, {"target_loss": 2.1}]
    assert [round(p["allocation"]["loss"], 6) for p in plans] == [2.2, 2.1]
    assert plans[0]["allocation"]["flops"] < plans[1]["allocation"]["flops"]


@needs_plan
def test_plan_out_saves_what_json_prints(
    capsys: pytest.CaptureFixture[str], fit_json: Path, tmp_path: Path
) -> None:
    """``plan --out`` writes what ``plan --json`` prints (one writer), beside the table or
    the JSON; a path that cannot be written is refused before any planning."""
    plan = ["plan", "--compute", "1e22,1e23", "--fit", str(fit_json)]
    code, printed, _ = cli(capsys, *plan, "--json")
    assert code == 0
    saved = tmp_path / "plan.json"
    code, out, _ = cli(capsys, *plan, "--out", str(saved))
    assert code == 0 and "params N*" in out and out.endswith(f"wrote plan: {saved}\n")
    assert saved.read_text(encoding="utf-8") == printed
    data = json.loads(printed)
    assert [p["query"] for p in data["plans"]] == [{"flops": 1e22}, {"flops": 1e23}]
    again = tmp_path / "again.json"
    code, out, err = cli(capsys, *plan, "--json", "--out", str(again))
    assert (code, out) == (0, printed) and err.startswith(f"wrote plan: {again}\n")
    assert all(line.startswith(("warning: ", "note: ")) for line in err.splitlines()[1:])
    assert again.read_text(encoding="utf-8") == printed
    code, out, err = cli(capsys, *plan, "--out", str(saved / "plan.json"))  # a file on the way
    assert code == 2 and out == "" and "--out" in err and "cannot create the folder" in err
    code, out, err = cli(capsys, *plan, "--out", str(fit_json))  # the fit it reads: refused
    assert (code, out) == (2, "") and err.startswith(
        f"error: --out {str(fit_json)!r} is the same file as --fit {str(fit_json)!r}"
    )
    assert json.loads(fit_json.read_text(encoding="utf-8"))["format"] == "scalinglab.fit/1"


@needs_plan
def test_plan_from_fit(capsys: pytest.CaptureFixture[str], fit_json: Path) -> None:
    code, out, _ = cli(capsys, "plan", "--compute", "1e22", "--fit", str(fit_json))
    assert code == 0
    assert "params N*" in out and "tokens D*" in out
    assert "90% interval" in out
    assert f"fit: --fit {fit_json}" in out


@needs_plan
def test_plan_json_holds_the_warnings_and_notes_the_text_prints(
    capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    """A fit on 7 runs: the warnings under the text's plan are the JSON's ``warnings`` (the
    key of ``fit --json``), and its source is not ``trusted``; no bootstrap: a note says so."""
    rows = [(6.8e9, 3.18e11, 2.077), (9.29e9, 9.02e10, 2.179), (6.8e9, 7.06e10, 2.206),
            (4.52e9, 1.10e11, 2.206), (6.8e9, 7.90e10, 2.206), (2.64e9, 1.87e11, 2.206),
            (2.98e9, 1.65e11, 2.212)]  # fmt: skip
    runs = tmp_path / "tiny7.csv"
    runs.write_text("params,tokens,loss\n" + "".join(f"{n},{d},{l}\n" for n, d, l in rows))
    fit = tmp_path / "tiny7.json"
    assert main(["fit", str(runs), "--bootstrap", "0", "--no-compare", "--out", str(fit)]) == 0
    capsys.readouterr()
    plan = ["plan", "--compute", "1e24", "--fit", str(fit)]
    code, text, _ = cli(capsys, *plan)
    assert code == 0
    code, out, _ = cli(capsys, *plan, "--json")
    data = json.loads(out)
    assert code == 0 and data["source"]["trusted"] is False
    assert data["warnings"][0].startswith("too few runs: 7 for 5 parameters")
    printed = [line for line in text.splitlines() if line.startswith("warning: ")]
    assert [f"warning: {w}" for w in data["warnings"]] == printed
    assert data["notes"] == [
        "no intervals: the fit was made with no bootstrap (--bootstrap 0); refit with "
        "scalinglab fit --bootstrap 200"
    ]
    assert data["notes"][0] in text


@needs_plan
def test_plan_target_loss(capsys: pytest.CaptureFixture[str], fit_json: Path) -> None:
    code, out, _ = cli(capsys, "plan", "--target-loss", "2.3", "--fit", str(fit_json))
    assert code == 0
    assert "compute needed to reach loss 2.3" in out
    assert "(given)" in out
    # the compute interval is a run's, and says so (it was the bootstrap's spread of the
    # law's mean, unlabelled)
    code, text, _ = cli(capsys, "plan", "--target-loss", "2.3", "--fit", str(fit_json), "--json")
    plan = json.loads(text)["allocation"]
    kind = plan["flops_interval_kind"]
    assert (
        kind == scalinglab.FitResult.load(fit_json).predict(params=1e9, tokens=2e10).interval_kind
    )
    assert (
        f"compute interval: from where the lower bound of the fit's {kind} prediction interval "
        "for one run at (N*, D*) reaches the loss (5% of runs would) to where its upper bound "
        "does (95% would); the other intervals: over the bootstrap fits' optima"
    ) in out
    assert plan["flops_lower"] < plan["flops"] < plan["flops_upper"]
    code, out, _ = cli(capsys, "plan", "--compute", "1e21", "--fit", str(fit_json), "--json")
    assert json.loads(out)["allocation"]["flops_interval_kind"] == "none"  # given


# -- laws, version, help --------------------------------------------------------------------


def test_laws(capsys: pytest.CaptureFixture[str]) -> None:
    code, out, _ = cli(capsys, "laws")
    assert code == 0
    for name in ("chinchilla", "kaplan", "power-law", "bnsl"):
        assert name in out
    for preset in ("hoffmann2022", "epoch2024", "kaplan2020"):
        assert preset in out
    assert "formulas:" in out


def test_version(capsys: pytest.CaptureFixture[str]) -> None:
    from scalinglab._builds import solver_line

    code, out, _ = cli(capsys, "--version")
    assert code == 0
    assert out == f"scalinglab {scalinglab.__version__}\n{solver_line()}\n"
    assert out.splitlines()[1].startswith("solver: ")
    # after another option, Typer's --version says the same two lines
    assert cli(capsys, "--version", "fit")[1] == out


def test_help(capsys: pytest.CaptureFixture[str]) -> None:
    code, out, _ = cli(capsys)
    assert code == 0
    assert "fit" in out and "plan" in out and "laws" in out
    code, out, _ = cli(capsys, "fit", "--help")
    assert code == 0
    assert "--bootstrap" in out and "--drop-outliers" in out


def test_progress_bars_draw_on_a_terminal() -> None:
    from io import StringIO

    from rich.console import Console

    from scalinglab.cli._render import FitProgress

    buffer = StringIO()
    console = Console(file=buffer, force_terminal=True, width=100)
    with FitProgress(console, enabled=True) as progress:
        progress("fit", 0, 10)
        progress("fit", 10, 10)
        progress("bootstrap", 120, 240)
    drawn = buffer.getvalue()
    assert "fit: all starts" in drawn and "bootstrap" in drawn and "120/240" in drawn
    quiet = StringIO()
    with FitProgress(Console(file=quiet), enabled=False) as progress:
        progress("fit", 1, 2)
    assert quiet.getvalue() == ""


def test_console_script_in_a_real_process(tmp_path: Path) -> None:
    import subprocess
    import sys

    done = subprocess.run(
        [sys.executable, "-m", "scalinglab.cli", "fit", str(tmp_path / "nope.csv")],
        capture_output=True,
        text=True,
    )
    assert done.returncode == 2
    assert done.stdout == ""
    assert done.stderr.startswith("error: ") and "nope.csv" in done.stderr
    assert "Traceback" not in done.stderr


def test_run_exits_with_the_code(monkeypatch: pytest.MonkeyPatch) -> None:
    import sys

    from scalinglab.cli import run

    monkeypatch.setattr(sys, "argv", ["scalinglab", "--version"])
    with pytest.raises(SystemExit) as info:
        run()
    assert info.value.code == 0


@pytest.mark.heavy  # 1.3 s in the suite on a 2-core AMD EPYC
def test_fit_threads_do_not_change_the_fit(
    capsys: pytest.CaptureFixture[str], runs_csv: Path
) -> None:
    one = cli(capsys, "fit", str(runs_csv), "--bootstrap", "10", "--json", "--threads", "1")
    two = cli(capsys, "fit", str(runs_csv), "--bootstrap", "10", "--json", "--threads", "2")
    assert one[0] == two[0] == 0
    first, second = json.loads(one[1]), json.loads(two[1])
    assert first["coefs"] == second["coefs"] and first["samples"] == second["samples"]
    assert first["solver"] in (
        "numpy",
        *(f"compiled-{b}" for b in ("avx512", "avx2", "neon", "portable")),
    )
    code, _, err = cli(capsys, "fit", str(runs_csv), "--threads", "0")
    assert code == 2 and "--threads" in err


def test_fit_out_holds_what_json_prints(
    capsys: pytest.CaptureFixture[str], runs_csv: Path, tmp_path: Path
) -> None:
    """`--out` and `--json` are the same result: the plan rows and the law choice too."""
    path = tmp_path / "fit.json"
    code, out, _ = cli(
        capsys, "fit", str(runs_csv), "--law", "auto", "--bootstrap", "20", "--json",
        "--out", str(path),
    )  # fmt: skip
    assert code == 0
    printed, saved = json.loads(out), json.loads(path.read_text())
    assert printed == saved and "plan" in saved and "law_choice" in saved
    assert scalinglab.FitResult.load(path).law_spec == saved["law"]


def test_laws_name_shows_one_law_in_full(capsys: pytest.CaptureFixture[str]) -> None:
    """``laws NAME``: formula, citation, the columns read, bounds and starts, exponents,
    all from the law's class."""
    from scalinglab.laws import Chinchilla

    code, out, _ = cli(capsys, "laws", "chinchilla")
    assert code == 0
    flat = " ".join(out.split())
    law = Chinchilla()
    assert law.formula in flat and law.citation in flat
    assert "N reads column 'params', D reads column 'tokens'" in flat
    assert "│ alpha │ model-size exponent │ itself │ [0, 5] │ 0, 0.5, 1, 1.5, 2 │" in flat
    assert "│ A │ model-size coefficient │ log A │ > 0 │ log A = 0, 5, 10, 15, 20, 25 │" in flat
    assert "beta: each 10× in D multiplies the data term B/D^beta by 10^-beta" in flat
    assert "presets of this law: hoffmann2022, epoch2024" in flat
    code, out, _ = cli(capsys, "laws", "power-law:flops", "--json")
    data = json.loads(out)
    assert data["variables"] == {"C": "flops"}
    assert data["format"] == "scalinglab.law/1" and "params" not in data
    assert data["coefs"][1] == {
        "name": "alpha",
        "description": "exponent",
        "fitted_as": "value",
        "lower": 0.0,
        "upper": 5.0,
        "starts": "around the runs",
    }
    assert data["exponents"][0].startswith("alpha: each 10× in C multiplies the loss")
    # a formula's exponents are read from its power terms; a preset shows its law and values
    code, out, _ = cli(capsys, "laws", "E + A*N**-a")
    assert code == 0 and "a: each 10× in N multiplies the term A·N^-a by 10^-a" in out
    code, out, _ = cli(capsys, "laws", "kaplan2020")
    assert code == 0 and "preset kaplan2020: N_c = 8.8e13" in out and "alpha_D" in out


def test_laws_unknown_name_is_an_error_with_a_hint(capsys: pytest.CaptureFixture[str]) -> None:
    code, out, err = cli(capsys, "laws", "chinchila")
    assert code == 2 and not out
    assert "unknown law 'chinchila'; did you mean 'chinchilla'?" in err
    assert "hint: choose one of chinchilla" in err


def test_tokens_per_param_is_written_as_people_read_it() -> None:
    """A degenerate plan's edge (D* = C/6 at N* = 1) is 1.67e20 tokens per parameter, not
    21 digits; ordinary ratios keep their digits."""
    from scalinglab.cli._render import ratio

    assert ratio(1e21 / 6) == "1.67e20"
    assert ratio(12_450.3) == "12450" and ratio(20.04) == "20" and ratio(3.456) == "3.46"
    assert ratio(99_999.4) == "99999" and ratio(6e-21) == "6e-21"
    # from 1e5 on to three figures, as number() turns to exponent form: an envelope's
    # interval end was "185185" beside "63.5"
    assert ratio(185_185.2) == "1.85e5" and ratio(999_999.4) == "1e6"
