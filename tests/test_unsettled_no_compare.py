"""``fit("auto")`` checks the law it chose against a rival it could not tell apart by fitting
that rival for its allocation alone (:mod:`scalinglab.validate._unsettled`): that internal fit
must not start a law comparison of its own (``compare=True`` is ``fit``'s default), which
would run every candidate's rolling backtests again and be thrown away."""

from __future__ import annotations

import pytest

import scalinglab
from scalinglab.data import bundled_runs
from scalinglab.validate import _law_hint


def test_an_auto_fit_compares_laws_once(monkeypatch: pytest.MonkeyPatch) -> None:
    calls: list[str] = []
    real = _law_hint.hint

    def counted(law: str, *args: object, **kwargs: object) -> object:
        calls.append(law)
        return real(law, *args, **kwargs)  # type: ignore[arg-type]

    monkeypatch.setattr(_law_hint, "hint", counted)
    result = scalinglab.fit("auto", bundled_runs(), bootstrap=0)
    assert result.law_choice is not None  # auto compared the laws, by choose_law
    assert calls == []  # and no fit inside it started a comparison of its own
