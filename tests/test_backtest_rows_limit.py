"""``backtest`` lists at most ``--limit`` held-out runs (25 by default), farthest from the
fitted ones first, and says how many it left out, the worst among them, and how to see them
all: a top decile of 5,000 runs printed a 500-row table ordered by run name."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from tests._cli import cli
from tests.test_excluded_summary import chinchilla_runs

_ARGS = ("--no-rolling", "--bootstrap", "0")


@pytest.fixture(scope="module")
def runs(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return chinchilla_runs(tmp_path_factory.mktemp("rows") / "runs.csv", n=300, missing=0)


def _rows(out: str) -> list[list[str]]:
    """The held-out table's rows, as cells."""
    table = out.split("held-out runs:")[1]
    return [[c.strip() for c in line.split("│")[1:-1]] for line in table.splitlines()
            if line.startswith("│ r")]  # fmt: skip


def test_the_farthest_25_are_listed_and_the_rest_counted(
    capsys: pytest.CaptureFixture[str], runs: Path
) -> None:
    code, out, err = cli(capsys, "backtest", str(runs), *_ARGS)
    assert code == 0, err
    rows = _rows(out)
    flops = [float(r[1]) for r in rows]
    assert len(rows) == 25 and flops == sorted(flops, reverse=True)
    said = next(line for line in out.splitlines() if "not shown" in line)
    assert said.startswith("the 25 farthest of 30 held-out runs listed; 5 not shown")
    assert said.endswith(": --limit 0 lists every one (--json and --out hold them all)")
    code, out, _ = cli(capsys, "backtest", str(runs), *_ARGS, "--json")
    scored = json.loads(out)["laws"][0]["backtest"]["runs"]
    worst = max(scored, key=lambda r: r["are"])
    assert float(rows[-1][1]) >= min(r["scale"] for r in scored)  # the farthest, not others
    named = f", among them the worst, run {worst['run']!r} (ARE " in said
    assert named == (worst["run"] not in {r[0] for r in rows})  # named where left out


def test_limit_0_lists_every_run(capsys: pytest.CaptureFixture[str], runs: Path) -> None:
    code, out, _ = cli(capsys, "backtest", str(runs), *_ARGS, "--limit", "0")
    assert code == 0 and len(_rows(out)) == 30 and "not shown" not in out
    code, out, _ = cli(capsys, "backtest", str(runs), *_ARGS, "--limit", "3")
    assert len(_rows(out)) == 3
    assert (
        "the 3 farthest of 30 held-out runs listed; 27 not shown, among them the worst, run "
        "'r107' (ARE 1.03% at 2.54× fitted): --limit 0 lists every one (--json and --out hold "
        "them all)"
    ) in out
