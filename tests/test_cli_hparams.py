"""``scalinglab hparams`` through ``main([...])``: fit, predict, backtest, and refusals."""

from __future__ import annotations

import html
import json
import re
from pathlib import Path

import pytest
from tests._cli import cli
from tests._hparam_sweeps import sweep

from scalinglab._hparams_numbers import regret_pct


@pytest.fixture(scope="module")
def sweep_csv(tmp_path_factory: pytest.TempPathFactory) -> Path:
    path = tmp_path_factory.mktemp("hp") / "sweep.csv"
    sweep(1).to_csv(path, index=False)
    return path


def test_fit_then_predict(capsys: pytest.CaptureFixture[str], sweep_csv: Path) -> None:
    out_path = sweep_csv.with_name("hp.json")
    code, out, err = cli(
        capsys,
        "hparams",
        "fit",
        str(sweep_csv),
        "--seq-len",
        "2048",
        "--bootstrap",
        "50",
        "--out",
        str(out_path),
    )
    assert code == 0, err
    assert "lr* = A * N**alpha * D**beta" in out and "B* = B * D**gamma" in out
    assert "diverged runs" in out and out_path.exists()
    code, out, _ = cli(
        capsys, "hparams", "predict", "--params", "7B", "--tokens", "1.4T", "--fit", str(out_path)
    )
    assert code == 0
    for text in ("peak lr*", "B* (tokens)", "B* (sequences of 2048)", "loss penalty, lr x2"):
        assert text in out
    code, out, _ = cli(
        capsys,
        "hparams",
        "predict",
        "--params",
        "7B",
        "--tokens",
        "1.4T",
        "--fit",
        str(out_path),
        "--json",
    )
    data = json.loads(out)
    assert data["lr"] > 0 and len(data["lr_interval"]) == 2


def test_predict_with_a_preset(capsys: pytest.CaptureFixture[str]) -> None:
    code, out, _ = cli(
        capsys,
        "hparams",
        "predict",
        "--params",
        "1B",
        "--tokens",
        "100B",
        "--preset",
        "steplaw2025",
        "--seq-len",
        "2048",
        "--json",
    )
    assert code == 0
    data = json.loads(out)
    assert data["lr"] == pytest.approx(1.79 * 1e9**-0.713 * 1e11**0.307)
    assert data["batch_sequences"] == pytest.approx(0.58 * 1e11**0.571 / 2048)


def test_backtest_table(capsys: pytest.CaptureFixture[str], sweep_csv: Path) -> None:
    code, out, _ = cli(
        capsys,
        "hparams",
        "backtest",
        str(sweep_csv),
        "--holdout",
        "top-scales:1",
        "--seq-len",
        "2048",
    )
    assert code == 0
    for method in ("scalinglab", "naive", "steplaw2025", "deepseek2024"):
        assert method in out
    assert "median regret" in out


def test_refusals_are_one_line_exit_2_nothing_written(
    capsys: pytest.CaptureFixture[str], sweep_csv: Path, tmp_path: Path
) -> None:
    frame = sweep(2)
    no_lr = tmp_path / "no_lr.csv"
    frame.rename(columns={"lr": "eta"}).to_csv(no_lr, index=False)
    bad_lr = tmp_path / "bad_lr.csv"
    frame.assign(lr=frame["lr"].where(frame.index != 3, 0.0)).to_csv(bad_lr, index=False)
    edge = tmp_path / "edge.csv"
    sweep(2, edge=True).to_csv(edge, index=False)
    few = tmp_path / "few.csv"
    frame[frame["params"] == 1e8].to_csv(few, index=False)
    out_path = tmp_path / "hp.json"
    cases = [
        (("fit", str(no_lr)), "no learning-rate column"),
        (("fit", str(bad_lr)), "learning rate is 0"),
        (("fit", str(edge)), "is unbracketed"),
        (("fit", str(few), "--law", "steplaw"), "at least 4"),
        (("predict", "--params", "7B", "--tokens", "1T", "--preset", "nope"), "steplaw2025"),
        (("fit", str(sweep_csv), "--surface", "quartic"), "the surfaces are cubic, quadratic"),
    ]
    for args, message in cases:
        extra = ("--out", str(out_path)) if args[0] == "fit" else ()
        code, out, err = cli(capsys, "hparams", *args, *extra)
        assert code == 2, (args, out, err)
        assert message in err, (message, err)
        assert len(err.strip().splitlines()) <= 2
        assert not out_path.exists()


def test_plan_carries_lr_and_batch(capsys: pytest.CaptureFixture[str]) -> None:
    code, out, _ = cli(
        capsys,
        "plan",
        "--compute",
        "1e23",
        "--preset",
        "hoffmann2022",
        "--hparams-preset",
        "steplaw2025",
        "--seq-len",
        "2048",
        "--json",
    )
    assert code == 0
    data = json.loads(out)
    n, d = data["allocation"]["params"], data["allocation"]["tokens"]
    hp = data["hparams"]
    assert hp["params"] == pytest.approx(n) and hp["tokens"] == pytest.approx(d)
    assert hp["lr"] == pytest.approx(1.79 * n**-0.713 * d**0.307)
    assert "steplaw2025" in hp["rule"]
    code, out, _ = cli(
        capsys,
        "plan",
        "--compute",
        "1e23",
        "--preset",
        "hoffmann2022",
        "--hparams-preset",
        "steplaw2025",
    )
    assert code == 0 and "peak lr*" in out and "compute-optimal allocation" in out
    code, _, err = cli(
        capsys, "plan", "--compute", "1e23", "--preset", "hoffmann2022", "--hparams-preset", "x"
    )
    assert code == 2 and "unknown hyperparameter preset" in err


def test_plan_lists_the_lr_and_batch_warnings_among_its_own(
    capsys: pytest.CaptureFixture[str],
) -> None:
    """N far past the sizes the hparams rule was fitted on: its warning is in the hparams
    block and in the plan's top-level warnings (prefixed), once per budget, and printed."""
    plan = ["plan", "--compute", "1e23,1e25", "--preset", "hoffmann2022",
            "--hparams-preset", "steplaw2025"]  # fmt: skip
    code, out, err = cli(capsys, *plan, "--json")
    assert code == 0, err
    data = json.loads(out)
    said = [w for p in data["plans"] for w in p["hparams"]["warnings"]]
    assert len(said) == 2 and all("outside the 215M to 1B its source fitted" in w for w in said)
    assert [w for w in data["warnings"] if w.startswith("hparams: ")] == [
        f"hparams: {w}" for w in said
    ]
    # stderr echoes the text's lines: each warning once, not again as "hparams: ..."
    echoed = " ".join(err.split())
    assert all(echoed.count(w) == 1 for w in said) and "warning: hparams:" not in echoed
    code, out, err = cli(capsys, *plan)
    text = " ".join(out.split())
    assert code == 0 and all(f"warning: {w}" in text for w in said)


def test_ladder_rungs_take_lr_and_batch_from_a_law(capsys: pytest.CaptureFixture[str]) -> None:
    from scalinglab.ladder import get_recipe, rung_counts

    code, out, _ = cli(
        capsys, "ladder", "plan", "tiny", "--hparams-preset", "steplaw2025", "--json"
    )
    assert code == 0
    data = json.loads(out)
    notes = "\n".join(data["notes"])  # a list, one note a line
    assert "from preset steplaw2025" in notes
    for row, rung in zip(data["rungs"], get_recipe("tiny").rungs, strict=True):
        # D: the tokens the rung trains (whole steps of its batch), as its table shows
        n, d = rung_counts(rung).params_non_embedding, row["tokens"]
        assert d < rung.train.tokens
        assert row["lr"] == pytest.approx(1.79 * n**-0.713 * d**0.307)
        assert row["batch_size"] == max(1, round(0.58 * d**0.571 / rung.model.context))
        assert f"{row['name']}: lr {row['lr']:.3g}, batch {row['batch_size']}" in notes
    code, _, err = cli(
        capsys, "ladder", "plan", "tiny", "--hparams-preset", "steplaw2025", "--hparams", "x.json"
    )
    assert code == 2 and "at most one of --hparams and --hparams-preset" in err


@pytest.mark.heavy
def test_report_with_hparams(capsys: pytest.CaptureFixture[str], sweep_csv: Path) -> None:
    out = sweep_csv.with_name("hp.html")
    code, _, err = cli(
        capsys,
        "report",
        str(sweep_csv),
        "--hparams",
        "--seq-len",
        "2048",
        "--bootstrap",
        "20",
        "--out",
        str(out),
    )
    assert code == 0, err
    page = out.read_text()
    for key in ("hparams-cells", "hparams-laws", "hparams-regret", "<svg"):
        assert key in page
    assert "scalinglab report" in page and "--hparams" in page
    assert page.count("<tr>") > 12 + 4  # a row per cell, and the regret tables
    # the forms chosen for the fit (4 sizes) and for the backtest's training cells (3): each
    # a table, as `hparams fit --law auto` prints it, not a paragraph of every score
    assert "Law choice on the fitted cells: leave-one-size-out over 4 model sizes" in page
    assert "Law choice on the training cells: leave-one-size-out over 3 model sizes" in page
    assert "Law choice: median held-out regret" not in page
    tables = re.findall(r"<table class='law-choice'>(.*?)</table>", page, flags=re.S)
    assert len(tables) == 2
    # the fit's table holds the numbers the fit saves (its JSON), as the command line's does
    code, out, _ = cli(capsys, "hparams", "fit", str(sweep_csv), "--seq-len", "2048",
                       "--bootstrap", "0", "--json")  # fmt: skip
    assert code == 0
    saved = json.loads(out)["law_choice"]
    cells = [re.findall(r"<td[^>]*>(.*?)</td>", row) for row in tables[0].split("<tr>")[2:]]
    assert len(cells) == len(saved["candidates"]) > 1
    for row, c in zip(cells, saved["candidates"], strict=True):
        assert row[:4] == [
            html.escape(c["lr_law"]), html.escape(c["batch_law"] or "—"), str(c["n_coefs"]),
            regret_pct(c["median_regret"], [d["median_regret"] for d in saved["candidates"]]),
        ]  # fmt: skip
        mine = (c["lr_law"], c["batch_law"]) == (saved["lr_law"], saved["batch_law"])
        assert row[4] == ("chosen" if mine else "")


def test_y_and_by_take_the_names_the_file_has(
    capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    """`--y loss=COL` as on every command, `--by N --by D` for columns the reader renamed;
    a missing loss column is named with the option that chooses it."""
    frame = sweep(1).rename(columns={"params": "N", "tokens": "D", "loss": "smooth loss"})
    path = tmp_path / "renamed.csv"
    frame.to_csv(path, index=False)
    base = ("hparams", "fit", str(path), "--seq-len", "2048", "--bootstrap", "0", "--json")
    code, plain, err = cli(capsys, *base, "--y", "smooth loss")
    assert code == 0, err
    code, mapped, err = cli(capsys, *base, "--y", "loss=smooth loss", "--by", "N", "--by", "D")
    assert code == 0, err
    assert json.loads(mapped)["lr_law"] == json.loads(plain)["lr_law"]
    code, _, err = cli(capsys, *base, "--y", "loss=nope")
    assert code == 2 and "no loss column" in err and "--y COLUMN" in err
    both = tmp_path / "both.csv"
    frame.assign(loss=frame["smooth loss"]).to_csv(both, index=False)
    code, _, err = cli(capsys, "hparams", "fit", str(both), "--y", "nope", "--bootstrap", "0")
    assert code == 2
    assert "no loss column 'nope' to locate optima on" in err and "--y COLUMN" in err
    code, _, err = cli(capsys, *base, "--y", "smooth loss", "--level", "90")
    assert code == 2 and "a fraction: --level 0.9 for a 90% interval" in err


@pytest.mark.heavy  # 2.9 s in the suite on a 2-core AMD EPYC
def test_a_redundant_coefficient_and_a_contradicting_seq_len_are_said(
    capsys: pytest.CaptureFixture[str], sweep_csv: Path, tmp_path: Path
) -> None:
    code, out, err = cli(
        capsys, "hparams", "fit", str(sweep_csv), "--seq-len", "2048", "--bootstrap", "0",
        "--lr-law", "A * N**alpha * D**beta * X",
    )  # fmt: skip
    assert code == 0, err
    assert "warning: the lr* law: A and X are not identified separately" in out
    frame = sweep(1)
    frame["steps"] = frame["tokens"] / (frame["bs"] * 2048)  # tokens = batch x steps x 2048
    path = tmp_path / "steps.csv"
    frame.to_csv(path, index=False)
    code, _, err = cli(capsys, "hparams", "fit", str(path), "--seq-len", "4096", "--bootstrap", "0")
    assert code == 2 and "--seq-len 4096 contradicts the runs" in err and "off by 2x" in err


def test_plan_level_sets_the_lr_and_batch_intervals(
    capsys: pytest.CaptureFixture[str], sweep_csv: Path, tmp_path: Path
) -> None:
    """``plan --level`` reaches lr* and B*, read as ``hparams predict --level`` reads them."""
    hp = tmp_path / "hp.json"
    code, _, err = cli(
        capsys, "hparams", "fit", str(sweep_csv), "--bootstrap", "40", "--out", str(hp)
    )
    assert code == 0, err
    plan = ("plan", "--preset", "hoffmann2022", "--compute", "1e22", "--hparams", str(hp), "--json")
    widths = {}
    for level in ("0.5", "0.9"):
        code, out, err = cli(capsys, *plan, "--level", level)
        assert code == 0, err
        hparams = json.loads(out)["hparams"]
        alloc = json.loads(out)["allocation"]
        code, out, err = cli(
            capsys, "hparams", "predict", "--fit", str(hp), "--json", "--level", level,
            "--params", str(alloc["params"]), "--tokens", str(alloc["tokens"]),
        )  # fmt: skip
        assert code == 0, err
        assert hparams["lr_interval"] == pytest.approx(json.loads(out)["lr_interval"], rel=1e-9)
        widths[level] = hparams["lr_interval"][1] / hparams["lr_interval"][0]
    assert 1 < widths["0.5"] < widths["0.9"]
