"""A ladder rerun with another recipe into the same store (five.toml, then five_b.toml of
another lr): both configs' rungs are kept, so ``ladder run`` says so when it starts, and a
fit of the store warns that it pools them, naming the key that differs."""

from __future__ import annotations

from dataclasses import replace
from pathlib import Path

import pytest
from tests._ladders import make_corpus, write_ladder

from scalinglab.execute import InProcessBackend, LadderEvents, run_ladder
from scalinglab.execute._record import stored_run
from scalinglab.ladder import LadderSpec, get_recipe
from scalinglab.store import RunStore


class _Notes(LadderEvents):
    def __init__(self) -> None:
        self.notes: list[str] = []

    def note(self, text: str) -> None:
        self.notes.append(text)


def _store(spec: LadderSpec, store: RunStore, loss: float) -> None:
    for i, rung in enumerate(spec.rungs):
        run = stored_run(rung, ladder=spec.name, backend="local", status="finished")
        store.put_run(replace(run, loss=loss - 0.1 * i))


def _rerun(spec: LadderSpec, **train: object) -> LadderSpec:
    """``spec`` with these ``train`` values in every rung: the same ladder, another recipe."""
    rungs = tuple(replace(r, train=replace(r.train, **train)) for r in spec.rungs)
    return replace(spec, rungs=rungs)


@pytest.mark.heavy  # 1.8 s in the suite on a 2-core AMD EPYC
def test_a_rerun_under_another_lr_is_said_at_run_time_and_when_fitted(tmp_path: Path) -> None:
    path = write_ladder(tmp_path / "l.toml", steps=(10, 20, 30), corpus=make_corpus(tmp_path / "t"))
    first = get_recipe(str(path))
    second = _rerun(first, lr=4e-3)
    store = RunStore(tmp_path / "s.duckdb")
    _store(first, store, 3.0)
    _store(second, store, 2.9)  # every rung of both finished: nothing trains below
    events = _Notes()
    report = run_ladder(second, store=store, backend=InProcessBackend(), events=events)
    assert [o.status for o in report.outcomes] == ["skipped"] * 3
    hint = (
        "`--where train.lr=0.004` keeps one config's runs: `scalinglab fit --store STORE "
        "--where train.lr=0.004` fits them, `runs --where` lists them, `curves fit --where` "
        "reads their curves"
    )
    assert events.notes == [
        "3 rungs of these names are stored under another config (train.lr 0.003 here "
        f"0.004): both kept, and `fit --store` fits both; {hint}"
    ]
    notes = store.to_run_table().notes
    assert notes[1] == (
        "warning: 3 run names are stored under configs that differ in train.lr 0.003, 0.004 "
        f"(w16-d1, w24-d1, w32-d1): all are fitted together, as if one recipe; {hint}"
    )
    # the selection named selects one config's runs, on `runs` as on `fit --store`
    from scalinglab.store._listing import where_runs

    assert len(where_runs(store.runs(), [("train.lr", "0.004")], "s")) == 3
    one = store.to_run_table(where=[("train.lr", "0.004")])
    assert len(one) == 3 and dict(one.kept_where) == {"train.lr": "0.004"}
    assert not any("configs that differ" in n for n in one.notes)


def test_one_config_per_name_says_nothing(tmp_path: Path) -> None:
    path = write_ladder(tmp_path / "l.toml", steps=(10, 20), corpus=make_corpus(tmp_path / "t"))
    spec = get_recipe(str(path))
    store = RunStore(tmp_path / "s.duckdb")
    _store(spec, store, 3.0)
    events = _Notes()
    run_ladder(spec, store=store, backend=InProcessBackend(), events=events)
    assert events.notes == []
    assert not any("configs that differ" in n for n in store.to_run_table().notes)


@pytest.mark.heavy  # 2.0 s in the suite on a 2-core AMD EPYC
def test_the_hint_selects_by_a_key_where_can_select(tmp_path: Path) -> None:
    # train.betas sorts first but is a list, which `--where` never selects: train.lr is named
    path = write_ladder(tmp_path / "l.toml", steps=(10, 20), corpus=make_corpus(tmp_path / "t"))
    first = get_recipe(str(path))
    second = _rerun(first, betas=(0.9, 0.98), lr=4e-3)
    store = RunStore(tmp_path / "s.duckdb")
    _store(first, store, 3.0)
    _store(second, store, 2.9)
    events = _Notes()
    run_ladder(second, store=store, backend=InProcessBackend(), events=events)
    assert "; `--where train.lr=0.004` keeps one config's runs" in events.notes[0]
    assert "; `--where train.lr=0.004` keeps one config's runs" in store.to_run_table().notes[1]
    from scalinglab.store._listing import where_runs

    assert len(where_runs(store.runs(), [("train.lr", "0.004")], "s")) == 2


@pytest.mark.heavy  # 2.0 s in the suite on a 2-core AMD EPYC
def test_without_a_selectable_key_the_hint_says_to_keep_stores_apart(tmp_path: Path) -> None:
    path = write_ladder(tmp_path / "l.toml", steps=(10, 20), corpus=make_corpus(tmp_path / "t"))
    first = get_recipe(str(path))  # warmup_steps 2 here, None (the default) below
    second = _rerun(first, betas=(0.9, 0.98), warmup_steps=None)
    store = RunStore(tmp_path / "s.duckdb")
    _store(first, store, 3.0)
    _store(second, store, 2.9)
    events = _Notes()
    run_ladder(second, store=store, backend=InProcessBackend(), events=events)
    said = (
        "no key they differ in (train.betas, train.warmup_steps) is one `--where` selects (it "
        "selects by text and numbers): keep each config's runs in a store of its own"
    )
    assert events.notes[0].endswith(f"both kept, and `fit --store` fits both; {said}")
    assert store.to_run_table().notes[1].endswith(f"as if one recipe; {said}")
