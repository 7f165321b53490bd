"""A column named one slip off (``--y los``, ``--x loss_c4val``, hparams ``--lr lrr``) says
the column meant; hparams ``--lr LR`` finds ``lr`` as every named column is found (case
and spacing aside, :func:`scalinglab.data._column_names.find_column`), where it was refused;
``curves compare --schedules cosine,wsd,`` refuses the empty item as every comma list does,
where it dropped it unseen."""

from __future__ import annotations

from pathlib import Path

import pytest
from tests._cli import cli, refused
from tests._hparam_sweeps import SEQ_LEN, sweep

from scalinglab import ConfigError
from scalinglab.cli._curves_input import split_specs


def _runs(tmp_path: Path) -> Path:
    rows = [f"r{i},{1e7 * 2**i:g},{2e8 * 2**i:g},{3.5 - 0.2 * i:.3f}" for i in range(6)]
    path = tmp_path / "runs.csv"
    path.write_text("run,params,tokens,loss\n" + "\n".join(rows) + "\n", encoding="utf-8")
    return path


def test_a_loss_column_one_slip_off(capsys: pytest.CaptureFixture[str], tmp_path: Path) -> None:
    error, _ = refused(capsys, ["fit", str(_runs(tmp_path)), "--y", "los", "--bootstrap", "0"])
    assert error.endswith(
        "no column 'los' to read loss from; the columns are 'run', 'params', 'tokens', "
        "'loss'; did you mean 'loss'?"
    )


def test_hparams_lr_column(capsys: pytest.CaptureFixture[str], tmp_path: Path) -> None:
    path = tmp_path / "sweep.csv"
    sweep(1).to_csv(path, index=False)
    base = ["hparams", "fit", str(path), "--seq-len", str(SEQ_LEN), "--bootstrap", "0"]
    error, _ = refused(capsys, [*base, "--lr", "lrr"])
    assert "no column 'lrr' to read the learning rate from; did you mean 'lr'? (columns: " in (
        error
    )
    code, _, err = cli(capsys, *base, "--lr", "LR")
    assert code == 0, err


def test_schedules_with_an_empty_item() -> None:
    assert split_specs("cosine,wsd:decay=0.2,shape=sqrt") == [
        "cosine",
        "wsd:decay=0.2,shape=sqrt",
    ]
    with pytest.raises(ConfigError) as err:
        split_specs("cosine,wsd,")
    assert err.value.message == "--schedules 'cosine,wsd,' has an empty item"
    assert err.value.hint == "separate the values with single commas: --schedules cosine,wsd"
