"""``scalinglab backtest`` through ``main([...])``: tables, JSON, figure, and refusals."""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest
from tests._cli import cli
from tests.conftest import isoflop_runs


def ladder_csv(path: Path, *, budgets: int = 6, sizes: int = 6, seed: int = 1) -> Path:
    """IsoFLOP runs (1e18 ... 1e21) from the Chinchilla law with TRUTH and 1% noise."""
    runs = isoflop_runs(seed=seed, budgets=budgets, top=1e21, sizes=sizes)
    lines = ["run,params,tokens,flops,loss"]
    for i, r in enumerate(runs.itertuples(), start=1):
        lines.append(f"r{i},{r.params:.8g},{r.tokens:.8g},{r.flops:.8g},{r.loss:.8g}")
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return path


@pytest.fixture(scope="module")
def runs_csv(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return ladder_csv(tmp_path_factory.mktemp("bt") / "runs.csv")


@pytest.mark.heavy  # 1.1 s in the suite on a 2-core AMD EPYC
def test_default_data_is_real(capsys: pytest.CaptureFixture[str]) -> None:
    """Without RUNS: the bundled real runs (Gadre et al. 2024, C4), named with their source."""
    code, out, _ = cli(capsys, "backtest", "--bootstrap", "40", "--no-rolling")
    assert code == 0
    assert "SIMULATED" not in out
    first = out.splitlines()[0]
    assert first.startswith("data: overtraining-c4: open_lm models")
    assert "Gadre et al. 2024" in first and "MIT license" in first
    assert "held out 4 runs (the top 10% by flops" in out and "fitted on 27 runs" in out
    code, out, _ = cli(capsys, "backtest", "--bootstrap", "40", "--no-rolling", "--json")
    data = json.loads(out)
    assert data["simulated"] is False and data["source"].startswith("overtraining-c4: ")
    assert (data["n_fitted"], data["n_held_out"]) == (27, 4)
    # the interval kind under the name every result uses ("intervals" are coefficient bounds)
    fitted = data["laws"][0]["backtest"]["fit"]
    assert fitted["interval_kind"].startswith(("backtest-calibrated", "bootstrap"))
    assert "intervals" not in fitted


def test_simulated_data_is_marked(capsys: pytest.CaptureFixture[str]) -> None:
    code, out, _ = cli(
        capsys, "backtest", "--data", "simulated", "--bootstrap", "40", "--no-rolling"
    )
    assert code == 0
    assert out.splitlines()[0].startswith("SIMULATED DATA")
    assert "held out 7 runs" in out and "fitted on 42 runs" in out
    assert "winner: chinchilla" in out
    assert "held-out runs: chinchilla" in out and "coverage of nominal intervals" in out
    assert "rolling origin" not in out
    code, _, err = cli(capsys, "backtest", "--data", "nonesuch")
    assert code == 2 and "no bundled data set 'nonesuch'" in err


@pytest.mark.heavy  # 3.5 s in the suite on a 2-core AMD EPYC
def test_compare_laws_with_json_and_plot(
    capsys: pytest.CaptureFixture[str], runs_csv: Path, tmp_path: Path
) -> None:
    js, png = tmp_path / "bt.json", tmp_path / "bt.png"
    code, out, _ = cli(
        capsys,
        "backtest",
        str(runs_csv),
        "--law",
        "chinchilla",
        "--law",
        "kaplan",
        "--law",
        "E + A*C**-alpha",
        "--holdout",
        "flops>=1e21",
        "--baseline",
        "curve_fit",
        "--bootstrap",
        "40",
        "--out",
        str(js),
        "--plot",
        str(png),
    )
    assert code == 0, out
    assert "SIMULATED" not in out
    assert "held out 6 runs (flops>=1e21)" in out
    for name in ("kaplan", "E + A*C**-alpha", "curve_fit (chinchilla)", "rolling origin"):
        assert name in out
    data = json.loads(js.read_text())
    assert data["winner"] == "chinchilla" and f"winner: {data['winner']}" in out
    assert [row["law"] for row in data["laws"]] == ["chinchilla", "kaplan", "E + A*C**-alpha"]
    assert data["n_held_out"] == 6 and data["baselines"][0]["method"] == "curve_fit"
    chinchilla = data["laws"][0]["backtest"]["summary"]
    assert 0 < chinchilla["median_are"] < 0.03
    assert [s["scales"] for s in data["rolling"]["steps"]] == [2, 3, 4, 5]
    assert png.read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"


def test_json_to_stdout_is_only_json(capsys: pytest.CaptureFixture[str], runs_csv: Path) -> None:
    code, out, _ = cli(
        capsys, "backtest", str(runs_csv), "--holdout", "largest:4", "--bootstrap", "20",
        "--no-rolling", "--json",
    )  # fmt: skip
    assert code == 0
    data = json.loads(out)
    assert data["n_held_out"] == 4 and data["holdout"] == "largest:4"
    assert len(data["laws"][0]["backtest"]["runs"]) == 4


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["--holdout", "flops>=1e30"], "holds out no run of 36"),
        (["--holdout", "flops>0"], "holds out all 36 runs"),
        (["--holdout", "flops=>1e20"], "cannot read"),
        (["--holdout", "width>3"], "column 'width'"),
        (["--law", "chinchila"], "did you mean 'chinchilla'"),
        (["--baseline", "lstsq"], "not a baseline"),
        (["--law", "kaplan", "--baseline", "chinchilla-pkg"], "only the Chinchilla law"),
        (["--plot", "bt.gif"], "cannot tell the format"),
        (["--law", "chinchilla", "--law", "chinchilla", "--law", "kaplan", "--holdout", "largest:33"], "at least"),
    ],
)  # fmt: skip
def test_bad_input_exits_2_with_a_message(
    capsys: pytest.CaptureFixture[str], runs_csv: Path, args: list[str], message: str
) -> None:
    code, out, err = cli(capsys, "backtest", str(runs_csv), "--bootstrap", "20", *args)
    assert code == 2, out + err
    assert "error:" in err and message in err and "hint:" in err


def test_too_few_runs_after_the_split(capsys: pytest.CaptureFixture[str], tmp_path: Path) -> None:
    small = ladder_csv(tmp_path / "small.csv", budgets=3, sizes=3)  # 9 runs
    code, _, err = cli(
        capsys, "backtest", str(small), "--holdout", "largest:4", "--bootstrap", "20"
    )
    assert code == 2
    # which runs are left, why, and a law they can fit (it said only "only 5 runs")
    assert "5 runs to fit and 4 held out (the 4 largest runs by flops; 3 runs share" in err
    assert "at least 6 runs" in err and "--law power-law:flops" in err
    # the hold-out took the runs: it says to hold out fewer (it said only to add runs)
    assert "hint: hold out fewer runs: of 9, 'chinchilla' needs 6 to fit, so at most 3 can" in err


@pytest.mark.heavy  # 4.5 s in the suite on a 2-core AMD EPYC
def test_holding_out_too_many_says_to_hold_out_fewer(
    capsys: pytest.CaptureFixture[str], runs_csv: Path, tmp_path: Path
) -> None:
    n = len(runs_csv.read_text().splitlines()) - 1  # the header
    for command in ("backtest", "report"):
        out = ["--out", str(tmp_path / "r.html")] if command == "report" else []
        code, _, err = cli(capsys, command, str(runs_csv), "--holdout", f"largest:{n - 1}", *out)
        assert code == 2 and f"1 run to fit and {n - 1} held out" in err
        assert (
            f"hint: hold out fewer runs: of {n}, 'chinchilla' needs 6 to fit, so at most "
            f"{n - 6} can be held out, e.g. --holdout largest:{n - 6} "
            f"(holdout='largest:{n - 6}' in Python)"
        ) in err
        assert "add runs" not in err  # these runs are enough; the hold-out took them


def test_rolling_table_scores_the_level_asked(
    capsys: pytest.CaptureFixture[str], runs_csv: Path
) -> None:
    """``--level 0.95``: the rolling-origin table's coverage is of the 95% interval, as the
    held-out table's (it was fixed at 90%, all '—' when 0.9 was not scored)."""
    code, out, _ = cli(
        capsys, "backtest", str(runs_csv), "--law", "E + A*C**-alpha", "--holdout",
        "flops>=1e21", "--bootstrap", "20", "--level", "0.95",
    )  # fmt: skip
    assert code == 0, out
    rolling = out[out.index("rolling origin") :]
    assert "in 95%" in rolling and "in 90%" not in rolling
    rows = [line for line in rolling.splitlines() if line.startswith("│")][1:]
    # scored, not '—' (a count over the few runs held out: '2 of 2')
    assert rows and all(re.search(r"\d+ of \d+$", line.rstrip(" │")) for line in rows)


def test_notes_of_each_law_name_the_law_when_several_are_backtested(
    capsys: pytest.CaptureFixture[str], runs_csv: Path
) -> None:
    args = ("backtest", str(runs_csv), "--bootstrap", "40", "--no-rolling", "--law", "chinchilla")
    code, out, err = cli(capsys, *args, "--law", "kaplan")
    text = out + err
    assert code == 0
    # one interval line per law (identical lines were collapsed into one before)
    assert "prediction intervals (chinchilla):" in text and "prediction intervals (kaplan):" in text
    code, out, err = cli(capsys, *args)  # one law: as before
    assert code == 0 and "note: prediction intervals: " in out + err


def test_a_missing_baseline_package_is_said_before_the_fits(
    capsys: pytest.CaptureFixture[str], runs_csv: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    import sys

    monkeypatch.setitem(sys.modules, "chinchilla", None)  # import fails, installed or not
    code, out, err = cli(capsys, "backtest", str(runs_csv), "--baseline", "chinchilla-pkg")
    assert code == 2 and out == "" and "the chinchilla package is not importable" in err
    assert 'pip install "chinchilla>=0.2,<0.3"' in " ".join(err.split())


@pytest.mark.heavy  # 1.9 s in the suite on a 2-core AMD EPYC
def test_a_point_only_backtest_marks_no_run_as_missed(capsys: pytest.CaptureFixture[str]) -> None:
    """--bootstrap 0: no interval, so no run is ✗ (outside); the spread column is "—" and
    the unscored-coverage note is said once."""
    code, out, err = cli(capsys, "backtest", "--bootstrap", "0")
    assert code == 0, err
    assert "✗" not in out and "✓" not in out and "nan%" not in out
    assert out.count("coverage not scored: with no bootstrap") == 1 and "(NaN)" not in out
