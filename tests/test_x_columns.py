"""`--x N=COL` (`x={"N": "COL"}`) reads COL as the law's N wherever N matters: the run table
(flops derived, outliers judged, repeats found on it), predictions and plans, as
`--map params=COL` does."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pandas as pd
import pytest
from tests.conftest import chinchilla_runs

from scalinglab import read_runs
from scalinglab.cli import main
from scalinglab.data._readers import to_table


def cli(capsys: pytest.CaptureFixture[str], *args: str) -> tuple[int, str, str]:
    code = main(list(args))
    out, err = capsys.readouterr()
    assert "Traceback" not in out + err
    return code, out, err


@pytest.fixture(scope="module")
def odd_csv(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """Chinchilla-law runs (one of them diverged enough to exclude) whose size columns have
    no known name: nonemb (N) and 'Tokens Trained' (D)."""
    path = tmp_path_factory.mktemp("x") / "odd.csv"
    frame = chinchilla_runs().rename(columns={"params": "nonemb", "tokens": "Tokens Trained"})
    frame.to_csv(path, index=False)
    return path


def _same_tables(a, b) -> None:  # type: ignore[no-untyped-def]
    assert list(a.columns) == list(b.columns)
    for name in a.columns:
        assert np.array_equal(a[name], b[name]), name
    assert a.excluded == b.excluded
    assert a.flops_convention == b.flops_convention


def test_x_reads_the_size_columns_as_map_does(odd_csv: Path) -> None:
    x = {"N": "nonemb", "D": "Tokens Trained"}
    mapped = {"params": "nonemb", "tokens": "Tokens Trained"}
    for drop in (False, True):
        got = to_table(odd_csv, x=x, drop_outliers=drop)
        _same_tables(got, read_runs(odd_csv, columns=mapped, drop_outliers=drop))
    # flops derived from N and D: once absent, and the outlier screen (against flops) idle
    frame = pd.read_csv(odd_csv)
    table = to_table(odd_csv, x=x)
    assert np.allclose(table["flops"], 6 * frame["nonemb"] * frame["Tokens Trained"], rtol=1e-15)
    assert table.flops_convention.startswith("C = 6·N·D, computed from params and tokens")
    assert [run for run, _ in to_table(odd_csv, x=x, drop_outliers=True).excluded] == ["r35"]
    # the columns keep their names: the fit and the user find them by those
    assert table["nonemb"] is table["params"]
    assert "column 'nonemb' read as params (as mapped)" in table.notes


def test_x_d_alone_reads_tokens_and_drops_the_same_outliers(odd_csv: Path) -> None:
    """`--x "D=Tokens Trained"` with N found by its name: the tokens column was never read as
    tokens (no flops, nothing excluded: 0 against 1 with --map)."""
    path = odd_csv.with_name("d_only.csv")
    pd.read_csv(odd_csv).rename(columns={"nonemb": "params"}).to_csv(path, index=False)
    got = to_table(path, x={"D": "Tokens Trained"}, drop_outliers=True)
    want = read_runs(path, columns={"tokens": "Tokens Trained"}, drop_outliers=True)
    _same_tables(got, want)
    assert len(got.excluded) == 1 and got.has("flops")


def test_x_n_wins_over_a_params_column(tmp_path: Path, odd_csv: Path) -> None:
    """`--x N=params_no_embed` where a `params` column (with embeddings) is there too: flops
    were derived from `params`, not the N the law read."""
    frame = pd.read_csv(odd_csv).rename(
        columns={"nonemb": "params_no_embed", "Tokens Trained": "tokens"}
    )
    frame.insert(1, "params", frame["params_no_embed"] * 1.2)
    frame.to_csv(path := tmp_path / "both.csv", index=False)
    table = to_table(path, x={"N": "params_no_embed"})
    assert np.array_equal(table["params"], frame["params_no_embed"])
    assert np.allclose(table["flops"], 6 * frame["params_no_embed"] * frame["tokens"], rtol=1e-15)
    assert "column 'params' ignored: params is read from 'params_no_embed'" in table.notes
    _same_tables(table, read_runs(path, columns={"params": "params_no_embed"}))


def test_repeats_are_looked_for_in_the_columns_x_names(tmp_path: Path) -> None:
    """Rows equal in params and loss but not in tokens were said to repeat each other."""
    path = tmp_path / "repeats.csv"
    path.write_text("params,seen,loss\n1e8,2e9,3.1\n1e8,4e9,3.1\n2e8,4e9,2.9\n2e8,4e9,2.9\n")
    notes = [n for n in to_table(path, x={"D": "seen"}).notes if "repeat" in n]
    assert notes == [
        "1 row(s) repeat another exactly in params, tokens, flops, loss (rows 4 and 5): a run "
        "counted twice weighs twice in the fit; drop the repeats, or name runs with a run-id "
        "column"
    ]


def test_x_for_other_symbols_reads_the_column_as_it_is(odd_csv: Path) -> None:
    """A formula's own symbol (W) is no run coordinate: its column stays a column of its own,
    and the sizes are read as without x."""
    frame = pd.read_csv(odd_csv).rename(columns={"nonemb": "params", "Tokens Trained": "tokens"})
    frame["width"] = np.sqrt(frame["params"])
    table = to_table(frame, x={"W": "width"})
    assert list(table.columns) == ["params", "tokens", "flops", "loss", "width"]
    assert table.origins == {}
    import scalinglab

    result = scalinglab.fit("E + A*W**-alpha", frame, x={"W": "width"}, bootstrap=0)
    assert dict(result.columns) == {"W": "width"}
    # a missing column is named with the columns there are, as before
    with pytest.raises(scalinglab.DataError, match="needs column 'wide' for N"):
        scalinglab.fit("chinchilla", frame, x={"N": "wide"}, bootstrap=0)
