"""``scalinglab store`` (no such command: the run store's command is ``runs``) is pointed to
``runs``, which lists a store's runs and removes some; click's hint named only ``scalinglab
--help``, and its suggestion found no command near ``store``."""

from __future__ import annotations

import pytest

from scalinglab.cli import main


def _err(capsys: pytest.CaptureFixture[str], *args: str) -> tuple[int, str]:
    code = main(list(args))
    return code, " ".join(capsys.readouterr().err.split())


@pytest.mark.parametrize("args", [("store", "--help"), ("store",), ("Stores", "runs.duckdb")])
def test_store_is_pointed_to_runs(
    capsys: pytest.CaptureFixture[str], args: tuple[str, ...]
) -> None:
    code, err = _err(capsys, *args)
    assert code == 2 and "No such command" in err
    assert err.endswith(
        "hint: a run store's command is 'scalinglab runs': 'scalinglab runs --store "
        "runs.duckdb' lists its runs and 'scalinglab runs rm' removes some (see 'scalinglab "
        "runs --help'); 'scalinglab ingest' fills a store, and other commands read one with "
        "--store"
    ), err
    assert main(["runs", "--help"]) == 0  # the command named is there


def test_a_group_keeps_its_own_help_hint(capsys: pytest.CaptureFixture[str]) -> None:
    code, err = _err(capsys, "curves", "store")
    assert code == 2 and err.endswith("hint: see 'scalinglab curves --help'")
