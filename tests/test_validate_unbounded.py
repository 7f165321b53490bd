"""An unbounded interval is not evidence of coverage: not scored (None / NaN / "—"), counted
in ``summary.scored``, and said in a note at every level that has one."""

from __future__ import annotations

import json
import math

import numpy as np
import pytest
from tests._cli import cli

from scalinglab import backtest, bundled_runs, rolling_backtest
from scalinglab.data import RunTable
from scalinglab.validate import split_runs
from scalinglab.validate._score import covered, score, summarize, unbounded_notes


def _table(flops: list[float], loss: list[float]) -> RunTable:
    f = np.asarray(flops)
    params = np.sqrt(f / 120)
    return RunTable(
        columns={"params": params, "tokens": f / (6 * params), "flops": f, "loss": np.array(loss)},
        runs=tuple(f"r{i}" for i in range(len(f))),
        rows=tuple(range(1, len(f) + 1)),
        source="by hand",
    )


def _scored_by_hand() -> tuple:  # type: ignore[type-arg]
    t = _table([1e18, 1e19, 1e20, 1e21, 1e22], loss=[4.0, 3.0, 2.5, 2.0, 1.9])
    split = split_runs(t, "flops>=1e20")

    def predict(test: RunTable, levels: object) -> object:
        actual = test["loss"]  # 2.5, 2.0, 1.9
        point = actual * 1.01
        bands = {
            0.5: (point - 0.001, point + 0.001),  # misses all three
            0.9: (np.array([0.0, 0.0, 1.0]), np.array([math.inf, math.inf, 1.5])),
            0.999: (np.zeros(3), np.full(3, math.inf)),
        }
        return point, bands

    return score(split, predict, levels=(0.5, 0.9, 0.999))  # type: ignore[arg-type]


def test_unbounded_interval_is_not_scored() -> None:
    runs = _scored_by_hand()
    assert [r.inside(0.9) for r in runs] == [None, None, False]
    assert [r.inside(0.999) for r in runs] == [None, None, None]
    assert [r.inside(0.5) for r in runs] == [False, False, False]
    s = summarize(runs, (0.5, 0.9, 0.999))
    # 0.9: only the bounded run counts (it misses); 0.999: none scored, NaN, not 100%
    assert s.coverage[0.5] == 0.0 and s.coverage[0.9] == 0.0 and math.isnan(s.coverage[0.999])
    assert s.scored == {0.5: 3, 0.9: 1, 0.999: 0}
    assert s.to_dict()["scored"] == {"0.5": 3, "0.9": 1, "0.999": 0}
    assert json.loads(json.dumps(runs[0].to_dict()))["inside"] == {
        "0.5": False,
        "0.9": None,
        "0.999": None,
    }
    assert "scored={90%: 1 of 3, 99.9%: 0 of 3}" in repr(s)
    assert unbounded_notes(runs, (0.5, 0.9, 0.999)) == (
        "coverage: in 90%, 2 of 3 held-out runs not scored (—): an unbounded interval cannot miss",
        "coverage: in 99.9%, 3 of 3 held-out runs not scored (—): an unbounded interval "
        "cannot miss",
    )


def test_covered_marks_unbounded_as_not_scored() -> None:
    marks = covered(np.array([1.0, 0.0, 1.0, math.nan]), np.array([2.0, math.inf, 1.2, 2.0]),
                    np.array([1.5, 1.5, 1.5, 1.5]))  # fmt: skip
    np.testing.assert_array_equal(marks, [1.0, math.nan, 0.0, math.nan])


def test_backtest_scores_no_unbounded_interval(
    capsys: pytest.CaptureFixture[str], tmp_path: object
) -> None:
    """The sweep's case: at 99.9% the bundled runs' intervals are [0, ∞], all four runs; the
    table said 100%, the JSON ``"inside": true``, and no note said why."""
    out_json = f"{tmp_path}/bt.json"
    code, out, _ = cli(
        capsys, "backtest", "--law", "overtraining", "--bootstrap", "20", "--no-rolling",
        "--level", "0.999", "--level", "0.8", "--out", out_json,
    )  # fmt: skip
    assert code == 0
    assert (
        "coverage of nominal intervals over the 4 runs held out: 99.9%: — (0 of 4 runs scored), "
        "80%: 4 of 4\n" in out
    )
    assert "note: coverage: in 99.9%, 4 of 4 held-out runs not scored (—): an unbounded " in out
    data = json.load(open(out_json, encoding="utf-8"))  # noqa: SIM115
    bt = data["laws"][0]["backtest"]
    assert bt["summary"]["coverage"]["0.999"] == "nan" and bt["summary"]["scored"]["0.999"] == 0
    assert all(r["inside"]["0.999"] is None for r in bt["runs"])
    assert all(r["intervals"]["0.999"] == [0.0, "inf"] for r in bt["runs"])
    # the reason, from the fit's calibration, at the level asked (not only at the fit's 90%)
    assert any("the 99.9% interval is unbounded: 11 backtest residuals" in n for n in bt["notes"])
    # with no bootstrap no interval is drawn: no count per level, the note says it once
    code, out, _ = cli(
        capsys, "backtest", "--law", "overtraining", "--bootstrap", "0", "--no-rolling"
    )
    assert code == 0 and "intervals over the 4 runs held out: 50%: —, 80%: —, 90%: —\n" in out


@pytest.mark.heavy  # 1.1 s in the suite on a 2-core AMD EPYC
def test_rolling_backtest_says_which_steps_it_did_not_score() -> None:
    steps = rolling_backtest(bundled_runs(), law="overtraining", bootstrap=20, level=0.999)
    last = steps.steps[-1].summary  # the full fit's calibration reaches 88.8%: [0, ∞]
    assert math.isnan(last.coverage[0.999]) and last.scored == {0.999: 0}
    said = [n for n in steps.notes if n.startswith("coverage: in 99.9%")]
    assert len(said) == 1 and said[0].endswith("): an unbounded interval cannot miss")
    assert ", 17)" in said[0]  # the last step, scales 17, among them


def test_report_marks_an_unbounded_interval_not_scored() -> None:
    """The HTML backtest table said "yes" for [0, ∞] (the report's 90%, past the 88.8% the
    over-training fit's backtests calibrate)."""
    from scalinglab.report._report_validation import backtest_section

    bt = backtest(bundled_runs(), law="overtraining", bootstrap=20)
    assert bt.summary.scored == {0.5: 4, 0.8: 4, 0.9: 0}
    body = backtest_section(bt, level=0.9).body
    table = body[body.index("<table class='backtest'>") :]
    assert table.count("<td>—</td>") == 4 and "<td>yes</td>" not in table
    assert "interval coverage 50%: " in body and "90%: " not in body.split("</p>")[0]
