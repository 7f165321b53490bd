"""``predict(seq_len=)`` (``--seq-len``) other than the sweep's says what the conversion of B*
assumes, instead of silently replacing the sweep's sequence length."""

from __future__ import annotations

from pathlib import Path

import pytest
from tests._cli import cli
from tests._hparam_sweeps import SEQ_LEN, sweep

from scalinglab.hparams import fit_hparams

OTHER = (
    f"the sweep ran at {SEQ_LEN}-token sequences; B* converted to 4096-token sequences (its "
    "B* in tokens over 4096) assumes that the optimal batch in tokens, and lr*, do not "
    "depend on the sequence length"
)


def test_another_sequence_length_is_noted_and_converts_b_star_in_tokens() -> None:
    hp = fit_hparams(sweep(0), seq_len=SEQ_LEN, bootstrap=0)
    own = hp.predict(params=1e9, tokens=2e10)
    other = hp.predict(params=1e9, tokens=2e10, seq_len=4096)
    assert OTHER in other.notes and not any("sequences" in n for n in own.notes)
    assert other.batch == own.batch and other.lr == own.lr  # in tokens, unchanged
    assert other.batch_sequences == pytest.approx(own.batch / 4096)
    same = hp.predict(params=1e9, tokens=2e10, seq_len=SEQ_LEN)
    assert same.notes == own.notes


def test_a_length_given_for_a_sweep_in_sequences_of_unknown_length_is_noted() -> None:
    hp = fit_hparams(sweep(0), bootstrap=0)  # 'bs', no steps: sequences of unknown length
    assert hp.batch_unit == "sequences" and hp.seq_len is None
    pred = hp.predict(params=1e9, tokens=2e10, seq_len=4096)
    assert pred.batch_tokens == pytest.approx(pred.batch * 4096)
    assert (
        "B* in tokens reads the sweep's sequences (of a length it does not record) as "
        "4096-token sequences (--seq-len, seq_len=): right only if its runs used those"
    ) in pred.notes


def test_hparams_predict_seq_len_prints_the_note(
    capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    fit = tmp_path / "hp.json"
    fit_hparams(sweep(0), seq_len=SEQ_LEN, bootstrap=0).save(fit)
    code, out, err = cli(capsys, "hparams", "predict", "--fit", str(fit), "--params", "1B",
                         "--tokens", "20B", "--seq-len", "4096")  # fmt: skip
    assert code == 0, err
    assert OTHER in " ".join(out.split())
