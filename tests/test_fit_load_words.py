"""What a fit's ``load`` says of a file that is not JSON: in Python, the file and the method
it was given to (``FitResult.load``) with what writes such a file (``FitResult.save`` or the
command); on the command line, the option (``--fit``). Before: the Python message said
"`--fit` reads ..." in a session that has no ``--fit``, as the validation results never did
(``Backtest.load reads ...``, tests/test_saved_load_words.py)."""

from __future__ import annotations

import functools
import re
import shlex
from pathlib import Path

import pandas as pd
import pytest
from tests._cli import refused
from tests._stores import store_of
from tests.conftest import chinchilla_runs

import scalinglab as sl

#: Each fit class, what its load reads, the command that writes one, and a command
#: that reads one with --fit (the file goes last).
_FITS = {
    sl.FitResult: ("a fit", "scalinglab fit ... --out fit.json",
                   ["predict", "--params", "7B", "--tokens", "1T", "--fit"]),
    sl.CurveFit: ("a fit", "scalinglab curves fit CURVES --out curve.json",
                  ["curves", "predict", "--schedule", "cosine:steps=1000", "--fit"]),
    sl.HparamFit: ("a fit", "scalinglab hparams fit SWEEP --out hp.json",
                   ["hparams", "predict", "--params", "1B", "--tokens", "20B", "--fit"]),
    sl.DownstreamFit: ("a chain",
                       "scalinglab downstream fit ... --out ds.json",
                       ["downstream", "predict", "--params", "1B", "--tokens", "20B", "--fit"]),
    sl.LossToLossFit: ("a fit", "scalinglab loss2loss fit ... --out l2l.json",
                       ["loss2loss", "predict", "--loss", "3", "--fit"]),
}  # fmt: skip


def _not_json(tmp_path: Path) -> Path:
    path = tmp_path / "bad.json"
    path.write_text('{"format": "scalinglab.fit/1", oops}\n', encoding="utf-8")
    return path


@pytest.mark.parametrize("cls", list(_FITS), ids=lambda c: c.__name__)
def test_python_names_the_file_and_the_method(tmp_path: Path, cls: type) -> None:
    reads, command, _ = _FITS[cls]
    path = _not_json(tmp_path)
    with pytest.raises(sl.DataError) as err:
        cls.load(path)  # type: ignore[attr-defined]
    assert err.value.message.startswith(f"{path}: fit file is not valid JSON (Expecting ")
    name = cls.__name__
    assert err.value.hint == f"`{name}.load` reads {reads} written by `{name}.save` or `{command}`"
    assert "--fit" not in str(err.value)


@pytest.mark.parametrize("cls", list(_FITS), ids=lambda c: c.__name__)
def test_the_command_line_names_the_option(
    capsys: pytest.CaptureFixture[str], tmp_path: Path, cls: type
) -> None:
    reads, command, args = _FITS[cls]
    path = _not_json(tmp_path)
    error, hint = refused(capsys, [*args, str(path)])
    assert error.startswith(f"error: {path}: fit file is not valid JSON (Expecting ")
    assert hint == f"hint: `--fit` reads {reads} written by `{command}`"


#: Each fit class -> how Python fits a run table and a run store given instead (``{}``: the
#: file as a Python string); ``None``: it reads no store.
_CALLS = {
    sl.FitResult: ("scalinglab.fit(law, {})",
                   "scalinglab.fit(law, scalinglab.RunStore({}).to_run_table())"),
    sl.CurveFit: ("scalinglab.fit(law, {})",  # a run table, no step column: not curves
                  "scalinglab.fit_curves(scalinglab.curves.read_store_curves({}))"),
    sl.HparamFit: ("scalinglab.fit_hparams({})", None),
    sl.DownstreamFit: ("scalinglab.fit_downstream(scalinglab.read_evals({}))",
                       "scalinglab.fit_downstream(scalinglab.downstream.read_store_evals({}))"),
    sl.LossToLossFit: ("scalinglab.fit_loss_to_loss({}, x=..., y=...)", None),
}  # fmt: skip


def _runs() -> pd.DataFrame:
    """A few runs of the Chinchilla law, quick to fit."""
    return chinchilla_runs(outliers=0).iloc[::4]


def _refusal(cls: type, path: Path) -> sl.DataError:
    with pytest.raises(sl.DataError) as err:
        cls.load(path)  # type: ignore[attr-defined]
    return err.value


@pytest.mark.parametrize("cls", list(_FITS), ids=lambda c: c.__name__)
def test_python_says_how_to_write_a_missing_fit(tmp_path: Path, cls: type) -> None:
    """Before: the command alone (``write one with `scalinglab fit ... --out fit.json```)."""
    name, command = cls.__name__, _FITS[cls][1]
    error = _refusal(cls, tmp_path / "gone.json")
    assert error.message == f"{tmp_path / 'gone.json'}: fit file not found"
    assert error.hint == f"write one with `{name}.save(path)` in Python or `{command}`"


@pytest.mark.parametrize("cls", list(_FITS), ids=lambda c: c.__name__)
def test_python_says_the_call_that_fits_runs_given_instead(tmp_path: Path, cls: type) -> None:
    """A run table and a run store given to ``load``: the Python call that fits them, the
    file a Python string (a space in its name kept); before: the command
    (``scalinglab fit 'my runs/runs.csv' --out fit.json``)."""
    (tmp_path / "my runs").mkdir()
    table, store = tmp_path / "my runs" / "runs.csv", tmp_path / "my runs" / "runs.duckdb"
    _runs().to_csv(table, index=False)
    store_of(_runs(), store)
    runs, stored = _CALLS[cls]
    name, reads, command = cls.__name__, *_FITS[cls][:2]
    said = f"`{name}.load` reads {reads} written by `{name}.save` or `{command}`"
    hint = _refusal(cls, table).hint
    assert hint is not None and hint.startswith(said)
    assert hint.endswith(f"; to fit these runs: `{runs.format(repr(str(table)))}`")
    assert "--out" not in hint.removeprefix(said)
    end = "" if stored is None else f"; to fit its runs: `{stored.format(repr(str(store)))}`"
    assert _refusal(cls, store).hint == said + end


def test_python_says_the_call_that_fits_loss_curves(tmp_path: Path) -> None:
    path = tmp_path / "curves.csv"
    frame = pd.DataFrame({"run": ["a"] * 3, "step": [1, 2, 3], "lr": [1e-3] * 3,
                          "loss": [3.0, 2.9, 2.8]})  # fmt: skip
    frame.to_csv(path, index=False)
    hint = _refusal(sl.CurveFit, path).hint
    assert hint is not None
    assert hint.endswith(f"; to fit its loss curves: `scalinglab.fit_curves({str(path)!r})`")


def test_the_python_calls_named_exist_and_fit_the_runs(tmp_path: Path) -> None:
    """Every call a hint names is scalinglab's; a law fit's, run as written (``law`` bound),
    fits the table and the store given."""
    for runs, stored in _CALLS.values():
        for call in filter(None, (runs, stored)):
            for name in re.findall(r"scalinglab((?:\.\w+)+)\(", call):
                assert callable(functools.reduce(getattr, name.split(".")[1:], sl)), name
    table, store = tmp_path / "runs.csv", tmp_path / "runs.duckdb"
    _runs().to_csv(table, index=False)
    store_of(_runs(), store)
    fits = []
    for path in (table, store):
        hint = _refusal(sl.FitResult, path).hint
        assert hint is not None
        call = hint.rpartition(": `")[2].removesuffix("`")
        fits.append(eval(call, {"scalinglab": sl, "law": "power-law-plus-constant"}))
    assert [f.status for f in fits] == ["converged"] * 2
    assert fits[0].coefs == pytest.approx(fits[1].coefs, rel=1e-6)


#: Each fit class -> the end of the command line's hint for a run table given as ``--fit``
#: (``{}``: the file), as the commands said before and say still.
_COMMANDS = {
    sl.FitResult: "; to fit these runs: `scalinglab fit {} --out fit.json`",
    sl.CurveFit: "; it is a run table (no step column), not loss curves (one row per logged "
    "step: run, step, loss), which `curves fit` reads; to fit these runs: `scalinglab fit {}`",
    sl.HparamFit: "; to fit these runs: `scalinglab hparams fit {} --out hp.json`",
    sl.DownstreamFit: "; to fit these runs: `scalinglab downstream fit {} --out ds.json`",
    sl.LossToLossFit: "; to fit these runs: `scalinglab loss2loss fit {} --x LOSS --y LOSS "
    "--out l2l.json`",
}


@pytest.mark.parametrize("cls", list(_FITS), ids=lambda c: c.__name__)
def test_the_command_line_names_its_commands(
    capsys: pytest.CaptureFixture[str], tmp_path: Path, cls: type
) -> None:
    reads, command, args = _FITS[cls]
    table = tmp_path / "my runs.csv"
    _runs().to_csv(table, index=False)
    _, hint = refused(capsys, [*args, str(table)])
    end = _COMMANDS[cls].format(shlex.quote(str(table)))
    assert hint == f"hint: `--fit` reads {reads} written by `{command}`{end}"
    _, hint = refused(capsys, [*args, str(tmp_path / "gone.json")])
    assert hint == f"hint: write one with `{command}`"
