"""``envelope`` reads what the public curve reader returns: ``read_lr_curves``' list of
curves, and a folder as ``read_lr_curves`` reads it (a run per file, its size from a folder
named like one), giving the exponent the same curves give as a table."""

from __future__ import annotations

import json
import math
from pathlib import Path

import numpy as np
import pandas as pd
import pytest

from scalinglab import ConfigError, DataError, envelope, read_lr_curves
from scalinglab.cli import main

HOFFMANN = {"E": 1.69, "A": 406.4, "B": 410.7, "alpha": 0.34, "beta": 0.28}
PER_STEP = 1e5  # tokens per step
SIZES = ("20M", "40M", "80M", "160M", "320M", "640M", "1280M", "2560M")


def _write_folder(root: Path) -> pd.DataFrame:
    """One CSV per run (``step, lr, loss``) below a folder named by its size; the same
    points as one table with ``run, params, tokens, loss``."""
    rows = []
    for size in SIZES:
        n = float(size[:-1]) * 1e6
        steps = np.unique(np.geomspace(n / 2, 200 * n, 60) / PER_STEP).round().astype(int)
        d = steps * PER_STEP
        loss = HOFFMANN["E"] + HOFFMANN["A"] * n ** -HOFFMANN["alpha"] + HOFFMANN["B"] * d ** -HOFFMANN["beta"]  # fmt: skip
        (root / size).mkdir(parents=True)
        pd.DataFrame({"step": steps, "lr": 3e-4, "loss": loss}).to_csv(
            root / size / "run.csv", index=False
        )
        rows += [
            {"run": f"{size}/run", "params": n, "tokens": t, "loss": v}
            for t, v in zip(d, loss, strict=True)
        ]
    return pd.DataFrame(rows)


def test_a_folder_and_read_lr_curves_give_the_table_s_exponent(tmp_path: Path) -> None:
    table = _write_folder(tmp_path / "curves")
    want = envelope(table, bootstrap=0)
    curves = read_lr_curves(tmp_path / "curves")
    got = envelope(curves, tokens_per_step=PER_STEP, bootstrap=0)
    assert got.a.value == pytest.approx(want.a.value, rel=1e-12)
    assert got.a.value == pytest.approx(0.28 / (0.34 + 0.28), abs=0.02)
    assert got.source == "8 curves (read_lr_curves) (8 runs)"  # one file each
    folder = envelope(tmp_path / "curves", tokens_per_step=PER_STEP, bootstrap=0)
    assert folder.a.value == pytest.approx(want.a.value, rel=1e-12)
    assert folder.source == f"{tmp_path / 'curves'} (8 runs)"
    assert sorted(set(folder.runs)) == sorted(f"{s}/run" for s in SIZES)


def test_curves_of_steps_without_tokens_per_step_say_what_to_pass(tmp_path: Path) -> None:
    _write_folder(tmp_path / "curves")
    with pytest.raises(ConfigError) as err:
        envelope(read_lr_curves(tmp_path / "curves"), bootstrap=0)
    assert err.value.message == (
        "curves from read_lr_curves count steps, not tokens (8 runs, e.g. '1280M/run'): the "
        "envelope puts each point at C = 6·N·D"
    )
    assert (
        err.value.hint
        == "pass tokens_per_step=N, the batch size × sequence length: tokens = step × N"
    )


def test_a_list_of_something_else_is_refused_by_name() -> None:
    with pytest.raises(ConfigError) as err:
        envelope([math.pi], tokens_per_step=PER_STEP, bootstrap=0)
    assert err.value.message.endswith("as read_lr_curves returns them, got a float in the list")
    with pytest.raises(ConfigError) as err:
        envelope([], bootstrap=0)
    assert err.value.message.endswith("got an empty list")


def _write_tokens_folder(root: Path) -> pd.DataFrame:
    """The folder of :func:`_write_folder` with a ``tokens`` column and no ``lr`` (the
    envelope needs none), its tokens not ``step × PER_STEP``; and the same as a table."""
    table = _write_folder(root)
    for size in SIZES:
        path = root / size / "run.csv"
        frame = pd.read_csv(path).drop(columns="lr")
        frame["tokens"] = frame["step"] * PER_STEP * 1.5  # what step × N would miss
        frame.to_csv(path, index=False)
    return table.assign(tokens=table["tokens"] * 1.5)


def test_a_folder_is_read_as_curves_its_tokens_column_used(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    table = _write_tokens_folder(tmp_path / "curves")
    want = envelope(table, bootstrap=0)
    for per_step in (None, PER_STEP):  # given or not, the tokens column is read
        got = envelope(tmp_path / "curves", tokens_per_step=per_step, bootstrap=0)
        assert got.a.value == pytest.approx(want.a.value, rel=1e-12)
        assert got.flops == pytest.approx(want.flops, rel=1e-12)  # tokens × 1.5, not step × N
        assert sorted(set(got.runs)) == sorted(f"{s}/run" for s in SIZES)
    assert "8 curve files read below" in got.notes[0]
    assert any(n.startswith("tokens per step not used: the curves' tokens") for n in got.notes)
    code = main(["envelope", str(tmp_path / "curves"), "--bootstrap", "0", "--json"])
    out = json.loads(capsys.readouterr().out)
    assert code == 0 and out["a"] == pytest.approx(want.a.value, rel=1e-12)


def test_a_folder_of_steps_asks_for_tokens_per_step_and_a_size(tmp_path: Path) -> None:
    _write_folder(tmp_path / "curves")
    with pytest.raises(DataError) as err:  # read_curves' own words: no lr is asked for
        envelope(tmp_path / "curves", bootstrap=0)
    assert (err.value.source, err.value.column) == (str(tmp_path / "curves/1280M/run.csv"), "step")
    assert err.value.message.endswith(
        ": the curves give steps but not tokens, and no tokens per step was given"
    )
    plain = tmp_path / "plain"
    plain.mkdir()
    pd.DataFrame({"tokens": [1e9, 2e9], "loss": [3.0, 2.9]}).to_csv(plain / "a.csv", index=False)
    (plain / "20M").mkdir()
    pd.DataFrame({"tokens": [1e9], "loss": [3.0]}).to_csv(plain / "20M" / "b.csv", index=False)
    with pytest.raises(DataError) as err:  # a's size is nowhere, b's is its folder's
        envelope(plain, bootstrap=0)
    assert err.value.message == (
        f"{plain / 'a.csv'}, row 2: run 'a' has no size: no params column, and no folder of "
        "its path is named by one (as 25M/cosine_24000)"
    )
    for name in ("a.csv", "20M/b.csv"):
        pd.DataFrame({"run": ["x"], "params": [2e7], "tokens": [1e9], "loss": [3.0]}).to_csv(
            plain / name, index=False
        )
    with pytest.raises(DataError) as err:
        envelope(plain, bootstrap=0)
    assert err.value.message == (
        f"{plain}: run 'x' is in two files, {plain / '20M/b.csv'} and {plain / 'a.csv'}"
    )
