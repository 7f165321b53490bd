"""What ``scalinglab backtest|isoflop|envelope --out`` writes is the file ``save`` writes, of
one kind per result: ``Comparison.load``, ``IsoFLOPResult.load`` and ``EnvelopeResult.load``
read it back as the Python call makes it; the keys the command wrote before stay at the top
with their values; the file ``save`` wrote before still loads, and a summary written before
(no whole result in it) is refused naming the file and the command to re-run."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import numpy as np
import pytest
from tests._chinchilla_draws import HOFFMANN, isoflop_runs, law_curves
from tests.test_cli_backtest import ladder_csv

import scalinglab as sl
from scalinglab.cli import main
from scalinglab.validate import Comparison, EnvelopeResult, IsoFLOPResult, baseline_backtest
from scalinglab.validate._compare_kept import NO_ROLLING_OPTION

#: The top-level keys each command's --out wrote before it saved the whole result (read off
#: the files written by the release before: backtest with --baseline, isoflop with --at;
#: backtest's "rolling" now comes before "baselines", as Comparison.to_dict has it).
OLD_KEYS = {
    "bt": ["format", "holdout", "holdout_description", "n_fitted", "n_held_out", "n_train",
           "n_test", "source", "simulated", "rule", "winner", "reason", "laws", "notes",
           "warnings", "rolling", "baselines", "seed", "n_bootstrap", "solver"],
    "iso": ["format", "method", "source", "simulated", "space", "window", "flops_rule",
            "level", "n_bootstrap", "seed", "a", "a_lower", "a_upper", "b", "b_lower",
            "b_upper", "params_law", "tokens_law", "budgets", "warnings", "notes", "at"],
    "env": ["format", "method", "source", "simulated", "flops_rule", "level", "n_bootstrap",
            "n_runs", "a", "a_lower", "a_upper", "b", "b_lower", "b_upper", "params_law",
            "tokens_law", "grid", "warnings", "notes"],
}  # fmt: skip
FORMATS = {"bt": "scalinglab.backtest/1", "iso": "scalinglab.isoflop/2",
           "env": "scalinglab.envelope/2"}  # fmt: skip
CLASSES = {"bt": Comparison, "iso": IsoFLOPResult, "env": EnvelopeResult}


@pytest.fixture(scope="module")
def made(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Any]:
    """Each command's --out file, and the same result from Python."""
    folder = tmp_path_factory.mktemp("out")
    runs = ladder_csv(folder / "runs.csv")
    iso_runs, curves, sizes = folder / "iso_runs.csv", folder / "curves.csv", folder / "sizes.csv"
    isoflop_runs().to_csv(iso_runs, index=False)
    frame = law_curves(HOFFMANN, noise=0.0, sizes=16)
    frame.drop(columns="params").to_csv(curves, index=False)
    frame.groupby("run", sort=False)["params"].first().reset_index().to_csv(sizes, index=False)
    out = {k: folder / f"{k}.json" for k in CLASSES}
    bt = [
        "backtest",
        str(runs),
        "--law",
        "chinchilla",
        "--law",
        "kaplan",
        "--holdout",
        "largest:5",
        "--bootstrap",
        "30",
        "--baseline",
        "curve_fit",
        "--no-rolling",
    ]
    iso = ["isoflop", str(iso_runs), "--bootstrap", "40", "--seed", "3", "--at", "1e23"]
    env = ["envelope", str(curves), "--runs", str(sizes), "--bootstrap", "40", "--seed", "1"]
    for key, args in (("bt", bt), ("iso", iso), ("env", env)):
        assert main([*args, "--out", str(out[key])]) == 0
    cmp = sl.compare(str(runs), laws=["chinchilla", "kaplan"], holdout="largest:5",
                     bootstrap=30, seed=0)  # fmt: skip
    # what the command adds, kept whole: its baseline, and why there are no rolling steps
    base = baseline_backtest(cmp.split.fitted, method="curve_fit", holdout=cmp.split, seed=0)
    python = {
        "bt": cmp.with_rolling(None, baselines=[base], why=NO_ROLLING_OPTION),
        "iso": sl.isoflop(str(iso_runs), bootstrap=40, seed=3),
        "env": sl.envelope(str(curves), runs=str(sizes), bootstrap=40, seed=1),
    }  # fmt: skip
    return {"out": out, "python": python, "args": {"bt": bt, "iso": iso, "env": env}}


@pytest.mark.parametrize("key", list(CLASSES))
def test_what_out_writes_loads_as_the_python_result(made: dict[str, Any], key: str) -> None:
    path, result = made["out"][key], made["python"][key]
    back = CLASSES[key].load(path)
    assert type(back) is CLASSES[key]
    assert back.to_dict() == result.to_dict()
    assert repr(back) == repr(result)
    # one kind: the command's file and save's are the same file, --json prints it too
    saved = path.with_name(f"{key}_saved.json")
    result.save(saved)
    written, by_save = json.loads(path.read_text()), json.loads(saved.read_text())
    assert written["format"] == by_save["format"] == FORMATS[key]
    assert written["saved"] == by_save["saved"]


def test_a_loaded_backtest_file_scores_as_written(made: dict[str, Any]) -> None:
    back = Comparison.load(made["out"]["bt"])
    assert back.winner is not None and back.winner.law == "chinchilla"
    bt = back.winner.backtest
    # the median ARE of the held-out runs' own predictions, by hand
    ares = [abs(r.predicted - r.actual) / r.actual for r in bt.runs]
    assert bt.summary.median_are == pytest.approx(float(np.median(ares)), rel=1e-12)
    assert len(bt.runs) == 5 and bt.fit is not None
    # the law by hand at the loaded coefficients predicts what the loaded fit does
    at = {"params": np.array([7e10]), "tokens": np.array([1.4e12])}
    c = bt.fit.coefs
    law = c["E"] + c["A"] * at["params"] ** -c["alpha"] + c["B"] * at["tokens"] ** -c["beta"]
    assert bt.fit.predict(**at).loss == pytest.approx(law, rel=1e-12)


@pytest.mark.parametrize("key", list(CLASSES))
def test_the_keys_written_before_keep_their_values(made: dict[str, Any], key: str) -> None:
    data = json.loads(made["out"][key].read_text())
    assert list(data) == [*OLD_KEYS[key], "saved"]  # "saved": the whole result, last
    summary = made["python"][key].to_dict()
    for name in OLD_KEYS[key]:
        if name in summary and name not in ("format", "warnings"):
            assert data[name] == summary[name], name
    assert data["format"] == FORMATS[key]
    if key == "bt":  # what the command adds: the baseline, no rolling, what reproduces it
        assert [b["method"] for b in data["baselines"]] == ["curve_fit"]
        assert data["rolling"] is None and (data["seed"], data["n_bootstrap"]) == (0, 30)
        assert set(summary["warnings"]) <= set(data["warnings"])
    if key == "iso":  # --at: N_opt = k·C^a at 1e23, by hand off the file's own law
        (row,) = data["at"]
        law = data["params_law"]
        assert row["params_opt"] == pytest.approx(
            law["coefficient"] * 1e23 ** law["exponent"], rel=1e-9
        )


def test_json_on_stdout_is_the_out_file(
    made: dict[str, Any], capsys: pytest.CaptureFixture[str]
) -> None:
    capsys.readouterr()
    assert main([*made["args"]["iso"], "--json"]) == 0
    assert json.loads(capsys.readouterr().out) == json.loads(made["out"]["iso"].read_text())


@pytest.mark.parametrize(
    ("key", "old_format", "command"),
    [
        ("bt", "scalinglab.backtest/1", "scalinglab backtest RUNS"),
        ("bt", None, "scalinglab backtest RUNS"),  # before backtest files had a format
        ("iso", "scalinglab.isoflop/2", "scalinglab isoflop RUNS"),
        ("iso", "scalinglab.isoflop/1", "scalinglab isoflop RUNS"),
        ("env", "scalinglab.envelope/2", "scalinglab envelope CURVES"),
        ("env", "scalinglab.envelope/1", "scalinglab envelope CURVES"),
    ],
)
def test_a_summary_written_before_says_to_rerun_the_command(
    made: dict[str, Any], key: str, old_format: str | None, command: str, tmp_path: Path
) -> None:
    data = json.loads(made["out"][key].read_text())
    summary = {k: v for k, v in data.items() if k not in ("saved", "format")}
    path = tmp_path / "old.json"
    path.write_text(json.dumps(summary if old_format is None else
                               {"format": old_format, **summary}))  # fmt: skip
    with pytest.raises(sl.DataError) as err:
        CLASSES[key].load(path)
    assert err.value.source == str(path) and str(path) in str(err.value)
    assert "holds the summary alone" in err.value.message
    assert f"{CLASSES[key].__name__}.load cannot rebuild" in err.value.message
    assert err.value.hint.startswith(f"re-run `{command} ... --out {path}`")


def test_another_result_given_to_comparison_load_is_still_named(
    made: dict[str, Any], tmp_path: Path
) -> None:
    """An IsoFLOP file given to Comparison.load: another kind, not a summary to re-run."""
    with pytest.raises(sl.DataError) as err:
        Comparison.load(made["out"]["iso"])
    assert "not a law comparison (format 'scalinglab.isoflop/2'" in err.value.message
    assert "read it with IsoFLOPResult.load" in err.value.hint
