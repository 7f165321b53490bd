"""One quantity, one wording, at every door: a downstream chain's interval is named alike by
``downstream predict`` (its table and JSON), ``DownstreamFit.predict`` and the report's
prediction section, which writes the model's size as the command does."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from tests import test_downstream_loss_interval as shared

from scalinglab.cli import main
from scalinglab.downstream import DownstreamFit, Evals, fit_downstream

N, D = shared.N, shared.D  # past the fitted models
evals, chain = shared.evals, shared.chain  # the same module fixtures: one chain fitted here


def _kind(chain: DownstreamFit) -> str:
    """What the chain's draws hold: the loss law's measured extrapolation error, or not."""
    ex = chain.extrapolation
    return "backtest-calibrated" if ex is not None and ex.calibrated else "bootstrap"


def test_the_prediction_names_its_interval_as_the_plan_does(
    chain: DownstreamFit, evals: Evals
) -> None:
    got = chain.predict(params=N, tokens=D)
    assert got.interval_kind == got.to_dict()["interval_kind"] == _kind(chain)
    assert _kind(chain) == "backtest-calibrated"  # the case the report's words were wrong for
    point = fit_downstream(
        evals, tasks=["task"], law="chinchilla", bootstrap=0, max_backtest_error=None
    )
    assert point.predict(params=N, tokens=D).interval_kind == "none"


def test_the_command_and_the_page_say_the_same_kind_and_size(
    chain: DownstreamFit, evals: Evals, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    from scalinglab.report._downstream import downstream_sections

    chain.save(tmp_path / "ds.json")
    args = ["downstream", "predict", "--fit", str(tmp_path / "ds.json"), "--params", "800M",
            "--tokens", "16B"]  # fmt: skip
    assert main([*args, "--json"]) == 0
    data = json.loads(capsys.readouterr().out)
    assert data["interval_kind"] == _kind(chain)
    assert main(args) == 0
    text = capsys.readouterr().out
    header = f"90% {data['interval_kind']} interval"
    assert header in text
    first = text.splitlines()[0]  # "params 800M, tokens 16B: loss ..."
    n, d = (part.split()[1] for part in first.split(":")[0].split(", "))
    sections = downstream_sections(chain, evals, target=(N, D))
    body = next(s for s in sections if s.key == "downstream-prediction").body
    assert f"<th>{header} (" in body  # the table's header: the same kind
    assert f"{data['interval_kind']} intervals for one new model" in body
    assert f"A model of {n} parameters trained on {d} tokens" in body  # not 8e+08, 1.6e+10
    acc = data["tasks"]["task"]
    shown = f"[{acc['accuracy_lower']:.3f}, {acc['accuracy_upper']:.3f}]"
    assert shown in text and shown in body  # the same interval, not only the same words
