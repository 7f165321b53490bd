"""The batch's unit read off ``tokens = batch x steps x seq_len`` where most runs keep it: a
typo in one run's batch names that run in a warning, and the reason given when no sequence
length is implied is the true one."""

from __future__ import annotations

from pathlib import Path

import pandas as pd
import pytest
from tests._cli import cli
from tests._hparam_sweeps import SEQ_LEN, sweep

from scalinglab.hparams import read_sweep


def _with_steps() -> pd.DataFrame:
    frame = sweep(0)
    frame["steps"] = frame["tokens"] / (frame["bs"] * SEQ_LEN)
    return frame


def test_one_wrong_batch_is_named_and_the_others_give_the_unit() -> None:
    frame = _with_steps()
    frame.loc[3, "bs"] = 1000.0  # a typo in one run's batch
    s = read_sweep(frame)
    assert s.batch_unit == "tokens" and s.seq_len == SEQ_LEN
    n = len(frame)
    assert s.notes[0] == (
        f"batch in tokens: sequences of {SEQ_LEN} tokens, implied by tokens = batch x steps x "
        f"seq_len (to 1%) on {n - 1} of {n} runs (columns 'bs', 'steps'); --seq-len states it"
    )
    ratio = frame.loc[3, "tokens"] / (1000.0 * frame.loc[3, "steps"])
    assert len(s.notes) == 1 and s.warnings == (
        f"row df.iloc[3] breaks tokens = batch x steps x {SEQ_LEN}, which the other {n - 1} "
        f"runs keep (columns 'bs', 'steps', 'tokens'): tokens / (batch x steps) is "
        f"{ratio:.4g} there, not {SEQ_LEN}; a typo in one of those columns? the run is kept, "
        "its batch read as written",
    )
    assert s.batch is not None and s.batch[3] == 1000.0 * SEQ_LEN  # kept as written


def test_several_wrong_batches_are_counted_and_named() -> None:
    frame = _with_steps()
    frame.loc[[3, 7, 11], "bs"] = 1000.0
    (warning,) = read_sweep(frame).warnings
    assert warning.startswith(
        f"3 runs break tokens = batch x steps x {SEQ_LEN}, which the other "
        f"{len(frame) - 3} runs keep (columns 'bs', 'steps', 'tokens'): rows df.iloc[3] ("
    )
    assert ", df.iloc[7] (" in warning and ", df.iloc[11] (" in warning  # as pandas finds them


def test_no_one_sequence_length_says_so_and_not_that_there_is_no_steps_column() -> None:
    frame = _with_steps()
    frame.loc[frame["params"] >= 4e8, "steps"] /= 2  # half the runs at 4096-token sequences
    s = read_sweep(frame)
    assert s.batch_unit == "sequences" and s.seq_len is None
    assert SEQ_LEN == 2048  # the note's 2.05e3 to 4.1e3, written as the tables write them
    assert s.notes[0] == (
        "batch in sequences of unknown length: column 'bs' read as sequences (by its name; "
        "the 'steps' column implies no one sequence length: tokens / (batch x steps) is "
        "2.05e3 to 4.1e3 over the runs), so B* is in sequences; "
        "--seq-len gives it in tokens, --batch-unit tokens if the column counts tokens"
    )
    no_steps = read_sweep(frame.drop(columns="steps"))
    assert "(by its name; no steps column to check it against)" in no_steps.notes[0]


def test_hparams_fit_warns_of_the_run_and_fits_in_tokens(
    capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    frame = _with_steps()
    frame.loc[3, "bs"] = 1000.0
    frame.to_csv(tmp_path / "s.csv", index=False)
    code, out, err = cli(capsys, "hparams", "fit", str(tmp_path / "s.csv"), "--bootstrap", "0")
    assert code == 0, err
    assert "B* (tokens)" in out and "sequences of unknown length" not in out
    assert f"warning: row 5 breaks tokens = batch x steps x {SEQ_LEN}" in " ".join(out.split())
