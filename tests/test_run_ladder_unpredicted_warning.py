"""``run_ladder(..., predict_top=True)`` of a top rung an earlier call trained unpredicted
returned ``prediction=None`` silently with the default events: it warns why, as the
command line says it."""

from __future__ import annotations

from dataclasses import replace
from pathlib import Path

import pytest
from tests._ladders import make_corpus, write_ladder

from scalinglab.execute import InProcessBackend, run_ladder
from scalinglab.execute._record import stored_run
from scalinglab.ladder import get_recipe
from scalinglab.store import RunStore


def test_an_unpredicted_top_rung_warns_with_the_default_events(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("SCALINGLAB_CACHE", str(tmp_path / "cache"))
    path = write_ladder(tmp_path / "l.toml", steps=(4, 5, 6, 8), corpus=make_corpus(tmp_path / "t"))
    spec = get_recipe(str(path))
    store = RunStore(tmp_path / "runs.duckdb")
    for i, rung in enumerate(spec.rungs):  # every rung finished before, none predicted
        run = stored_run(rung, ladder=spec.name, backend="in-process", status="finished")
        store.put_run(replace(run, loss=4.0 - 0.3 * i, wall_s=1.0))
    with pytest.warns(UserWarning, match=r"no prediction for w40-d1: it finished in an earlier"):
        report = run_ladder(spec, store=store, backend=InProcessBackend(), predict_top=True)
    assert report.prediction is None
