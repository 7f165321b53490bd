"""``scalinglab runs`` on a large store: a terminal lists the first 50 runs by size and says
how many more there are (5,000 runs took 5,007 lines and 7-14 s), ``--limit`` sets how many
(0: every one), a pipe and ``--json`` get them all; and listing runs never imports
``scalinglab.downstream`` (3 s of SciPy), which only ``--evals`` scores once needed."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pandas as pd
import pytest
from tests._cli import cli
from tests._stores import store_of


@pytest.fixture(scope="module")
def store(tmp_path_factory: pytest.TempPathFactory) -> Path:
    n = 120
    table = pd.DataFrame(
        {"run": [f"m{i:03d}" for i in range(n)], "params": [1e7 * (i + 1) for i in range(n)],
         "tokens": [2e9] * n, "loss": [3.0 - i / n for i in range(n)]}
    )  # fmt: skip
    return store_of(table, tmp_path_factory.mktemp("runs") / "st.duckdb")


def _listed(out: str) -> list[str]:
    return [line.split("│")[1].strip() for line in out.splitlines() if line.startswith("│ m")]


def test_a_terminal_lists_the_first_50_and_says_how_many_more(
    capsys: pytest.CaptureFixture[str], store: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("TTY_COMPATIBLE", "1")  # rich: a terminal
    monkeypatch.setenv("COLUMNS", "120")
    code, out, _ = cli(capsys, "runs", "--store", str(store))
    assert code == 0 and _listed(out) == [f"m{i:03d}" for i in range(50)]
    assert "120 runs in" in out
    assert (
        "50 of 120 runs listed (the first by size); 70 more: --limit 0 lists every one "
        "(--json lists them all)"
    ) in out


def test_limit_and_a_pipe(capsys: pytest.CaptureFixture[str], store: Path) -> None:
    code, out, _ = cli(capsys, "runs", "--store", str(store))  # captured: not a terminal
    assert code == 0 and len(_listed(out)) == 120 and "more:" not in out
    code, out, _ = cli(capsys, "runs", "--store", str(store), "--limit", "7")
    assert _listed(out)[-1] == "m006" and len(_listed(out)) == 7
    assert "7 of 120 runs listed (the first by size); 113 more" in out
    code, out, _ = cli(capsys, "runs", "--store", str(store), "--limit", "3", "--json")
    assert len(json.loads(out)["runs"]) == 120


@pytest.mark.heavy  # 2.2 s in the suite on a 2-core AMD EPYC
def test_listing_runs_does_not_import_downstream(store: Path) -> None:
    code = (
        "import contextlib, io, sys\nfrom scalinglab.cli import main\n"
        "with contextlib.redirect_stdout(io.StringIO()):\n"
        f"    assert main(['runs', '--store', {str(store)!r}]) == 0\n"
        "print('scalinglab.downstream' in sys.modules, 'scipy' in sys.modules)"
    )
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True,
                          check=True, timeout=120)  # fmt: skip
    assert done.stdout.split() == ["False", "False"], done.stderr
