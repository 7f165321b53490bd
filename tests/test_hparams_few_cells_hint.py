"""The refusal of a sweep with too few usable cells names the unbracketed cells it left
out, and writes each located optimum as the cells' table does (B* with its unit)."""

from __future__ import annotations

import pandas as pd
import pytest
from tests._hparam_sweeps import SEQ_LEN, sweep

from scalinglab._errors import TooFewCellsError
from scalinglab._format import format_loss
from scalinglab._hparams_numbers import si
from scalinglab.hparams import fit_hparams, locate_optima, read_sweep


def _two_good_three_unbracketed() -> tuple[pd.DataFrame, pd.DataFrame]:
    """Two bracketed cells of one size, and three of another whose grids stop below lr*."""
    good = sweep(0)
    good = good[(good["params"] == 1e8) & (good["tokens"] < 1e8 * 50)]
    bad = sweep(0, edge=True)
    return good, bad[bad["params"] == 2e8]


def test_too_few_usable_cells_names_the_unbracketed_cells_left_out() -> None:
    good, bad = _two_good_three_unbracketed()
    frame = pd.concat([good, bad], ignore_index=True)
    with pytest.raises(TooFewCellsError) as err:
        fit_hparams(frame, seq_len=SEQ_LEN, bootstrap=0)
    hint = err.value.hint or ""
    assert "3 unbracketed cells left out of the laws" in hint
    assert "--include-unbracketed (include_unbracketed=True)" in hint
    cells = locate_optima(read_sweep(frame, seq_len=SEQ_LEN), bootstrap=0)
    left = [c for c in cells if not c.bracketed]
    assert len(left) == 3 and all(f"{c.label()}: {c.status}" in hint for c in left)


def test_the_optima_in_the_hint_carry_the_batch_unit_and_the_tables_digits() -> None:
    good, _ = _two_good_three_unbracketed()
    with pytest.raises(TooFewCellsError) as err:
        fit_hparams(good, seq_len=SEQ_LEN, bootstrap=0)
    hint = err.value.hint or ""
    for c in locate_optima(read_sweep(good, seq_len=SEQ_LEN), bootstrap=0):
        assert f"B* {si(c.batch)} tokens (loss {format_loss(c.loss)})" in hint
    with pytest.raises(TooFewCellsError) as err:  # no --seq-len: the batch in sequences
        fit_hparams(good, bootstrap=0)
    assert " sequences (loss " in (err.value.hint or "")


def test_an_unbracketed_cell_kept_with_resamples_says_why_the_laws_may_have_no_intervals() -> None:
    good, bad = _two_good_three_unbracketed()
    frame = pd.concat([good, bad], ignore_index=True)
    hp = fit_hparams(frame, seq_len=SEQ_LEN, bootstrap=20, include_unbracketed=True)
    kept = [n for n in hp.notes if "kept (include_unbracketed)" in n]
    assert len(kept) == 3
    assert all("drop --include-unbracketed for intervals from the other cells" in n for n in kept)
    hp = fit_hparams(frame, seq_len=SEQ_LEN, bootstrap=0, include_unbracketed=True)
    assert not any("drop --include-unbracketed" in n for n in hp.notes)  # no resamples: none


def test_the_optima_in_the_hint_mark_the_unbracketed_ones_as_the_table_does() -> None:
    good, bad = _two_good_three_unbracketed()
    frame = pd.concat([good, bad[bad["tokens"] < 2e8 * 20]], ignore_index=True)  # 3 cells
    with pytest.raises(TooFewCellsError) as err:  # steplaw's lr law needs 4 cells
        fit_hparams(frame, seq_len=SEQ_LEN, bootstrap=0, law="steplaw")
    hint = err.value.hint or ""
    cells = locate_optima(read_sweep(frame, seq_len=SEQ_LEN), bootstrap=0)
    assert sum(not c.bracketed for c in cells) == 1
    for c in cells:
        loss = f"(loss {format_loss(c.loss)}"
        said = f"{loss})" if c.bracketed else f"{loss}; {c.status})"
        assert f"{c.label()}: lr* " in hint and said in hint
        assert c.bracketed or c.status.startswith("unbracketed: the best run is at the")
