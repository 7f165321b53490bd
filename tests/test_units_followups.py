"""Follow-ups of the unit-header work: digit grouping under a unit header is no unit of the
cells' own, a ``Tokens (B)`` header is said in the tokens convention, ``curves fit``'s
interval ends to the value's decimals, and a ``--fit-on`` that keeps too few runs to fit
named in its hint."""

from __future__ import annotations

import json
from dataclasses import replace
from pathlib import Path

import numpy as np
import pandas as pd
import pytest
from tests._cli import cli
from tests.test_csv_walk_followups import _one_style
from tests.test_curves import SPECS, _synthetic

import scalinglab as sl
from scalinglab import ConfigError, DataError, fit_curves
from scalinglab.curves import Tissue
from scalinglab.data import read_runs
from scalinglab.report._card import reproducibility_card

SIZES_M = np.repeat([125.0, 350.0, 760.0, 1000.0, 1300.0], 3)
N = SIZES_M * 1e6
D = N * np.tile([10.0, 20.0, 40.0], 5)
LOSS = 1.69 + 406.4 * N**-0.34 + 410.7 * D**-0.28


def _csv(path: Path, **columns: object) -> Path:
    frame = pd.DataFrame({"name": [f"r{k}" for k in range(len(N))], **columns, "loss": LOSS})
    frame.to_csv(path, index=False)
    return path


def _grouped(x: float) -> str:
    return f"{x:,.0f}"  # 1,300 and 2,600,000,000: the tokens settle that commas group digits


def test_digit_grouped_cells_take_the_header_s_unit(tmp_path: Path) -> None:
    cells = [_grouped(m) for m in SIZES_M]
    assert "1,000" in cells and "1,300" in cells
    tokens = [_grouped(d) for d in D]
    path = _csv(tmp_path / "runs.csv", **{"Params (M)": cells, "tokens": tokens})
    table = read_runs(path)
    np.testing.assert_allclose(table["params"], N, rtol=1e-12)  # 1,000 under (M): 1e9
    assert "column 'Params (M)' read as params in millions (×1e6)" in table.notes
    assert table.params_convention == "read in millions from the header 'Params (M)'"
    # a grouped number beside one with its own unit: still written two ways
    cells[0] = "125M"
    with pytest.raises(DataError, match="its cells are written two ways"):
        read_runs(_csv(tmp_path / "mixed.csv", **{"Params (M)": cells, "tokens": tokens}))


def test_a_tokens_unit_header_is_in_the_conventions(
    capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    path = _csv(tmp_path / "runs.csv", params=N, **{"Tokens (B)": D / 1e9})
    said = "read in billions from the header 'Tokens (B)'"
    runs = read_runs(path)
    assert runs.tokens_convention == said
    assert read_runs(path, columns={"tokens": "Tokens (B)"}).tokens_convention == ""
    fit_json = tmp_path / "fit.json"
    args = ["--law", "chinchilla", "--bootstrap", "0", "--out", str(fit_json)]
    code, _, err = cli(capsys, "fit", str(path), *args)
    assert code == 0, err
    assert json.loads(fit_json.read_text())["conventions"]["tokens"] == said
    code, out, err = cli(capsys, "plan", "--fit", str(fit_json), "--flops", "1e21")
    assert code == 0, err
    assert said in " ".join(out.split())
    result = sl.fit("chinchilla", path, bootstrap=0)
    card = reproducibility_card(result, runs, command="fit")
    items = {item.label: item.value for group in card for item in group.items}
    assert items["which tokens"] == said


def test_curves_fit_writes_interval_ends_to_the_value_s_decimals() -> None:
    from scalinglab.curves._rows import coef_table

    truth = {"L0": 2.8, "A": 0.6, "alpha": 0.45, "C": 0.8}
    curves = _synthetic(Tissue(), truth, SPECS[:3], noise=2e-3, seed=3)
    fitted = fit_curves(curves, law="tissue", bootstrap=8, seed=0)
    # ends of fewer figures than the value, as a bootstrap draws them (2.98 beside 3.0425)
    result = replace(fitted, intervals={k: (v * 0.5, v * 2.0) for k, v in fitted.coefs.items()})
    for row in coef_table(result, title="").rows:
        name, value, band = (c.text for c in row)
        places = len(value.partition(".")[2])
        ends = band.strip("[]").split(", ")
        assert all(_one_style(e, places) for e in ends), (name, band)


def test_a_fit_on_rule_that_keeps_too_few_runs_is_named(tmp_path: Path) -> None:
    path = _csv(tmp_path / "runs.csv", params=N, tokens=D)
    with pytest.raises(DataError) as info:
        sl.backtest(path, law="chinchilla", holdout="largest:3", fit_on="params<=125M", bootstrap=0)
    hint = str(info.value.hint)
    assert "--fit-on 'params<=125M' (fit_on= in Python) keeps 3 of the 12 runs not held out" in (
        hint
    )
    assert "loosen it so that it keeps 6 or more" in hint
    # the rule and the runs it chose among are kept with a saved split
    from scalinglab.validate._saved_parts import split_from, split_state
    from scalinglab.validate._split import split_runs

    split = split_runs(read_runs(path), "largest:3", fit_on="params<=125M")
    assert (split.fit_on, split.not_held_out) == ("params<=125M", 12)
    back = split_from(json.loads(json.dumps(split_state(split))))
    assert (back.fit_on, back.not_held_out) == ("params<=125M", 12)


def test_a_holdout_that_holds_out_no_run_says_the_range(tmp_path: Path) -> None:
    path = _csv(tmp_path / "runs.csv", params=N, tokens=D)
    with pytest.raises(ConfigError) as info:
        sl.backtest(path, law="chinchilla", holdout="params>=1e12", bootstrap=0)
    hint = str(info.value.hint)
    assert "it holds out none of the 15 runs in the table, whose params span 125M-1.3B" in hint
    # three runs share 760M: the bound holds out 9, the count said is the bound's own
    assert "params>=760M holds out the largest 9" in hint


def test_interval_ends_keep_their_own_figures_where_the_values_decimals_would_not() -> None:
    """At 0.21566's five decimals 1e-6 read 0.00000 and 116.35315 wrote eight figures."""
    from scalinglab._cells import estimate_parts

    assert estimate_parts(0.21566, 1e-6, 116.35315) == ("0.21566", "[1e-6, 116.35]")
    assert estimate_parts(1.7449, 1.6021, 1.912) == ("1.7449", "[1.6021, 1.9120]")
    assert estimate_parts(51.235, 24.417, 363.162) == ("51.235", "[24.417, 363.16]")
    assert estimate_parts(-0.5, -1.2, 0.0001) == ("-0.50000", "[-1.2000, 1e-4]")
