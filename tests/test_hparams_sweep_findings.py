"""A new user's sweep of the hparams laws: one size or budget, odd cells, odd options."""

from __future__ import annotations

import math
import re
from pathlib import Path

import numpy as np
import pandas as pd
import pytest
from tests._hparam_sweeps import SEQ_LEN, SIZES, optimum

from scalinglab._errors import ConfigError, DataError
from scalinglab.cli import main
from scalinglab.hparams import backtest_hparams, fit_hparams
from scalinglab.hparams._spread import log_interval


def grid(sizes: tuple[float, ...], budgets: tuple[float, ...], *, seed: int = 0) -> pd.DataFrame:
    """A 9 x 5 lr x batch grid per (N, D) cell about the true optimum, a bowl in log space."""
    rng = np.random.default_rng(seed)
    rows = []
    for n in sizes:
        for d in budgets:
            lr0, b0 = optimum(n, d)
            best = 2 + 300 * n**-0.3 + 500 * d**-0.3
            for lr in lr0 * np.sqrt(2.0) ** np.arange(-4, 5):
                for bs in b0 / SEQ_LEN * np.sqrt(2.0) ** np.arange(-2, 3):
                    u, v = np.log(lr / lr0), np.log(bs * SEQ_LEN / b0)
                    loss = best + 0.02 * u * u + 0.01 * v * v + rng.normal(0, 1e-4)
                    rows.append({"N": n, "D": d, "lr": lr, "bs": bs, "loss": loss})
    return pd.DataFrame(rows)


def test_one_token_budget_fits_the_loss_law_over_n_alone() -> None:
    frame = grid((1e8, 2e8, 4e8, 8e8), (1e10,))
    hp = fit_hparams(
        frame, lr_law="A*N**alpha", batch_law="B*N**delta", seq_len=SEQ_LEN, bootstrap=0
    )
    assert hp.loss_law is not None and hp.loss_law.formula == "K * N**a"
    assert hp.predict(params=3e8, tokens=1e10).loss == pytest.approx(
        2 + 300 * 3e8**-0.3 + 500 * 1e10**-0.3, rel=0.01
    )
    # the law over D as well is refused, naming the quantity it predicts, not "the loss"
    with pytest.raises(DataError, match=r"cannot fit how lr\* depends on D without runs"):
        fit_hparams(frame, lr_law="A*N**alpha*D**beta", batch_law="B*N**delta", bootstrap=0)
    with pytest.raises(DataError, match=r"cannot fit how B\* depends on D without runs"):
        fit_hparams(frame, lr_law="A*N**alpha", batch_law="B*D**gamma", bootstrap=0)


def test_one_model_size_fits_the_loss_law_over_d_alone_or_notes_why_not() -> None:
    hp = fit_hparams(
        grid((2e8,), (4e9, 1e10, 3e10)), lr_law="A*D**beta", batch_law="B*D**gamma", bootstrap=0
    )
    assert hp.loss_law is not None and hp.loss_law.formula == "K * D**b"
    # three cells over N and D: too few for K * N**a * D**b, enough for lr* of N
    three = pd.concat([grid((1e8, 2e8), (1e10,)), grid((4e8,), (3e10,))])
    hp = fit_hparams(three, lr_law="A*N**alpha", batch_law="B*N**delta", bootstrap=0)
    assert hp.loss_law is None
    assert (
        "no law of the loss at the optimum: K * N**a * D**b needs 4 cells, and 3 were fitted"
        in (hp.notes)
    )


@pytest.mark.parametrize(("column", "option"), [("lr", "--lr"), ("bs", "--batch")])
def test_a_text_cell_in_the_lr_or_batch_column_is_refused_naming_row_and_value(
    column: str, option: str, tmp_path: Path
) -> None:
    frame = grid((1e8, 2e8), (1e10,)).astype({column: object})
    frame.loc[3, column] = "abc"
    frame.to_csv(tmp_path / "s.csv", index=False)
    with pytest.raises(DataError) as err:
        fit_hparams(tmp_path / "s.csv", bootstrap=0)
    assert str(err.value.message).endswith("'abc' is not a number")
    assert (err.value.row, err.value.column) == (5, column)  # the header is row 1
    assert f"{option} COLUMN" in str(err.value.hint)


def test_no_lr_column_lists_the_columns_the_file_has(tmp_path: Path) -> None:
    grid((1e8,), (1e10,)).drop(columns="lr").to_csv(tmp_path / "s.csv", index=False)
    with pytest.raises(DataError, match="no learning-rate column") as err:
        fit_hparams(tmp_path / "s.csv", bootstrap=0)
    assert err.value.message.endswith("the columns are 'N', 'D', 'bs', 'loss'")


def test_a_percentile_interval_that_excludes_its_estimate_is_recentred_on_it() -> None:
    draws = np.log([1.10, 1.15, 1.20, 1.25, 1.30])  # every resample above the estimate 1.0
    lo, hi = log_interval(1.0, draws, 0.9)
    assert lo < 1.0 < hi
    assert math.log(hi / lo) == pytest.approx(np.ptp(np.percentile(draws, [5, 95])))
    assert log_interval(1.2, draws, 0.9) == pytest.approx(
        tuple(np.exp(np.percentile(draws, [5, 95])))
    )
    # a fit with few resamples: every cell's interval holds its optimum, and a note says which moved
    hp = fit_hparams(grid(SIZES, (4e9, 1e10, 3e10)), seq_len=SEQ_LEN, bootstrap=5)
    for c in hp.cells:
        assert c.lr_interval[0] <= c.lr <= c.lr_interval[1]
        assert c.batch_interval[0] <= c.batch <= c.batch_interval[1]
    (moved,) = [n for n in hp.notes if "re-centred" in n]  # one line, however many moved
    assert "lie outside the percentile interval of their resampled optima" in moved


def test_a_shifted_optimum_note_quotes_the_interval_the_cell_reports() -> None:
    from dataclasses import replace

    from scalinglab.hparams._spread import shifted_notes

    hp = fit_hparams(grid(SIZES, (4e9, 1e10)), seq_len=SEQ_LEN, bootstrap=5)
    c = hp.cells[0]
    assert c.samples is not None
    samples = c.samples.copy()
    samples[:, 0] = math.log(c.lr) + np.array([0.10, 0.15, 0.20, 0.25, 0.30])  # all above
    samples[:, 1] = math.log(c.batch)  # B* not moved
    moved = replace(c, samples=samples, lr_interval=log_interval(c.lr, samples[:, 0], 0.9))
    lo, hi = moved.lr_interval
    assert lo < c.lr < hi
    (note,) = shifted_notes([moved, *hp.cells[1:2]], 0.9)
    drawn = np.exp(np.percentile(samples[:, 0], [5, 95]))
    assert note == (
        f"{c.label()}: lr* = {c.lr:.5g} lies outside the percentile interval of its resampled "
        f"optima [{drawn[0]:.5g}, {drawn[1]:.5g}]: the resampled fits are shifted from it "
        f"(unstable or biased, or too few resamples); its interval [{lo:.5g}, {hi:.5g}] is "
        "their spread re-centred on it"
    )
    # many: one line, counted, the first three cells named
    many = [
        replace(x, samples=x.samples + np.array([0.2, 0.2, 0.0]))  # type: ignore[operator]
        for x in hp.cells[:5]
    ]
    (note,) = shifted_notes(many, 0.9)
    labels = [x.label() for x in many]
    assert note.startswith("10 located optima (5 lr*, 5 B*) in 5 cells lie outside the ")
    assert note.endswith(f": {', '.join(labels[:3])} and 2 more")


def test_report_draws_a_cell_whose_saved_interval_excludes_its_optimum() -> None:
    from dataclasses import replace

    from scalinglab.hparams import read_sweep
    from scalinglab.report._hparams_report import hparams_figures

    sweep = read_sweep(grid(SIZES, (4e9, 1e10)), seq_len=SEQ_LEN)
    hp = fit_hparams(sweep, bootstrap=5)
    c = hp.cells[0]  # as a fit saved before the intervals were re-centred may have it
    cells = (replace(c, lr_interval=(c.lr * 1.01, c.lr * 1.02)), *hp.cells[1:])
    assert hparams_figures(replace(hp, cells=cells), sweep)


def test_the_loss_interval_is_a_prediction_interval_that_sees_the_laws_misfit() -> None:
    frame = grid(SIZES, (4e9, 1e10, 3e10))
    cells = frame.groupby(["N", "D"]).ngroup()
    frame["loss"] += np.where(cells % 2 == 0, 0.04, -0.04)  # minima off any power law
    hp = fit_hparams(frame, seq_len=SEQ_LEN, bootstrap=50)
    assert hp.loss_law is not None
    minima = np.array([c.loss for c in hp.cells])
    fitted = np.array(
        [hp.predict(params=c.keys["params"], tokens=c.keys["tokens"]).loss for c in hp.cells]
    )
    rms = np.sqrt(np.sum(np.log(minima / fitted) ** 2) / (len(minima) - 3))
    assert hp.loss_law.residual_scale == pytest.approx(rms, rel=1e-6)
    assert rms > 0.01
    c = hp.cells[0]
    pred = hp.predict(params=c.keys["params"], tokens=c.keys["tokens"])
    lo, hi = pred.loss_interval
    assert lo < c.loss < hi  # the cell's own minimum, 0.04 off the law
    boot = hp.loss_law.predict(params=c.keys["params"], tokens=c.keys["tokens"])[1]
    assert not boot[0] < c.loss < boot[1]  # the bootstrap alone is far too narrow
    assert math.log(hi / lo) / 2 == pytest.approx(1.6449 * rms, rel=0.05)
    assert any(f"RMS {100 * rms:.2g}% over 12 cells" in n for n in pred.notes)


def test_an_infinite_or_blank_loss_is_a_diverged_run(tmp_path: Path) -> None:
    frame = grid(SIZES, (1e10,)).astype({"loss": object})
    top = frame["lr"] == frame.groupby("N")["lr"].transform("max")
    frame.loc[top, "loss"] = "inf"  # the highest lr of each cell blew up
    frame.loc[[3, 50], "loss"] = ""  # two runs that recorded no loss: read as diverged
    frame.to_csv(tmp_path / "s.csv", index=False)
    hp = fit_hparams(tmp_path / "s.csv", lr_law="A*N**alpha", batch_law="B*N**delta", bootstrap=0)
    assert [len(c.diverged) for c in hp.cells] == [6, 6, 5, 5]  # 5 batches at the top lr
    assert [c.n_runs for c in hp.cells] == [45, 45, 45, 45]
    assert (
        "2 runs with no loss in 'loss' (a blank cell) read as diverged, as a NaN loss is "
        "(DataFrame.to_csv writes NaN as a blank cell): rows 5, 52; if they are unfinished "
        "rather than diverged, remove them from the sweep"
    ) in hp.notes
    assert any(n.startswith("22 diverged runs (loss > 1.5x") for n in hp.notes)


def test_a_frame_with_nan_losses_fits_as_its_csv_with_blank_cells(tmp_path: Path) -> None:
    frame = grid(SIZES, (4e9, 1e10))
    high = frame["lr"] > frame.groupby(["N", "D"])["lr"].transform("max") / 3
    frame.loc[high, "loss"] = np.nan  # every cell's top lrs diverged
    frame.to_csv(tmp_path / "s.csv", index=False)  # NaN written as blank cells
    from_frame = fit_hparams(frame, seq_len=SEQ_LEN, bootstrap=0)
    from_csv = fit_hparams(tmp_path / "s.csv", seq_len=SEQ_LEN, bootstrap=0)
    assert from_csv.lr_law.coefs == from_frame.lr_law.coefs
    assert [c.status for c in from_csv.cells] == [c.status for c in from_frame.cells]
    assert all("bounded by divergence" in c.status for c in from_csv.cells)
    blank = [n for n in from_csv.notes if "(a blank cell) read as diverged" in n]
    assert blank and blank[0].startswith(f"{int(high.sum())} runs with no loss in 'loss'")
    assert not any("blank" in n for n in from_frame.notes)


def test_a_parquet_sweep_reads_a_null_as_a_blank_cell_and_a_nan_as_a_nan(tmp_path: Path) -> None:
    """Arrow keeps a null apart from a NaN: a null loss is a run with no loss, read as
    diverged with the blank cells' note (as the CSV's blank cell is); a NaN value is a NaN
    loss (as the frame's is), without it."""
    import pyarrow as pa
    import pyarrow.parquet as pq

    frame = grid(SIZES, (4e9, 1e10))
    high = frame["lr"] > frame.groupby(["N", "D"])["lr"].transform("max") / 3
    frame.loc[high, "loss"] = np.nan
    frame.to_csv(tmp_path / "s.csv", index=False)
    from_frame = fit_hparams(frame, seq_len=SEQ_LEN, bootstrap=0)
    from_csv = fit_hparams(tmp_path / "s.csv", seq_len=SEQ_LEN, bootstrap=0)
    loss = frame["loss"].tolist()
    table = pa.Table.from_pandas(frame.drop(columns="loss"), preserve_index=False)
    for name, column in (("null", pa.array(loss, pa.float64(), from_pandas=True)),
                         ("nan", pa.array(loss, pa.float64(), from_pandas=False))):  # fmt: skip
        path = tmp_path / f"{name}.parquet"
        pq.write_table(table.append_column("loss", column), path)
        assert pq.read_table(path).column("loss").null_count == (
            int(high.sum()) if name == "null" else 0
        )
        hp = fit_hparams(path, seq_len=SEQ_LEN, bootstrap=0)
        assert hp.lr_law.coefs == from_frame.lr_law.coefs
        blank = [n for n in hp.notes if "(a blank cell) read as diverged" in n]
        if name == "null":  # the CSV's note, word for word but for the file's rows
            said = next(n for n in from_csv.notes if "(a blank cell)" in n)
            assert blank and blank[0].split(": rows")[0] == said.split(": rows")[0]
        else:
            assert not blank


def test_the_batch_unit_is_stated_or_its_inference_noted(tmp_path: Path) -> None:
    frame = grid(SIZES, (4e9, 1e10))
    frame["batch"] = (frame.pop("bs") * SEQ_LEN).round()  # a 'batch' column of tokens
    hp = fit_hparams(frame, bootstrap=0)  # no steps column: read as sequences, by its name
    assert hp.batch_unit == "sequences"
    assert any(
        n.startswith("batch in sequences of unknown length: column 'batch' read as sequences")
        and "look like tokens" in n
        for n in hp.notes
    )
    # its values as the cells' B* are written (524K), not to six digits (524288)
    looks = next(n for n in hp.notes if "look like tokens" in n)
    assert re.search(r"its values, \d+(\.\d+)?[KM] to \d+(\.\d+)?[KM], look like tokens", looks)
    stated = fit_hparams(frame, batch_unit="tokens", bootstrap=0)
    assert stated.batch_unit == "tokens" and not any("batch in" in n for n in stated.notes)
    assert stated.cells[0].batch == pytest.approx(optimum(1e8, 4e9)[1], rel=0.05)
    bt = backtest_hparams(frame, batch_unit="tokens", presets=("steplaw2025",))
    assert not any("scored on lr only" in n for n in bt.notes)
    # with steps, tokens = batch x steps: the batch counts tokens, no "sequences of 1 tokens"
    frame["steps"] = frame["D"] / frame["batch"]
    notes = fit_hparams(frame, bootstrap=0).notes
    assert (
        "batch in tokens: tokens = batch x steps (to 1%) on every run (columns 'batch', 'steps')"
        in notes
    )
    with pytest.raises(ConfigError, match="batch_unit 'sequences' contradicts the runs"):
        fit_hparams(frame, batch_unit="sequences", bootstrap=0)


def test_cli_takes_batch_unit(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    frame = grid(SIZES, (4e9, 1e10))
    frame["batch"] = (frame.pop("bs") * SEQ_LEN).round()
    frame.to_csv(tmp_path / "s.csv", index=False)
    base = ["hparams", "fit", str(tmp_path / "s.csv"), "--bootstrap", "0"]
    assert main([*base, "--batch-unit", "tokens"]) == 0
    assert "B* (tokens)" in capsys.readouterr().out
    assert main([*base, "--batch-unit", "bytes"]) == 2
    assert "--batch-unit must be 'sequences' or 'tokens', got 'bytes'" in (capsys.readouterr().err)


def test_backtest_shows_no_batch_ratio_for_methods_scored_on_lr_only(
    capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    frame = grid(SIZES, (4e9, 1e10, 3e10))  # 'bs' in sequences, no seq_len: presets on lr only
    bt = backtest_hparams(frame, presets=("steplaw2025",))
    scored = {s.method: s for s in bt.held_out}
    assert math.isnan(scored["steplaw2025"].batch_ratio)
    assert scored["scalinglab"].batch_ratio == pytest.approx(1.0, abs=0.1)
    assert math.isnan(bt.summary("steplaw2025")["median_batch_ratio"])
    assert bt.summary("steplaw2025")["cells"] == 3 and isinstance(bt.summary("naive")["cells"], int)
    frame.to_csv(tmp_path / "s.csv", index=False)
    assert main(["hparams", "backtest", str(tmp_path / "s.csv"), "--preset", "steplaw2025"]) == 0
    out = capsys.readouterr().out
    row = next(line for line in out.splitlines() if line.startswith("│ steplaw2025 "))
    assert row.split("│")[4].strip() == "—"
    assert "grid regret (runs)" in out and "median grid regret (runs)" in out


def test_every_table_names_the_optimal_batch_b_star(
    capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    grid(SIZES, (4e9, 1e10, 3e10)).to_csv(tmp_path / "s.csv", index=False)
    assert main(["hparams", "fit", str(tmp_path / "s.csv"), "--bootstrap", "0"]) == 0
    out = capsys.readouterr().out
    assert "│ B* = B * D**gamma" in out and "batch*" not in out


def test_a_cell_that_mixes_token_budgets_is_refused(tmp_path: Path) -> None:
    grid((1e8, 2e8), (4e9, 1e10)).to_csv(tmp_path / "s.csv", index=False)
    with pytest.raises(DataError) as err:
        fit_hparams(tmp_path / "s.csv", by=("N",), bootstrap=0)
    assert str(err.value.message).endswith(
        "column 'D': the runs grouped by N into one cell differ in D: 4e9 (row 2) and "
        "1e10 (row 47); a cell is one (N, D)"
    )
    assert err.value.hint == "group by D too: --by N --by D"


@pytest.mark.parametrize("seq_len", [0, -5])
def test_predict_refuses_a_sequence_length_that_is_not_positive(seq_len: int) -> None:
    from scalinglab.hparams import get_hparam_preset

    hp = fit_hparams(grid(SIZES, (4e9, 1e10, 3e10)), seq_len=SEQ_LEN, bootstrap=0)
    message = f"seq_len must be a positive integer, got {seq_len}"
    with pytest.raises(ConfigError, match=message):
        hp.predict(params=1e9, tokens=2e10, seq_len=seq_len)
    with pytest.raises(ConfigError, match=message):
        get_hparam_preset("steplaw2025").predict(params=1e9, tokens=2e10, seq_len=seq_len)
    assert hp.predict(params=1e9, tokens=2e10).seq_len == SEQ_LEN


def test_a_plans_hparams_drop_the_sweeps_loss_and_its_note() -> None:
    from types import SimpleNamespace

    from scalinglab.cli._hparams_rule import at_allocation

    hp = fit_hparams(grid(SIZES, (4e9, 1e10, 3e10)), seq_len=SEQ_LEN, bootstrap=20)
    assert any(
        n.startswith("loss at the optimum") for n in hp.predict(params=1e9, tokens=2e10).notes
    )
    at = SimpleNamespace(**{k: SimpleNamespace(value=v) for k, v in
                            (("params", 1e9), ("tokens", 2e10), ("flops", 1.2e20))})  # fmt: skip
    origins = ("--preset hoffmann2022", "--hparams hp.json")
    pred = at_allocation(hp, at, None, params=hp.params_convention, origins=origins)
    assert math.isnan(pred.loss) and not any(n.startswith("loss at") for n in pred.notes)
