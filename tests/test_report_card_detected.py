"""The reproducibility card's command spells the columns read by detection (``--map
params='Model Size'``; a sweep's ``--lr``, ``--batch`` and ``--batch-unit``), so it remakes
the page even if detection changes; and a batch converted by ``--seq-len`` is said in a note."""

from __future__ import annotations

import html
import re
import shlex
from pathlib import Path

import numpy as np
import pandas as pd
import pytest
from tests._cli import cli
from tests._hparam_sweeps import SEQ_LEN, sweep
from tests._pages import page_text

import scalinglab.data
from scalinglab.hparams import fit_hparams, read_sweep

CONVERTED = (
    "batch in tokens: column 'bs' read as sequences of 2048 tokens (--seq-len, seq_len= in "
    "Python), as tokens = batch x steps x 2048 (to 1%) on every run (columns 'bs', 'ti') confirms"
)


def _card_command(page: Path) -> list[str]:
    found = re.search(r"scalinglab report [^<]*", page.read_text(encoding="utf-8"))
    assert found is not None
    return shlex.split(html.unescape(found.group(0)))


def _rerun(capsys: pytest.CaptureFixture[str], first: Path, second: Path) -> list[str]:
    """The card's command of ``first`` run again, writing ``second``; its words."""
    words = _card_command(first)
    at = words.index("--out")
    words[at + 1] = str(second)
    code, _, err = cli(capsys, *words[1:])
    assert code == 0, err
    return words


@pytest.mark.heavy
def test_the_loss_card_spells_the_detected_columns(
    capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    runs = pd.read_csv(Path(scalinglab.data.__file__).with_name("default_ladder.csv"))
    names = {"params": "Model Size", "flops": "Training FLOP", "tokens": "num_tokens"}
    runs = runs[["params", "tokens", "flops", "loss"]].rename(columns=names)
    path = tmp_path / "runs.csv"
    runs.to_csv(path, index=False)
    first, second = tmp_path / "a.html", tmp_path / "b.html"
    code, _, err = cli(capsys, "report", str(path), "--out", str(first), "--bootstrap", "5",
                       "--map", "tokens=num_tokens")  # fmt: skip
    assert code == 0, err
    words = _rerun(capsys, first, second)
    maps = [words[i + 1] for i, w in enumerate(words) if w == "--map"]
    # the one given as typed, then the detected ones; each once
    assert maps == ["tokens=num_tokens", "params=Model Size", "flops=Training FLOP"]
    assert _card_command(second) == words  # the same command: nothing left to detect
    again = page_text(second.read_text(encoding="utf-8")).replace("b.html", "a.html")
    # the same page (fit, plan, backtest), the columns detected there said as mapped here
    said = page_text(first.read_text(encoding="utf-8"))
    for column, name in (("Model Size", "params"), ("Training FLOP", "flops")):
        note = f"column '{column}' read as {name} "
        assert note + "(as mapped)" in again and note + "(as mapped)" not in said
        said, again = said.replace(note, ""), again.replace(note + "(as mapped) ", "")
    assert again == said


def _steplaw_sweep(tmp_path: Path) -> Path:
    frame = sweep(0).rename(columns={"params": "N", "tokens": "D"})
    frame["ti"] = np.round(frame["D"] / (frame["bs"] * SEQ_LEN), 6)
    path = tmp_path / "sweep.csv"
    frame.to_csv(path, index=False)
    return path


@pytest.mark.heavy
def test_the_hparams_card_spells_the_columns_and_batch_unit(
    capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    path = _steplaw_sweep(tmp_path)
    first, second = tmp_path / "a.html", tmp_path / "b.html"
    code, _, err = cli(capsys, "report", str(path), "--hparams", "--out", str(first),
                       "--seq-len", str(SEQ_LEN), "--bootstrap", "0", one_line=True)  # fmt: skip
    assert code == 0, err
    assert err.count(f"note: {CONVERTED}") == 1  # fit and backtest both carry it: said once
    words = _rerun(capsys, first, second)
    said = " ".join(words)
    assert (
        "--map params=N --map tokens=D --law auto --lr lr --batch bs --batch-unit sequences" in said
    )
    again = page_text(second.read_text(encoding="utf-8")).replace("b.html", "a.html")
    assert again == page_text(first.read_text(encoding="utf-8"))


@pytest.mark.parametrize("unit", [None, "sequences"])
def test_a_batch_converted_by_seq_len_is_noted(tmp_path: Path, unit: str | None) -> None:
    # the runs' steps confirm --seq-len, or no steps column: the x 2048 said either way
    path = _steplaw_sweep(tmp_path)
    hp = fit_hparams(read_sweep(path, seq_len=SEQ_LEN, batch_unit=unit), bootstrap=0)
    assert [n for n in hp.notes if n.startswith("batch in tokens")] == [CONVERTED]
    plain = sweep(0)
    bare = read_sweep(plain, seq_len=SEQ_LEN, batch_unit=unit)
    how = "--batch-unit" if unit else "its name"
    note = (
        f"batch in tokens: column 'bs' read as sequences (by {how}) of 2048 tokens (--seq-len, "
        "seq_len= in Python)"
    )
    assert [n for n in bare.notes if n.startswith("batch in tokens")] == [
        note + ("" if unit else "; --batch-unit tokens if it counts tokens")
    ]
    assert bare.batch_read == "sequences" and bare.batch_unit == "tokens"
    assert np.allclose(bare.batch, plain["bs"] * SEQ_LEN)
