"""The ladder driver: the one writer of the store while a ladder runs.

For each rung, in ladder order: skip it if the store holds it finished (by ``run_id``, the
hash of its config); record it directly if its work folder already holds a result (a driver
killed after training but before writing); otherwise mark it ``running``, submit it, and when
it ends write the run and its whole curve in one transaction (or mark it ``failed`` with the
error). Kill the driver at any moment and run it again: finished rungs are skipped, and an
interrupted one resumes from its checkpoint in its work folder.
"""

from __future__ import annotations

import os
import time
from collections.abc import Sequence
from pathlib import Path
from typing import TYPE_CHECKING

from scalinglab._errors import ScalingLabError
from scalinglab._keywords import keywords_checked
from scalinglab.execute._backend import Backend, RungError, RunHandle
from scalinglab.execute._events import LadderEvents
from scalinglab.execute._interrupted import LadderInterrupted, StoppedRung, stop_rungs
from scalinglab.execute._ladder_args import ladder_inputs
from scalinglab.execute._predict import TopPrediction
from scalinglab.execute._predict import predict_top as _predict
from scalinglab.execute._record import (
    LadderReport,
    RungOutcome,
    curve_frame,
    stored_run,
    worse_than_uniform,
)
from scalinglab.execute._stored_rungs import finished_rungs, other_configs
from scalinglab.execute._top import not_predicted, top_rung
from scalinglab.execute._workdirs import (
    check_corpora,
    check_writable,
    default_workdir,
    done_result,
    hold_driver_lock,
    old_folders,
    remembered_workdir,
    trained_elsewhere,
    worker_alive,
)
from scalinglab.store import RunStore, StoredRun
from scalinglab.store._rung_status import stored_statuses

if TYPE_CHECKING:
    from scalinglab.ladder import LadderSpec, RungConfig, RungResult

__all__ = ["LadderReport", "RungOutcome", "check_corpora", "run_ladder"]


class _Run:
    """One call of :func:`run_ladder`: the state shared by its steps."""

    def __init__(
        self,
        ladder: LadderSpec,
        store: RunStore,
        backend: Backend,
        workdir: Path,
        events: LadderEvents,
        poll_s: float,
    ) -> None:
        self.ladder, self.store, self.backend = ladder, store, backend
        self.workdir, self.events, self.poll_s = workdir, events, poll_s
        self.outcomes: dict[str, RungOutcome] = {}
        self.prediction: TopPrediction | None = None
        self.folders: dict[str, Path] = {}
        self.locks: list[int] = []  # the driver's locks in the folders of rungs it submitted
        self.stopped: tuple[StoppedRung, ...] = ()  # by a Ctrl-C: a rerun resumes them

    def report(self, *, every: bool = False) -> LadderReport:
        """What happened to each rung so far, in ladder order; ``every``: those not started
        too (Ctrl-C came first), as ``ladder status`` shows them (never run: ``pending``)."""
        rungs, got = self.ladder.rungs, self.outcomes.get
        was = stored_statuses([r.run_id for r in rungs if every and not got(r.run_id)], self.store)
        done = [got(r.run_id) or RungOutcome(r.name, r.run_id, was.get(r.run_id, "pending"))
                for r in rungs]  # fmt: skip
        kept = tuple(o for o in done if every or o.run_id in self.outcomes)
        return LadderReport(self.ladder.name, kept, self.prediction)

    def folder(self, rung: RungConfig) -> Path:
        return self.folders.get(rung.run_id, self.workdir / rung.run_id)

    def record(
        self,
        rung: RungConfig,
        status: str,
        *,
        result: RungResult | None = None,
        error: RungError | None = None,
        prediction: TopPrediction | None = None,
    ) -> StoredRun:
        """Write the rung's run (and its whole curve, when it has a result): one transaction."""
        run = stored_run(
            rung,
            ladder=self.ladder.name,
            backend=self.backend.name,
            status=status,
            result=result,
            error=error,
            prediction=prediction,
            folder=self.folder(rung),
        )
        self.store.put_run(run, curve=None if result is None else curve_frame(result))
        return run

    def finish(
        self, rung: RungConfig, result: RungResult, *, earlier: bool = False, another: bool = False
    ) -> None:
        """Record a finished rung; ``earlier``: not trained by this call (``another``: by a
        worker another driver started while this one waited on the rung's lock)."""
        earlier = earlier or another
        prediction = top if (top := self.prediction) is not None and top.rung == rung.name else None
        if (error := worse_than_uniform(rung, result)) is not None:  # kept out of fits
            self.fail(rung, error, result=result, prediction=prediction)
            return
        if prediction is not None:
            prediction = TopPrediction(**{**prediction.__dict__, "actual": result.loss})
            self.prediction = prediction
        run = self.record(rung, "finished", result=result, prediction=prediction)
        status = "recorded" if earlier else "finished"
        self.outcomes[rung.run_id] = RungOutcome(
            rung.name, rung.run_id, status, result.loss, result.resumed_from_step
        )
        if earlier:
            self.events.rung_recorded(rung, run, result, self.folder(rung), another=another)
        else:
            self.events.rung_finished(rung, run, result)
        if prediction is not None:
            self.events.prediction_checked(prediction)

    def fail(
        self,
        rung: RungConfig,
        error: RungError,
        *,
        result: RungResult | None = None,
        prediction: TopPrediction | None = None,
    ) -> None:
        """Record a failed or diverged rung with the error (and its curve, if it has one)."""
        status = "diverged" if error.diverged else "failed"
        self.record(rung, status, result=result, error=error, prediction=prediction)
        said = error.message + (f" ({error.hint})" if error.hint else "")
        loss = None if result is None else result.loss
        self.outcomes[rung.run_id] = RungOutcome(rung.name, rung.run_id, status, loss, error=said)
        self.events.rung_failed(rung, error)

    def run_all(self, rungs: Sequence[RungConfig]) -> None:
        """Train ``rungs``, at most ``backend.slots`` at a time, recording each as it ends."""
        queue: list[RungConfig] = []
        for rung in rungs:
            # trained earlier (a driver that died, another store), unless the corpus changed
            if (done := done_result(self.folder(rung), rung)) is not None:
                self.finish(rung, done, earlier=True)
            else:
                queue.append(rung)
        active: list[RunHandle] = []
        batch: list[RungConfig] = []
        try:
            while queue or active:
                free = self.backend.slots - len(active)
                if free > 0 and queue:
                    batch, queue = queue[:free], queue[free:]
                    for rung in batch:
                        self.locks.append(hold_driver_lock(self.folder(rung)))
                        self.record(rung, "running")
                        self.events.rung_started(rung)
                        if worker_alive(self.folder(rung)):  # its worker waits for that one
                            self.events.note(
                                f"{rung.name}: another process is training it in "
                                f"{self.folder(rung)}; waiting for it to end, then recording "
                                "its result (or resuming, if it ends without one)"
                            )
                    active += self.backend.submit_all(
                        batch, workdirs=[self.folder(r) for r in batch]
                    )
                    batch = []
                for handle in list(active):
                    state = handle.poll()
                    if state == "running":
                        progress = handle.progress()
                        if progress is not None:
                            self.events.rung_progress(handle.rung, progress)
                        continue
                    if state == "finished":
                        try:
                            result = handle.result()
                            other = trained_elsewhere(handle.workdir)
                            self.finish(handle.rung, result, another=other)
                        except RungError as err:
                            self.fail(handle.rung, err)
                    else:
                        self.fail(handle.rung, handle.failure())
                    active.remove(handle)  # recorded: a Ctrl-C from now on leaves it be
                if active:
                    time.sleep(self.poll_s)
        except BaseException:
            # Ctrl-C or a crash of the driver: its rungs not yet recorded pending again
            # (`ladder status` shows them interrupted), workers stopped, checkpoints kept
            live = [h for h in active if h.rung.run_id not in self.outcomes]
            stopped = stop_rungs(self.store, live, batch, folder=self.folder)  # batch: midway
            for gone in stopped:
                self.outcomes[gone.run_id] = RungOutcome(gone.name, gone.run_id, "interrupted")
            self.stopped += stopped
            raise
        finally:
            for fd in self.locks:
                os.close(fd)
            self.locks.clear()


@keywords_checked("scalinglab.run_ladder")
def run_ladder(
    ladder: LadderSpec | str | os.PathLike[str],
    *,
    store: RunStore | str | os.PathLike[str],
    backend: Backend,
    workdir: Path | None = None,
    predict_top: bool = False,
    events: LadderEvents | None = None,
    poll_s: float = 0.5,
) -> LadderReport:
    """Train every rung of ``ladder`` not yet finished in ``store``, on ``backend``.

    Args:
        ladder: The ladder, or a recipe's name or TOML file (:func:`~scalinglab.ladder.get_recipe`).
        store: Where runs and curves are recorded (or its path); finished rungs are skipped.
        backend: Where rungs train (:class:`LocalBackend`, :class:`RayBackend`, ...).
        workdir: Parent of the rungs' work folders (checkpoints, progress, results);
            default ``<store>.wd`` beside the store (:func:`default_workdir`). A rung
            to train whose checkpoint or result is only in the ``workdir`` the store
            recorded for it (an earlier call's), or in the old default, ``.scalinglab/runs``
            in the current directory, resumes or is recorded from there (a note says so).
        predict_top: Train all rungs but the largest first, fit them, predict the largest
            rung's loss (:func:`~scalinglab.execute.predict_top`), then train it and compare.
        events: Receives progress (the CLI draws it); default: nothing is shown.
        poll_s: Seconds between polls of running rungs.

    Returns:
        What happened to each rung, and the prediction if one was asked for.

    Raises:
        ConfigError: An unknown recipe; a rung's corpus missing or too small; to predict the top
            rung, under 3 rungs below it or others within 1% of its compute (:func:`check_ladder`).
        StoreError: If the store cannot be read or written (another program's file, a newer
            schema).
        LadderInterrupted: Ctrl-C (a ``KeyboardInterrupt``): every rung's outcome so far.
    """
    ladder, store = ladder_inputs(ladder, store, backend=backend, predict_top=predict_top)
    events = events or LadderEvents()
    folder = default_workdir(store.path) if workdir is None else Path(workdir)
    run = _Run(ladder, store, backend, folder, events, poll_s)
    stored = {r.run_id: r for r in store.runs()} if store.path.exists() else {}
    finished = finished_rungs(ladder, stored.values())
    said = [pooled] if (pooled := other_configs(ladder, stored.values())) else []  # notes
    todo = [rung for rung in ladder.rungs if rung.run_id not in finished]
    backend.check(todo)  # e.g. more GPUs than any Ray node has: refused, not queued forever
    if workdir is None:  # a rung to train whose checkpoint is elsewhere: resume it there
        last = {r.run_id: remembered_workdir(stored.get(r.run_id)) for r in todo}
        run.folders = old_folders(todo, folder, said.append, {k: v for k, v in last.items() if v})
    check_writable(store.path, folder, todo, run.folders)  # before anything trains
    events.ladder_started(ladder, todo=len(todo), skipped=len(ladder.rungs) - len(todo))
    for rung in ladder.rungs:  # after the ladder's first line, as the notes
        if (before := finished.get(rung.run_id)) is not None:
            run.outcomes[rung.run_id] = RungOutcome(rung.name, rung.run_id, "skipped", before.loss)
            events.rung_skipped(rung, before)
    for text in said:
        events.note(text)
    try:  # on Ctrl-C: what finished, and where the stopped rungs resume
        top = top_rung(ladder)
        if predict_top and top in todo:
            run.run_all([r for r in todo if r is not top])
            below = {r.run_id for r in ladder.rungs if r is not top}
            lower = [r for r in store.runs(status="finished") if r.run_id in below]
            pending = stored_run(top, ladder=ladder.name, backend=backend.name, status="pending")
            try:
                run.prediction = _predict(lower, pending, store=store.path)
            except ScalingLabError as err:  # too few rungs, or the fit failed: train anyway
                events.prediction_failed(top, err)
            else:
                events.predicted(run.prediction)
            run.run_all([top])
        else:
            if predict_top:  # the top rung finished in an earlier call: show what was predicted
                before = stored.get(top.run_id)
                data = dict(before.extra.get("prediction") or {}) if before is not None else {}
                if data:
                    run.prediction = TopPrediction.from_dict(data)
                    events.prediction_checked(run.prediction)
                else:  # trained unpredicted: a prediction now would not be one
                    events.prediction_failed(top, not_predicted(top, store.path, finished.values()))
            run.run_all(todo)
    except KeyboardInterrupt as err:  # every rung, those not started as `ladder status` says
        raise LadderInterrupted(run.report(every=True), run.stopped) from err
    return run.report()
