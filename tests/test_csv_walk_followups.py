"""A new user's own results table: every bad row named with its value, a size column written
two ways under a unit header refused, the unit read said in the fit's conventions, a
coefficient's interval ends to its value's decimals, and AIC written one way."""

from __future__ import annotations

import json
from pathlib import Path

import numpy as np
import pandas as pd
import pytest
from tests._cli import cli

import scalinglab as sl
from scalinglab import DataError
from scalinglab.data import read_runs

N = np.repeat([20.0, 50.0, 125.0, 350.0, 760.0], 3) * 1e6
D = N * np.tile([10.0, 20.0, 40.0], 5)
LOSS = 1.69 + 406.4 * N**-0.34 + 410.7 * D**-0.28


def _csv(path: Path, **columns: object) -> Path:
    frame = pd.DataFrame({"name": [f"r{k}" for k in range(len(N))], **columns, "loss": LOSS})
    frame.to_csv(path, index=False)
    return path


def _one_style(end: str, places: int, digits: int = 5) -> bool:
    """An interval end at its value's decimals, or (where those would write more figures
    than ``digits``, or under 3) at ``digits`` figures, trailing zeros kept; or exponent form."""
    if "e" in end or end in ("∞", "-∞"):
        return True
    figures = len(end.lstrip("-").replace(".", "").lstrip("0"))
    return len(end.partition(".")[2]) == places or figures == digits


def test_every_bad_loss_is_named_with_its_value(tmp_path: Path) -> None:
    path = tmp_path / "f.csv"
    path.write_text("params,tokens,loss\n1e7,2e8,3.1\n2e7,4e8,0\n4e7,8e8,2.8\n8e7,1.6e9,-1\n")
    with pytest.raises(DataError) as info:
        read_runs(path)
    assert info.value.row == 3
    assert "loss is 0 (and -1 at row 5); loss must be positive" in str(info.value)


def test_past_five_bad_rows_the_rest_are_counted(tmp_path: Path) -> None:
    path = tmp_path / "f.csv"
    rows = "".join(f"{k}e7,2e8,{-k}\n" for k in range(1, 9))
    path.write_text("params,tokens,loss\n" + rows)
    with pytest.raises(DataError) as info:
        read_runs(path)
    assert "loss is -1 (and -2 at row 3; -3 at row 4; -4 at row 5; -5 at row 6; 3 more rows)" in (
        str(info.value)
    )


def test_a_unit_header_over_cells_written_two_ways_is_refused(tmp_path: Path) -> None:
    cells = [f"{n / 1e6:g}" for n in N]
    cells[1] = f"{cells[1]}M"
    path = _csv(tmp_path / "runs.csv", **{"Params (M)": cells, "tokens": D})
    for mapped in ({}, {"params": "Params (M)"}):
        with pytest.raises(DataError) as info:
            read_runs(path, columns=mapped)
        err = info.value
        assert err.column == "Params (M)"
        assert (
            "with their own unit at row 3, as plain numbers at rows 2, 4, 5, 6, 7 and 9 more"
            in (str(err))
        )
        assert "plain numbers in millions under the header 'Params (M)'" in err.hint
        assert "a unit on every cell (70M, 160M) and no unit in the header ('Params')" in err.hint


def test_a_unit_read_from_the_header_is_in_the_conventions(
    capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    path = _csv(tmp_path / "runs.csv", **{"Params (M)": N / 1e6, "tokens": D})
    said = "read in millions from the header 'Params (M)'"
    assert read_runs(path).params_convention == said
    fit_json = tmp_path / "fit.json"
    code, _, err = cli(
        capsys, "fit", str(path), "--law", "chinchilla", "--bootstrap", "0", "--out", str(fit_json)
    )
    assert code == 0, err
    assert json.loads(fit_json.read_text())["conventions"]["params"] == said
    code, out, err = cli(capsys, "plan", "--fit", str(fit_json), "--flops", "1e21")
    assert code == 0, err
    rows = out.split("conventions")[-1].splitlines()
    params_row = next(line for line in rows if line.split()[:1] == ["params"])
    assert said in out and "as given in the run table" not in params_row
    # mapped, or its cells carrying their own units: read as written, nothing scaled to say
    assert read_runs(path, columns={"params": "Params (M)"}).params_convention == ""


def test_interval_ends_have_the_value_s_decimals() -> None:
    from scalinglab._cells import estimate_parts

    assert estimate_parts(1.7449, 1.6021, 1.912) == ("1.7449", "[1.6021, 1.9120]")
    assert estimate_parts(1.7449, float("nan"), 1.9) == ("1.7449", "")


def test_fit_tables_write_interval_ends_to_the_value_s_decimals(
    capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    rng = np.random.default_rng(0)
    noisy = LOSS * np.exp(rng.normal(0, 0.01, len(LOSS)))
    path = tmp_path / "b.csv"
    pd.DataFrame({"params": N, "tokens": D, "loss": noisy}).to_csv(path, index=False)
    result = sl.fit("chinchilla", path, bootstrap=20, seed=0)
    code, out, err = cli(capsys, "fit", str(path), "--law", "chinchilla", "--bootstrap", "20")
    assert code == 0, err
    for text in (out, str(result)):
        for name in result.coefs:
            line = next(ln for ln in text.splitlines() if ln.strip(" │").startswith(name + " "))
            value = line.replace("│", " ").split()[1]
            ends = line[line.index("[") + 1 : line.index("]")].split(", ")
            places = len(value.partition(".")[2])
            assert all(_one_style(e, places) for e in ends), line


def test_aic_is_written_one_way(capsys: pytest.CaptureFixture[str], tmp_path: Path) -> None:
    path = _csv(tmp_path / "runs.csv", params=N, tokens=D * np.exp(0.0))
    result = sl.fit("chinchilla", path, bootstrap=0)
    code, out, _ = cli(capsys, "fit", str(path), "--law", "chinchilla", "--bootstrap", "0")
    assert code == 0
    said = f"AIC {result.aic:.1f}"
    assert said in out
    assert f"{said}  BIC {result.bic:.1f}" in str(result)
