"""A file given as a ladder that is no TOML file (a ladder plan's JSON, a fit, a run table)
is named for what it is, with what reads it, as every reader of a result says it, not as
"malformed TOML at line 1, column 1"."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from tests._cli import cli

from scalinglab import ConfigError
from scalinglab.ladder import get_recipe


def test_a_ladder_plan_given_as_a_ladder_names_what_it_planned(
    capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    saved = tmp_path / "lp.json"
    args = ("ladder", "plan", "tiny", "--flops-per-s", "1e12", "--out", str(saved))
    assert cli(capsys, *args)[0] == 0
    for command in (["plan"], ["run", "--store", str(tmp_path / "runs.duckdb")]):
        code, _, err = cli(capsys, "ladder", *command, str(saved), one_line=True)
        assert code == 2
        assert (
            f"error: {saved} is a ladder's rungs (`scalinglab ladder plan --out`), not a ladder "
            "file (a ladder is a built-in recipe or a .toml file)"
        ) in err
        assert "hint: give the ladder it planned: tiny; a ladder: one of tiny, " in err
        assert "TOML" not in err
    assert not (tmp_path / "runs.duckdb").exists()  # refused before the store is made


def test_a_fit_a_table_or_any_json_is_named_and_a_toml_slip_still_names_its_line(
    tmp_path: Path,
) -> None:
    fit = tmp_path / "fit.json"
    fit.write_text(json.dumps({"format": "scalinglab.fit/1"}))
    with pytest.raises(ConfigError) as err:
        get_recipe(str(fit))
    assert err.value.message.startswith(f"{fit} is a scaling-law fit (`scalinglab fit --out`)")
    assert err.value.hint.startswith("read it with `plan --fit` or `predict --fit`")
    table = tmp_path / "runs.csv"
    table.write_text("params,tokens,loss\n1e6,2e7,3.1\n")
    with pytest.raises(ConfigError, match=r"runs\.csv is a CSV file \(a run table\), not a"):
        get_recipe(str(table))
    other = tmp_path / "other.json"
    other.write_text('{"name": "x"}')
    with pytest.raises(ConfigError, match=r"other\.json is a JSON file, not a ladder file"):
        get_recipe(str(other))
    slip = tmp_path / "slip.toml"
    slip.write_text('name = "x"\nnotes = \n')
    with pytest.raises(ConfigError, match=r"slip\.toml: malformed TOML: .*\(at line 2, column 9\)"):
        get_recipe(str(slip))
