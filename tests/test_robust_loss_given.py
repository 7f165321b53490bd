"""The robust loss given twice, or the old ``loss=`` / ``--loss`` meant as the loss column.

``robust_loss="huber"`` given explicitly is given: beside ``loss=``, its old name, it is
refused as both given, never overridden (the default is ``None``, meaning huber). A ``loss=``
that names no robust loss was meant as the column of measured losses: one error says so,
with no deprecation warning first pointing to a value that then fails.
"""

from __future__ import annotations

import json
import warnings
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from tests._cli import cli
from tests.test_curves import _synthetic
from tests.test_robust_loss_name import FRAME, LAW, N, _fit

import scalinglab
from scalinglab import ConfigError
from scalinglab.curves import Tissue, choose_ridge, fit_curves
from scalinglab.hparams import fit_law

SPEC = "cosine:peak=3e-4,end=3e-5,warmup=200,steps=3000"


def _curves() -> Any:
    truth = {"L0": 2.8, "A": 0.6, "alpha": 0.45, "C": 0.8}
    return _synthetic(Tissue(), truth, (SPEC,), noise=0.0, seed=1, every=100)


def _lr_law(**options: Any) -> Any:
    cols = {"params": N, "tokens": 20 * N}
    return fit_law("A * N**alpha", "lr", cols, 0.01 * (N / 1e7) ** -0.3, None, **options)


CALLS: dict[str, Callable[..., Any]] = {
    "scalinglab.fit": _fit,
    "scalinglab.backtest": lambda **o: scalinglab.backtest(
        FRAME, law=LAW, holdout="largest:1", bootstrap=0, **o
    ),
    "scalinglab.compare": lambda **o: scalinglab.compare(
        FRAME, laws=[LAW], holdout="largest:1", bootstrap=0, **o
    ),
    "scalinglab.hparams.fit_law": _lr_law,
    "scalinglab.fit_curves": lambda **o: fit_curves(_curves(), law="tissue", bootstrap=0, **o),
    "scalinglab.curves.choose_ridge": lambda **o: choose_ridge(
        _curves(), law="tissue", grid=(0.0,), cuts=(0.5,), **o
    ),
}


@pytest.mark.parametrize("call", CALLS)
def test_explicit_huber_beside_the_old_keyword_is_refused(call: str) -> None:
    with pytest.raises(ConfigError, match=r"got both robust_loss='huber' and loss='squared'"):
        CALLS[call](robust_loss="huber", loss="squared")  # was: fitted with squared


def test_the_default_is_still_huber() -> None:
    assert _fit().robust_loss == "huber"
    assert _fit(robust_loss=None).robust_loss == "huber"


@pytest.mark.parametrize("call", CALLS)
def test_old_keyword_naming_no_robust_loss_is_one_error_without_a_warning(call: str) -> None:
    with warnings.catch_warnings():
        warnings.simplefilter("error")  # a DeprecationWarning first would raise here
        with pytest.raises(ConfigError) as err:
            CALLS[call](loss="val_loss")
    assert err.value.message == (
        f"{call}(loss='val_loss'): loss= here is the old name of robust_loss=, the robust "
        "loss of the fit (huber, soft_l1, squared), and 'val_loss' is none of them"
    )
    column = {
        "scalinglab.hparams.fit_law": "",
        "scalinglab.curves.choose_ridge": "",
        "scalinglab.fit_curves": "read_lr_curves(..., columns={'loss': 'val_loss'}); ",
    }.get(call, "y='val_loss'; ")
    where = f"the column of measured losses is {column}" if column else ""
    assert err.value.hint == f"{where}the robust loss is robust_loss=NAME (default huber)"


def test_an_alias_of_a_robust_loss_is_still_read_under_the_old_keyword() -> None:
    with pytest.warns(DeprecationWarning, match=r"scalinglab\.fit\(loss=\)"):
        assert _fit(loss="l2").robust_loss == "squared"


@pytest.mark.parametrize("command", ["fit", "backtest", "report"])
def test_cli_explicit_huber_beside_old_flag_is_refused(
    capsys: pytest.CaptureFixture[str], tmp_path: Path, command: str
) -> None:
    path = tmp_path / "runs.csv"
    FRAME.to_csv(path, index=False)
    args = [command, str(path), "--law", LAW, "--bootstrap", "0"]
    args += ["--out", str(tmp_path / "r.html")] if command == "report" else ["--json"]
    code, out, err = cli(capsys, *args, "--loss", "soft_l1", "--robust-loss", "huber")
    assert code == 2 and out == "" and "warning" not in err  # was: a warning, then soft_l1
    assert err.splitlines() == [
        "error: --robust-loss huber and --loss soft_l1 both given: --loss is the old spelling "
        "of --robust-loss",
        "hint: give one: --robust-loss huber",
    ]
    assert not (tmp_path / "r.html").exists()


def test_cli_fit_without_either_flag_fits_huber(
    capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    path = tmp_path / "runs.csv"
    FRAME.to_csv(path, index=False)
    code, out, err = cli(capsys, "fit", str(path), "--law", LAW, "--bootstrap", "0", "--json")
    assert code == 0, err
    assert json.loads(out)["robust_loss"] == "huber"


@pytest.mark.parametrize("command", ["fit", "backtest", "report"])
def test_cli_old_flag_meant_as_the_loss_column_is_one_error(
    capsys: pytest.CaptureFixture[str], tmp_path: Path, command: str
) -> None:
    path = tmp_path / "runs.csv"
    FRAME.rename(columns={"loss": "loss_c4_val"}).to_csv(path, index=False)
    args = [command, str(path), "--law", LAW, "--loss", "loss_c4_val"]
    code, _, err = cli(capsys, *args, "--out", str(tmp_path / "r.html"))
    assert code == 2 and "warning" not in err  # was: "use --robust-loss loss_c4_val", then
    assert err.splitlines() == [  # "unknown robust loss"
        "error: --loss loss_c4_val: on this command --loss was the old spelling of "
        "--robust-loss, the robust loss of the fit (huber, soft_l1, squared), and "
        "'loss_c4_val' is none of them",
        "hint: the column of measured losses is --y loss=loss_c4_val; the robust loss is "
        "--robust-loss NAME (default huber)",
    ]


@pytest.mark.parametrize(
    ("page", "column"), [("--hparams", "--y COLUMN"), ("--curves", "--map loss=COLUMN")]
)
@pytest.mark.parametrize("option", ["--loss", "--robust-loss"])
def test_report_pages_without_a_robust_loss_say_so_once(
    capsys: pytest.CaptureFixture[str], tmp_path: Path, page: str, column: str, option: str
) -> None:
    path = tmp_path / "sweep.csv"
    path.write_text("params,tokens,lr,batch_size,loss\n", encoding="utf-8")
    out = tmp_path / "r.html"
    # huber too: an explicit --robust-loss huber is given, and this page reads none
    code, _, err = cli(capsys, "report", str(path), page, option, "huber", "--out", str(out))
    assert code == 2 and "warning" not in err and not out.exists()
    lines = err.splitlines()
    old = " (--loss: the old spelling of --robust-loss)" if option == "--loss" else ""
    name = "the --hparams page" if page == "--hparams" else "the --curves page"
    assert lines[0] == (
        f"error: {option} is the robust loss of the loss-law report's fit{old}; {name} takes "
        "no robust loss"
    )
    assert lines[1].startswith(f"hint: drop {option}: the page fits") and column in lines[1]
