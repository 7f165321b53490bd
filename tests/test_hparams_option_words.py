"""An hparams option that the runs contradict, or that holds a value it cannot take, is named
as it was given: by its flag on the command line (``--seq-len 4096 contradicts the runs``,
``give --seq-len 2048``) and by its keyword in Python (``seq_len 4096 ...``, ``give
seq_len=2048``). Before, the command line named the keyword (``seq_len 4096``,
``batch_unit 'tokens'``), and a bad ``--batch-unit`` both (``batch_unit (--batch-unit)``)."""

from __future__ import annotations

from pathlib import Path

import pytest
from tests._cli import refused
from tests._hparam_sweeps import SEQ_LEN, sweep

from scalinglab._errors import ConfigError
from scalinglab.hparams import backtest_hparams, fit_hparams, read_sweep

#: What tokens = batch x steps x seq_len says of the sweep written by :func:`_stepped`.
_SAID = f"tokens = batch x steps x {SEQ_LEN} (to 1%) on every run (columns 'bs', 'steps')"
#: Each refusal: the option's value given, the message after it, and its hint, where the
#: option is named by ``{drop}`` (``seq_len=``, ``--seq-len``) and ``{give}`` (``seq_len=2048``,
#: ``--seq-len 2048``).
_REFUSED = {
    "seq_len": (
        "4096",
        f"contradicts the runs: {_SAID}",
        "drop {drop}, or give {give}; B* would be off by 2x",
    ),
    "batch_unit": (
        "tokens",
        f"contradicts the runs: {_SAID}",
        "drop {drop}: the runs say which unit the batch is in",
    ),
}


def _stepped(tmp_path: Path) -> Path:
    """A sweep whose steps column says its batch counts sequences of :data:`SEQ_LEN`."""
    frame = sweep(1)
    frame["steps"] = frame["tokens"] / (frame["bs"] * SEQ_LEN)
    path = tmp_path / "steps.csv"
    frame.to_csv(path, index=False)
    return path


@pytest.mark.parametrize("option", list(_REFUSED))
def test_python_names_the_keyword(tmp_path: Path, option: str) -> None:
    path = _stepped(tmp_path)
    value = _REFUSED[option][0]
    given = {option: int(value) if option == "seq_len" else value}
    said = repr(value) if option == "batch_unit" else value
    message = f"{option} {said} {_REFUSED[option][1]}"
    hint = _REFUSED[option][2].format(drop=f"{option}=", give=f"{option}={SEQ_LEN}")
    for call in (
        lambda: fit_hparams(path, bootstrap=0, **given),
        lambda: backtest_hparams(path, **given),
        lambda: read_sweep(path, **given),
    ):
        with pytest.raises(ConfigError) as err:
            call()
        assert (err.value.message, err.value.hint) == (message, hint)
        assert "--" not in message + hint


@pytest.mark.parametrize("option", list(_REFUSED))
@pytest.mark.parametrize(
    "command",
    [["hparams", "fit"], ["hparams", "backtest"], ["report", "--hparams"]],
    ids=lambda c: " ".join(c),
)
def test_the_command_line_names_the_flag(
    capsys: pytest.CaptureFixture[str], tmp_path: Path, option: str, command: list[str]
) -> None:
    path = _stepped(tmp_path)
    value, message, hint = _REFUSED[option]
    flag = "--" + option.replace("_", "-")
    said = repr(value) if option == "batch_unit" else value
    args = [*command, str(path), flag, value]
    if command[0] == "report":
        args += ["--out", str(tmp_path / "page.html")]
    error, told = refused(capsys, args)
    assert error == f"error: {flag} {said} {message}"
    assert told == "hint: " + hint.format(drop=flag, give=f"{flag} {SEQ_LEN}")
    assert f"{option} " not in error and f"{option}=" not in told


def test_a_batch_unit_of_no_known_unit_is_named_as_given(
    capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    path = _stepped(tmp_path)
    with pytest.raises(ConfigError) as err:
        fit_hparams(path, batch_unit="token", bootstrap=0)
    said = "must be 'sequences' or 'tokens', got 'token'; did you mean 'tokens'?"
    unit = "tokens: the batch column counts tokens per step; sequences: sequences per step, times"
    assert (err.value.message, err.value.hint) == (f"batch_unit {said}", f"{unit} seq_len=")
    error, hint = refused(capsys, ["hparams", "fit", str(path), "--batch-unit", "token"])
    assert (error, hint) == (f"error: --batch-unit {said}", f"hint: {unit} --seq-len")


@pytest.mark.parametrize("seq_len", [0, -5])
def test_a_sequence_length_that_is_no_positive_integer_names_the_keyword(
    tmp_path: Path, seq_len: int
) -> None:
    """The command line refuses it as it parses ``--seq-len``; Python here."""
    with pytest.raises(ConfigError) as err:
        fit_hparams(_stepped(tmp_path), seq_len=seq_len, bootstrap=0)
    assert err.value.message == f"seq_len must be a positive integer, got {seq_len}"
    assert err.value.hint == "the tokens per sequence, e.g. seq_len=2048"
