"""Runs whose compute sits in a column the reader does not take as flops (``compute_flops``,
``FLOPs (6ND)``, ``pf_days``) and no tokens: `isoflop` and a law of compute name that column
and the ``--map flops=...`` that reads it, as a law in N and D already did ("'pf_days' holds
compute, not tokens"); their hints said only "add a flops column ... --map flops=COLUMN"."""

from __future__ import annotations

from pathlib import Path

import pytest
from tests._cli import cli
from tests.conftest import isoflop_runs

import scalinglab as sl
from scalinglab import DataError


@pytest.mark.parametrize("name", ["compute_flops", "FLOPs (6ND)", "pf_days"])
def test_isoflop_and_a_law_of_compute_name_the_column(name: str) -> None:
    runs = isoflop_runs(seed=0).drop(columns="tokens").rename(columns={"flops": name})
    with pytest.raises(DataError, match="isoFLOP needs each run's compute") as err:
        sl.isoflop(runs, bootstrap=0)
    assert err.value.hint.startswith(f"{name!r} looks like compute: read it as flops, --map ")
    assert f"(x={{'C': {name!r}}} in Python;" in err.value.hint
    with pytest.raises(DataError, match="law 'power-law' needs column 'flops'") as err:
        sl.fit("power-law:flops", runs, bootstrap=0)
    assert err.value.hint.startswith(f"{name!r} looks like compute")


def test_the_mapping_the_hint_gives_reads_the_runs(
    capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    runs = isoflop_runs(seed=0)
    path = tmp_path / "runs.csv"
    runs.drop(columns="tokens").rename(columns={"flops": "compute_flops"}).to_csv(path)
    code, _, err = cli(capsys, "isoflop", str(path), "--bootstrap", "0")
    assert code == 2 and "hint: 'compute_flops' looks like compute: read it as flops, --map " \
        "flops=compute_flops" in " ".join(err.split())  # fmt: skip
    mapped = sl.isoflop(str(path), x={"C": "compute_flops"}, bootstrap=0)
    assert mapped.a.value == pytest.approx(sl.isoflop(runs, bootstrap=0).a.value, rel=1e-9)
    code, _, _ = cli(capsys, "isoflop", str(path), "--bootstrap", "0", "--map",
                     "flops=compute_flops")  # fmt: skip
    assert code == 0


def test_runs_without_such_a_column_keep_the_general_hint() -> None:
    runs = isoflop_runs(seed=0).drop(columns=["tokens", "flops"])
    with pytest.raises(DataError, match="needs each run's compute") as err:
        sl.isoflop(runs, bootstrap=0)
    assert err.value.hint.startswith("add a flops or tokens column")
