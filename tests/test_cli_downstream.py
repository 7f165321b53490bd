"""``scalinglab downstream fit|predict|backtest`` and ``loss2loss fit`` through ``main([...])``:
tables, the saved chain, JSON, and bad input as one line with exit code 2."""

from __future__ import annotations

import json
from pathlib import Path

import numpy as np
import pandas as pd
import pytest
from tests.test_downstream_chain import MULTS, SIZES, models

from scalinglab.cli import main
from scalinglab.downstream import DownstreamFit


@pytest.fixture(scope="module")
def evals_csv(tmp_path_factory: pytest.TempPathFactory) -> Path:
    frame = models(np.random.default_rng(0), SIZES, MULTS)
    frame["loss_other"] = 1.2 * (frame["loss"] - 1.5) ** 1.1 + 0.9
    path = tmp_path_factory.mktemp("ds") / "evals.csv"
    frame.to_csv(path, index=False)
    return path


def run(capsys: pytest.CaptureFixture[str], *args: str) -> tuple[int, str, str]:
    code = main(list(args))
    out, err = capsys.readouterr()
    return code, out, err


@pytest.fixture(scope="module")
def chain(evals_csv: Path) -> tuple[Path, str]:
    """``downstream fit --tasks all --bootstrap 50 --out``: the saved chain and what the
    command printed, made once for the tests that read it (predict, plan, to_dict)."""
    from contextlib import redirect_stdout
    from io import StringIO

    path = evals_csv.parent / "chain.json"
    printed = StringIO()
    with redirect_stdout(printed):
        code = main(["downstream", "fit", str(evals_csv), "--tasks", "all", "--bootstrap", "50",
                     "--out", str(path)])  # fmt: skip
    assert code == 0
    return path, printed.getvalue()


def test_fit_then_predict(capsys: pytest.CaptureFixture[str], chain: tuple[Path, str]) -> None:
    out_path, out = chain
    assert "predictable" in out and "at chance" in out
    code, out, err = run(
        capsys, "downstream", "predict", "--fit", str(out_path), "--params", "800M",
        "--tokens", "16B", "--json",
    )  # fmt: skip
    assert code == 0, err
    data = json.loads(out)
    task = data["tasks"]["task"]
    assert task["lower"] < task["accuracy"] < task["upper"]
    assert data["tasks"]["hellaswag"]["reason"].startswith("at chance")
    code, out, err = run(
        capsys, "downstream", "predict", "--fit", str(out_path), "--params", "800M",
        "--tokens", "16B",
    )  # fmt: skip
    assert code == 0, err
    flat = "".join(out.split()).replace("│", "")  # the table's cells, unwrapped
    assert "notpredictablefromtheseruns:atchance" in flat  # as `downstream fit` says it
    assert "notpredictable:" not in flat


def test_backtest_table(capsys: pytest.CaptureFixture[str], evals_csv: Path) -> None:
    code, out, err = run(
        capsys, "downstream", "backtest", str(evals_csv), "--holdout", "params>=200M",
        "--task", "task", "--bootstrap", "100", "--json",
        "--max-backtest-error", "inf",  # below 200M the task leaves chance only at 100M
    )  # fmt: skip
    assert code == 0, err
    data = json.loads(out)
    result = data["tasks"]
    assert result["task"]["abs_error"] < 0.05  # the law holds exactly: a few points at most
    assert 0 <= result["task"]["coverage"] <= 1
    # one task has no average (it would be that task again, without an interval), as
    # `downstream fit` shows none: nothing NaN anywhere in the JSON
    assert "average" not in data and "average" not in result
    assert "nan" not in out.lower()


def test_backtest_table_has_no_empty_verdict_column(
    capsys: pytest.CaptureFixture[str], evals_csv: Path
) -> None:
    """No verdict column where no task has a verdict or a note (it was empty)."""
    code, out, err = run(
        capsys, "downstream", "backtest", str(evals_csv), "--holdout", "params>=200M",
        "--task", "task", "--bootstrap", "20", "--max-backtest-error", "inf",
    )  # fmt: skip
    head = next(line for line in out.splitlines() if line.startswith("┃"))
    assert code == 0 and "┃ task " in head and "verdict" not in head, err
    assert head.rstrip().endswith("┃ 90% coverage ┃")


@pytest.mark.heavy  # 4.0 s in the suite on a 2-core AMD EPYC
def test_loss2loss_fit(capsys: pytest.CaptureFixture[str], evals_csv: Path) -> None:
    code, out, err = run(
        capsys, "loss2loss", "fit", str(evals_csv), "--x", "loss", "--y", "loss_other",
        "--bootstrap", "50", "--json",
    )  # fmt: skip
    assert code == 0, err
    data = json.loads(out)
    fitted = data["fits"]["all"]
    assert fitted["status"] == "converged" and fitted["coefs"]["kappa"] > 0


@pytest.mark.heavy
def test_loss2loss_says_what_not_to_trust(
    capsys: pytest.CaptureFixture[str], evals_csv: Path, tmp_path: Path
) -> None:
    """A shifted power near 1 is what loss-to-loss fits find, not an implausible decay
    exponent; a fit with E_y pushed to its bound says so, in the table's lines and the JSON,
    and the intervals say their level (the command printed none of this)."""
    args = ["loss2loss", "fit", str(evals_csv), "--x", "loss", "--y", "loss_other"]
    code, out, err = run(capsys, *args, "--bootstrap", "50")
    assert code == 0, err
    assert "intervals: 90% percentile over 50 bootstrap resamples of the runs" in out
    assert "kappa" in out and "implausible" not in out
    frame = pd.read_csv(evals_csv)
    frame["loss_other"] = 1.2 * (frame["loss"] - 1.5) ** 1.1  # no floor: E_y = 0
    frame.to_csv(tmp_path / "nofloor.csv", index=False)
    args[2] = str(tmp_path / "nofloor.csv")
    code, out, err = run(capsys, *args, "--bootstrap", "50", "--json")
    assert code == 0, err
    fitted = json.loads(out)["fits"]["all"]
    assert fitted["at_bound"] == ["E_y"] and fitted["level"] == 0.9
    assert fitted["n_bootstrap"] == 50
    assert any(w.startswith("E_y = ") and "collapsed to ~0" in w for w in fitted["warnings"])
    code, out, _ = run(capsys, *args, "--bootstrap", "0")
    assert "warning: E_y = " in out and "collapsed to ~0 (the smallest L_y is" in out
    assert "at bound: E_y" not in out  # said once, by the warning that says why


def test_loss2loss_names_the_option_that_is_wrong(
    capsys: pytest.CaptureFixture[str], evals_csv: Path
) -> None:
    code, _, err = run(capsys, "loss2loss", "fit", str(evals_csv), "--x", "loss_c4", "--y", "loss")
    assert code == 2 and "column 'loss_c4': no column 'loss_c4' to read loss from" in err
    assert "hint: pass an existing column: --x COLUMN" in err
    code, _, err = run(capsys, "loss2loss", "fit", str(evals_csv), "--x", "loss", "--y", "loss")
    assert code == 2 and "--x and --y are both 'loss'" in err
    code, _, err = run(capsys, "downstream", "fit", str(evals_csv), "--where", "dataset")
    assert code == 2 and "--where 'dataset' is not COLUMN=VALUE" in err


def test_loss2loss_one_fit_per_group(
    capsys: pytest.CaptureFixture[str], evals_csv: Path, tmp_path: Path
) -> None:
    frame = pd.read_csv(evals_csv)
    frame["corpus"] = np.where(np.arange(len(frame)) % 2 == 0, "a", "b")
    shift = np.where(frame["corpus"] == "a", 0.0, 0.3)  # corpus b: a different curve
    frame["loss_other"] = frame["loss_other"] + shift
    path = tmp_path / "two.csv"
    frame.to_csv(path, index=False)
    code, out, err = run(
        capsys, "loss2loss", "fit", str(path), "--x", "loss", "--y", "loss_other",
        "--group", "corpus", "--bootstrap", "0", "--json",
    )  # fmt: skip
    assert code == 0, err
    fits = json.loads(out)["fits"]
    assert set(fits) == {"a", "b"} and all(f["n_runs"] == 10 for f in fits.values())
    assert all(f["rms_residual"] < 1e-3 for f in fits.values())  # each group's curve is exact
    code, _, err = run(capsys, "loss2loss", "fit", str(path), "--x", "loss", "--y",
                       "loss_other", "--group", "corpuz")  # fmt: skip
    assert code == 2 and "--group 'corpuz'" in err
    few = frame[(frame["corpus"] == "a") | (frame.index < 6)]  # corpus b: 3 runs
    few.to_csv(path, index=False)
    code, out, err = run(
        capsys, "loss2loss", "fit", str(path), "--x", "loss", "--y", "loss_other",
        "--group", "corpus", "--bootstrap", "0", "--json",
    )  # fmt: skip
    assert code == 0, err
    data = json.loads(out)
    assert set(data["fits"]) == {"a"} and data["skipped"]["b"].startswith("only 3 runs")


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["--task", "hellaswg"], "unknown task 'hellaswg'"),
        (["--via", "loss_c4"], "no loss column 'loss_c4'"),
        (["--task", "task", "--tasks", "all"], "give --task or --tasks, not both"),
    ],
)
def test_bad_input_is_one_line_and_exit_2(
    capsys: pytest.CaptureFixture[str], evals_csv: Path, args: list[str], message: str
) -> None:
    code, _, err = run(capsys, "downstream", "fit", str(evals_csv), "--bootstrap", "0", *args)
    assert code == 2
    assert message in err and "Traceback" not in err


def test_predict_from_a_file_that_is_not_a_chain(
    capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    bad = tmp_path / "x.json"
    bad.write_text('{"format": "scalinglab.fit/1"}')
    code, _, err = run(capsys, "downstream", "predict", "--fit", str(bad), "--params", "1B",
                       "--tokens", "20B")  # fmt: skip
    assert code == 2 and "not a downstream fit" in err


def test_plan_target_accuracy(capsys: pytest.CaptureFixture[str], chain: tuple[Path, str]) -> None:
    out_path = chain[0]
    code, out, err = run(capsys, "downstream", "plan", "--fit", str(out_path),
                         "--target-accuracy", "task=0.7")  # fmt: skip
    assert code == 0, err
    assert "task" in out and "0.7" in out
    code, _, err = run(capsys, "downstream", "plan", "--fit", str(out_path),
                       "--target-accuracy", "task=high")  # fmt: skip
    assert code == 2 and "is not a number" in err


@pytest.mark.slow  # ~10 s: the page renders four SVG figures
def test_report_has_the_downstream_sections(
    capsys: pytest.CaptureFixture[str], evals_csv: Path, tmp_path: Path
) -> None:
    page = tmp_path / "report.html"
    code, _, err = run(
        capsys, "downstream", "report", str(evals_csv), "--bootstrap", "20", "--holdout",
        "params>=200M", "--params", "800M", "--tokens", "16B", "--out", str(page),
    )  # fmt: skip
    assert code == 0, err
    html = page.read_text()
    for heading in ("Downstream: accuracy against loss", "prediction at the target scale",
                    "Downstream: backtest per task"):  # fmt: skip
        assert heading in html
    # the prediction and backtest tables say the task table's verdict, in its words
    assert "<svg" in html and "not predictable from these runs: at chance" in html
    assert "not predictable: " not in html
    code, _, err = run(capsys, "downstream", "report", str(evals_csv), "--params", "1B")
    assert code == 2 and "both --params and --tokens" in err


@pytest.mark.heavy  # 1.2 s in the suite on a 2-core AMD EPYC
def test_where_keeps_one_corpus(
    capsys: pytest.CaptureFixture[str], evals_csv: Path, tmp_path: Path
) -> None:
    frame = pd.read_csv(evals_csv)
    frame["dataset"] = np.where(np.arange(len(frame)) < 15, "a", "b")
    path = tmp_path / "corpora.csv"
    frame.to_csv(path, index=False)
    code, out, err = run(capsys, "downstream", "fit", str(path), "--where", "dataset=a",
                         "--task", "task", "--bootstrap", "0")  # fmt: skip
    assert code == 0, err
    assert out.startswith("15 models")
    code, _, err = run(capsys, "downstream", "fit", str(path), "--where", "dataset=c")
    assert code == 2 and "no run has dataset = 'c'" in err and "a, b" in err
    code, _, err = run(capsys, "downstream", "fit", str(path), "--where", "corpus=a")
    assert code == 2 and "no text column 'corpus'" in err


@pytest.mark.heavy  # 2.1 s in the suite on a 2-core AMD EPYC
def test_average_row_and_evaluation_noise(
    capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    from tests.test_downstream_average import models as three_tasks

    path, chance = tmp_path / "three.csv", tmp_path / "chance.csv"
    frame = three_tasks(np.random.default_rng(5))
    frame.to_csv(path, index=False)
    top = frame.acc_t1[frame.params == frame.params.max()]
    sd = 100 * np.sqrt(np.mean(top * (1 - top)) / 40)  # binomial, at the largest size
    pd.DataFrame({"task": ["t1", "flat"], "chance": [0.0, 0.3], "examples": [40, 1000]}).to_csv(
        chance, index=False
    )
    out_path = tmp_path / "ds.json"
    code, out, err = run(
        capsys, "downstream", "fit", str(path), "--tasks", "all", "--task-law", "exp-error",
        "--law", "chinchilla", "--chance", str(chance), "--bootstrap", "100",
        "--out", str(out_path),
    )  # fmt: skip
    assert code == 0, err
    flat = "".join(out.split()).replace("│", "")  # the table's cells, unwrapped
    assert "average(3tasks)" in flat and "t1,t2,t3" in flat
    # t1 has 40 examples: ±7 points per model, more than the 3-point tolerance
    assert "pointsofevaluationnoisepermodel(40examples):nobacktestcanshow3points" in flat
    (note,) = json.loads(out_path.read_text())["tasks"]["t1"]["notes"]
    assert note.startswith(f"±{sd:.1f} points of evaluation noise per model (40 examples)")
    # notes a list, as every result's; the old string 'note' beside it for one release, and a
    # file holding only that (the previous release's) reads back as notes
    saved = json.loads(out_path.read_text())
    assert saved["tasks"]["t1"]["note"] == note and saved["tasks"]["t2"]["notes"] == []
    for task in saved["tasks"].values():
        del task["notes"]
    (tmp_path / "old.json").write_text(json.dumps(saved))
    back = DownstreamFit.load(tmp_path / "old.json")
    assert back.tasks["t1"].notes == (note,) and back.tasks["t2"].notes == ()
    with pytest.warns(DeprecationWarning, match=r"TaskFit.note .* TaskFit.notes"):
        assert back.tasks["t1"].note == note  # type: ignore[deprecated]
    code, out, err = run(
        capsys, "downstream", "predict", "--fit", str(out_path), "--params", "800M",
        "--tokens", "16B", "--json",
    )  # fmt: skip
    assert code == 0, err
    data = json.loads(out)
    assert "average" not in data["tasks"] and data["average"]["members"] == ["t1", "t2", "t3"]
    average = data["average"]
    assert average["lower"] < average["accuracy"] < average["upper"]
    mean = np.mean([data["tasks"][t]["accuracy"] for t in ("t1", "t2", "t3")])
    assert average["accuracy"] == pytest.approx(mean, rel=1e-12)  # the mean of its tasks
    code, out, err = run(
        capsys, "downstream", "predict", "--fit", str(out_path), "--params", "800M",
        "--tokens", "16B",
    )  # fmt: skip
    assert code == 0 and "average (3 tasks)" in out
    code, out, err = run(
        capsys, "downstream", "backtest", str(path), "--holdout", "params>=200M", "--tasks",
        "all", "--task-law", "exp-error", "--law", "chinchilla", "--chance", str(chance),
        "--bootstrap", "100", "--max-backtest-error", "inf", "--json",
    )  # fmt: skip
    assert code == 0, err
    result = json.loads(out)
    assert result["average"]["members"] == ["t1", "t2", "t3"]
    assert 0 <= result["average"]["coverage"] <= 1  # the target has intervals
    assert "mean_of_tasks" not in result  # the average is that mean
    code, out, err = run(
        capsys, "downstream", "backtest", str(path), "--holdout", "params>=200M", "--tasks",
        "all", "--task-law", "exp-error", "--law", "chinchilla", "--chance", str(chance),
        "--bootstrap", "100", "--max-backtest-error", "inf", "--json", "--average-law",
        "exp-error",
    )  # fmt: skip
    result = json.loads(out)
    assert 0 <= result["average"]["coverage"] <= 1  # the average's own law, with intervals
    assert result["mean_of_tasks"]["coverage"] == "nan"  # the mean of the tasks has none


def test_loss2loss_judges_e_x_against_the_smallest_l_x(
    capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    """E_x is the floor of L_x: a collapsed E_x is measured against the smallest L_x (the
    message quoted the predicted loss's)."""
    lx = np.linspace(2.0, 3.0, 24)
    ly = 0.8 * lx**1.2 + 1.0  # E_x = 0: no floor in x
    frame = pd.DataFrame({"name": [f"m{i}" for i in range(24)], "params": 1e8 * (1 + np.arange(24)),
                          "tokens": 2e9, "loss": lx, "loss_y": ly})  # fmt: skip
    frame.to_csv(tmp_path / "xy.csv", index=False)
    args = ["loss2loss", "fit", str(tmp_path / "xy.csv"), "--x", "loss", "--y", "loss_y"]
    code, out, err = run(capsys, *args, "--bootstrap", "0", "--json")
    assert code == 0, err
    warned = [w for w in json.loads(out)["fits"]["all"]["warnings"] if w.startswith("E_x = ")]
    assert warned and "(the smallest L_x is 2)" in warned[0], warned


def test_python_predict_to_dict_is_what_predict_json_prints(
    capsys: pytest.CaptureFixture[str], chain: tuple[Path, str]
) -> None:
    """``DownstreamFit.predict()`` gives the plain dictionary every result gives, through the
    one serializer ``downstream predict --json`` prints (less the file's format and source)."""
    from scalinglab import DownstreamFit

    saved = chain[0]  # downstream fit --tasks all --bootstrap 50 --out
    size = ("--params", "800M", "--tokens", "16B", "--level", "0.8")
    code, out, err = run(capsys, "downstream", "predict", "--fit", str(saved), *size, "--json")
    assert code == 0, err
    printed = json.loads(out)
    assert printed.pop("format") and printed.pop("source")
    preds = DownstreamFit.load(saved).predict(params="800M", tokens="16B", level=0.8)
    assert json.loads(json.dumps(preds.to_dict())) == printed
    assert preds.to_dict()["tasks"]["task"] == preds["task"].to_dict()


def test_backtest_says_one_model_in_the_singular(
    capsys: pytest.CaptureFixture[str], evals_csv: Path
) -> None:
    # it said "held out 1 models"
    code, out, err = run(
        capsys, "downstream", "backtest", str(evals_csv), "--holdout", "largest:1",
        "--task", "task", "--bootstrap", "20", "--max-backtest-error", "inf",
    )  # fmt: skip
    assert code == 0, err
    assert "held out 1 model (the largest run by flops)" in out
