"""``--decimal ,``: a semicolon-separated table of decimal commas (``0,35``), as a spreadsheet
in a language that writes them exports it, is read with the option and refused without it,
the refusal saying how to read it."""

from __future__ import annotations

from pathlib import Path

import pytest
from tests._cli import cli, refused

from scalinglab.cli._decimal_option import READS_TABLES
from scalinglab.cli._root import _full_command
from scalinglab.store import RunStore

_EU = (
    "name;params;tokens;loss\nm1;1e7;2e8;3,5\nm2;2e7;4e8;3,25\nm3;4e7;8e8;3,05\nm4;8e7;1,6e9;2,9\n"
)


def test_a_decimal_comma_table_is_refused_saying_how_to_read_it(
    capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    table = tmp_path / "eu.csv"
    table.write_text(_EU)
    error, hint = refused(capsys, ["fit", str(table), "--law", "power-law", "--bootstrap", "0"])
    assert "'3,5' has a comma in a number, in a file separated by semicolons" in error
    assert hint == (
        "hint: where its commas are decimal marks (3,2 for 3.2), read it with --decimal , "
        "(in Python: pandas.read_csv(path, sep=';', decimal=','), its DataFrame passed on); "
        "else save the table with '.' as the decimal mark and no digit grouping"
    )


def test_decimal_comma_reads_the_table_as_its_points_twin(
    capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    eu, plain = tmp_path / "eu.csv", tmp_path / "plain.csv"
    eu.write_text(_EU)
    plain.write_text(_EU.replace(",", ".").replace(";", ","))
    fit = ["--law", "power-law", "--bootstrap", "0", "--json"]
    code, out, err = cli(capsys, "fit", str(eu), *fit, "--decimal", ",")
    assert code == 0, err
    code, twin, err = cli(capsys, "fit", str(plain), *fit)
    assert code == 0, err
    assert '"coefs"' in out and _coefs(out) == _coefs(twin)
    # the mark holds for that command line alone: the next one refuses again
    assert cli(capsys, "fit", str(eu), *fit)[0] == 2
    store = tmp_path / "runs.duckdb"
    code, out, err = cli(capsys, "ingest", str(eu), "--store", str(store), "--decimal", ",")
    assert code == 0, err
    said = "note: read ',' as the decimal mark (--decimal ,): '1,6e9' as 1.6e9"  # first column's
    assert said in out.splitlines(), out
    losses = {r.name: r.loss for r in RunStore(store).runs()}
    assert losses == {"m1": 3.5, "m2": 3.25, "m3": 3.05, "m4": 2.9}
    assert {r.name: r.tokens for r in RunStore(store).runs()}["m4"] == 1.6e9


def _coefs(out: str) -> object:
    import json

    return json.loads(out)["coefs"]


def test_every_command_that_reads_a_table_takes_decimal() -> None:
    def find(words: str) -> object:
        command = _full_command()
        for word in words.split():
            command = command.commands[word]
        return command

    for words in sorted(READS_TABLES):
        assert any(p.name == "decimal" for p in find(words).params), words  # type: ignore[attr-defined]
    assert not any(p.name == "decimal" for p in find("laws").params)  # type: ignore[attr-defined]
