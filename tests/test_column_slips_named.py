"""A loss column, a schedule key or a runs object typed slightly wrong names what was
meant, as every other refusal of a name does (``did you mean 'smooth loss'?``), and a
message reads as written English (``an int``, not ``a int``)."""

from __future__ import annotations

from pathlib import Path

import pytest

import scalinglab as sl
from scalinglab import ConfigError, DataError


def _sweep(path: Path) -> Path:
    rows = ["N,D,lr,bs,loss,smooth loss"]
    for n in (1e8, 2e8):
        for lr in (1e-3, 2e-3, 4e-3):
            loss = 3.0 + (lr - 2e-3) ** 2 * 1e4
            rows.append(f"{n:g},{20 * n:g},{lr:g},128,{loss:g},{loss:g}")
    path.write_text("\n".join(rows) + "\n")
    return path


def test_a_sweep_loss_column_misspelt_names_the_one_meant(tmp_path: Path) -> None:
    with pytest.raises(DataError) as err:
        sl.fit_hparams(_sweep(tmp_path / "sweep.csv"), y="smooth los", bootstrap=0)
    assert err.value.message.endswith("; did you mean 'smooth loss'?")


def test_an_evals_loss_column_misspelt_names_the_one_meant(tmp_path: Path) -> None:
    path = tmp_path / "evals.csv"
    path.write_text("name,params,tokens,loss_c4_val,acc_piqa\na,1e8,2e9,3.5,0.6\n")
    with pytest.raises(DataError) as err:
        sl.read_evals(path, loss="loss_c4_vall")
    assert err.value.message.endswith(
        "the loss columns are loss_c4_val; did you mean 'loss_c4_val'?"
    )


def test_a_schedule_key_misspelt_names_the_one_meant() -> None:
    with pytest.raises(ConfigError) as err:
        sl.parse_schedule("wsd:decay=0.2,stpes=24000")
    assert err.value.message == (
        "schedule 'wsd:decay=0.2,stpes=24000': cannot read 'stpes=24000'; did you mean 'steps'?"
    )


def test_runs_of_a_type_it_cannot_read_take_their_article() -> None:
    with pytest.raises(ConfigError) as err:
        sl.read_runs(3)  # type: ignore[arg-type]
    assert err.value.message.startswith("cannot read runs from an int;")
