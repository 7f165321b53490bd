"""``scalinglab report``'s --hparams, --curves and --downstream pages, as a new user meets
them: the hyperparameter page names the loss column its optima were located on, each page's
``--bootstrap`` defaults to that of the command whose results it shows, and a ``--holdout``
the page cannot hold out by is refused before any work."""

from __future__ import annotations

from pathlib import Path

import pytest
from tests._hparam_sweeps import SEQ_LEN, sweep
from tests._pages import page_text

from scalinglab.cli import main
from scalinglab.hparams import read_sweep


@pytest.fixture(scope="module")
def sweep_csv(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A sweep with a raw ``loss`` and a ``smooth loss`` that differs from it."""
    frame = sweep(3)
    frame["smooth loss"] = frame["loss"] * 0.99
    path = tmp_path_factory.mktemp("sweep") / "s.csv"
    frame.to_csv(path, index=False)
    return path


def test_the_hparams_page_names_the_loss_column_its_optima_used(
    sweep_csv: Path, tmp_path: Path
) -> None:
    # `--y "smooth loss"` reads that column as the loss: the page said "from column 'loss'"
    out = tmp_path / "hp.html"
    argv = ["report", str(sweep_csv), "--hparams", "--seq-len", str(SEQ_LEN), "--bootstrap"]
    assert main([*argv, "0", "--y", "smooth loss", "--out", str(out)]) == 0
    text = page_text(out.read_text(encoding="utf-8"))
    assert "; loss from column 'smooth loss'." in text and "column 'loss'" not in text
    assert "'--y=smooth loss'" in text  # the card's command, which says it too
    # the sweep says so itself: its columns are the source's
    data = read_sweep(sweep_csv, seq_len=SEQ_LEN, columns={"loss": "smooth loss"})
    assert data.columns["loss"] == "smooth loss" and "loss='smooth loss'" in repr(data)
