"""``fit(runs, law)``, the arguments swapped, says the law comes first (not a formula error)."""

from __future__ import annotations

from pathlib import Path

import pytest
from tests.conftest import chinchilla_runs

import scalinglab as sl
from scalinglab._errors import ConfigError


def test_a_file_given_first_is_told_to_come_second(tmp_path: Path) -> None:
    path = tmp_path / "runs.csv"
    chinchilla_runs(outliers=0).to_csv(path, index=False)
    for given in (str(path), path):
        with pytest.raises(ConfigError) as err:
            sl.fit(given, "chinchilla")  # type: ignore[arg-type]
        assert str(err.value).startswith(
            f"fit(law, runs): the law comes first, and the first argument is the file '{path}'"
        )
        assert err.value.hint == f"swap them: fit('chinchilla', '{path}')"


def test_a_table_given_first_is_told_to_come_second() -> None:
    frame = chinchilla_runs(outliers=0)
    with pytest.raises(ConfigError) as err:
        sl.fit(frame, "overtraining")  # type: ignore[arg-type]
    assert "the law comes first, and the first argument is a DataFrame" in str(err.value)
    assert err.value.hint == "swap them: fit('overtraining', runs)"
    with pytest.raises(ConfigError, match="the first argument is a RunTable") as err:
        sl.fit(sl.read_runs(frame), sl.get_law("chinchilla"))  # type: ignore[arg-type]
    assert err.value.hint == "swap them: fit(law, runs)"


def test_a_law_named_as_a_file_here_is_still_the_law(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(tmp_path)
    (tmp_path / "chinchilla").write_text("not runs\n")
    result = sl.fit("chinchilla", chinchilla_runs(outliers=0), bootstrap=0)
    assert result.law_spec == "chinchilla"


def test_runs_given_alone_are_told_the_law_comes_first() -> None:
    with pytest.raises(ConfigError) as err:
        sl.fit(sl.bundled_runs(), bootstrap=20)  # type: ignore[call-arg,arg-type]
    assert err.value.message == (
        "fit(law, runs): the law comes first, and the only argument is a RunTable"
    )
    assert err.value.hint == "the law comes first: fit('chinchilla', runs)"
    with pytest.raises(ConfigError, match=r"^fit\(law, runs\): no runs given") as err:
        sl.fit("chinchilla")  # type: ignore[call-arg]
    assert err.value.hint.startswith("pass them second: fit('chinchilla', runs)")


def test_runs_first_with_the_law_as_a_keyword_name_what_was_given() -> None:
    """``fit(df, law="kaplan")``, as a notebook writes it, said "the only argument is a
    DataFrame" (law= was given) and hinted 'chinchilla', not the law given."""
    frame = chinchilla_runs(outliers=0)
    with pytest.raises(ConfigError) as err:
        sl.fit(frame, law="kaplan", bootstrap=0)  # type: ignore[arg-type,misc]
    assert err.value.message == (
        "fit(law, runs): the law comes first, and the first argument is a DataFrame"
    )
    assert err.value.hint == "swap them: fit('kaplan', runs)"


def test_the_law_given_twice_is_said_so() -> None:
    with pytest.raises(ConfigError) as err:
        sl.fit("chinchilla", law="kaplan")  # type: ignore[call-arg,misc]
    assert err.value.message == (
        "fit(law, runs): the law is given twice, 'chinchilla' first and law='kaplan'"
    )
    assert err.value.hint == "give the law once, then the runs: fit('chinchilla', runs)"


def test_plain_runs_given_first_are_told_to_come_second() -> None:
    """``fit({...columns...}, "chinchilla")`` said "law must be a law's name" and printed the
    whole dict: runs as plain data are runs, named by their kind, their values never shown."""
    frame = chinchilla_runs(outliers=0)
    columns = {name: list(frame[name]) for name in ("params", "tokens", "loss")}
    records = [dict(zip(columns, row, strict=True)) for row in zip(*columns.values(), strict=True)]
    for given, kind in ((columns, "a dict of columns"), (records, "a list of records")):
        with pytest.raises(ConfigError) as err:
            sl.fit(given, "chinchilla")  # type: ignore[arg-type]
        assert err.value.message == (
            f"fit(law, runs): the law comes first, and the first argument is {kind}"
        )
        assert err.value.hint == "swap them: fit('chinchilla', runs)"
        with pytest.raises(ConfigError) as err:
            sl.fit(given)  # type: ignore[call-arg,arg-type]
        assert err.value.message == (
            f"fit(law, runs): the law comes first, and the only argument is {kind}"
        )
    first = format(columns["loss"][0], "g")
    with pytest.raises(ConfigError) as err:
        sl.fit(columns["loss"], columns)  # type: ignore[arg-type]
    assert str(err.value).startswith("law must be a law's name, a formula or a Law, got list (")
    assert first not in str(err.value) and "[" not in err.value.message
