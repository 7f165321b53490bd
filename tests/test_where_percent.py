"""``--where`` on a column written with ``%`` means one thing in every command that takes
it: a value written with ``%`` is compared as the fraction the run tables read the column
as (``45%`` and ``45.0%`` alike keep the runs of ``45%``), and a bare number (``0.45``, the
fraction, or ``45``, the percent value) is refused, saying to write it with ``%``. Before,
``fit`` did so (but refused a bare number as "a number column"), while ``hparams fit`` and
``curves fit`` compared the column as text: ``45.0%`` matched no run there."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import numpy as np
import pandas as pd
import pytest
from tests._cli import cli, refused

from scalinglab import read_lr_curves, read_runs
from scalinglab.hparams._sweep import read_sweep

_FRACS = ["10%", "45%"]


def _hint(path: Path, value: str) -> tuple[str, str]:
    return (
        f"error: 'data_frac' of {path} is written with % (10%, 45%): --where (where() in "
        f"Python) compares a value written so, as the fraction it is read as, not {value!r}",
        "hint: write it with %: --where data_frac=45% (where('data_frac', '45%') in Python); "
        "its values are 10%, 45%",
    )


def _runs(tmp_path: Path) -> Path:
    sizes = [1e7, 3e7, 1e8, 3e8, 1e9]
    path = tmp_path / "runs.csv"
    pd.DataFrame(
        [
            {"run": f"r{f[:-1]}-{k}", "params": n, "tokens": 20 * n,
             "loss": 2 + 30 * n**-0.3 + (k == 0) * float(f[:-1]) / 1e3, "data_frac": f}
            for f in _FRACS for k, n in enumerate(sizes)
        ]
    ).to_csv(path, index=False)  # fmt: skip
    return path


def _sweep(tmp_path: Path) -> Path:
    path = tmp_path / "sweep.csv"
    rows = []
    for f in _FRACS:
        for lr in [3e-4, 1e-3, 3e-3, 1e-2]:
            for bs in [128, 256, 512]:
                loss = 3 + 0.1 * np.log10(lr / 1e-3) ** 2 + 0.01 * np.log2(bs / 256) ** 2
                rows.append({"run": f"s{f[:-1]}-{lr}-{bs}", "params": 1e8, "tokens": 2e9,
                             "lr": lr, "bs": bs, "loss": loss, "data_frac": f})  # fmt: skip
    pd.DataFrame(rows).to_csv(path, index=False)
    return path


def _curves(tmp_path: Path) -> Path:
    path = tmp_path / "curves.csv"
    steps = np.arange(1, 41) * 100
    pd.concat(
        [
            pd.DataFrame({"run": f"{r}{f[:-1]}", "step": steps, "lr": np.linspace(1e-3, 1e-4, 40),
                          "loss": 3 + 5 * steps**-0.5, "data_frac": f})
            for f in _FRACS for r in "ab"
        ]
    ).to_csv(path, index=False)  # fmt: skip
    return path


@pytest.mark.parametrize("value", ["45%", "45.0%", " 45 %"])
def test_a_value_with_percent_is_compared_as_a_fraction_in_every_reader(
    tmp_path: Path, value: str
) -> None:
    runs = read_runs(_runs(tmp_path)).where("data_frac", value)
    assert runs.runs == tuple(f"r45-{k}" for k in range(5))
    np.testing.assert_array_equal(runs["data_frac"], [0.45] * 5)
    sweep = read_sweep(_sweep(tmp_path), where={"data_frac": value})
    assert len(sweep.table) == 12 and all(r.startswith("s45-") for r in sweep.table.runs)
    curves = read_lr_curves(_curves(tmp_path), where={"data_frac": value}, warmup=0)
    assert [c.run for c in curves] == ["a45", "b45"]


@pytest.mark.parametrize("value", ["0.45", "45"])
@pytest.mark.parametrize(
    ("command", "table"),
    [(("fit", "--law", "E+A*N**-alpha", "--x", "N=params", "--bootstrap", "0"), _runs),
     (("hparams fit",), _sweep), (("curves fit",), _curves)],
)  # fmt: skip
def test_a_bare_number_is_refused_alike_by_every_command(
    capsys: pytest.CaptureFixture[str],
    tmp_path: Path,
    command: tuple[str, ...],
    table: Callable[[Path], Path],
    value: str,
) -> None:
    path = table(tmp_path)
    args = [*command[0].split(), str(path), *command[1:], "--where", f"data_frac={value}"]
    assert refused(capsys, args) == _hint(path, value)


def test_fit_keeps_the_runs_of_45_percent_written_either_way(
    capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    path = _runs(tmp_path)
    for value in ("45%", "45.0%"):
        code, out, err = cli(
            capsys, "fit", str(path), "--law", "E+A*N**-alpha", "--x", "N=params",
            "--bootstrap", "0", "--where", f"data_frac={value}",
        )  # fmt: skip
        assert code == 0, err
        assert (
            f"data: {path} where data_frac = {value} (5 of its 10 runs selected, 10M-1B params)"
            in out
        )
