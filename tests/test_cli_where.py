"""``--where COLUMN=VALUE`` on the commands that read runs (fit, backtest, isoflop, report),
parsed and applied as ``downstream fit --where``; and the warning a fit of several training
corpora pooled gives."""

from __future__ import annotations

import json
from pathlib import Path

import numpy as np
import pandas as pd
import pytest
from tests._cli import cli
from tests.conftest import SHARED, isoflop_runs

import scalinglab

MODELS = SHARED / "overtraining" / "models.dev.csv"
POOLED = (
    "the runs span 3 values of 'dataset' (c4_original, rpj, rw_original), fitted as one: a law "
    "holds for one training distribution — choose one with --where dataset=c4_original "
    "(RunTable.where in Python)"
)
needs_models = pytest.mark.skipif(not MODELS.is_file(), reason=f"shared data not found: {MODELS}")


@needs_models
def test_fit_where_fits_one_corpus(capsys: pytest.CaptureFixture[str]) -> None:
    code, out, _ = cli(capsys, "fit", str(MODELS), "--y", "loss_c4_val",
                       "--where", "dataset=c4_original", "--bootstrap", "0", "--no-compare")  # fmt: skip
    assert code == 0
    assert (
        f"data: {MODELS} where dataset = c4_original (31 of its 95 runs selected, 10.6M-412M params)"
        in out
    )
    assert "log space, 31 runs)" in out and "span" not in out


@needs_models
@pytest.mark.heavy  # 1.6 s in the suite on a 2-core AMD EPYC
def test_fit_of_several_corpora_pooled_warns(capsys: pytest.CaptureFixture[str]) -> None:
    code, out, _ = cli(capsys, "fit", str(MODELS), "--y", "loss_c4_val", "--bootstrap", "0",
                       "--no-compare")  # fmt: skip
    assert code == 0 and "log space, 95 runs)" in out
    assert f"warning: {POOLED}" in " ".join(out.split())  # rich wraps the line
    # the library's fit says it too, and RunTable.where keeps one corpus
    runs = scalinglab.read_runs(MODELS, columns={"loss": "loss_c4_val"})
    assert scalinglab.fit("chinchilla", runs, bootstrap=0).warnings[0] == POOLED
    one = scalinglab.fit("chinchilla", runs.where("dataset", "rpj"), bootstrap=0)
    assert one.n_runs == 32 and not any("span" in w for w in one.warnings)


@needs_models
def test_fit_where_refuses_what_downstream_refuses(capsys: pytest.CaptureFixture[str]) -> None:
    for bad, message in (
        ("dataset", "error: --where 'dataset' is not COLUMN=VALUE (a text column's value) nor "
                    "COLUMN OP NUMBER (OP one of >= > <= < == !=)\n"
                    "hint: write it as --where dataset=c4_original or --where 'params>=2e7'\n"),
        ("dataset=c4", f"error: no run has dataset = 'c4' in {MODELS}\n"
                       "hint: its values are c4_original, rpj, rw_original\n"),
    ):  # fmt: skip
        code, out, err = cli(capsys, "fit", str(MODELS), "--y", "loss_c4_val", "--where", bad)
        assert (code, out, err) == (2, "", message)
        code, out, err = cli(capsys, "downstream", "fit", str(MODELS), "--via", "loss_c4_val",
                             "--where", bad)  # fmt: skip
        assert (code, out, err) == (2, "", message)


def test_backtest_and_isoflop_keep_the_runs_where_says(
    capsys: pytest.CaptureFixture[str], two_corpora: Path
) -> None:
    code, out, _ = cli(capsys, "backtest", str(two_corpora), "--where", "dataset=a",
                       "--bootstrap", "20", "--no-rolling", "--json")  # fmt: skip
    data = json.loads(out)
    assert code == 0 and (data["n_fitted"], data["n_held_out"]) == (24, 6)
    said = f"{two_corpora} where dataset = a (30 of its 60 runs selected, 22.2M-5.05B params)"
    assert data["source"] == said
    code, out, _ = cli(capsys, "isoflop", str(two_corpora), "--where", "dataset=b",
                       "--bootstrap", "0", "--json")  # fmt: skip
    assert code == 0 and [b["n_runs"] for b in json.loads(out)["budgets"]] == [6] * 5
    code, _, err = cli(capsys, "isoflop", str(two_corpora), "--where", "corpus=a")
    assert code == 2 and f"no text column 'corpus' in {two_corpora}" in err


@pytest.mark.heavy  # 7.2 s in the suite on a 2-core AMD EPYC
def test_report_where_keeps_the_runs_of_the_loss_page(
    capsys: pytest.CaptureFixture[str], two_corpora: Path, tmp_path: Path
) -> None:
    page = tmp_path / "r.html"
    code, out, _ = cli(capsys, "report", str(two_corpora), "--where", "dataset=a",
                       "--no-validate", "--bootstrap", "0", "--json", "--out", str(page))  # fmt: skip
    data = json.loads(out)
    assert code == 0 and len(data["fit"]["runs"]) == 30
    assert "--where dataset=a" in data["command"]  # the card's command reproduces the page


def test_runs_are_screened_against_the_runs_kept(
    capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    """--where selects before the divergence screen: a diverged run of the other corpus is
    not noted, and one of the corpus kept is judged against its own runs (it was judged
    against both corpora, and kept)."""
    a, b = isoflop_runs(seed=1), isoflop_runs(seed=2)
    a["dataset"], b["dataset"] = "a", "b"
    b.loc[7, "loss"] *= 3.0  # diverged, in corpus b
    a.loc[7, "loss"] *= 2.0  # diverged, in corpus a
    b["loss"] *= np.where(np.arange(len(b)) % 2, 1.5, 0.7)  # b scattered: a's outlier hides
    frame = pd.concat([a, b], ignore_index=True)
    frame.insert(0, "run", [f"a{i}" for i in range(len(a))] + [f"b{i}" for i in range(len(b))])
    frame.to_csv(tmp_path / "two.csv", index=False)
    code, out, err = cli(
        capsys, "fit", str(tmp_path / "two.csv"), "--where", "dataset=a", "--drop-outliers",
        "--bootstrap", "0", "--no-compare",
    )  # fmt: skip
    assert code == 0, err
    assert f"({len(a) - 1} of its {len(frame)} runs selected" in out and "1 excluded" in out
    assert "run 'a7'" in out + err and "'b7'" not in out + err


@needs_models
def test_isoflop_of_several_corpora_pooled_says_so(capsys: pytest.CaptureFixture[str]) -> None:
    code, out, err = cli(
        capsys, "isoflop", str(MODELS), "--y", "loss_c4_val", "--bootstrap", "0"
    )  # fmt: skip
    assert code == 0, err
    assert POOLED in " ".join((out + err).split())


@needs_models
@pytest.mark.heavy  # 2.6 s in the suite on a 2-core AMD EPYC
def test_where_and_the_pooled_warning_reach_a_run_store(
    capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    """A store keeps each run's config; its text values (dataset) are the runs' text
    columns, as in the file ingested (--where said 'no text column dataset')."""
    store = str(tmp_path / "m.duckdb")
    code, _, err = cli(capsys, "ingest", str(MODELS), "--map", "loss=loss_c4_val", "--store", store)
    assert code == 0, err
    code, out, err = cli(
        capsys, "fit", "--store", store, "--where", "dataset=c4_original", "--bootstrap", "0",
        "--no-compare",
    )  # fmt: skip
    assert code == 0, err
    assert "(31 of its 95 runs selected" in out
    code, out, err = cli(capsys, "fit", "--store", store, "--bootstrap", "0", "--no-compare")
    assert code == 0, err
    assert POOLED in " ".join((out + err).split())


def test_where_on_bundled_data_points_to_the_bundled_set_of_that_corpus(
    capsys: pytest.CaptureFixture[str],
) -> None:
    # the bundled sets are one corpus each, named as the source names it ('dataset')
    assert scalinglab.bundled_runs("overtraining-rw").labels["dataset"][0] == "rw_original"
    code, out, err = cli(
        capsys, "fit", "--where", "dataset=c4_original", "--bootstrap", "0", "--no-compare"
    )
    assert code == 0 and "(31 runs)" in out
    code, _, err = cli(capsys, "fit", "--where", "dataset=rpj", "--bootstrap", "0")
    assert code == 2
    assert "overtraining-c4 holds only the models trained on c4_original" in err
    assert "hint: scalinglab fit --data overtraining-rpj" in err
