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


def test_the_hparams_page_draws_hparams_fits_resamples_by_default(
    sweep_csv: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    # it drew 200 where `hparams fit` draws 1000: other intervals from the same sweep
    out = tmp_path / "hp.html"
    argv = ["report", str(sweep_csv), "--hparams", "--seq-len", str(SEQ_LEN)]
    assert main([*argv, "--out", str(out)]) == 0
    assert "(1000 bootstrap resamples of each cell)" in capsys.readouterr().err
    text = page_text(out.read_text(encoding="utf-8"))
    assert "bootstrap 1000 resamples of each cell's runs with replacement" in text  # the card
    assert "--bootstrap 1000 --level 0.9" in text  # its command remakes the page


def test_each_pages_bootstrap_default_is_its_commands_and_help_says_so(
    capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    from scalinglab.cli._report_pages import page_bootstrap

    # fit 200, hparams fit 1000, curves fit 100, downstream fit 1000 (all pages drew 200)
    assert [page_bootstrap(p, None) for p in ("", "--hparams", "--curves", "--downstream")] == [
        200,
        1000,
        100,
        1000,
    ]
    assert page_bootstrap("--curves", 0) == 0  # given: as given
    monkeypatch.setenv("COLUMNS", "200")
    assert main(["report", "--help"]) == 0
    said = " ".join(capsys.readouterr().out.split())
    assert (
        "[default: as the command whose results the page shows: fit's 200; with --hparams, "
        "hparams fit's 1000; --curves, curves fit's 100; --downstream, downstream fit's 1000]"
    ) in said
