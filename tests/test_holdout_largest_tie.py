"""``largest:K`` picks K runs, as its docs say; where the K-th largest value is shared by
runs the rule leaves out (six runs of the largest size, ``largest:5``), the split says how
many share it and how many were picked, instead of fitting on the sixth silently."""

from __future__ import annotations

from pathlib import Path

import scalinglab
from scalinglab.validate import split_runs


def _runs(tmp_path: Path) -> scalinglab.RunTable:
    rows = [(n, n * tpp) for n in (1e7, 3e7, 1e8) for tpp in (5, 20, 80)]
    rows += [(4e8, 4e8 * tpp) for tpp in (2, 5, 10, 20, 40, 80)]  # six of the largest size
    csv = tmp_path / "runs.csv"
    csv.write_text("params,tokens,loss\n" + "".join(
        f"{n:g},{d:g},{1.7 + 400 * n**-0.34 + 400 * d**-0.28:.5f}\n" for n, d in rows))  # fmt: skip
    return scalinglab.read_runs(csv)


def test_a_cut_through_tied_runs_is_said(tmp_path: Path) -> None:
    runs = _runs(tmp_path)
    split = split_runs(runs, "largest:5:params")
    largest = runs["params"].max()
    tied = int((runs["params"] == largest).sum())
    assert (tied, len(split.held_out)) == (6, 5)  # five held out, as largest:5 says
    assert int((split.fitted["params"] == largest).sum()) == 1  # the sixth is fitted on
    assert split.description == (
        "the 5 largest runs by params; 6 runs share the cut value, params 4e8: 5 of them held out"
    )
    assert split_runs(runs, "largest:6:params").description == "the 6 largest runs by params"
    assert split_runs(runs, "largest:2:params").description.endswith(": 2 of them held out")
    fitted = split_runs(runs, "params<=1e7", fit_on="largest:3:params")
    assert fitted.description.endswith(
        "fitted on the 3 largest runs by params; 6 runs share the cut value, params 4e8: "
        "3 of them fitted on"
    )
