"""On curves ``--where`` chooses runs, whole curves: a comparison on what is logged at each
point (``step<1000``, ``loss<3``, ``lr>1e-4``, a column that changes within a run) is
refused, where it quietly cut points out of every curve; one on a run's number
(``params<1.5e8``) keeps whole curves. ``Curves.where`` (``envelope --where``) compares
``params`` too (was: "no text column 'params<'")."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pandas as pd
import pytest
from tests._cli import cli
from tests.test_where_curves import _rows

from scalinglab import ConfigError
from scalinglab.data import read_curves

_HINT = (
    "hint: compare a number of one value per run ('params>=2e7'), or choose runs by a text "
    "column (--where dataset=c4); to fit part of each curve, keep those rows of the file alone"
)


@pytest.fixture(scope="module")
def curves_file(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """Four curves, two of 1e8 parameters and two of 2e8, with a wall clock per point."""
    path = tmp_path_factory.mktemp("points") / "curves.csv"
    rows = []
    for i, row in enumerate(_rows("a", 6)):
        run, corpus, rest = row.split(",", 2)
        rows.append(f"{run},{corpus},{'1e8' if run in ('a0', 'a1') else '2e8'},{i},{rest}")
    path.write_text("run,dataset,params,wall,step,lr,loss\n" + "\n".join(rows) + "\n")
    return path


@pytest.mark.parametrize("clause", ["step<1000", "loss<3", "lr>1e-4", "wall<40"])
def test_a_comparison_on_a_column_logged_per_point_is_refused(
    capsys: pytest.CaptureFixture[str], curves_file: Path, clause: str
) -> None:
    column = clause.split("<")[0].split(">")[0]
    for command in (["curves", "fit"], ["curves", "backtest", "--train", "a0,a1"]):
        code, out, err = cli(capsys, *command, str(curves_file), "--where", clause,
                             "--law", "tissue", "--bootstrap", "0")  # fmt: skip
        assert (code, out) == (2, "") and err.splitlines() == [
            f"error: --where {clause!r}: {column!r} is logged at each point of the curves of "
            f"{curves_file}, and --where chooses runs (whole curves): it would cut points "
            "out of them",
            _HINT,
        ]


def test_a_mapped_loss_is_refused_by_either_name(
    capsys: pytest.CaptureFixture[str], curves_file: Path, tmp_path: Path
) -> None:
    renamed = tmp_path / "eval.csv"
    renamed.write_text(curves_file.read_text().replace(",loss\n", ",eval_loss\n", 1))
    for clause in ("eval_loss<3", "loss<3"):
        code, _, err = cli(capsys, "curves", "fit", str(renamed), "--map", "loss=eval_loss",
                           "--where", clause, "--law", "tissue", "--bootstrap", "0")  # fmt: skip
        assert code == 2 and "is logged at each point of the curves" in err


def test_a_comparison_on_a_runs_number_keeps_whole_curves(
    capsys: pytest.CaptureFixture[str], curves_file: Path
) -> None:
    code, _, err = cli(capsys, "curves", "fit", str(curves_file), "--where", "params<1.5e8",
                       "--law", "tissue", "--bootstrap", "0")  # fmt: skip
    assert code == 0 and "(2 of its 4 curves selected)" in err + _, err


@pytest.mark.parametrize(("column", "mapped"), [("model_size", ()), ("N", ("--map", "params=N"))])
def test_a_sizes_column_of_another_name_compares_as_params(
    capsys: pytest.CaptureFixture[str],
    curves_file: Path,
    tmp_path: Path,
    column: str,
    mapped: tuple[str, ...],
) -> None:
    """The sizes read as ``params`` (an alias, or ``--map``) compare by that name, as
    ``fit --where`` and ``hparams --where`` do and as the refusal's hint says
    (was: "no number column 'params'"), and by their own."""
    renamed = tmp_path / "sized.csv"
    renamed.write_text(curves_file.read_text().replace(",params,", f",{column},", 1))
    for clause in ("params<1.5e8", f"{column}<1.5e8"):
        code, out, err = cli(capsys, "curves", "fit", str(renamed), *mapped, "--where", clause,
                             "--law", "tissue", "--bootstrap", "0")  # fmt: skip
        assert code == 0 and "(2 of its 4 curves selected)" in err + out, err
    code, _, err = cli(capsys, "curves", "fit", str(renamed), *mapped, "--where", "params=1e8",
                       "--law", "tissue", "--bootstrap", "0")  # fmt: skip
    assert code == 2 and "'params' is a number column of" in err, err


def _curves() -> pd.DataFrame:
    rows = [
        {"run": run, "params": n, "tokens": t, "loss": 3.0 + 1e3 / np.sqrt(n * t),
         "dataset": "y" if run == "c" else "x"}
        for run, n in (("a", 1e8), ("b", 2e8), ("c", 4e8))
        for t in (1e9, 2e9, 4e9)
    ]  # fmt: skip
    return pd.DataFrame(rows)


def test_curves_where_compares_params_and_refuses_a_points_number() -> None:
    curves = read_curves(_curves())
    assert curves.where("params>=2e8").run_ids == ("b", "c")
    assert curves.where("params>=", "2e8").where("dataset", "x").run_ids == ("b",)
    assert len(curves.where("params>=2e8").loss) == 6  # every point of the runs kept
    for clause in ("tokens<2e9", "loss<3.5"):
        with pytest.raises(ConfigError, match="is logged at each point of the curves of"):
            curves.where(clause)
    with pytest.raises(ConfigError, match="'dataset' is a text column"):
        curves.where("dataset>1")
    with pytest.raises(ConfigError, match="no run has params > 1e12"):
        curves.where("params>1e12")


def test_envelope_where_compares_params(capsys: pytest.CaptureFixture[str], tmp_path: Path) -> None:
    path = tmp_path / "curves.csv"
    _curves().to_csv(path, index=False)
    code, _, err = cli(capsys, "envelope", str(path), "--where", "loss<3.5")
    assert code == 2 and "'loss' is logged at each point" in err
    code, _, err = cli(capsys, "envelope", str(path), "--where", "dataset==x")
    assert code == 2 and err.splitlines() == [
        "error: --where 'dataset==x' (where= in Python): == compares numbers, and 'x' is not "
        "a number",
        "hint: for a text column, write one =: --where dataset=x (where='dataset=x' in Python)",
    ]
