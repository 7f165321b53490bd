"""A size column named with its unit (``Params (M)``, ``tokens_b``) is that size, scaled by
the unit with a note; one mapped with ``--map`` or ``--x`` is read as written, with a note
saying its unit is not applied (the plausibility warning names its unit too); a hint with one column to choose writes it."""

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


def _csv(path: Path, **columns: np.ndarray) -> Path:
    frame = pd.DataFrame({"name": [f"r{k}" for k in range(len(N))], **columns, "loss": LOSS})
    frame.to_csv(path, index=False)
    return path


@pytest.fixture(scope="module")
def counted(tmp_path_factory: pytest.TempPathFactory) -> sl.FitResult:
    """The fit of the counts themselves, which every scaled table's fit must equal (one fit
    for the module: a result is frozen)."""
    folder = tmp_path_factory.mktemp("counted")
    return sl.fit("chinchilla", _csv(folder / "n.csv", params=N, tokens=D), bootstrap=0)


@pytest.mark.parametrize(
    ("params", "tokens", "notes"),
    [
        ("Params (M)", "tokens", ["column 'Params (M)' read as params in millions (×1e6)"]),
        ("params_M", "Tokens (B)", ["column 'params_M' read as params in millions (×1e6)",
                                    "column 'Tokens (B)' read as tokens in billions (×1e9)"]),
        ("model_size (M)", "tokens_b", ["column 'model_size (M)' read as params in millions "
                                        "(×1e6)", "column 'tokens_b' read as tokens in billions "
                                        "(×1e9)"]),
        ("N [bn]", "n_tokens (millions)", ["column 'N [bn]' read as params in billions (×1e9)",
                                           "column 'n_tokens (millions)' read as tokens in "
                                           "millions (×1e6)"]),
    ],
)  # fmt: skip
def test_a_size_named_with_its_unit_is_scaled_by_it(
    tmp_path: Path, counted: sl.FitResult, params: str, tokens: str, notes: list[str]
) -> None:
    scale = {"(M)": 1e6, "_M": 1e6, "[bn]": 1e9}
    p_unit = next(v for k, v in scale.items() if params.endswith(k))
    t_unit = {"tokens": 1.0, "Tokens (B)": 1e9, "tokens_b": 1e9}.get(tokens, 1e6)
    path = _csv(tmp_path / "runs.csv", **{params: N / p_unit, tokens: D / t_unit})
    table = read_runs(path)
    np.testing.assert_allclose(table["params"], N, rtol=1e-12)
    np.testing.assert_allclose(table["tokens"], D, rtol=1e-12)
    for note in notes:
        assert note in table.notes
    assert not [n for n in table.notes if n.startswith("warning: ")]  # counts now
    # the fit is the one of the counts themselves
    scaled = sl.fit("chinchilla", path, bootstrap=0)
    assert scaled.coefs == pytest.approx(counted.coefs, rel=1e-6)


def test_the_readme_table_fits_and_says_so(
    capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    path = _csv(tmp_path / "params_m.csv", **{"Params (M)": N / 1e6, "tokens": D})
    code, out, err = cli(capsys, "fit", str(path), "--law", "chinchilla", "--bootstrap", "0")
    assert code == 0, err
    assert "note: column 'Params (M)' read as params in millions (×1e6)" in out


def test_a_mapped_column_is_read_as_written_and_warned_of(tmp_path: Path) -> None:
    path = _csv(tmp_path / "runs.csv", **{"Params (M)": N / 1e6, "tokens": D})
    table = read_runs(path, columns={"params": "Params (M)"})
    np.testing.assert_allclose(table["params"], N / 1e6)
    assert any(n.startswith("warning: params 20 to 760 (column 'Params (M)')") for n in table.notes)


_AS_WRITTEN = (
    "column 'Params (M)' is read as written (its header says millions); to read it in units, "
    "leave --map/--x out so it is found by its name, or scale it"
)


@pytest.mark.parametrize("how", ["columns", "x"])
def test_a_mapped_column_says_its_unit_is_not_applied(tmp_path: Path, how: str) -> None:
    path = _csv(tmp_path / "runs.csv", **{"Params (M)": N / 1e6, "tokens": D})
    mapped = (
        {"columns": {"params": "Params (M)"}} if how == "columns" else {"x": {"N": "Params (M)"}}
    )
    table = read_runs(path, **mapped)  # type: ignore[arg-type]
    np.testing.assert_allclose(table["params"], N / 1e6)
    assert table.notes.count(_AS_WRITTEN) == 1
    # cells that carry their units: the header's would not apply, so nothing is said of it
    path = _csv(tmp_path / "units.csv", **{"Params (M)": [f"{n / 1e6:g}M" for n in N], "tokens": D})
    assert _AS_WRITTEN not in read_runs(path, **mapped).notes  # type: ignore[arg-type]


def test_the_cli_says_so_for_x_and_map(capsys: pytest.CaptureFixture[str], tmp_path: Path) -> None:
    path = _csv(tmp_path / "runs.csv", **{"Params (M)": N / 1e6, "tokens": D})
    for flag in (["--x", "N=Params (M)", "--x", "D=tokens"], ["--map", "params=Params (M)"]):
        code, out, err = cli(capsys, "fit", str(path), *flag, "--bootstrap", "0", "--json")
        assert code == 0 and _AS_WRITTEN in json.loads(out)["notes"], err


def test_cells_with_their_own_units_are_not_scaled_again(tmp_path: Path) -> None:
    path = _csv(tmp_path / "runs.csv", **{"Params (M)": [f"{n / 1e6:g}M" for n in N], "tokens": D})
    table = read_runs(path)
    np.testing.assert_allclose(table["params"], N)
    assert (
        "column 'Params (M)' read as params as written: its cells carry their own units, "
        "so the millions its name says are not applied again"
    ) in table.notes


def test_two_such_columns_are_for_the_user_to_choose(tmp_path: Path) -> None:
    path = _csv(tmp_path / "runs.csv", **{"Params (M)": N / 1e6, "params_b": N / 1e9, "tokens": D})
    with pytest.raises(DataError) as info:
        read_runs(path)
    assert "columns 'Params (M)', 'params_b' could each be params; which one is it?" in str(
        info.value
    )
    assert info.value.hint == "say which: --map params=Params (M)"


def test_a_hint_with_one_column_to_choose_writes_it(
    capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    path = _csv(tmp_path / "runs.csv", **{"Model Width": N, "tokens": D})
    code, _, err = cli(capsys, "fit", str(path), "--law", "chinchilla", one_line=True)
    assert code == 2
    assert "law 'chinchilla' needs column 'params' for N" in err
    assert (
        "hint: map it to Model Width, the runs' one unused numeric column: --x N='Model Width'"
    ) in err
    code, _, err = cli(capsys, "fit", str(path), "--x", "N=width", one_line=True)
    assert code == 2
    assert "read it: --x N='Model Width' (x={'N': 'Model Width'})" in err
