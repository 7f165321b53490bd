"""What a fit's ``load`` says of a file that is not JSON: in Python, the file and the method
it was given to (``FitResult.load``) with what writes such a file (``FitResult.save`` or the
command); on the command line, the option (``--fit``). Before: the Python message said
"`--fit` reads ..." in a session that has no ``--fit``, as the validation results never did
(``Backtest.load reads ...``, tests/test_saved_load_words.py)."""

from __future__ import annotations

from pathlib import Path

import pytest
from tests._cli import refused

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
