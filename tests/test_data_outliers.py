"""Diverged runs: NaN losses are errors, high losses are noted, drop_outliers drops both."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pandas as pd
import pytest

from scalinglab import _errors
from scalinglab.data import find_outliers, read_runs, simulate_ladder

CHINCHILLA = Path(__file__).resolve().parents[1].parent / "shared" / "data" / "chinchilla"


def _ladder_csv(tmp_path: Path, *, losses: dict[int, str] | None = None) -> Path:
    """The clean simulated ladder as a CSV, with some losses replaced."""
    frame = simulate_ladder().to_pandas()[["run", "params", "tokens", "loss"]]
    frame["loss"] = frame["loss"].map(repr)
    for index, cell in (losses or {}).items():
        frame.loc[index, "loss"] = cell
    path = tmp_path / "ladder.csv"
    frame.to_csv(path, index=False)
    return path


@pytest.mark.parametrize("noise", [0.01, 0.02])
@pytest.mark.parametrize("seed", range(10))
def test_clean_simulated_ladder_has_no_outliers(seed: int, noise: float) -> None:
    assert find_outliers(simulate_ladder(seed=seed, noise=noise)) == ()


def test_nan_loss_raises_naming_run_and_row(tmp_path: Path) -> None:
    path = _ladder_csv(tmp_path, losses={3: "nan", 10: "NaN"})  # a blank cell: skipped
    with pytest.raises(_errors.DataError) as info:
        read_runs(path)
    err = info.value
    runs = simulate_ladder().runs
    assert err.source == str(path)
    assert err.row == 5  # data row 3 is line 5 of the file
    assert err.column == "loss"
    assert f"run {runs[3]!r} (row 5)" in str(err)
    assert f"run {runs[10]!r} (row 12)" in str(err)
    assert "2 runs" in str(err)
    assert "--drop-outliers" in err.hint
    assert "drop_outliers=True" in err.hint


def test_the_hint_is_true_for_fit(tmp_path: Path) -> None:
    """fit(path) says to pass drop_outliers=True, which fit takes as read_runs does (it was a
    TypeError); a RunTable, screened when read, is refused with where to drop them."""
    import scalinglab

    path = _ladder_csv(tmp_path, losses={3: "nan"})
    with pytest.raises(_errors.DataError) as info:
        scalinglab.fit("chinchilla", path, bootstrap=0)
    want = "pass --drop-outliers (drop_outliers=True to read_runs() or fit()) to exclude them"
    assert info.value.hint == want
    result = scalinglab.fit("chinchilla", path, bootstrap=0, drop_outliers=True)
    assert len(result.runs) == 48 and simulate_ladder().runs[3] not in result.runs
    bt = scalinglab.backtest(path, holdout="largest:5", bootstrap=0, drop_outliers=True)
    assert len(bt.split.fitted) + len(bt.split.held_out) == 48
    table = read_runs(_ladder_csv(tmp_path))
    with pytest.raises(_errors.ConfigError, match=r"fit\(drop_outliers=True\) drops runs") as e:
        scalinglab.fit("chinchilla", table, drop_outliers=True)
    assert e.value.hint == "drop them as you read them: read_runs(path, drop_outliers=True)"


@pytest.mark.parametrize(
    ("cell", "shown"),
    [("inf", "inf"), ("Infinity", "inf"), ("-inf", "-inf"), ("-Infinity", "-inf")],
)
def test_an_inf_loss_is_a_diverged_run_not_a_unit_slip(
    tmp_path: Path, cell: str, shown: str
) -> None:
    """A tracker's inf loss is refused as a NaN one is, naming the run and --drop-outliers
    (it was 'outside the range a fit can use', with a hint about units), and dropped so."""
    path = _ladder_csv(tmp_path, losses={0: cell})
    run = simulate_ladder().runs[0]
    with pytest.raises(_errors.DataError) as info:
        read_runs(path)
    assert info.value.message == (
        f"{path}, row 2, column 'loss': run without a usable loss (diverged?): run {run!r} "
        f"(row 2): loss is {shown} (diverged)"
    )
    assert info.value.hint.startswith("pass --drop-outliers (drop_outliers=True to")
    table = read_runs(path, drop_outliers=True)
    assert table.excluded == ((run, f"loss is {shown} (diverged)"),) and len(table) == 48


def test_a_json_export_s_infinity_is_a_diverged_run(tmp_path: Path) -> None:
    """``Infinity``, as Python's json writes a diverged loss, is read (it refused the whole
    file: 'the number inf is beyond float64's range'); a number too large still is not."""
    frame = simulate_ladder().to_pandas()[["run", "params", "tokens", "loss"]]
    frame.loc[2, "loss"] = np.inf
    path = tmp_path / "runs.jsonl"
    frame.to_json(path, orient="records", lines=True)
    path.write_text(path.read_text().replace("null", "Infinity"))  # pandas writes inf as null
    table = read_runs(path, drop_outliers=True)
    assert table.excluded == ((frame["run"][2], "loss is inf (diverged)"),)
    path.write_text('{"run": "a", "params": 1e7, "tokens": 1e400, "loss": 3.0}\n')
    with pytest.raises(_errors.DataError, match="the number 1e400 is beyond float64's range"):
        read_runs(path)


def test_high_loss_is_kept_with_a_note(tmp_path: Path) -> None:
    table = read_runs(_ladder_csv(tmp_path, losses={20: "9.5"}))
    run = simulate_ladder().runs[20]
    assert len(table) == 49
    assert table.excluded == ()
    notes = [n for n in table.notes if "looks diverged" in n]
    assert len(notes) == 1
    assert notes[0].startswith(f"run {run!r} (row 22) looks diverged: loss 9.5 ")
    want = "kept — pass --drop-outliers (drop_outliers=True to read_runs() or fit()) to exclude"
    assert notes[0].endswith(want)


def test_drop_outliers_excludes_and_records(tmp_path: Path) -> None:
    table = read_runs(_ladder_csv(tmp_path, losses={3: "nan", 20: "9.5"}), drop_outliers=True)
    runs = simulate_ladder().runs
    assert len(table) == 47
    assert runs[3] not in table.runs
    assert runs[20] not in table.runs
    assert [r for r, _ in table.excluded] == [runs[3], runs[20]]
    assert "loss is missing or NaN" in table.excluded[0][1]
    assert "above the trend" in table.excluded[1][1]
    assert sum("excluded" in n for n in table.notes) == 2
    assert table.describe_source().endswith("(47 runs, 2 excluded)")
    assert 22 not in table.rows
    assert 5 not in table.rows


def test_drop_outliers_is_a_no_op_on_clean_data(tmp_path: Path) -> None:
    table = read_runs(_ladder_csv(tmp_path), drop_outliers=True)
    assert len(table) == 49
    assert table.excluded == ()
    # the check was asked for, so it says it ran; without the flag nothing is said
    assert table.notes.count("outlier check: no run looks diverged, none excluded") == 1
    assert not any("outlier check" in n for n in read_runs(_ladder_csv(tmp_path)).notes)


def test_drop_outliers_applies_to_the_bundled_data(capsys: pytest.CaptureFixture[str]) -> None:
    from tests._cli import cli

    code, out, _ = cli(capsys, "fit", "--drop-outliers", "--bootstrap", "0", "--no-compare")
    assert code == 0 and "note: outlier check: no run looks diverged, none excluded" in out


def test_all_runs_diverged() -> None:
    frame = pd.DataFrame({"params": [1e7, 2e7], "tokens": [1e9, 1e9], "loss": [np.nan, np.nan]})
    with pytest.raises(_errors.DataError, match="every run"):
        read_runs(frame, drop_outliers=True)


def test_too_few_runs_for_a_trend() -> None:
    # Five runs: too few to call one "far above the rest"; nothing is flagged.
    frame = pd.DataFrame({"params": [1e7, 2e7, 4e7, 8e7, 1.6e8], "tokens": [1e9] * 5})
    frame["loss"] = [3.0, 2.9, 2.8, 2.7, 9.0]
    assert find_outliers(read_runs(frame)) == ()


def test_size_falls_back_to_params() -> None:
    params = np.geomspace(1e7, 1e9, 8)
    loss = 2.0 + 400.0 / params**0.34
    loss[2] *= 2.0
    table = read_runs(pd.DataFrame({"run": list("abcdefgh"), "params": params, "loss": loss}))
    flagged = find_outliers(table)
    assert [r for r, _ in flagged] == ["c"]
    assert "against params" in flagged[0][1]


def test_thresholds_are_options() -> None:
    table = simulate_ladder(noise=0.02)
    assert find_outliers(table, sigmas=0.5, min_excess=0.0)  # a strict rule flags noise


def _chinchilla() -> Path:
    path = CHINCHILLA / "svg_extracted_data.csv"
    if not path.exists():
        pytest.skip(f"Chinchilla data not found at {path} (shared data folder absent)")
    return path


def test_chinchilla_reads_245_runs_with_tokens_derived() -> None:
    table = read_runs(_chinchilla())
    assert len(table) == 245
    assert "column 'Model Size' read as params" in table.notes
    assert "column 'Training FLOP' read as flops" in table.notes
    assert "tokens derived as C/(6N) (column absent)" in table.notes
    np.testing.assert_allclose(table["tokens"], table["flops"] / (6 * table["params"]), rtol=1e-15)
    assert set(table.labels) == {"color", "hex_color"}


def test_chinchilla_outliers_include_the_5_highest_losses() -> None:
    table = read_runs(_chinchilla())
    flagged = {run for run, _ in find_outliers(table)}
    order = np.argsort(-table["loss"], kind="stable")
    top5 = {table.runs[i] for i in order[:5]}
    assert top5 <= flagged
    # The rule also flags two runs at the same smallest budget (6th- and 8th-highest loss,
    # 8.8σ and 8.7σ above the trend); see the _outliers module docstring.
    assert len(flagged) == 7
    assert flagged - top5 == {"row7", "row12"}
    assert all(table["flops"][table.runs.index(r)] < 1.1e19 for r in flagged)


def test_chinchilla_drop_outliers() -> None:
    table = read_runs(_chinchilla(), drop_outliers=True)
    assert len(table) == 238
    assert len(table.excluded) == 7
    assert table["loss"].max() < 3.41
