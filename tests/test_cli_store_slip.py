"""A run store given where a subcommand goes (``scalinglab runs runs.duckdb``) is hinted to
``--store``: the group's own option, or its subcommands'; any other unknown name keeps
click's ``see '... --help'``."""

from __future__ import annotations

from pathlib import Path

import pytest

from scalinglab.cli import main


def _err(capsys: pytest.CaptureFixture[str], *args: str) -> tuple[int, str]:
    code = main(list(args))
    return code, " ".join(capsys.readouterr().err.split())


def test_a_store_as_a_command_name_hints_store(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(tmp_path)
    code, err = _err(capsys, "runs", "runs.duckdb")  # not there yet: by its name
    assert code == 2 and "No such command 'runs.duckdb'." in err
    assert "hint: a run store is given with --store: 'scalinglab runs --store runs.duckdb'" in err
    (tmp_path / "my store").write_text("")  # an existing path, whatever its name
    code, err = _err(capsys, "ladder", "my store")
    assert code == 2 and (
        "hint: a run store is the --store option of plan, run, status: "
        "e.g. 'scalinglab ladder status --store 'my store''" in err
    )
    code, err = _err(capsys, "curves", "runs.duckdb")
    assert "e.g. 'scalinglab curves fit --store runs.duckdb'" in err
    code, err = _err(capsys, "runs", "nothing")
    assert code == 2 and "hint: see 'scalinglab runs --help'" in err
    code, err = _err(capsys, "hparams", "runs.duckdb")  # none of its commands reads a store
    assert code == 2 and "hint: see 'scalinglab hparams --help'" in err
