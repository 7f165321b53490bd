"""What reading a sweep's runs warns of (flops off 6·N·D or in another unit, sizes that
look mixed: a run table's ``warning:`` notes) is among ``HparamFit.warnings`` and
``HparamBacktest.warnings``, unmarked and said once, as ``fit`` keeps a run table's reading
warnings among ``FitResult.warnings``: the CLI prints it as ``warning:``, ``--json`` holds it
and the report page lists it. Before, the sweep kept only the perplexity and repeated-column
ones and dropped the others silently."""

from __future__ import annotations

import html
import json
from pathlib import Path

import numpy as np
import pandas as pd
import pytest
from tests._cli import cli
from tests._hparam_sweeps import optimum

from scalinglab.hparams import backtest_hparams, fit_hparams, read_sweep

#: How the flops warning of the sweep below begins: the 28 runs of its two larger sizes
#: give flops in GFLOPs, 1e-9 of 6·N·D, where the other 28 give FLOPs.
FLOPS_OFF = "column 'flops' at 28 of 56 rows (rows 30, 31, 32, 33, 34, 35, 36, 37, ...) is 2e-9×"


def _sweep(path: Path, *, perplexity: bool = False, repeated: bool = False) -> Path:
    """A learning-rate sweep of 8 cells (4 sizes x 2 token counts, 7 lr each), its loss a
    bowl in log lr around the true lr*; the larger half of the sizes give flops in GFLOPs.
    ``perplexity``: the loss written as exp(loss); ``repeated``: two columns named 'notes'."""
    rows = []
    for n in (1e8, 2e8, 4e8, 8e8):
        for d in (10 * n, 100 * n):
            lr0, _ = optimum(n, d)
            best = 1.8 + 400 * n**-0.3 + 400 * d**-0.3
            for k in range(-3, 4):
                lr = lr0 * 2.0 ** (k + 0.2)
                loss = best * (1 + 0.01 * np.log(lr / lr0) ** 2)
                flops = 6 * n * d / (1e9 if n > 3e8 else 1.0)
                rows.append({"params": n, "tokens": d, "flops": flops, "lr": lr, "loss": loss})
    frame = pd.DataFrame(rows)
    if perplexity:
        frame["loss"] = np.exp(frame["loss"])
    if repeated:  # a column of that name left out, warned
        frame.insert(0, "notes", "a")
        frame.insert(1, "notes", "b", allow_duplicates=True)
    frame.to_csv(path, index=False)
    return path


def _read(path: Path) -> list[str]:
    """The reading warnings of the sweep's run table, unmarked: what its fit must warn of."""
    notes = read_sweep(path).table.notes
    return [n.removeprefix("warning: ") for n in notes if n.startswith("warning: ")]


@pytest.fixture(scope="module")
def path(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return _sweep(tmp_path_factory.mktemp("hparams_reading_warnings") / "sweep.csv")


def test_a_fit_and_a_backtest_warn_of_flops_off_6nd(path: Path) -> None:
    read = _read(path)
    assert [w for w in read if w.startswith(FLOPS_OFF)]  # the table says it (it always did)
    hp, bt = fit_hparams(path, bootstrap=0), backtest_hparams(path)
    for result in (hp, bt):
        # each reading warning once, unmarked, among the warnings and never the notes
        assert all(result.warnings.count(w) == 1 for w in read), result.warnings
        assert not [n for n in result.notes if FLOPS_OFF in n]
        assert not [w for w in result.warnings if w.startswith("warning: ")]
        assert [w for w in result.to_dict()["warnings"] if w.startswith(FLOPS_OFF)]


def test_the_cli_prints_it_as_a_warning_and_the_json_has_it(
    capsys: pytest.CaptureFixture[str], path: Path
) -> None:
    for command in (["fit", "--bootstrap", "0"], ["backtest"]):
        code, out, err = cli(capsys, "hparams", *command, str(path))
        assert code == 0, err
        said = [line for line in (out + err).splitlines() if FLOPS_OFF in line]
        assert len(said) == 1 and said[0].startswith(f"warning: {FLOPS_OFF}"), said
        code, out, err = cli(capsys, "hparams", *command, str(path), "--json")
        assert code == 0, err
        assert len([w for w in json.loads(out)["warnings"] if w.startswith(FLOPS_OFF)]) == 1


@pytest.mark.heavy
def test_the_report_page_lists_it(capsys: pytest.CaptureFixture[str], path: Path) -> None:
    out = path.with_name("hp.html")
    code, _, err = cli(capsys, "report", str(path), "--hparams", "--bootstrap", "0",
                       "--out", str(out))  # fmt: skip
    assert code == 0, err
    page = out.read_text(encoding="utf-8")
    # said once, with the fit, as a loss page's backtest does not repeat the fitted law's
    assert page.count(f"<li><strong>warning:</strong> {html.escape(FLOPS_OFF)}") == 1
    said = [line for line in err.splitlines() if FLOPS_OFF in line]  # and echoed once
    assert len(said) == 1 and said[0].startswith(f"warning: {FLOPS_OFF}"), said


def test_each_reading_warning_is_said_once(tmp_path: Path) -> None:
    """A loss like perplexity is judged by the sweep on the column it reads (its own
    wording, ``--y COLUMN``), not said again as the table's; a repeated column once."""
    path = _sweep(tmp_path / "ppl.csv", perplexity=True, repeated=True)
    hp = fit_hparams(path, bootstrap=0)
    assert len([w for w in hp.warnings if "look like perplexity" in w]) == 1
    assert len([w for w in hp.warnings if "are named 'notes'" in w]) == 1
    assert len([w for w in hp.warnings if w.startswith(FLOPS_OFF)]) == 1
    assert len(set(hp.warnings)) == len(hp.warnings)
