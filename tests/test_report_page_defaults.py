"""``scalinglab report``'s --hparams, --curves and --downstream pages, as a new user meets
them: the hyperparameter page names the loss column its optima were located on, each page's
``--bootstrap`` defaults to that of the command whose results it shows, and a ``--holdout``
the page cannot hold out by is refused before any work."""

from __future__ import annotations

from pathlib import Path

import pytest
from tests._hparam_sweeps import SEQ_LEN, sweep
from tests._pages import page_text, write_evals

from scalinglab._errors import ConfigError
from scalinglab.cli import main
from scalinglab.hparams import backtest_hparams, read_sweep


@pytest.fixture(scope="module")
def sweep_csv(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A sweep with a raw ``loss`` and a ``smooth loss`` that differs from it."""
    frame = sweep(3)
    frame["smooth loss"] = frame["loss"] * 0.99
    path = tmp_path_factory.mktemp("sweep") / "s.csv"
    frame.to_csv(path, index=False)
    return path


@pytest.mark.heavy
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


@pytest.mark.heavy
def test_the_hparams_page_draws_hparams_fits_resamples_by_default(
    sweep_csv: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    # it drew 200 where `hparams fit` draws 1000: other intervals from the same sweep
    out = tmp_path / "hp.html"
    argv = ["report", str(sweep_csv), "--hparams", "--seq-len", str(SEQ_LEN)]
    assert main([*argv, "--out", str(out)]) == 0
    assert "(1,000 bootstrap resamples of each cell)" in capsys.readouterr().err
    text = page_text(out.read_text(encoding="utf-8"))
    assert "bootstrap 1,000 resamples of each cell's runs with replacement" in text  # the card
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


def test_a_holdout_of_another_page_is_refused_before_the_sweep_is_fitted(
    sweep_csv: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    # it failed only after locating the optima and fitting ("holdout must be 'largest:K' …")
    out = tmp_path / "r4.html"
    argv = ["report", str(sweep_csv), "--hparams", "--bootstrap", "0", "--out", str(out)]
    assert main([*argv, "--holdout", "near-best:1.5"]) == 2
    err = capsys.readouterr().err
    assert err.splitlines()[0] == (
        "error: --holdout 'near-best:1.5' (holdout= in Python): near-best:F keeps the runs "
        "near each scale's lowest loss, and a hyperparameter backtest holds out whole cells, "
        "which have no one loss"
    )
    assert "locating the optima" not in err and not out.exists()
    # a rule that holds out no cell: refused once the sweep is read
    assert main([*argv, "--holdout", "params>=1e12"]) == 2
    err = capsys.readouterr().err
    assert "error: --holdout 'params>=1e12' (holdout= in Python) holds out 0 of 12 cells" in err
    assert "locating the optima" not in err
    assert main([*argv, "--holdout", "largest:x"]) == 2
    assert "K must be a whole number, at least 1" in capsys.readouterr().err


def test_backtest_hparams_refuses_its_holdout_before_locating_optima() -> None:
    calls: list[str] = []
    with pytest.raises(ConfigError, match=r"holds out 0 of 12 cells"):
        backtest_hparams(
            read_sweep(sweep(3), seq_len=SEQ_LEN),
            holdout="tokens>1e15",
            progress=lambda stage, done, total: calls.append(stage),
        )
    assert calls == []  # no cell's optimum located


def test_the_downstream_page_refuses_its_holdout_before_the_chain_is_fitted(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    evals = write_evals(tmp_path)
    out = tmp_path / "ds.html"
    for command in (["report", str(evals), "--downstream"], ["downstream", "report", str(evals)]):
        argv = [*command, "--bootstrap", "0", "--holdout", "size:1B", "--out", str(out)]
        assert main(argv) == 2
        err = capsys.readouterr().err
        assert "error: --holdout 'size:1B' (holdout= in Python): cannot read 'size:1B'" in err
        assert "'largest:5', 'top-decile'" in err  # the forms it takes
        assert "fitting the chain" not in err and not out.exists()
