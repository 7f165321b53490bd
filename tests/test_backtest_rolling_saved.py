"""``scalinglab backtest --out`` keeps the winner's rolling-origin steps and the baselines
whole under "saved": ``Comparison.load(path).rolling`` is the ``Rolling`` the run computed
(same ``to_dict()``, same printed rolling table) and ``.baselines`` its baselines, as after
``Comparison.save``; a file written before they were kept still loads, and asking it for
its rolling steps or baselines says why there are none, naming the file."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest
from rich.console import Console
from tests.test_cli_backtest import ladder_csv

import scalinglab as sl
from scalinglab.cli import main
from scalinglab.cli._backtest_views import print_backtest
from scalinglab.validate import Comparison, baseline_backtest

# its module's fixtures: 5.9 s in the suite on a 2-core AMD EPYC, for a few quick tests
pytestmark = pytest.mark.heavy


def _printed(*args: Any) -> str:
    console = Console(record=True, width=200)
    print_backtest(console, *args)
    return console.export_text()


@pytest.fixture(scope="module")
def made(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Any]:
    """The command's --out file (rolling on, a baseline) and the same results from Python."""
    folder = tmp_path_factory.mktemp("rollsave")
    runs = ladder_csv(folder / "runs.csv")
    out = folder / "bt.json"
    args = ["backtest", str(runs), "--holdout", "largest:5", "--bootstrap", "30",
            "--baseline", "curve_fit", "--out", str(out)]  # fmt: skip
    assert main(args) == 0
    cmp = sl.compare(str(runs), laws=["chinchilla"], holdout="largest:5", bootstrap=30)
    split = cmp.split
    base = baseline_backtest(split.fitted, method="curve_fit", holdout=split, seed=0)
    rolling = sl.rolling_backtest(split.fitted, law="chinchilla", holdout=split, bootstrap=30)
    return {"out": out, "cmp": cmp, "base": base, "rolling": rolling}


@pytest.mark.heavy
def test_the_commands_file_gives_back_its_rolling_steps(made: dict[str, Any]) -> None:
    back = Comparison.load(made["out"])
    written = json.loads(made["out"].read_text())
    assert back.has_rolling and written["rolling"] is not None
    # the steps the run computed: the summary it wrote at the top, and the Python call's
    assert back.rolling.to_dict() == written["rolling"] == made["rolling"].to_dict()
    assert [s.n_fitted for s in back.rolling.steps] == [s.n_fitted for s in made["rolling"].steps]
    assert repr(back.rolling) == repr(made["rolling"])
    assert back.rolling.split is back.split  # the comparison's runs, written once
    assert [b.to_dict() for b in back.baselines] == written["baselines"]
    assert [b.to_dict() for b in back.baselines] == [made["base"].to_dict()]
    # the rolling table (and the rest) print as the run's results print
    was = _printed(made["cmp"], [made["base"]], made["rolling"])
    assert "rolling-origin" in was
    assert _printed(back, list(back.baselines), back.rolling) == was


def test_comparison_save_keeps_the_rolling_steps(made: dict[str, Any], tmp_path: Path) -> None:
    whole = made["cmp"].with_rolling(made["rolling"], baselines=[made["base"]])
    path = tmp_path / "cmp.json"
    whole.save(path)
    back = Comparison.load(path)
    assert back.to_dict() == whole.to_dict()
    assert back.rolling.to_dict() == made["rolling"].to_dict()
    assert back.rolling.steps == made["rolling"].steps  # every field of every step
    assert [b.to_dict() for b in back.baselines] == [made["base"].to_dict()]
    # the command's file holds the same whole result
    assert json.loads(path.read_text())["saved"] == json.loads(made["out"].read_text())["saved"]


def test_a_file_written_before_loads_and_says_it_has_no_rolling_steps(
    made: dict[str, Any], tmp_path: Path
) -> None:
    data = json.loads(made["out"].read_text())
    for key in ("rolling", "baselines", "why_no_rolling"):  # what the release before wrote
        del data["saved"][key]
    path = tmp_path / "old.json"
    path.write_text(json.dumps(data))
    back = Comparison.load(path)
    assert back.to_dict() == made["cmp"].to_dict()
    assert not back.has_rolling
    with pytest.raises(sl.ConfigError) as err:
        back.rolling  # noqa: B018
    assert err.value.message.startswith(
        "Comparison.rolling: this comparison holds no rolling-origin backtest: "
        f"{path} was written by `scalinglab backtest --out` before the file kept them whole"
    )
    assert "without --no-rolling" in err.value.hint and "rolling_backtest(" in err.value.hint
    with pytest.raises(sl.ConfigError, match=r"Comparison\.baselines: .* before the file kept"):
        back.baselines  # noqa: B018


def test_a_comparison_without_rolling_steps_says_why(made: dict[str, Any], tmp_path: Path) -> None:
    cmp = made["cmp"]
    assert cmp.baselines == () and not cmp.has_rolling
    with pytest.raises(sl.ConfigError, match=r"holds no rolling-origin backtest: compare\(\)"):
        cmp.rolling  # noqa: B018
    runs, path = tmp_path / "runs.csv", tmp_path / "none.json"
    ladder_csv(runs)
    args = ["backtest", str(runs), "--holdout", "largest:5", "--bootstrap", "0", "--no-rolling"]
    assert main([*args, "--out", str(path)]) == 0
    with pytest.raises(sl.ConfigError, match="ran with --no-rolling"):
        Comparison.load(path).rolling  # noqa: B018


def test_no_rolling_steps_for_want_of_runs_is_not_told_to_rerun(made: dict[str, Any]) -> None:
    """A re-run without --no-rolling gives none either where no step had runs enough."""
    from scalinglab.validate._compare_kept import NO_WINNER

    short = made["cmp"].with_rolling(None, why=NO_WINNER)
    with pytest.raises(sl.ConfigError) as info:
        short.rolling  # noqa: B018
    assert "add runs at more scales" in str(info.value.hint)
    assert "without --no-rolling" not in str(info.value.hint)
