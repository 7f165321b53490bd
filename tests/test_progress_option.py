"""``progress=`` that is neither a bool, ``None`` nor a callable is refused up front with a
ConfigError by every public function taking it (``envelope(progress="yes")`` raised
``TypeError: 'str' object is not callable`` at its first stage)."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import pytest

import scalinglab as sl
from scalinglab._errors import ConfigError
from scalinglab._progress import resolve_progress

_SAID = "progress must be True, False, None or a callable progress(stage, done, total), got 'yes'"


@pytest.mark.parametrize(
    "call",
    [
        lambda: sl.envelope(Path("no-such-folder"), tokens_per_step=0.5e6, progress="yes"),
        lambda: sl.fit("chinchilla", sl.bundled_runs(), bootstrap=0, progress="yes"),
        lambda: sl.backtest(sl.bundled_runs(), progress="yes"),
        # before the sweep is read: a file that is not there is not what they hear first
        lambda: sl.fit_hparams(Path("no-such-sweep.csv"), progress="yes"),
        lambda: sl.backtest_hparams(Path("no-such-sweep.csv"), progress="yes"),
    ],
    ids=["envelope", "fit", "backtest", "fit_hparams", "backtest_hparams"],
)
def test_a_progress_that_is_no_callable_is_refused(call: Callable[[], object]) -> None:
    with pytest.raises(ConfigError) as err:
        call()
    assert err.value.message == _SAID


def test_the_accepted_forms_resolve() -> None:
    def said(stage: str, done: int, total: int) -> None:
        pass

    assert resolve_progress(said) is said
    assert resolve_progress(None) is None and resolve_progress(False) is None
    assert callable(resolve_progress(True))
    with pytest.raises(ConfigError, match=r"got 1 \(progress=True prints"):
        resolve_progress(1)  # type: ignore[arg-type]
