"""`--x N=COL` (`x={"N": "COL"}`) reads COL as the law's N wherever N matters: the run table
(flops derived, outliers judged, repeats found on it), predictions and plans, as
`--map params=COL` does."""

from __future__ import annotations

import json
import math
from pathlib import Path

import numpy as np
import pandas as pd
import pytest
from tests._cli import cli
from tests.conftest import chinchilla_runs

import scalinglab
from scalinglab import read_runs
from scalinglab.data._readers import to_table


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
        "1 row repeats another exactly in params, tokens, flops, loss (rows 4 and 5): a run "
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
    result = scalinglab.fit("E + A*W**-alpha", frame, x={"W": "width"}, bootstrap=0)
    assert dict(result.columns) == {"W": "width"}
    # a missing column is named with the columns there are, as before
    with pytest.raises(scalinglab.DataError, match="needs column 'wide' for N"):
        scalinglab.fit("chinchilla", frame, x={"N": "wide"}, bootstrap=0)


@pytest.mark.heavy  # 1.2 s in the suite on a 2-core AMD EPYC
def test_x_names_a_column_as_map_does(
    capsys: pytest.CaptureFixture[str], odd_csv: Path, tmp_path: Path
) -> None:
    """`--map "params=model size"` read a column 'Model Size', `--x "N=model size"` failed
    with "the runs have no column 'model size'": x compares names as --map does."""
    frame = pd.read_csv(odd_csv).rename(columns={"nonemb": "Model Size"})
    x = {"N": "model size", "D": "TOKENS-TRAINED"}
    mapped = {"params": "model size", "tokens": "TOKENS-TRAINED"}
    _same_tables(to_table(frame, x=x), read_runs(frame, columns=mapped))
    assert to_table(frame, x=x).origins == {"params": "Model Size", "tokens": "Tokens Trained"}
    by_x = scalinglab.fit("chinchilla", frame, x=x, bootstrap=0)
    by_map = scalinglab.fit("chinchilla", read_runs(frame, columns=mapped), bootstrap=0)
    assert dict(by_x.columns) == x and by_x.coefs == by_map.coefs
    # a formula's own symbol too
    frame["Width"] = np.sqrt(frame["Model Size"])
    result = scalinglab.fit("E + A*W**-alpha", frame, x={"W": "width"}, bootstrap=0)
    exact = scalinglab.fit("E + A*W**-alpha", frame, x={"W": "Width"}, bootstrap=0)
    assert result.coefs == exact.coefs
    path = tmp_path / "sizes.csv"
    frame.to_csv(path, index=False)
    outs = []
    for flag in (
        ["--x", "N=model size,D=tokens trained"],
        ["--map", "params=model size", "--map", "tokens=tokens trained"],
    ):
        code, out, err = cli(capsys, "fit", str(path), *flag, "--bootstrap", "0",
                             "--no-compare", "--json")  # fmt: skip
        assert code == 0, err
        outs.append(json.loads(out)["coefs"])
    assert outs[0] == outs[1]


@pytest.fixture(scope="module")
def nonemb_csv(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """As a user's C4 sweep: N in a column of no known name (nonemb), tokens named so."""
    path = tmp_path_factory.mktemp("x") / "nonemb.csv"
    chinchilla_runs().rename(columns={"params": "nonemb"}).to_csv(path, index=False)
    return path


def test_plan_from_an_x_fit_equals_the_map_fit_s(nonemb_csv: Path) -> None:
    """optimal_allocation(fit(..., x={"N": "nonemb"})) raised "predict needs nonemb= (the
    law's N); got ['params', 'tokens']"."""
    x_fit = scalinglab.fit("chinchilla", nonemb_csv, x={"N": "nonemb"}, bootstrap=20, seed=3)
    mapped = read_runs(nonemb_csv, columns={"params": "nonemb"})
    map_fit = scalinglab.fit("chinchilla", mapped, bootstrap=20, seed=3)
    # the fit records the column N was read from, by the name it was given
    assert dict(x_fit.columns) == {"N": "nonemb", "D": "tokens"}
    assert dict(map_fit.columns) == {"N": "params", "D": "tokens"}
    assert x_fit.coefs == map_fit.coefs
    got = scalinglab.optimal_allocation(x_fit, flops=1e23).to_dict()
    assert got == scalinglab.optimal_allocation(map_fit, flops=1e23).to_dict()
    assert got["loss_interval_kind"] == "backtest-calibrated"
    want = map_fit.predict(params=7e9, tokens=1.4e12)
    for n in ({"nonemb": 7e9}, {"params": 7e9}, {"N": 7e9}):
        at = x_fit.predict(**n, tokens=1.4e12)
        assert (at.loss, at.lower, at.upper) == (want.loss, want.lower, want.upper)


def test_plan_and_predict_where_n_reads_a_column_of_its_own(nonemb_csv: Path) -> None:
    """A fit whose N reads `nonemb`, a column of the table besides its params (a table read
    without x), plans by the law's symbols, and predicts by the column, the symbol, or the
    run coordinate N stands for."""
    table = read_runs(nonemb_csv)  # nonemb is a column of its own here
    result = scalinglab.fit("chinchilla", table, x={"N": "nonemb"}, bootstrap=20, seed=3)
    assert dict(result.columns) == {"N": "nonemb", "D": "tokens"}
    plan = scalinglab.optimal_allocation(result, flops=1e23)
    assert plan.loss_interval_kind == "backtest-calibrated"
    at = result.predict(nonemb=plan.params.value, tokens=plan.tokens.value)
    assert (plan.loss.lower, plan.loss.upper) == (float(at.lower[0]), float(at.upper[0]))
    loaded = scalinglab.FitResult.from_dict(result.to_dict())
    assert scalinglab.optimal_allocation(loaded, flops=1e23).to_dict() == plan.to_dict()
    want = result.predict(nonemb=7e9, tokens=1.4e12).loss
    for n in ({"N": 7e9}, {"params": 7e9}, {"nonemb": "7B"}):
        assert np.array_equal(result.predict(**n, tokens=1.4e12).loss, want)
    assert np.array_equal(result.predict(params=7e9, flops=6 * 7e9 * 1.4e12).loss, want)


def test_predict_messages_name_every_spelling_of_a_variable(nonemb_csv: Path) -> None:
    result = scalinglab.fit("chinchilla", read_runs(nonemb_csv), x={"N": "nonemb"}, bootstrap=0)
    with pytest.raises(scalinglab.ConfigError) as info:
        result.predict(tokens=1.4e12)
    assert info.value.message == (
        "predict needs nonemb= (the law's N, also given as N= or params=); got ['tokens']"
    )
    assert info.value.hint == "give a value of each variable: nonemb=, tokens="
    with pytest.raises(scalinglab.ConfigError, match="predict got nonembs=") as info:
        result.predict(nonembs=7e9, tokens=1.4e12)  # a slip is named, not 'needs nonemb='
    assert info.value.hint == "did you mean nonemb=?"
    # a variable given under any two of its names is refused, naming both (params=70e9 with
    # nonemb=1e9 was ignored, the prediction made at 1e9)
    for two, (a, b) in (
        ({"nonemb": 7e9, "N": 8e9}, ("nonemb=", "N=")),
        ({"params": 70e9, "nonemb": 1e9}, ("nonemb=", "params=")),
        ({"N": 7e9, "params": 70e9}, ("N=", "params=")),
    ):
        with pytest.raises(scalinglab.ConfigError) as info:
            result.predict(**two, tokens=1.4e12)
        assert info.value.message == (
            f"law 'chinchilla' reads N (nonemb) and D (tokens); N is given twice, via {a} and {b}"
        )
        assert info.value.hint == f"give N once: {a} or {b}"
    # where N reads params, params= is its column and N= its symbol: as before
    plain = scalinglab.fit("chinchilla", chinchilla_runs(), bootstrap=0)
    with pytest.raises(scalinglab.ConfigError) as info:
        plain.predict(tokens=1.4e12)
    assert info.value.message == (
        "predict needs params= (the law's N, also given as N=); got ['tokens']"
    )


@pytest.mark.heavy  # 1.5 s in the suite on a 2-core AMD EPYC
def test_cli_plan_from_an_x_fit(
    capsys: pytest.CaptureFixture[str], nonemb_csv: Path, odd_csv: Path, tmp_path: Path
) -> None:
    """`fit --x N=nonemb` skipped its plan table and `plan --fit` exited 2 with "predict
    needs nonemb= (the law's N); got ['params', 'tokens']"."""
    fits = {}
    for how, flag in (("x", ["--x", "N=nonemb"]), ("map", ["--map", "params=nonemb"])):
        fits[how] = tmp_path / f"{how}.json"
        code, out, err = cli(
            capsys, "fit", str(nonemb_csv), *flag, "--bootstrap", "20", "--seed", "3",
            "--no-compare", "--out", str(fits[how]),
        )  # fmt: skip
        assert code == 0, err
        assert "plan table skipped" not in out + err
        assert "compute-optimal allocation" in out
    assert json.loads(fits["x"].read_text())["columns"] == {"N": "nonemb", "D": "tokens"}
    plans = []
    for path in fits.values():
        code, out, err = cli(capsys, "plan", "--compute", "1e23", "--fit", str(path), "--json")
        assert code == 0, err
        plans.append(json.loads(out)["allocation"])
    assert plans[0] == plans[1] and plans[0]["loss_interval_kind"] == "backtest-calibrated"
    # --x D=COL with N found by its name: the plan table, and the outliers --map drops
    path = tmp_path / "d.csv"
    pd.read_csv(odd_csv).rename(columns={"nonemb": "params"}).to_csv(path, index=False)
    for flag in (["--x", "D=Tokens Trained"], ["--map", "tokens=Tokens Trained"]):
        code, out, err = cli(
            capsys, "fit", str(path), *flag, "--drop-outliers", "--bootstrap", "20",
            "--no-compare",
        )  # fmt: skip
        assert code == 0, err
        assert "d.csv (62 runs, 1 excluded)" in out
        assert "compute-optimal allocation" in out and "plan table skipped" not in out + err


def test_a_formula_law_plans_its_distance_by_its_own_symbols() -> None:
    """A law in P and T (read from params and tokens) measures how far a plan row lies
    beyond its runs on P, T and their product, the compute axis (it read N and D, found
    neither, and said 'inside')."""
    runs = read_runs(chinchilla_runs(seed=3, outliers=0))
    law = "E + A*P**-a + B*T**-b"
    result = scalinglab.fit(law, runs, x={"P": "params", "T": "tokens"}, bootstrap=20, seed=0)
    row = scalinglab.optimal_allocation(result, flops=1e25)
    n, d = runs["params"], runs["tokens"]
    p, t = row.params.value, row.tokens.value
    apart = max(math.log10(p / n.max()), math.log10(t / d.max()))
    want = max(apart, math.log10(p * t / (n * d).max()))
    assert want > apart > 1 and row.distance == pytest.approx(want, rel=1e-9)
    same = scalinglab.fit("E + A*N**-a + B*D**-b", runs, bootstrap=20, seed=0)
    assert scalinglab.optimal_allocation(same, flops=1e25).distance == pytest.approx(want)
    assert any("beyond the fitted runs" in note for note in row.notes)
