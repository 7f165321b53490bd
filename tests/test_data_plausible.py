"""Sizes too small to be counts (a params column in millions, tokens in billions, as a
header's unit says): read as they are, with a warning saying what was read and what to do,
never silently fitted as models of a few hundred parameters."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pandas as pd
import pytest
from tests._cli import cli

import scalinglab
from scalinglab.data import read_runs

N_MILLIONS = np.repeat([20.0, 50.0, 125.0, 350.0, 760.0], 2)
D_BILLIONS = N_MILLIONS * np.tile([20.0, 160.0], 5) / 1e3  # 0.4 ... 121.6


def _table(path: Path, params: str, tokens: str, scale: tuple[float, float] = (1, 1)) -> Path:
    loss = 1.8 + 400 * (N_MILLIONS * 1e6) ** -0.34 + 400 * (D_BILLIONS * 1e9) ** -0.28
    frame = pd.DataFrame({"Run": [f"r{k}" for k in range(10)]})
    frame[params], frame[tokens] = N_MILLIONS * scale[0], D_BILLIONS * scale[1]
    frame["Val Loss"] = loss
    frame.to_csv(path, index=False)
    return path


def test_a_header_s_units_are_named_in_the_warning(
    capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    path = _table(tmp_path / "runs.csv", "Params (M)", "Tokens [B]")
    code, out, _ = cli(
        capsys, "fit", str(path), "--map", "params=Params (M)", "--map", "tokens=Tokens [B]",
        "--bootstrap", "0",
    )  # fmt: skip
    out = " ".join(out.split())
    assert code == 0
    assert (
        "warning: params 20 to 760 (column 'Params (M)'): models of at most 760 parameters; "
        "the column is likely in millions ('(M)' in its name): write its values with units "
        "(20M to 760M) or scale the column by 1e6"
    ) in out
    assert (
        "warning: tokens 0.4 to 121.6 (column 'Tokens [B]'): runs of at most 121.6 training "
        "tokens; the column is likely in billions ('[B]' in its name): write its values "
        "with units (0.4B to 121.6B) or scale the column by 1e9"
    ) in out


def test_without_a_unit_the_warning_says_millions_or_billions(tmp_path: Path) -> None:
    path = _table(tmp_path / "runs.csv", "params", "tokens", scale=(1e6, 1.0))
    table = read_runs(path)
    (warning,) = [n for n in table.notes if n.startswith("warning: ")]
    assert warning == (
        "warning: tokens 0.4 to 121.6 (column 'tokens'): runs of at most 121.6 training "
        "tokens; the column may be in millions or billions: write its values with units "
        "(0.4M to 121.6M, or 0.4B to 121.6B) or scale the column"
    )
    result = scalinglab.fit("chinchilla", path, bootstrap=0)
    # as the readers' other warnings: one of the fit's, so it is not trusted
    assert warning.removeprefix("warning: ") in result.warnings and not result.trusted
    assert warning not in result.notes


def test_counts_read_as_counts_say_nothing(tmp_path: Path) -> None:
    table = read_runs(_table(tmp_path / "runs.csv", "params", "tokens", scale=(1e6, 1e9)))
    assert not [n for n in table.notes if n.startswith("warning: ")]


def test_a_run_of_less_than_one_token_is_named_by_its_row(tmp_path: Path) -> None:
    path = _table(tmp_path / "runs.csv", "params", "tokens", scale=(1e6, 1e9))
    frame = pd.read_csv(path)
    frame.loc[3, "tokens"] = 0.5
    frame.to_csv(path, index=False)
    table = read_runs(path)
    assert (
        "warning: tokens 0.5 at row 5 (column 'tokens'): a run of less than one training "
        "token; check that row's tokens"
    ) in table.notes


@pytest.mark.parametrize("source", ["ladder:tiny", "runs.csv"])
def test_a_ladder_s_tiny_rungs_are_counted_not_typed(tmp_path: Path, source: str) -> None:
    """The CI ladder's rungs see 126K-503K tokens, as its trainer counted: no unit slip to
    warn of; the same sizes ingested from a file are."""
    from scalinglab.store import RunStore, StoredRun

    store = RunStore(tmp_path / "s.duckdb")
    n = np.array([25.2e3, 40e3, 55.5e3, 80e3, 101e3, 125e3, 150e3])  # 126K-750K tokens
    runs = [
        StoredRun(run_id=f"r{k}", name=f"r{k}", params=3 * p, params_non_embedding=p,
                  tokens=5 * p, loss=2 + 40 * p**-0.3, source=source)
        for k, p in enumerate(n)
    ]  # fmt: skip
    store.put_runs([(r, None) for r in runs])
    warned = [n for n in store.to_run_table().notes if n.startswith("warning: tokens ")]
    assert len(warned) == (source != "ladder:tiny")


def _compute_table(path: Path, flops: str, scale: float) -> Path:
    """Runs of ``params`` and compute ``flops`` (6·N·D) divided by ``scale``."""
    n, d = N_MILLIONS * 1e6, D_BILLIONS * 1e9
    frame = pd.DataFrame({"run": [f"r{k}" for k in range(10)], "params": n})
    frame[flops] = 6 * n * d / scale
    frame["loss"] = 1.8 + 400 * n**-0.34 + 400 * d**-0.28
    frame.to_csv(path, index=False)
    return path


def test_a_flops_column_in_pf_days_is_warned_of_by_its_name(tmp_path: Path) -> None:
    path = _compute_table(tmp_path / "runs.csv", "compute (PF-days)", 8.64e19)
    table = read_runs(path, columns={"flops": "compute (PF-days)"})
    warnings = [n for n in table.notes if n.startswith("warning: ")]
    assert warnings == [
        "warning: flops 0.000555556 to 6.41778 (column 'compute (PF-days)'): runs of at "
        "most 6.41778 training FLOPs; the column is likely in PF-days ('compute (PF-days)'): "
        "scale it by 8.64e19 FLOPs a PF-day (1e15 FLOP/s for a day)"
    ]  # the tokens derived from it (5e-12 tokens and so on) follow from it: not warned of twice


def test_tokens_derived_too_few_name_the_columns_they_came_from(tmp_path: Path) -> None:
    path = _compute_table(tmp_path / "runs.csv", "flops", 1e6)  # counts, 1e6 too small
    (warning,) = [n for n in read_runs(path).notes if n.startswith("warning: ")]
    assert warning == (
        "warning: tokens 400 to 121600 (derived from columns 'params' and 'flops'): runs of at "
        "most 121600 training tokens; check the units of 'params' and 'flops': params and "
        "tokens as counts, flops in FLOPs"
    )


def test_most_params_too_few_are_warned_of_by_their_median(tmp_path: Path) -> None:
    path = _table(tmp_path / "runs.csv", "params", "tokens", scale=(1.0, 1e9))
    frame = pd.read_csv(path)
    frame.loc[9, "params"] = 16000.0  # one large model: the largest alone is a count
    frame.to_csv(path, index=False)
    (warning,) = [n for n in read_runs(path).notes if n.startswith("warning: ")]
    # the largest is a count: scaling the whole column by 1e6 would make it 1.6e10
    assert warning == (
        "warning: params 20 to 16000 (column 'params'): half the models have at most 125 "
        "parameters (the median); the sizes look mixed (some perhaps in millions or "
        "billions): the 9 under 10000 are 20 to 760; check those rows and write them with "
        "their unit (20M or 20B), leaving the counts as they are"
    )


def test_most_flops_too_few_are_warned_of_as_mixed_not_as_pf_days(tmp_path: Path) -> None:
    """Scaling the whole column by 8.64e19 would make its one count of FLOPs 8.6e40."""
    path = _compute_table(tmp_path / "runs.csv", "compute (PF-days)", 8.64e19)
    frame = pd.read_csv(path)
    frame.loc[9, "compute (PF-days)"] = 6e20  # one run in FLOPs: the largest alone is a count
    frame.to_csv(path, index=False)
    table = read_runs(path, columns={"flops": "compute (PF-days)"})
    (warning,) = [n for n in table.notes if n.startswith("warning: flops ")]
    assert warning == (
        "warning: flops 0.000555556 to 6e20 (column 'compute (PF-days)'): half the runs have "
        "at most 0.0989583 training FLOPs (the median); the sizes look mixed (some perhaps in "
        "PF-days or another unit): the 9 under 6e10 are 0.000555556 to 1.36111; check those "
        "rows and write them in FLOPs (a PF-day is 8.64e19), leaving the counts as they are"
    )
