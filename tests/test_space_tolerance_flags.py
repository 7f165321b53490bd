"""``--space`` and ``--tolerance`` out of range are named by their flag on the command line,
as ``--level`` is, and refused as they are read (before any runs); Python's messages keep
the keyword names (``space``, ``tolerance``)."""

from __future__ import annotations

import pytest
from tests._cli import cli
from tests.conftest import isoflop_runs

from scalinglab import ConfigError
from scalinglab.validate import isoflop

_SPACE = "error: --space must be 'log' or 'linear', got 'bogus'\n"
_SPACE_HINT = "hint: pass --space log or --space linear (space= in Python)\n"


@pytest.mark.parametrize("command", ["fit", "report", "isoflop"])
def test_space_is_named_by_its_flag(command: str, capsys: pytest.CaptureFixture[str]) -> None:
    # no RUNS: isoflop would say "give a run table RUNS or --store STORE" had it read on
    code, out, err = cli(capsys, command, "--space", "bogus")
    assert (code, out, err) == (2, "", _SPACE + _SPACE_HINT)


@pytest.mark.parametrize(("given", "said"), [("-1", "-1"), ("0", "0"), ("nan", "nan")])
def test_tolerance_is_named_by_its_flag(
    given: str, said: str, capsys: pytest.CaptureFixture[str]
) -> None:
    code, out, err = cli(capsys, "isoflop", "--tolerance", given, one_line=True)
    assert code == 2 and out == ""
    assert err == (
        f"error: --tolerance must be a positive number of decades of FLOPs, got {said} "
        "hint: e.g. --tolerance 0.05: runs within a factor 10^0.05 ≈ 1.12 of a budget belong "
        "to it (tolerance= in Python)"
    )


@pytest.mark.heavy  # 3.3 s in the suite on a 2-core AMD EPYC
def test_good_values_pass(capsys: pytest.CaptureFixture[str]) -> None:
    code, _, err = cli(capsys, "fit", "--space", "linear", "--bootstrap", "0", "--json")
    assert code == 0, err


def test_python_keeps_the_keyword_names() -> None:
    runs = isoflop_runs(seed=0)
    with pytest.raises(ConfigError, match=r"^space must be 'linear' or 'log', got 'bogus'$"):
        isoflop(runs, space="bogus")
    with pytest.raises(ConfigError, match=r"^tolerance must be a positive number of decades"):
        isoflop(runs, tolerance=-1.0)
