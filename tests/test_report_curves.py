"""``scalinglab report CURVES --curves``: the curves page from synthetic and shared curves."""

from __future__ import annotations

import re
from pathlib import Path

import numpy as np
import pandas as pd
import pytest
from tests._cli import cli
from tests.conftest import SHARED
from tests.test_curves import SPECS, _synthetic

from scalinglab.curves import Tissue, backtest_curves

LR = SHARED / "lr-schedules"
TRUTH = {"L0": 2.8, "A": 0.6, "alpha": 0.45, "C": 0.8}
TRAIN = "run0,run1,run2"


def write_curves(path: Path) -> Path:
    """Four synthetic curves of a known Tissue law (runs run0 to run3), written to ``path``
    as one (run, step, lr, loss) file."""
    frames = []
    for c in _synthetic(Tissue(), TRUTH, SPECS, noise=1e-3, seed=7, every=50):
        lr = np.interp(c.step, np.arange(len(c.schedule.lr)), c.schedule.lr)
        frames.append(pd.DataFrame({"run": c.run, "step": c.step, "lr": lr, "loss": c.loss}))
    pd.concat(frames).to_csv(path, index=False)
    return path


@pytest.fixture(scope="module")
def curves_csv(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """:func:`write_curves`' file."""
    return write_curves(tmp_path_factory.mktemp("curves") / "curves.csv")


def _errors(text: str) -> dict[str, float]:
    rows = re.findall(r"<tr><td>([^<]+)</td><td class='num'>([0-9.]+)%</td>", text)
    return {run: float(v) / 100 for run, v in rows}


@pytest.mark.heavy  # 1.7 s in the suite on a 2-core AMD EPYC
def test_report_curves_writes_fit_predictions_residuals_and_comparison(
    capsys: pytest.CaptureFixture[str], curves_csv: Path, tmp_path: Path
) -> None:
    out = tmp_path / "report.html"
    code, said, err = cli(
        capsys, "report", str(curves_csv), "--curves", "--train", TRAIN,
        "--curve-law", "tissue", "--bootstrap", "20", "--out", str(out),
    )  # fmt: skip
    assert code == 0, err
    assert f"wrote report: {out}" in said
    text = out.read_text(encoding="utf-8")
    assert "Loss curves across schedules" in text and "id='fig-curves'" in text
    assert "residuals against step" in text  # the figure's second panel (titles are text)
    assert "Schedules compared (final loss after" in text
    for spec in ("wsd:0.1", "wsd:0.2", "linear"):
        assert f"<td>{spec}" in text
    # each as evaluated, the fit's defaults filled in
    assert "schedules as compared: cosine is cosine:end=3e-05,peak=0.0003," in text
    assert "; wsd:0.1 is wsd:decay=0.1,end=3e-05,peak=0.0003," in text
    # the baseline's own row, and the best chosen among all of them, cosine included
    assert "<td>cosine (baseline" in text and text.count("best)</td>") == 1
    # under the comparison's intervals, what they cover, once, as `curves compare` says it
    from scalinglab.curves._caveats import COVERS
    from scalinglab.report._html_parts import escape

    compared = text[text.index("Schedules compared") :]
    note = f"<p class='notes'>note: {escape(COVERS)}</p>"
    assert compared.split("</table>", 1)[1].startswith(note) and text.count(note) == 1
    # the held-out run's error is the library backtest's, independently recomputed here
    from scalinglab.curves import read_lr_curves

    bt = backtest_curves(read_lr_curves([curves_csv]), train=TRAIN.split(","), law="tissue")
    errors = _errors(text)
    assert set(errors) == set(bt.held_out_runs) == {"run3"}
    assert errors["run3"] == pytest.approx(bt.mean_are[0], abs=5e-6)
    assert errors["run3"] < 0.005  # the true law with 0.1% noise: predicted to ~0.1%
    assert "--curves --train run0,run1,run2" in text  # the reproduce line
    # the card says the resamples too; piped, stderr says the stage (as the loss page does)
    assert re.search(r"<th scope='row'>bootstrap</th><td>20 [a-z-]+ resamples; 90% intervals", text)
    assert (
        "fitting tissue to 3 curves and predicting 1 (20 bootstrap resamples), then writing" in err
    )
    assert "<script" not in text and "http" not in text.replace("http://www.w3.org", "")


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["--curves"], "--curves needs the runs to fit on: --train"),
        (
            ["--curves", "--hparams", "--train", TRAIN],
            "at most one of --hparams, --curves, --downstream",
        ),
        (["--curves", "--train", "nope"], "'nope' is not among the curves read"),
        (["--curves", "--train", "run0,run1,run2,run3"], "nothing is left to predict"),
    ],
)
def test_report_curves_refusals_write_nothing(
    capsys: pytest.CaptureFixture[str],
    curves_csv: Path,
    tmp_path: Path,
    args: list[str],
    message: str,
) -> None:
    out = tmp_path / "r.html"
    code, _, err = cli(capsys, "report", str(curves_csv), *args, "--out", str(out))
    assert code == 2 and message in err and not out.exists()


@pytest.mark.skipif(not LR.exists(), reason=f"shared lr-schedule curves not found at {LR}")
@pytest.mark.heavy
def test_report_curves_on_the_shared_schedules(
    capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    out = tmp_path / "report.html"
    code, _, err = cli(
        capsys, "report", str(LR / "25M"), "--curves",
        "--train", "cosine_24000,constant_24000,wsdcon_9", "--warmup", "2160",
        "--bootstrap", "0", "--out", str(out),
    )  # fmt: skip
    assert code == 0, err
    text = out.read_text(encoding="utf-8")
    errors = _errors(text)
    assert len(errors) == 6 and "25M/cosine_72000" in errors
    # the README's `curves backtest` on these curves: every held-out mean error under 0.5%
    assert max(errors.values()) < 0.005
    assert "Schedules compared" in text and "wsd:0.2" in text


@pytest.mark.heavy  # 3.3 s in the suite on a 2-core AMD EPYC
def test_report_curves_reads_a_run_store(
    capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    from scalinglab.store import RunStore, StoredRun

    store = RunStore(tmp_path / "runs.duckdb")
    for c in _synthetic(Tissue(), TRUTH, SPECS, noise=0, seed=0, every=50):
        frame = pd.DataFrame({"step": c.step, "lr": c.schedule.lr[c.step], "train_loss": c.loss})
        store.put_run(
            StoredRun(run_id=c.run, name=c.run, status="finished", params=1e8, loss=c.loss[-1]),
            curve=frame,
        )
    out = tmp_path / "report.html"
    code, _, err = cli(
        capsys, "report", "--store", str(tmp_path / "runs.duckdb"), "--curves", "--train", TRAIN,
        "--curve-law", "tissue", "--warmup", "200", "--bootstrap", "0", "--out", str(out),
    )  # fmt: skip
    assert code == 0, err
    text = out.read_text(encoding="utf-8")
    errors = _errors(text)
    assert set(errors) == {"run3"} and errors["run3"] < 1e-4  # noiseless: the law itself
    assert "Schedules compared" in text and "the intervals cover" not in text  # none drawn
    assert "--store" in text  # the reproduce line reads the same store
    code, _, err = cli(capsys, "report", "--curves", "--train", TRAIN, "--out", str(out))
    assert code == 2 and "give CURVES or --store" in err


@pytest.mark.heavy  # 1.9 s in the suite on a 2-core AMD EPYC
def test_report_curves_honours_level_and_seed(
    capsys: pytest.CaptureFixture[str], curves_csv: Path, tmp_path: Path
) -> None:
    """--level and --seed reach the fit: the page's intervals are the library's at that
    level and seed, its headers and caption say the level and the resamples, and the
    Reproduce command spells both."""
    from scalinglab._format import format_gain
    from scalinglab.curves import compare_schedules, read_lr_curves
    from scalinglab.curves._report import COMPARED

    out = tmp_path / "report.html"
    code, _, err = cli(
        capsys, "report", str(curves_csv), "--curves", "--train", TRAIN, "--curve-law",
        "tissue", "--bootstrap", "20", "--level", "0.5", "--seed", "3", "--out", str(out),
    )  # fmt: skip
    assert code == 0, err
    text = out.read_text(encoding="utf-8")
    items, train = read_lr_curves([curves_csv]), TRAIN.split(",")

    def wsd(level: float, seed: int) -> str:
        bt = backtest_curves(items, train=train, law="tissue", bootstrap=20, level=level, seed=seed)
        steps = max(c.schedule.steps for c in items if c.run in bt.fit.runs)
        row = compare_schedules(bt.fit, steps=steps, schedules=COMPARED)[0]
        return f"[{format_gain(row.gain_lower)}, {format_gain(row.gain_upper)}]"

    # the interval of wsd:0.1's gain over cosine at the level and seed asked for
    assert wsd(0.5, 3) in text
    assert wsd(0.9, 3) not in text and wsd(0.5, 0) not in text  # not the defaults'
    header = re.search(r"<th>(50% interval \(20 [a-z-]+ resamples\))</th>", text)
    # the comparison's two columns, and the coefficients' ends (lower, upper) in two
    assert header is not None and text.count(f"<th>{header[1]}</th>") == 2
    assert text.count(f"<th>{header[1]}: lower</th><th>upper</th>") == 1
    caption = re.search(r"<figure id='fig-curves'><figcaption>(.*?)</figcaption>", text)
    assert caption is not None and f"with the {header[1]} as a band" in caption[1]
    assert "--bootstrap 20 --level 0.5 --seed 3" in text  # the Reproduce line
