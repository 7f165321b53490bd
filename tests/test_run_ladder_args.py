"""``run_ladder`` takes what the command line takes: a recipe's name or TOML file for the
ladder, a path for the store; anything else is a ConfigError that says what to pass (it was an
AttributeError: 'str' object has no attribute 'rungs')."""

from __future__ import annotations

from pathlib import Path

import pytest
from tests._ladders import make_corpus, write_ladder

import scalinglab
from scalinglab._errors import ConfigError
from scalinglab.execute import InProcessBackend
from scalinglab.execute._ladder_args import ladder_inputs
from scalinglab.ladder import get_recipe
from scalinglab.store import RunStore


def test_a_recipe_name_and_a_store_path(tmp_path: Path) -> None:
    ladder, store = ladder_inputs(
        "tiny", str(tmp_path / "x.duckdb"), backend=InProcessBackend(), predict_top=False
    )
    assert ladder == get_recipe("tiny")
    assert isinstance(store, RunStore) and store.path == tmp_path / "x.duckdb"


def test_an_unknown_recipe_is_named(tmp_path: Path) -> None:
    with pytest.raises(ConfigError, match="unknown ladder recipe 'tinny'") as caught:
        scalinglab.run_ladder("tinny", store=tmp_path / "x.duckdb", backend=InProcessBackend())
    assert "did you mean 'tiny'?" in caught.value.hint
    assert not (tmp_path / "x.duckdb").exists()


def test_neither_a_ladder_nor_a_name(tmp_path: Path) -> None:
    with pytest.raises(ConfigError) as caught:
        scalinglab.run_ladder(get_recipe, store=tmp_path / "x.duckdb", backend=InProcessBackend())
    assert caught.value.message == (
        "run_ladder: ladder= must be a ladder or a recipe's name, not function"
    )
    assert "get_recipe('tiny')" in caught.value.hint


def test_neither_a_store_nor_a_path() -> None:
    with pytest.raises(ConfigError) as caught:
        scalinglab.run_ladder("tiny", store=3, backend=InProcessBackend())  # type: ignore[arg-type]
    assert caught.value.message == "run_ladder: store= must be a RunStore or a path, not int"
    assert caught.value.hint == "pass a path (store='runs.duckdb') or RunStore('runs.duckdb')"


def test_a_toml_path_and_a_store_path_train(tmp_path: Path) -> None:
    pytest.importorskip("torch")
    toml = write_ladder(tmp_path / "m.toml", steps=(2,), corpus=make_corpus(tmp_path / "t"))
    report = scalinglab.run_ladder(
        str(toml), store=str(tmp_path / "s.duckdb"), backend=InProcessBackend()
    )
    assert [o.status for o in report.outcomes] == ["finished"]
    assert len(RunStore(tmp_path / "s.duckdb").runs(status="finished")) == 1
