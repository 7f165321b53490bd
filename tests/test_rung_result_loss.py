"""A rung's final held-out loss is ``RungResult.loss``, as the store records it (the run's
``loss``), as ``RungOutcome.loss`` and ``ladder run``/``ladder status``/``runs --json`` give
it: ``RungResult.eval_loss`` named the same value. The old attribute warns; ``result.json``
writes ``"loss"`` with ``"eval_loss"`` beside it for one release, and a file an older worker
wrote (``"eval_loss"`` alone) still loads. A curve point's ``eval_loss`` (a reading at one
step, the store's curve column) keeps its name."""

from __future__ import annotations

import json

import pytest

from scalinglab import ConfigError
from scalinglab.ladder import CurvePoint, RungResult


def _result() -> RungResult:
    curve = (
        CurvePoint(step=10, tokens=2560, lr=3e-3, train_loss=3.5, eval_loss=3.25),
        CurvePoint(step=20, tokens=5120, lr=3e-4, train_loss=2.875, eval_loss=2.75),
    )
    return RungResult(
        run_id="r1", name="w32-d2", status="finished", steps=20, tokens=5120,
        train_loss=2.875, loss=2.75, wall_s=1.5, tokens_per_s=3413.0, mfu=None,
        hardware="cpu", software={"torch": "2"}, corpus="stdlib", corpus_hash="h",
        resumed_from_step=None, curve=curve,
    )  # fmt: skip


def test_result_json_writes_loss_with_the_old_key_beside_it_and_reads_both() -> None:
    result = _result()
    written = json.loads(json.dumps(result.to_dict()))
    assert written["loss"] == written["eval_loss"] == 2.75  # the old key, kept one release
    assert written["curve"][-1]["eval_loss"] == 2.75  # a curve point's name is unchanged
    assert RungResult.from_dict(written) == result
    older = {k: v for k, v in written.items() if k != "loss"}  # an older worker's file
    assert RungResult.from_dict(older) == result
    with pytest.raises(ConfigError, match="rung result is missing loss"):
        RungResult.from_dict({k: v for k, v in older.items() if k != "eval_loss"})


def test_rung_result_eval_loss_is_deprecated_for_loss() -> None:
    result = _result()
    assert "loss=2.75" in repr(result) and "eval_loss" not in repr(result)
    with pytest.warns(DeprecationWarning, match=r"RungResult\.eval_loss is deprecated.*\.loss"):
        assert result.eval_loss == 2.75
