"""A budget (or target) given twice is used once, with one warning line, by every command
that takes a list of them (``report`` and ``isoflop`` used to refuse ``--compute
1e21,1e21`` while ``plan`` and ``fit`` planned it twice), and by the Python calls."""

from __future__ import annotations

import html
import json
import re
import shlex
from pathlib import Path

import pytest
from tests._cli import cli
from tests.conftest import isoflop_runs

import scalinglab
from scalinglab.cli._cmd_downstream_plan import target_accuracies
from scalinglab.report._report_inputs import report_budgets

_ONCE = "warning: --compute 1e21 given more than once: each is used once"


@pytest.fixture(scope="module")
def runs(tmp_path_factory: pytest.TempPathFactory) -> Path:
    frame = isoflop_runs(seed=3)
    frame.insert(0, "run", [f"r{i}" for i in range(len(frame))])
    path = tmp_path_factory.mktemp("iso") / "runs.csv"
    frame.to_csv(path, index=False)
    return path


def test_plan_plans_a_repeated_budget_or_target_loss_once(
    capsys: pytest.CaptureFixture[str],
) -> None:
    code, out, err = cli(
        capsys, "plan", "--preset", "hoffmann2022", "--compute", "1e21,3e21", "--compute",
        "1e21", "--json",
    )  # fmt: skip
    assert code == 0  # the plan's own note follows, as the text's footer says it
    assert err.splitlines() == [_ONCE, "note: no intervals: a preset is a point estimate"]
    flops = [p["query"]["flops"] for p in json.loads(out)["plans"]]
    assert flops == [1e21, 3e21]
    code, out, err = cli(capsys, "plan", "--preset", "hoffmann2022", "--target-loss", "2.3,2.3")
    assert code == 0
    assert err.strip() == "warning: --target-loss 2.3 given more than once: each is used once"
    assert out.count("compute needed to reach loss 2.3") == 1


@pytest.mark.heavy  # 5.2 s in the suite on a 2-core AMD EPYC
def test_fit_report_and_isoflop_use_a_repeated_budget_once(
    runs: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    code, out, err = cli(
        capsys, "fit", str(runs), "--bootstrap", "0", "--no-compare", "--compute", "1e21,1e21"
    )
    assert code == 0 and _ONCE in err
    assert out.count("│            1e21 │") == 1  # one row of the plan table (was two)
    page = tmp_path / "r.html"
    code, _, err = cli(capsys, "report", str(runs), "--bootstrap", "0", "--no-validate",
                       "--compute", "1e21,1e21", "--out", str(page))  # fmt: skip
    assert code == 0, err  # was 'error: budgets repeat: [1e+21, 1e+21]'
    assert _ONCE in err
    assert page.read_text(encoding="utf-8").count("data-value='1e+21'") == 1
    code, out, err = cli(capsys, "isoflop", str(runs), "--bootstrap", "0", "--compute",
                         "1e19,1e19,1e20", "--json")  # fmt: skip
    assert code == 0, err
    assert err.strip() == "warning: --compute 1e19 given more than once: each is used once"
    assert [b["flops"] for b in json.loads(out)["budgets"]] == [1e19, 1e20]


def test_python_budgets_given_twice_are_used_once_with_a_warning(runs: Path) -> None:
    with pytest.warns(UserWarning, match="^budgets 1e21 given more than once: each is used once$"):
        assert report_budgets([1e21, "1e21", 1e22]) == (1e21, 1e22)
    with pytest.warns(UserWarning, match="budgets 1e19 given more than once"):
        result = scalinglab.isoflop(runs, budgets="1e19,1e19,1e20", bootstrap=0)
    assert [b.flops for b in result.budgets] == [1e19, 1e20]


def test_a_repeated_target_accuracy_is_planned_once(capsys: pytest.CaptureFixture[str]) -> None:
    goals = target_accuracies(["hellaswag=0.6,piqa=0.75", "hellaswag=0.6"])
    assert goals == [("hellaswag", 0.6), ("piqa", 0.75)]
    assert capsys.readouterr().err.strip() == (
        "warning: --target-accuracy hellaswag=0.6 given more than once: each is used once"
    )


@pytest.mark.heavy
def test_the_report_card_spells_the_budgets_used_once(
    runs: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """The card's command showed `--compute 1e21,1e21` as typed: run again it warned again.
    It now spells the budgets the plan table used, each once and exactly, and remakes the
    page without the warning."""
    page = tmp_path / "r.html"
    code, _, err = cli(capsys, "report", str(runs), "--bootstrap", "0", "--no-validate",
                       "--compute", "1e21,1.2345678e21", "--compute", "1e21", "--out",
                       str(page))  # fmt: skip
    assert code == 0 and _ONCE in err
    text = page.read_text(encoding="utf-8")
    command = re.search(r"command</th><td>scalinglab ([^<]*)</td>", html.unescape(text))
    assert command is not None
    words = shlex.split(command[1])
    # each once, exactly: not 1e21,1.2345678e21,1e21 as typed, nor rounded to 1.23457e21
    assert words[words.index("--compute") + 1] == "1e21,1.2345678e21"
    assert words.count("--compute") == 1
    page.unlink()
    code, _, err = cli(capsys, *words)
    assert code == 0 and "given more than once" not in err
    assert page.read_text(encoding="utf-8") == text
