"""``--where COLUMN OP NUMBER`` (``params>=2e7``; ``where="params>=2e7"`` in Python), the
backtest rules' grammar, beside ``COLUMN=VALUE`` on every command that reads runs: the runs
it keeps, recorded and counted as ``COLUMN=VALUE``'s, and its refusals."""

from __future__ import annotations

import json
from pathlib import Path

import pandas as pd
import pytest
from tests._cli import cli
from tests._hparam_sweeps import sweep
from tests.conftest import SHARED, isoflop_runs
from tests.test_where_curves import _rows

import scalinglab
from scalinglab import ConfigError

MODELS = SHARED / "overtraining" / "models.dev.csv"
needs_models = pytest.mark.skipif(not MODELS.is_file(), reason=f"shared data not found: {MODELS}")


@needs_models
def test_fit_keeps_the_runs_a_comparison_and_a_value_keep(
    capsys: pytest.CaptureFixture[str],
) -> None:
    frame = pd.read_csv(MODELS)
    kept = frame[(frame["params"] >= 2e7) & (frame["dataset"] == "c4_original")]
    code, out, _ = cli(capsys, "fit", str(MODELS), "--y", "loss_c4_val", "--where", "params>=2e7",
                       "--where", "dataset=c4_original", "--bootstrap", "0", "--no-compare",
                       "--json")  # fmt: skip
    data = json.loads(out)
    assert code == 0 and data["where"] == {"params>=": "2e7", "dataset": "c4_original"}
    assert f"({len(kept)} of its {len(frame)} runs selected" in data["source"]
    assert 0 < len(kept) < int((frame["dataset"] == "c4_original").sum())
    runs = scalinglab.read_runs(MODELS, columns={"loss": "loss_c4_val"})
    assert runs.where("params>=2e7").where("dataset", "c4_original").runs == tuple(kept["name"])
    # the fit's recorded where reads back as the same runs, in Python as on the command line
    assert runs.where(**{"params>=": "2e7"}).runs == runs.where("params>=2e7").runs
    fitted = scalinglab.fit("chinchilla", runs, where=data["where"], bootstrap=0, compare=False)
    assert fitted.n_runs == len(kept) and dict(fitted.where) == data["where"]
    assert runs.where("params==411616256").runs == tuple(
        frame["name"][frame["params"] == 411616256]
    )


@needs_models
@pytest.mark.parametrize(
    ("bad", "said"),
    [
        ("params>big", "error: --where 'params>big' (where= in Python): 'big' is not a number"),
        (
            "params>",
            "error: --where 'params>' (where= in Python): cannot read it as COLUMN OP "
            "NUMBER: no number after >",
        ),
        ("dataset>=3", "error: --where 'dataset>=3' compares numbers, and 'dataset' is a text"),
        ("parms>=2e7", "error: --where 'parms>=2e7': no number column 'parms' in"),
        ("params>1e12", "error: no run has params > 1e12 in"),
    ],
)
def test_a_bad_comparison_is_refused_in_one_line(
    capsys: pytest.CaptureFixture[str], bad: str, said: str
) -> None:
    for command, loss in ((["fit"], "--y"), (["downstream", "fit"], "--via")):
        code, out, err = cli(capsys, *command, str(MODELS), loss, "loss_c4_val", "--where", bad)
        lines = err.splitlines()
        assert (code, out) == (2, "") and lines[0].startswith(said) and len(lines) == 2
        assert lines[1].startswith("hint: ")
    _, _, err = cli(capsys, "fit", str(MODELS), "--y", "loss_c4_val", "--where", "parms>=2e7")
    assert "hint: did you mean 'params'? its number columns are params, tokens, flops" in err


@needs_models
@pytest.mark.heavy  # 1.0 s in the suite on a 2-core AMD EPYC
def test_downstream_fit_keeps_the_models_a_comparison_keeps(
    capsys: pytest.CaptureFixture[str],
) -> None:
    frame = pd.read_csv(MODELS)
    kept = frame[(frame["params"] >= 2e7) & (frame["dataset"] == "c4_original")]
    code, out, _ = cli(capsys, "downstream", "fit", str(MODELS), "--via", "loss_c4_val",
                       "--tasks", "hellaswag", "--where", "params>=2e7", "--where",
                       "dataset=c4_original", "--bootstrap", "0", "--json")  # fmt: skip
    assert code == 0
    data = json.loads(out)
    assert data["where"] == {"params>=": "2e7", "dataset": "c4_original"}
    assert f"({len(kept)} of its {len(frame)} runs selected" in json.dumps(data)


def test_backtest_keeps_the_runs_a_comparison_keeps(
    capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    a, b = isoflop_runs(seed=1), isoflop_runs(seed=2)
    a["dataset"], b["dataset"] = "a", "b"
    frame = pd.concat([a, b], ignore_index=True)
    path = tmp_path / "two.csv"
    frame.to_csv(path, index=False)
    kept = frame[(frame["params"] < 1e9) & (frame["dataset"] == "a")]
    code, out, _ = cli(capsys, "backtest", str(path), "--where", "params<1B", "--where",
                       "dataset=a", "--bootstrap", "0", "--no-rolling", "--json")  # fmt: skip
    data = json.loads(out)
    assert code == 0 and data["n_fitted"] + data["n_held_out"] == len(kept) < len(a)
    assert f"({len(kept)} of its {len(frame)} runs selected" in data["source"]


def test_hparams_fit_keeps_the_runs_a_comparison_keeps(
    capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    a, b = sweep(1), sweep(2)
    b["loss"], b["lr"] = 0.9 * b["loss"], 2.0 * b["lr"]
    a["dataset"], b["dataset"] = "a", "b"
    both, alone = tmp_path / "both.csv", tmp_path / "alone.csv"
    pd.concat([b, a], ignore_index=True).to_csv(both, index=False)
    a[a["params"] >= 2e8].to_csv(alone, index=False)
    assert 0 < len(a[a["params"] >= 2e8]) < len(a)
    code, out, _ = cli(capsys, "hparams", "fit", str(both), "--where", "params>=2e8",
                       "--where", "dataset=a", "--bootstrap", "0", "--json")  # fmt: skip
    assert code == 0
    kept = json.loads(out)
    code, out, _ = cli(capsys, "hparams", "fit", str(alone), "--bootstrap", "0", "--json")
    own = json.loads(out)
    assert kept["lr_law"]["coefs"] == own["lr_law"]["coefs"]
    assert kept["settings"]["where"] == {"params>=": "2e8", "dataset": "a"}
    code, _, err = cli(capsys, "hparams", "fit", str(both), "--where", "dataset<2")
    assert code == 2 and err.startswith("error: --where 'dataset<2' compares numbers")


def test_curves_fit_keeps_the_curves_a_comparison_keeps(
    capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    both, alone = tmp_path / "both.csv", tmp_path / "a.csv"
    header = "run,dataset,params,step,lr,loss\n"

    def sized(rows: list[str], params: str) -> list[str]:  # a column of numbers per curve
        return [row.replace(",", f",{params},", 2).replace(f",{params},", ",", 1) for row in rows]

    a_rows, b_rows = sized(_rows("a", 6), "1e8"), sized(_rows("b", 7), "2e8")
    both.write_text(header + "\n".join(b_rows + a_rows) + "\n")
    alone.write_text(header + "\n".join(a_rows) + "\n")
    code, out, err = cli(capsys, "curves", "fit", str(both), "--where", "params<1.5e8",
                         "--law", "tissue", "--bootstrap", "0", "--json")  # fmt: skip
    assert code == 0 and "b3" not in err  # b's diverged run is not even read
    kept = json.loads(out)
    code, out, _ = cli(capsys, "curves", "fit", str(alone), "--law", "tissue", "--bootstrap",
                       "0", "--json")  # fmt: skip
    assert kept["coefs"] == json.loads(out)["coefs"] and kept["where"] == {"params<": "1.5e8"}
    assert "(4 of its 8 curves selected)" in kept["source"]


def test_python_where_takes_a_comparison_in_every_form() -> None:
    frame = isoflop_runs(seed=1)
    runs = scalinglab.read_runs(frame)
    want = runs.select(runs["params"] >= 1e8).runs
    assert runs.where("params>=1e8").runs == want
    assert runs.where("params >= 100M").runs == want
    assert runs.where("params>=", "1e8").runs == want
    with pytest.raises(ConfigError, match="'loss' is not a number"):
        runs.where("params>=loss")
