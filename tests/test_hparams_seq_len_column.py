"""A sweep's own sequence-length column (``seq_len``, ``context_length``...) converts its
batch in sequences into tokens, as ``--seq-len`` does: ``hparams fit`` ignored it and said
only "batch in sequences of unknown length". Several lengths are refused where the batch
needs one; ``--seq-len`` wins over the column, and says so."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pandas as pd
import pytest
from tests._cli import cli
from tests._hparam_sweeps import SEQ_LEN, sweep

from scalinglab._errors import ConfigError, DataError
from scalinglab.hparams import read_sweep

SIZES = (1e8, 2e8, 4e8)


def _frame(column: str = "seq_len", lengths: tuple[int, ...] = (SEQ_LEN,)) -> pd.DataFrame:
    """A sweep with batch in sequences and a sequence-length column: ``lengths`` by size."""
    frame = sweep(0)
    frame = frame[frame["params"].isin(SIZES)].reset_index(drop=True)
    by_size = dict(zip(SIZES, lengths * len(SIZES), strict=False))
    frame[column] = frame["params"].map(by_size)
    return frame


@pytest.mark.parametrize(
    "column",
    ["seq_len", "sequence_length", "seq_length", "context_length", "ctx_len", "block_size"],
)
def test_a_column_of_one_length_converts_the_batch_into_tokens(column: str) -> None:
    frame = _frame(column)
    read = read_sweep(frame)
    assert read.seq_len == SEQ_LEN and read.batch_unit == "tokens"
    assert np.allclose(read.batch, frame["bs"] * SEQ_LEN)
    assert any(f"of {SEQ_LEN} tokens (column {column!r})" in n for n in read.notes)
    assert not any("unknown length" in n for n in read.notes)
    given = read_sweep(frame.drop(columns=column), seq_len=SEQ_LEN)  # as --seq-len reads it
    assert np.array_equal(read.batch, given.batch)


def test_a_column_of_another_name_is_read_as_mapped() -> None:
    frame = _frame("tokens_per_seq")
    assert read_sweep(frame).seq_len is None  # not a name it goes by
    sweep = read_sweep(frame, columns={"seq_len": "tokens_per_seq"})
    assert sweep.seq_len == SEQ_LEN
    assert any(f"of {SEQ_LEN} tokens (column 'tokens_per_seq')" in n for n in sweep.notes)


def test_several_lengths_are_refused_naming_them_unless_seq_len_is_given() -> None:
    frame = _frame(lengths=(SEQ_LEN, 2 * SEQ_LEN))
    with pytest.raises(DataError) as err:
        read_sweep(frame)
    counts = frame["seq_len"].value_counts()
    listed = f"{SEQ_LEN} in {counts[SEQ_LEN]} runs, {2 * SEQ_LEN} in {counts[2 * SEQ_LEN]} runs"
    assert f"column 'seq_len' holds 2 sequence lengths, {listed}" in str(err.value)
    assert "--seq-len TOKENS" in (err.value.hint or "")
    sweep = read_sweep(frame, seq_len=SEQ_LEN)  # given: it wins, and says so
    assert sweep.seq_len == SEQ_LEN
    assert any(
        n.startswith(f"--seq-len {SEQ_LEN} used, not column 'seq_len' ({listed})")
        for n in sweep.notes
    )
    tokens = frame.assign(batch_tokens=frame.pop("bs") * SEQ_LEN)  # no length needed
    assert read_sweep(tokens).batch_unit == "tokens"


def test_seq_len_given_over_a_column_of_another_length_says_so() -> None:
    sweep = read_sweep(_frame(lengths=(4096,)), seq_len=SEQ_LEN)
    assert sweep.seq_len == SEQ_LEN
    assert any(
        n.startswith(f"--seq-len {SEQ_LEN} used, not column 'seq_len' (4096)") for n in sweep.notes
    )
    same = read_sweep(_frame(), seq_len=SEQ_LEN)  # the same length: nothing to say
    assert not any("not column" in n for n in same.notes)


def test_a_column_contradicting_the_steps_is_refused() -> None:
    frame = _frame(lengths=(4096,))
    frame["steps"] = frame["tokens"] / (frame["bs"] * SEQ_LEN)
    with pytest.raises(ConfigError) as err:
        read_sweep(frame)
    assert str(err.value).startswith("column 'seq_len' 4096 contradicts the runs")
    assert f"seq_len={SEQ_LEN}" in (err.value.hint or "")  # Python's words


def test_hparams_fit_reads_the_column(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    path = tmp_path / "sweep.csv"
    _frame().to_csv(path, index=False)
    code, out, err = cli(capsys, "hparams", "fit", str(path), "--bootstrap", "0", one_line=True)
    assert code == 0, err
    assert "B* (tokens)" in out and "(column 'seq_len')" in " ".join((out + err).split())
    _frame(lengths=(SEQ_LEN, 4096)).to_csv(path, index=False)
    code, out, err = cli(capsys, "hparams", "fit", str(path), "--bootstrap", "0", one_line=True)
    assert code == 2
    assert "holds 2 sequence lengths" in err
