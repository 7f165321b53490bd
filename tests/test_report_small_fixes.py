"""Small things a new user saw in ``scalinglab report``: the isoFLOP figure's long title
wraps and its panels leave room between them, and a law of compute alone gets the loss at
each budget as ``plan --compute`` gives it."""

from __future__ import annotations

import pytest
from tests.test_report_pages import _text, _write

from scalinglab.report._isoflop_plot import _title


def test_isoflop_title_wraps_a_long_data_label() -> None:
    from matplotlib.figure import Figure

    fig = Figure(figsize=(12, 4.8), layout="constrained")
    source = "overtraining-c4: 31 open_lm models of 10.6M-411.6M params " * 4
    _title(fig, "IsoFLOP (Chinchilla approach 2)", source, False)
    lines = fig.get_suptitle().split("\n")
    assert len(lines) > 1 and max(len(line) for line in lines) <= 130
    assert " ".join(lines).split() == f"IsoFLOP (Chinchilla approach 2): {source}".split()
    assert fig.get_layout_engine().get()["wspace"] == pytest.approx(0.06)


def test_a_law_of_compute_alone_plans_the_loss_at_each_budget(
    capsys: pytest.CaptureFixture[str], tmp_path_factory: pytest.TempPathFactory
) -> None:
    import json

    from scalinglab.cli import main

    page = _write(tmp_path_factory, "--law", "power-law:flops", "--bootstrap", "20")
    plan = _text(page, "plan")
    assert "no planning table" not in plan
    assert "The loss at each budget by the law of compute alone, L(C)" in plan
    # the same loss and interval `plan --compute` gives from the same fit
    fit = tmp_path_factory.mktemp("fit") / "plf.json"
    args = ["--law", "power-law:flops", "--bootstrap", "20"]
    assert main(["fit", *args, "--out", str(fit)]) == 0
    capsys.readouterr()
    assert main(["plan", "--fit", str(fit), "--compute", "1e22", "--json"]) == 0
    a = json.loads(capsys.readouterr().out)["allocation"]
    shown = f"1e22 {a['loss']:.5g} [{a['loss_lower']:.5g}, {a['loss_upper']:.5g}]"
    assert shown in plan, (shown, plan)
