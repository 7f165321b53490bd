"""``report SWEEP --hparams`` takes the ``hparams fit`` options its messages' hints name
(--lr, --batch, --batch-unit, --by, --include-unbracketed, --law, --lr-law, --batch-law), reads
the sweep and fits with them as ``hparams fit`` does, and writes them on the page's card; the
other pages refuse them, naming the --hparams page."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest
from tests._cli import cli
from tests._hparam_sweeps import SEQ_LEN, sweep
from tests._pages import page_text


def _report(capsys: pytest.CaptureFixture[str], path: Path, out: Path, *args: str):  # type: ignore[no-untyped-def]
    return cli(capsys, "report", str(path), "--hparams", "--bootstrap", "0", "--out", str(out),
               *args)  # fmt: skip


@pytest.mark.heavy
def test_the_lr_column_the_hint_names_is_taken(
    capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    path, out = tmp_path / "s.csv", tmp_path / "hp.html"
    sweep(0).rename(columns={"lr": "eta"}).to_csv(path, index=False)
    code, _, err = _report(capsys, path, out)
    assert code == 2 and "hint: say which column holds the peak learning rate: --lr COLUMN" in err
    code, stdout, err = _report(capsys, path, out, "--lr", "eta", "--law", "steplaw")
    assert code == 0, err
    assert stdout == f"wrote report: {out}\n"
    text = page_text(out.read_text(encoding="utf-8"))
    assert "--holdout top-scales:1 --law steplaw --lr eta" in text  # on the card, to remake it
    assert "Law choice:" not in text and "B* = B * D**gamma" in text  # named: none chosen


@pytest.mark.heavy  # 6.7 s in the suite on a 2-core AMD EPYC
def test_unbracketed_cells_are_fitted_with_the_option_the_refusal_names(
    capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    path, out = tmp_path / "s.csv", tmp_path / "hp.html"
    frame = sweep(0)
    frame[frame["lr"] < frame.groupby(["params", "tokens"])["lr"].transform("median")].to_csv(
        path, index=False
    )  # every cell's grid stops below its best lr
    code, _, err = _report(capsys, path, out, "--seq-len", str(SEQ_LEN))
    assert code == 2 and "or pass --include-unbracketed" in err
    code, _, err = _report(capsys, path, out, "--seq-len", str(SEQ_LEN), "--include-unbracketed")
    assert code == 0, err
    said = " ".join(err.split())
    assert "kept (include_unbracketed)" in said  # the fit's note
    # every held-out cell is unbracketed too: nothing to score, so the page has no backtest
    assert (
        "no backtest on the page: every cell --holdout top-scales:1 holds out is unbracketed"
        in said
    )
    assert "--include-unbracketed" in page_text(out.read_text(encoding="utf-8"))


@pytest.mark.heavy
def test_batch_unit_by_and_law_formulas_are_read_as_hparams_fit_reads_them(
    capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    path, out = tmp_path / "s.csv", tmp_path / "hp.html"
    frame = sweep(0)
    frame["tokens_per_step"] = np.round(frame.pop("bs") * SEQ_LEN)  # a batch in tokens, no steps
    frame.rename(columns={"params": "N", "tokens": "D"}).to_csv(path, index=False)
    code, _, err = _report(capsys, path, out, "--batch", "tokens_per_step", "--batch-unit",
                           "tokens", "--by", "N", "--by", "D", "--lr-law", "A*N**alpha*D**beta",
                           "--batch-law", "B*D**gamma")  # fmt: skip
    assert code == 0, err
    assert "sequences of unknown length" not in err  # the unit was stated
    text = page_text(out.read_text(encoding="utf-8"))
    assert (
        "--lr-law 'A*N**alpha*D**beta' --batch-law 'B*D**gamma' --lr lr --batch tokens_per_step "
        "--batch-unit tokens --by N --by D"
    ) in text


@pytest.mark.parametrize(
    ("page", "option", "message", "hint"),
    [
        ([], ["--lr", "eta"], "--lr is an option of the --hparams page; the loss-law report "
         "does not read it", "drop --lr: it belongs with scalinglab report SWEEP --hparams"),
        (["--curves", "--train", "a"], ["--include-unbracketed"], "--include-unbracketed is "
         "an option of the --hparams page; the --curves page does not read it",
         "drop --include-unbracketed: it belongs with scalinglab report SWEEP --hparams"),
    ],
)  # fmt: skip
def test_other_pages_refuse_the_hparams_options(
    capsys: pytest.CaptureFixture[str],
    tmp_path: Path,
    page: list[str],
    option: list[str],
    message: str,
    hint: str,
) -> None:
    path = tmp_path / "runs.csv"
    sweep(0).to_csv(path, index=False)
    out = str(tmp_path / "r.html")
    code, stdout, err = cli(capsys, "report", str(path), *page, *option, "--out", out)
    assert code == 2 and not stdout
    assert " ".join(err.split()) == f"error: {message} hint: {hint}"


@pytest.mark.heavy
def test_a_sweep_of_one_model_size_gets_a_page_without_a_backtest_unless_one_is_asked_for(
    capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    path, out = tmp_path / "s.csv", tmp_path / "hp.html"
    sweep(0).query("params == 2e8").to_csv(path, index=False)  # 200M at 2B, 6B and 20B tokens
    code, stdout, err = _report(capsys, path, out, "--seq-len", str(SEQ_LEN))
    assert code == 0, err
    assert stdout == f"wrote report: {out}\n"
    why = (
        "no backtest on the page (by default it holds out top-scales:1): every cell is of one "
        "model size (200M), so holding out the largest model sizes would leave none to fit the "
        "laws on; hold out cells by their training tokens instead: --holdout 'tokens>=20B' (the "
        "largest budget); or add sweeps at other model sizes"
    )
    assert f"note: {why}" in " ".join(err.split())
    page = out.read_text(encoding="utf-8")
    assert page_text(page, "hparams-regret") == f"Backtest and regret {why}"
    assert "--holdout" not in page_text(page, "hparams-card")  # its command makes no backtest
    # a rule asked for is held to: the same sweep cannot be split by model size
    code, _, err = _report(
        capsys, path, out, "--seq-len", str(SEQ_LEN), "--holdout", "top-scales:1"
    )
    assert code == 2 and "every cell is of one model size (200M)" in err
