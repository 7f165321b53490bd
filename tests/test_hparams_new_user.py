"""A sweep as a new user has it: batch in sequences with a steps column, a smoothed loss."""

from __future__ import annotations

import json
from pathlib import Path

import pandas as pd
import pytest
from tests._hparam_sweeps import SEQ_LEN, sweep

from scalinglab.cli import main
from scalinglab.hparams import fit_hparams, read_sweep


def _with_steps(seed: int, seq_len: int = SEQ_LEN) -> pd.DataFrame:
    """The synthetic sweep with the steps each run took: tokens = bs x steps x seq_len,
    the token budget rounded to whole steps as real sweeps are."""
    frame = sweep(seed)
    frame["steps"] = (frame["tokens"] / (frame["bs"] * seq_len)).round()
    frame["smooth_loss"] = frame["loss"]
    return frame


def test_sequence_length_is_implied_by_tokens_batch_and_steps() -> None:
    frame = _with_steps(1)
    s = read_sweep(frame)
    assert (s.seq_len, s.batch_unit) == (SEQ_LEN, "tokens")
    assert s.batch is not None
    assert s.batch == pytest.approx(frame["bs"].to_numpy() * SEQ_LEN)
    assert any("sequences of 2048 tokens, implied by" in n and "'steps'" in n for n in s.notes)
    # the same fit as with --seq-len stated; the note says what was inferred
    implied = fit_hparams(frame, bootstrap=0)
    stated = fit_hparams(sweep(1), seq_len=SEQ_LEN, bootstrap=0)
    assert implied.lr_law.coefs == pytest.approx(stated.lr_law.coefs)
    assert implied.seq_len == SEQ_LEN and any("implied by" in n for n in implied.notes)
    # one run 5% off: the others still imply the length, and that run is named
    frame.loc[7, "steps"] *= 1.05
    off = read_sweep(frame)
    assert (off.seq_len, off.batch_unit) == (SEQ_LEN, "tokens")
    assert any(
        w.startswith("row df.iloc[7] breaks tokens = batch x steps x 2048") for w in off.warnings
    )
    # half the runs off: no one sequence length, nothing inferred
    frame.loc[: len(frame) // 2, "steps"] *= 1.05
    assert read_sweep(frame).batch_unit == "sequences"


def test_a_smoothed_loss_column_is_pointed_out_when_the_raw_loss_is_used() -> None:
    frame = _with_steps(2)
    assert any("--y 'smooth_loss'" in n for n in read_sweep(frame).notes)
    assert not any("smooth" in n for n in read_sweep(frame, y="smooth_loss").notes)


def test_ladder_refuses_a_fit_with_a_batch_in_sequences_of_unknown_length(
    capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    fit_hparams(sweep(3), bootstrap=0).save(tmp_path / "hp.json")  # bs, no seq_len, no steps
    code = main(["ladder", "plan", "tiny", "--hparams", str(tmp_path / "hp.json")])
    out, err = capsys.readouterr()
    assert code == 2 and "Traceback" not in out + err
    assert "batch is in sequences of unknown length" in err and "--seq-len" in err
    # the file given is named, and the hint says to write the refit over it
    assert f"error: the hyperparameter fit --hparams {tmp_path / 'hp.json'}: its batch is" in err
    assert f"and write it over {tmp_path / 'hp.json'}" in err
    # a preset prints its conventions beside its citation
    assert (
        main(["hparams", "predict", "--params", "7B", "--tokens", "1T", "--preset", "steplaw2025"])
        == 0
    )
    out, _ = capsys.readouterr()
    assert "conventions: N non-embedding parameters" in out


def test_seq_len_at_predict_gives_a_batch_in_sequences_its_tokens(
    capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    """A fit whose batch is in sequences of unknown length, predicted with --seq-len: the
    batch in tokens too (it was silently ignored)."""
    hp = fit_hparams(sweep(3), bootstrap=40)
    assert hp.batch_unit == "sequences"
    pred = hp.predict(params=7e9, tokens=1.4e12, seq_len=4096)
    assert pred.batch_tokens == pytest.approx(pred.batch * 4096)
    assert pred.to_dict()["batch_tokens"] == pred.batch_tokens
    assert hp.predict(params=7e9, tokens=1.4e12).batch_tokens != pred.batch_tokens  # nan
    hp.save(tmp_path / "hp.json")
    args = ["hparams", "predict", "--fit", str(tmp_path / "hp.json"), "--params", "7B"]
    assert main([*args, "--tokens", "1.4T", "--seq-len", "4096"]) == 0
    out, _ = capsys.readouterr()
    hi = pred.batch_interval[1]
    row = next(line for line in out.splitlines() if "B* (tokens, 4096/sequence)" in line)
    assert f"{pred.batch_tokens / 1e6:.3g}M" in row and f"{hi * 4096 / 1e6:.3g}M" in row


def test_a_fit_without_intervals_saves_strict_json_and_old_files_load(tmp_path: Path) -> None:
    """Non-finite values are written as the project writes them everywhere ("nan"), and
    files written before (null) still load."""
    from scalinglab.hparams import HparamFit

    hp = fit_hparams(sweep(3), bootstrap=0)
    assert hp.lr_law.intervals and all(v != v for iv in hp.lr_law.intervals.values() for v in iv)
    path = tmp_path / "hp.json"
    hp.save(path)
    text = path.read_text()
    assert '"nan"' in text and "NaN" not in text
    again = HparamFit.load(path)
    assert repr(again.predict(params=1e9, tokens=2e10)) == repr(hp.predict(params=1e9, tokens=2e10))
    (tmp_path / "old.json").write_text(text.replace('"nan"', "null"))
    old = HparamFit.load(tmp_path / "old.json")
    assert repr(old.predict(params=1e9, tokens=2e10)) == repr(hp.predict(params=1e9, tokens=2e10))


def test_map_names_a_column_the_sweep_calls_otherwise(
    capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    """`--map tokens=seen`: the hint for a missing column names an option that `hparams fit`
    and `backtest` now have (they had none). (`train_tokens`, a tracker's name for tokens,
    is found without it.)"""
    path = tmp_path / "sweep.csv"
    sweep(3).rename(columns={"tokens": "seen"}).to_csv(path, index=False)
    assert main(["hparams", "fit", str(path), "--bootstrap", "0"]) == 2
    _, err = capsys.readouterr()
    assert "no column 'tokens'" in err and "--map tokens=COLUMN" in err
    assert main(["hparams", "fit", str(path), "--bootstrap", "0", "--map", "tokens=seen",
                 "--json"]) == 0  # fmt: skip
    mapped = json.loads(capsys.readouterr()[0])
    direct = fit_hparams(sweep(3), bootstrap=0)
    assert mapped["lr_law"]["coefs"] == pytest.approx(dict(direct.lr_law.coefs))
    back = ["hparams", "backtest", str(path), "--map", "tokens=seen", "--json"]
    assert main(back) == 0
    assert json.loads(capsys.readouterr()[0])["holdout"] == "top-scales:1"


def test_a_backtest_holds_out_cells_by_a_size_rule(capsys: pytest.CaptureFixture[str]) -> None:
    """`--holdout 'params>=N'` as the other backtests take it; a rule that holds out every
    cell or none, or can't be read, says what there is."""
    from scalinglab import ConfigError, DataError
    from scalinglab.hparams import backtest_hparams

    frame = sweep(5)
    sizes = sorted(frame["params"].unique())
    by_rule = backtest_hparams(frame, holdout=f"params>={sizes[-1]:g}", seq_len=SEQ_LEN)
    largest = backtest_hparams(frame, holdout="top-scales:1", seq_len=SEQ_LEN)
    assert by_rule.summary("scalinglab") == largest.summary("scalinglab")
    above = backtest_hparams(frame, holdout=f"params>{sizes[-3]:g}", seq_len=SEQ_LEN)
    assert above.summary("scalinglab")["cells"] == 2 * largest.summary("scalinglab")["cells"]
    with pytest.raises(ConfigError, match=r"holds out 0 of \d+ cells \(params>=5T; params: "):
        backtest_hparams(frame, holdout="params>=5T", seq_len=SEQ_LEN)
    with pytest.raises(DataError, match="names column 'param'") as err:
        backtest_hparams(frame, holdout="param>5", seq_len=SEQ_LEN)
    assert err.value.hint == "did you mean 'params'?"


def test_ladder_plan_warns_when_its_rungs_lie_outside_the_fitted_cells(
    capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    """The tiny CPU ladder's rungs are decades below a sweep's cells: the lr and batch it
    takes from the fit extrapolate that far, and the plan says so (it was silent)."""
    hp = fit_hparams(sweep(1), seq_len=SEQ_LEN, bootstrap=0)
    hp.save(tmp_path / "hp.json")
    assert main(["ladder", "plan", "tiny", "--hparams", str(tmp_path / "hp.json")]) == 0
    out = " ".join(capsys.readouterr()[0].split())  # rich wraps long lines
    assert "in place of the recipe's rules" in out
    assert "warning: 3 of 3 rungs lie outside what the rule was fitted to, from " in out
    assert " decades (w64-d2) to " in out and " (w32-d2); w32-d2: N =" in out
    assert "decades below the smallest fitted N" in out
