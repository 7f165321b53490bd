"""What the driver tells its caller while a ladder runs, and a Rich view of it for the CLI.

The driver calls a :class:`LadderEvents`: the base class says nothing but a failed prediction
(a warning); :class:`ConsoleEvents` draws a bar over the rungs and one per running rung (step,
loss, tokens/s, ETA), and prints one line per rung as it ends."""

from __future__ import annotations

from types import TracebackType
from typing import TYPE_CHECKING

from rich.console import Console
from rich.progress import (
    BarColumn,
    MofNCompleteColumn,
    Progress,
    TaskID,
    TextColumn,
    TimeRemainingColumn,
)
from rich.text import Text

# throughput as `ladder status` and `runs` write counts (112K), not 111.8k
from scalinglab._cells import count as _rate
from scalinglab._format import format_counted, format_level, format_loss

if TYPE_CHECKING:
    from pathlib import Path

    from scalinglab._errors import ScalingLabError
    from scalinglab.execute._predict import TopPrediction
    from scalinglab.ladder import LadderSpec, RungConfig, RungResult, TrainProgress
    from scalinglab.store import StoredRun

__all__ = ["ConsoleEvents", "LadderEvents", "describe_prediction", "summarize_prediction"]


class LadderEvents:
    """Callbacks of :func:`~scalinglab.execute.run_ladder`; override the ones you need."""

    def ladder_started(self, ladder: LadderSpec, *, todo: int, skipped: int) -> None:
        """Before the first rung: how many rungs will train and how many were done before.

        Args:
            ladder: The ladder.
            todo: Rungs to train.
            skipped: Rungs the store holds finished already.
        """

    def rung_skipped(self, rung: RungConfig, run: StoredRun) -> None:
        """A rung the store holds finished already.

        Args:
            rung: The rung.
            run: Its stored run.
        """

    def rung_started(self, rung: RungConfig) -> None:
        """A rung was submitted to the backend.

        Args:
            rung: The rung.
        """

    def rung_progress(self, rung: RungConfig, progress: TrainProgress) -> None:
        """The latest progress of a running rung (called at every poll).

        Args:
            rung: The rung.
            progress: What its worker last reported.
        """

    def rung_finished(self, rung: RungConfig, run: StoredRun, result: RungResult) -> None:
        """A rung finished and was written to the store.

        Args:
            rung: The rung.
            run: The run stored.
            result: What the worker wrote.
        """

    def rung_recorded(
        self,
        rung: RungConfig,
        run: StoredRun,
        result: RungResult,
        folder: Path,
        *,
        another: bool = False,
    ) -> None:
        """A rung's result was in ``folder``, trained by an earlier call (or, ``another``,
        by another driver's worker while this call waited), and was written to the store
        now; by default said as :meth:`rung_finished`.

        Args:
            rung: The rung.
            run: The run stored.
            result: The result found.
            folder: Where it was found.
            another: Whether another driver's worker trained it while this call waited.
        """
        self.rung_finished(rung, run, result)

    def note(self, text: str) -> None:
        """Something the user should know (a rung resumed from the old work folder).

        Args:
            text: The note, one sentence.
        """

    def rung_failed(self, rung: RungConfig, error: ScalingLabError) -> None:
        """A rung failed; it is stored as ``failed`` with the error.

        Args:
            rung: The rung.
            error: Why it failed.
        """

    def predicted(self, prediction: TopPrediction) -> None:
        """The top rung's loss was predicted, before it trains.

        Args:
            prediction: The prediction, without its actual loss yet.
        """

    def prediction_failed(self, rung: RungConfig, error: ScalingLabError) -> None:
        """No prediction could be made (the fit failed, or the top rung finished in an
        earlier call that did not predict it); by default a :class:`UserWarning` at the
        caller's line, as the library's other warnings are, lest ``prediction=None`` pass
        unexplained.

        Args:
            rung: The top rung.
            error: Why there is none.
        """
        from scalinglab._warn import warn_at_caller

        hint = f" ({error.hint})" if error.hint else ""
        warn_at_caller(f"no prediction for {rung.name}: {error.message}{hint}", UserWarning)

    def prediction_checked(self, prediction: TopPrediction) -> None:
        """The top rung finished: the prediction now has its actual loss.

        Args:
            prediction: The prediction, with the actual loss.
        """


def describe_prediction(p: TopPrediction) -> str:
    """The prediction with its interval, and the outcome once measured, in words.

    Args:
        p: The prediction of the top rung.

    Returns:
        The lines, joined: the prediction, its law and warnings, then the outcome.
    """
    interval = (
        f"{format_level(p.level)} interval [{p.lower:.4f}, {p.upper:.4f}]"
        if p.has_interval
        else "no interval (too few rungs for a bootstrap)"
    )
    text = f"predicted loss of {p.rung}: {p.loss:.4f}, {interval}\n  law {p.law}: {p.why}"
    if p.has_interval and p.interval_note:  # what it covers: noise only, or calibrated
        text += f"\n  prediction intervals: {p.interval_note}"  # as `scalinglab fit` says it
    text += "".join(f"\n  warning: {w}" for w in p.warnings)
    if p.actual is not None and p.relative_error is not None:
        where = {True: "inside the interval", False: "OUTSIDE the interval", None: ""}[p.covered]
        text += (
            f"\nactual loss of {p.rung}: {p.actual:.4f}; error {p.actual - p.loss:+.4f} "
            f"({p.relative_error:+.1%})" + (f", {where}" if where else "")
        )
    return text


def summarize_prediction(p: TopPrediction) -> str:
    """One line: predicted (with interval), actual and error of the top rung."""
    interval = f" [{p.lower:.4f}, {p.upper:.4f}]" if p.has_interval else " (no interval)"
    text = f"top rung {p.rung}: predicted {p.loss:.4f}{interval} by {p.law}"
    if p.actual is not None and p.relative_error is not None:
        text += f", actual {p.actual:.4f}, error {p.relative_error:+.1%}"
        if p.covered is not None:
            text += f", {'inside' if p.covered else 'OUTSIDE'} the {format_level(p.level)} interval"
    return text


class ConsoleEvents(LadderEvents):
    """Rich progress bars and one line per finished rung, on ``console`` (stderr in the CLI).

    Args:
        console: The Rich console to draw on; off a terminal it prints lines, no bars.
    """

    def __init__(self, console: Console) -> None:
        self.console = console
        self.bars = Progress(
            TextColumn("{task.description}"),
            BarColumn(bar_width=24),
            MofNCompleteColumn(),
            TextColumn("{task.fields[info]}"),
            TimeRemainingColumn(),
            console=console,
            # off a terminal (a pipe, a job's log) a bar is a stale last frame: lines only
            disable=not console.is_terminal,
        )
        self._overall: TaskID | None = None
        self._rungs: dict[str, TaskID] = {}

    def __enter__(self) -> ConsoleEvents:
        self.bars.start()
        return self

    def __exit__(
        self, kind: type[BaseException] | None, err: BaseException | None, tb: TracebackType | None
    ) -> None:
        self.bars.stop()

    def _say(self, text: str, style: str = "") -> None:
        self.bars.console.print(Text(text, style=style), soft_wrap=True)

    def _end(self, rung: RungConfig) -> None:
        task = self._rungs.pop(rung.run_id, None)
        if task is not None:
            self.bars.remove_task(task)
        if self._overall is not None:
            self.bars.advance(self._overall)

    def ladder_started(self, ladder: LadderSpec, *, todo: int, skipped: int) -> None:
        done = f", {todo} to train" + (f", {skipped} finished before" if skipped else "")
        self._say(f"ladder {ladder.name}: {format_counted(len(ladder.rungs), 'rung')}{done}")
        if todo:
            self._overall = self.bars.add_task(f"ladder {ladder.name}", total=todo, info="rungs")

    def rung_skipped(self, rung: RungConfig, run: StoredRun) -> None:
        loss = "" if run.loss is None else f" (loss {format_loss(run.loss)})"
        self._say(f"skip     {rung.name}: finished before{loss}", "dim")

    def rung_started(self, rung: RungConfig) -> None:
        if not self.console.is_terminal:  # where no bar is drawn, a line says what runs
            self._say(f"training {rung.name}: {rung.steps} steps", "dim")
        self._rungs[rung.run_id] = self.bars.add_task(
            f"  {rung.name}", total=rung.steps, info="starting"
        )

    def rung_progress(self, rung: RungConfig, progress: TrainProgress) -> None:
        task = self._rungs.get(rung.run_id)
        if task is None:
            return
        evaluated = "" if progress.eval_loss is None else f" eval {format_loss(progress.eval_loss)}"
        info = f"loss {format_loss(progress.train_loss)}{evaluated} {_rate(progress.tokens_per_s)} tok/s"
        self.bars.update(task, completed=progress.step, info=info)

    def rung_recorded(
        self,
        rung: RungConfig,
        run: StoredRun,
        result: RungResult,
        folder: Path,
        *,
        another: bool = False,
    ) -> None:
        self._end(rung)
        who = (
            "trained by another process, not this one"
            if another
            else ("trained by an earlier run, not now")
        )
        self._say(
            f"recorded {rung.name}: eval loss {format_loss(result.loss)}, {result.steps} steps, "
            f"from its result in {folder} ({who})"
        )

    def note(self, text: str) -> None:
        self._say(f"note: {text}", "dim")

    def rung_finished(self, rung: RungConfig, run: StoredRun, result: RungResult) -> None:
        self._end(rung)
        # a resumed rung's wall_s sums its segments: said, lest it read as this call's time
        took = f"{result.wall_s:.0f} s"
        if result.resumed_from_step:
            took += f" in all (before and after its resume from step {result.resumed_from_step})"
        self._say(
            f"finished {rung.name}: eval loss {format_loss(result.loss)}, {result.steps} steps, "
            f"{took}, {_rate(result.tokens_per_s)} tok/s"
        )

    def rung_failed(self, rung: RungConfig, error: ScalingLabError) -> None:
        self._end(rung)
        hint = f" ({error.hint})" if error.hint else ""
        self._say(f"FAILED   {rung.name}: {error.message}{hint}", "bold red")

    def predicted(self, prediction: TopPrediction) -> None:
        self._say(describe_prediction(prediction), "bold")

    def prediction_failed(self, rung: RungConfig, error: ScalingLabError) -> None:
        self._say(f"no prediction for {rung.name}: {error.message}", "yellow")

    def prediction_checked(self, prediction: TopPrediction) -> None:
        actual = describe_prediction(prediction).splitlines()[-1]
        self._say(actual, "bold")
