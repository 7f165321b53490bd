"""Every shape of a comparison a user might type, in ``--where`` (``where=``) and the
backtest rules (``--holdout``, ``--fit-on``): it reads, or it is refused in one line that
quotes the clause as typed, says what is wrong and shows the forms taken. A clause the
comparison pattern missed fell back to ``COLUMN=VALUE`` cut at its first ``=``:
``params>=70 M`` kept ``params > 70M`` (the ``=`` lost), ``params=>70M`` was told that
``params`` is no text column, ``params>=`` that ``'='`` is no number, ``>=70M`` that no
text column ``'>'`` is there, ``params>=70M,tokens<1e9`` that ``'70M,tokens<1e9'`` is no
number."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest
from tests._cli import refused

import scalinglab as sl
from scalinglab._errors import ConfigError
from scalinglab.data._where_args import as_where
from scalinglab.validate import split_runs

TINY = Path(__file__).resolve().parents[1] / "examples" / "isoflop-tiny" / "runs.parquet"
RUNS = sl.simulate_ladder(seed=0)
AT_LEAST = int(np.sum(RUNS["params"] >= 7e7))
WHERE_HINT = (
    "write COLUMN OP NUMBER, OP one of >= > <= < == !=, units allowed: --where 'params>=70M' "
    "(where='params>=70M' in Python), or COLUMN=VALUE for a text column: --where dataset=c4"
)


@pytest.mark.parametrize(
    "text",
    ["params>=70M", "params >= 70M", "params>=70 M", "params >= 70 M", "params>='70M'",
     'params>="70M"', "params>=70M params", "params>=7e7"],
)  # fmt: skip
def test_a_comparison_reads_in_every_spacing_and_quoting(text: str) -> None:
    assert as_where(text) == (("params>=", text.split("=", 1)[1].strip().strip("'\"")),)
    assert len(RUNS.where(text)) == AT_LEAST
    split = split_runs(RUNS, text)
    assert len(split.held_out) == AT_LEAST and len(split.fitted) == len(RUNS) - AT_LEAST


@pytest.mark.parametrize(
    ("text", "wrong"),
    [
        ("params=>70M", "; did you mean 'params>=70M'?"),
        ("params =>70M", "; did you mean 'params >=70M'?"),
        ("params=<70M", "; did you mean 'params<=70M'?"),
        ("params<>70M", "; did you mean 'params!=70M'?"),
        ("params!70M", "; did you mean 'params!=70M'?"),
        ("params>>70M", ": '>>' is no operator"),
        ("params ≥ 70M", "; did you mean 'params >= 70M'?"),
        ("params ≤ 70M", "; did you mean 'params <= 70M'?"),
        ("70M <= params", ": the column goes first; did you mean 'params>=70M'?"),
        ("1e9 > tokens", ": the column goes first; did you mean 'tokens<1e9'?"),
        ("params>=", ": no number after >="),
        (">=70M", ": no column before >="),
    ],
)
def test_a_clause_that_misses_the_grammar_is_refused_as_typed(text: str, wrong: str) -> None:
    with pytest.raises(ConfigError) as err:
        as_where(text)
    said = f"--where {text!r} (where= in Python): cannot read it as COLUMN OP NUMBER{wrong}"
    assert (err.value.message, err.value.hint) == (said, WHERE_HINT)
    with pytest.raises(ConfigError) as err:
        split_runs(RUNS, text)
    assert (
        err.value.message == f"--holdout {text!r} (holdout= in Python): cannot read {text!r}{wrong}"
    )
    assert "clauses joined by &" in err.value.hint
    with pytest.raises(ConfigError) as err:
        split_runs(RUNS, "largest:3", fit_on=f"flops<1e21 & {text}")
    assert err.value.message.endswith(f"cannot read {text!r}{wrong}")


@pytest.mark.parametrize(
    ("text", "wrong", "rule"),
    [
        ("params>=70M,tokens<1e9", "conditions are not joined by a comma",
         "'params>=70M & tokens<1e9'"),
        ("params in 70M..1B", "a range is two comparisons", "'params>=70M & params<=1B'"),
    ],
)  # fmt: skip
def test_joined_conditions_are_told_how_each_option_joins_them(
    text: str, wrong: str, rule: str
) -> None:
    first, second = rule.strip("'").split(" & ")
    with pytest.raises(ConfigError) as err:
        as_where(text)
    assert err.value.message == (
        f"--where {text!r} (where= in Python): cannot read it as COLUMN OP NUMBER: {wrong}: "
        f"give each its own, --where '{first}' --where '{second}' "
        f"(where=['{first}', '{second}'] in Python)"
    )
    with pytest.raises(ConfigError) as err:
        split_runs(RUNS, text)
    assert err.value.message.endswith(f"cannot read {text!r}: {wrong}; did you mean {rule}?")


def test_a_single_equals_is_a_text_condition_in_where_and_no_operator_in_a_rule() -> None:
    with pytest.raises(ConfigError) as err:
        RUNS.where(*as_where("params=70M")[0])
    assert err.value.message.startswith("'params' is a number column of ")
    assert "--where 'params==70M'" in err.value.hint  # the number typed, not X
    with pytest.raises(ConfigError) as err:
        split_runs(RUNS, "params=70M")
    assert err.value.message.endswith("cannot read 'params=70M'; did you mean 'params==70M'?")


def test_a_text_value_holding_an_operator_character_is_still_text() -> None:
    assert as_where("schedule=cosine->wsd") == (("schedule", "cosine->wsd"),)


def test_the_command_line_refuses_in_one_line(capsys: pytest.CaptureFixture[str]) -> None:
    error, hint = refused(capsys, ["fit", str(TINY), "--bootstrap", "0", "--where", "params=>70M"])
    assert error == (
        "error: --where 'params=>70M' (where= in Python): cannot read it as COLUMN OP NUMBER; "
        "did you mean 'params>=70M'?"
    )
    assert hint == f"hint: {WHERE_HINT}"
