"""backtest --out and plan --out, and downstream predict|backtest|plan --out, carry a format,
and a reader names what a file is."""

from __future__ import annotations

import json
from pathlib import Path

import numpy as np
import pytest
from tests.test_cli_backtest import cli, ladder_csv
from tests.test_downstream_chain import MULTS, SIZES, models

import scalinglab as sl
from scalinglab._formats import check_format
from scalinglab.cli import main

# its module's fixtures: 7.8 s in the suite on a 2-core AMD EPYC, for a few quick tests
pytestmark = pytest.mark.heavy


@pytest.fixture(scope="module")
def files(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Path]:
    folder = tmp_path_factory.mktemp("kinds")
    runs = ladder_csv(folder / "runs.csv")
    out = {k: folder / f"{k}.json" for k in ("bt", "fit", "plan", "iso")}
    assert main(["backtest", str(runs), "--no-rolling", "--out", str(out["bt"])]) == 0
    assert main(["fit", str(runs), "--bootstrap", "0", "--out", str(out["fit"])]) == 0
    plan = ["plan", "--fit", str(out["fit"]), "--compute", "1e22", "--out", str(out["plan"])]
    assert main(plan) == 0
    assert main(plan) == 0  # its own earlier output is replaced
    out["iso"].write_text(json.dumps({"format": "scalinglab.isoflop/1"}))
    return out


def test_backtest_and_plan_outputs_carry_a_format(files: dict[str, Path]) -> None:
    assert json.loads(files["bt"].read_text())["format"] == "scalinglab.backtest/1"
    assert json.loads(files["plan"].read_text())["format"] == "scalinglab.plan/1"
    assert files["bt"].read_text().lstrip("{ \n").startswith('"format"')  # first key


def test_plan_from_a_backtest_says_it_is_a_backtest(
    capsys: pytest.CaptureFixture[str], files: dict[str, Path]
) -> None:
    code, _, err = cli(capsys, "plan", "--fit", str(files["bt"]), "--compute", "1e22")
    assert code == 2
    assert "not a scalinglab fit (format 'scalinglab.backtest/1', expected" in err
    assert (
        "hint: it is a backtest (`scalinglab backtest --out`, Comparison.save): it holds "
        "held-out errors; read it with Comparison.load; `plan --fit` reads a law fit" in err
    )


def test_the_hint_names_the_command_run(
    capsys: pytest.CaptureFixture[str], files: dict[str, Path]
) -> None:
    args = ["--fit", str(files["iso"])]
    _, _, err = cli(capsys, "predict", *args, "--params", "1e9", "--tokens", "2e10")
    assert (
        "isoflop RUNS --at 1e23` (Python: IsoFLOPResult.at(flops=1e23)); `predict --fit` reads a law fit"
        in " ".join(err.split())
    )
    assert "plan --fit" not in err
    _, _, err = cli(capsys, "plan", *args, "--compute", "1e22")
    assert (
        "isoflop RUNS --at 1e23` (Python: IsoFLOPResult.at(flops=1e23)); `plan --fit` reads a law fit"
        in " ".join(err.split())
    )
    _, _, err = cli(capsys, "predict", "--fit", str(files["plan"]), "--params", "1e9",
                    "--tokens", "2e10")  # fmt: skip
    assert "it is a plan (`scalinglab plan --out`)" in err


def test_older_files_without_a_format_are_named_by_their_keys(files: dict[str, Path]) -> None:
    for name, kind in (("bt", "a backtest"), ("plan", "a plan")):
        data = json.loads(files[name].read_text())
        del data["format"]
        with pytest.raises(sl.DataError) as err:
            check_format(data, "scalinglab.fit/1", "scalinglab fit", source="f", write="w")
        assert "(no \"format\" key, expected 'scalinglab.fit/1')" in err.value.message
        assert err.value.hint is not None and err.value.hint.startswith(f"it is {kind} (")


@pytest.fixture(scope="module")
def downstream(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Path]:
    """A chain, then what ``downstream predict|backtest|plan --out`` save, each twice."""
    folder = tmp_path_factory.mktemp("downstream-kinds")
    out = {k: folder / f"{k}.json" for k in ("ds", "pred", "bt", "plan")}
    out["evals"] = folder / "evals.csv"
    models(np.random.default_rng(0), SIZES, MULTS).to_csv(out["evals"], index=False)
    fit = ["downstream", "fit", str(out["evals"]), "--bootstrap", "20", "--out", str(out["ds"])]
    assert main(fit) == 0
    chain = ["--fit", str(out["ds"])]
    writes = [
        ["downstream", "predict", *chain, "--params", "1B", "--tokens", "20B", "--out",
         str(out["pred"])],
        ["downstream", "backtest", str(out["evals"]), "--bootstrap", "0", "--out", str(out["bt"])],
        ["downstream", "plan", *chain, "--target-accuracy", "task=0.5", "--out",
         str(out["plan"])],
        ["plan", "--downstream", str(out["ds"]), "--target-accuracy", "task=0.5", "--out",
         str(out["plan"])],
    ]  # fmt: skip
    for args in writes:
        assert main(args) == 0, args
        if args[0] == "downstream":  # its own earlier output is replaced; `plan --downstream`
            assert main(args) == 0, args  # replaced the one `downstream plan` wrote already
    return out


@pytest.mark.parametrize(
    ("name", "kind"),
    [("pred", "downstream_predict"), ("bt", "downstream_backtest"), ("plan", "downstream_plan")],
)
@pytest.mark.heavy
def test_downstream_outputs_carry_a_format_and_are_named(
    capsys: pytest.CaptureFixture[str], downstream: dict[str, Path], name: str, kind: str
) -> None:
    text = downstream[name].read_text()
    assert text.lstrip("{ \n").startswith(f'"format": "scalinglab.{kind}/1"')  # first key
    capsys.readouterr()
    given = ["--fit", str(downstream[name]), "--params", "1B", "--tokens", "20B"]
    code, _, err = cli(capsys, "downstream", "predict", *given)
    assert code == 2
    assert f"not a downstream fit (format 'scalinglab.{kind}/1', expected" in err
    code, _, err = cli(capsys, "predict", *given)
    said = {"pred": "accuracy predictions (`scalinglab downstream predict --out`)",
            "bt": "a downstream backtest (`scalinglab downstream backtest --out`)",
            "plan": "an accuracy plan (`scalinglab downstream plan --out`)"}  # fmt: skip
    assert code == 2 and f"hint: it is {said[name]}: `predict --fit` reads a law fit" in err


def test_an_output_of_another_downstream_kind_is_not_replaced(
    capsys: pytest.CaptureFixture[str], downstream: dict[str, Path]
) -> None:
    args = ["--target-accuracy", "task=0.5", "--out", str(downstream["bt"])]
    code, _, err = cli(capsys, "downstream", "plan", "--fit", str(downstream["ds"]), *args)
    assert code == 2
    assert "already exists and is a downstream backtest (`scalinglab downstream backtest " in err
    assert "(format 'scalinglab.downstream_backtest/1'): writing the plan there" in err


def test_an_accuracy_plan_saved_before_formats_is_named_by_its_keys(
    downstream: dict[str, Path],
) -> None:
    data = json.loads(downstream["plan"].read_text())
    del data["format"]
    with pytest.raises(sl.DataError) as err:
        check_format(data, "scalinglab.fit/1", "scalinglab fit", source="f", write="w")
    assert err.value.hint is not None
    assert err.value.hint.startswith("it is an accuracy plan (`scalinglab downstream plan")
