"""The Ray backend against a local Ray cluster on loopback: real rungs, one task each."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from tests._ladders import make_corpus, write_ladder

from scalinglab.execute import RayBackend, run_ladder
from scalinglab.ladder import get_recipe
from scalinglab.store import RunStore

ray = pytest.importorskip("ray", reason="the Ray extra is not installed (pip install -e '.[ray]')")
pytest.importorskip("torch")


@pytest.fixture
def cache(tmp_path: Path) -> Iterator[Path]:
    # Ray workers inherit the driver's environment when Ray starts them on this machine
    with pytest.MonkeyPatch.context() as mp:
        mp.setenv("SCALINGLAB_CACHE", str(tmp_path / "cache"))
        mp.setenv("OMP_NUM_THREADS", "1")
        yield tmp_path / "cache"


def _ladder(tmp_path: Path) -> Path:
    return write_ladder(
        tmp_path / "mini.toml",
        steps=(20, 30),
        corpus=make_corpus(tmp_path / "text"),
        name="mini-ray",
        checkpoint_every=10,
        warmup_steps=None,
    )


@pytest.mark.heavy
def test_ray_backend_trains_every_rung_as_a_task(tmp_path: Path, cache: Path) -> None:
    ladder = get_recipe(str(_ladder(tmp_path)))
    store = RunStore(tmp_path / "runs.duckdb")
    backend = RayBackend(
        max_parallel=2,
        init_kwargs={"num_cpus": 2, "include_dashboard": False, "_node_ip_address": "127.0.0.1"},
    )
    try:
        assert ray.is_initialized()
        report = run_ladder(
            ladder, store=store, backend=backend, workdir=tmp_path / "work", poll_s=0.1
        )
    finally:
        backend.close()
    assert not ray.is_initialized()  # it started Ray, so it shut it down
    assert [o.status for o in report.outcomes] == ["finished", "finished"]
    for rung in ladder.rungs:
        run = store.get_run(rung.run_id)
        assert run is not None and run.status == "finished" and run.loss is not None
        assert run.extra["training"]["backend"] == "ray"
        assert list(store.curve(rung.run_id)["step"])[-1] == rung.steps
    assert (cache / "corpus").is_dir()  # the workers used the cache they were told to


def test_an_address_where_nothing_listens_is_refused_within_the_timeout() -> None:
    import socket
    import time

    from scalinglab._errors import ConfigError

    with socket.socket() as sock:  # a port just freed: nothing listens there
        sock.bind(("127.0.0.1", 0))
        port = sock.getsockname()[1]
    began = time.monotonic()
    with pytest.raises(ConfigError, match=f"could not connect to Ray at '127.0.0.1:{port}': "):
        RayBackend(address=f"127.0.0.1:{port}")
    assert time.monotonic() - began < 15  # ray.init alone retried it for minutes
    assert not ray.is_initialized()


@pytest.mark.heavy
def test_more_gpus_than_any_node_has_is_refused_before_a_rung_is_marked_running(
    tmp_path: Path, cache: Path
) -> None:
    from scalinglab._errors import ConfigError

    ladder = get_recipe(str(_ladder(tmp_path)))
    store = RunStore(tmp_path / "runs.duckdb")
    backend = RayBackend(
        gpus_per_rung=2,
        init_kwargs={
            "num_cpus": 1,
            "num_gpus": 0,
            "include_dashboard": False,
            "_node_ip_address": "127.0.0.1",
        },
    )
    try:
        with pytest.raises(ConfigError) as caught:
            run_ladder(ladder, store=store, backend=backend, workdir=tmp_path / "work")
    finally:
        backend.close()
    said = str(caught.value)
    assert "rung 'w16-d1' asks Ray for 2 GPUs and 1 CPU, but no node of the Ray " in said
    assert "(at most 0 GPUs and 1 CPUs on one node of 1): it would wait forever" in said
    assert "lower --gpus-per-rung" in said
    assert not store.path.exists()  # nothing was written
