"""``HparamFit.warnings`` and ``HparamBacktest.warnings``: reasons not to trust the laws or
the scores are a field of their own, never ``warning: ...`` lines among the notes, in
Python, in the JSON (``"warnings"`` beside ``"notes"``), in the text and on the report page;
a fit saved before, with them in its notes, loads to the same notes and warnings, each once."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from tests._cli import cli
from tests._hparam_sweeps import SEQ_LEN, two_corpora

from scalinglab.hparams import HparamFit, backtest_hparams, fit_hparams

POOLED = (
    "the runs span 2 values of 'dataset' (b, a), fitted as one: a law holds for one training "
    "distribution — choose one with --where dataset=b (where= in Python)"
)
FEW = (
    "intervals from 5 resamples only: their ends are noise at 90% (use 100 or more; the "
    "estimate may lie outside them); a warning, not a refusal: the "
    "estimates do not depend on the resamples, only the intervals do"
)


@pytest.fixture(scope="module")
def pooled(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """Two training corpora in one sweep: a fit that warns."""
    path = tmp_path_factory.mktemp("hparams_warnings") / "pooled.csv"
    two_corpora().to_csv(path, index=False)
    return path


@pytest.fixture(scope="module")
def fit(pooled: Path) -> HparamFit:
    return fit_hparams(pooled, seq_len=SEQ_LEN, bootstrap=5)


def _marked(lines: list[str] | tuple[str, ...]) -> list[str]:
    return [n for n in lines if n.startswith("warning: ")]


def test_a_fit_keeps_its_warnings_apart_from_its_notes(fit: HparamFit) -> None:
    assert fit.warnings == (POOLED, FEW)
    assert fit.notes and not _marked(fit.notes)
    data = fit.to_dict()
    assert data["warnings"] == [POOLED, FEW] and data["notes"] == list(fit.notes)
    assert list(data)[list(data).index("notes") + 1] == "warnings"  # beside the notes


def test_a_saved_fit_loads_to_the_same_notes_and_warnings(fit: HparamFit, tmp_path: Path) -> None:
    path = tmp_path / "hp.json"
    fit.save(path)
    again = HparamFit.load(path)
    assert (again.notes, again.warnings) == (fit.notes, fit.warnings)


def test_an_older_file_with_the_warnings_in_its_notes_loads_each_once(
    fit: HparamFit, tmp_path: Path
) -> None:
    data = fit.to_dict()
    del data["warnings"]  # as fits were saved before: each a "warning: " line of the notes
    notes = list(fit.notes)
    data["notes"] = [notes[0], *(f"warning: {w}" for w in fit.warnings), *notes[1:]]
    old = tmp_path / "old.json"
    old.write_text(json.dumps(data))
    loaded = HparamFit.load(old)
    assert (loaded.notes, loaded.warnings) == (fit.notes, fit.warnings)
    # a file with both: the warnings once, none among the notes
    data["warnings"] = [*fit.warnings, fit.warnings[0]]
    both = tmp_path / "both.json"
    both.write_text(json.dumps(data))
    loaded = HparamFit.load(both)
    assert (loaded.notes, loaded.warnings) == (fit.notes, fit.warnings)


def test_a_backtest_keeps_its_warnings_apart_from_its_notes(pooled: Path) -> None:
    bt = backtest_hparams(pooled, seq_len=SEQ_LEN)
    assert bt.warnings == (POOLED,)
    assert bt.notes and not _marked(bt.notes)
    data = bt.to_dict()
    assert data["warnings"] == [POOLED] and data["notes"] == list(bt.notes)


def test_the_text_prints_them_as_warnings_after_the_notes(
    capsys: pytest.CaptureFixture[str], pooled: Path
) -> None:
    for command, warned in (
        (["fit", "--bootstrap", "5"], [POOLED, FEW]),
        (["backtest"], [POOLED]),
    ):
        code, out, err = cli(capsys, "hparams", *command, str(pooled), "--seq-len", "2048")
        assert code == 0, err
        said = [line for line in out.splitlines() if line.startswith(("note: ", "warning: "))]
        # a backtest printed its warning as "note: warning: ..." before
        assert not [line for line in said if line.startswith("note: warning:")]
        assert said[-len(warned) :] == [f"warning: {w}" for w in warned]
        assert all(line.startswith("note: ") for line in said[: -len(warned)])


@pytest.mark.heavy
def test_the_report_page_lists_them_as_warnings(
    capsys: pytest.CaptureFixture[str], pooled: Path, tmp_path: Path
) -> None:
    out = tmp_path / "hp.html"
    code, _, err = cli(capsys, "report", str(pooled), "--hparams", "--seq-len", "2048",
                       "--bootstrap", "5", "--out", str(out))  # fmt: skip
    assert code == 0, err
    page = out.read_text()
    # as a warning, not a note; once, with the fit: the backtest's section does not repeat
    # what the fit's said, as a loss page's backtest does not repeat the fitted law's
    assert page.count("<li><strong>warning:</strong> the runs span 2 values of") == 1
    assert page.count("<li><strong>warning:</strong> intervals from 5 resamples only") == 1
    assert "<li>warning: " not in page
    # and echoed once each on stderr
    assert [line for line in err.splitlines() if line.startswith("warning: ")] == [
        f"warning: {POOLED}",
        f"warning: {FEW}",
    ]


def test_plan_and_ladder_plan_still_lift_the_rules_warnings(
    capsys: pytest.CaptureFixture[str], fit: HparamFit, tmp_path: Path
) -> None:
    """A saved fit with warnings of its own, as ``--hparams``: the plan's top-level
    ``warnings`` list the prediction's as ``hparams: ...``; the ladder's, its rungs outside
    and the fit's but the resamples' (the ladder shows no interval)."""
    path = tmp_path / "hp.json"
    fit.save(path)
    code, out, err = cli(capsys, "plan", "--compute", "1e23", "--preset", "hoffmann2022",
                         "--hparams", str(path), "--seq-len", "2048", "--json")  # fmt: skip
    assert code == 0, err
    data = json.loads(out)
    said = data["hparams"]["warnings"]
    assert said[:2] == [POOLED, FEW]  # the fit's own first, as a loss fit's predict --fit
    assert said[2].startswith("N = 14.6B is 1.26 decades above the largest")
    assert data["warnings"] == [f"hparams: {w}" for w in said]
    assert [line for line in err.splitlines() if line.startswith("warning: ")] == [
        f"warning: {w}" for w in said
    ]
    code, out, err = cli(capsys, "ladder", "plan", "tiny", "--hparams", str(path), "--json")
    assert code == 0, err
    data = json.loads(out)
    warned, *fits = data["warnings"]
    assert warned.startswith("3 of 3 rungs lie outside what the rule was fitted to")
    assert fits == [POOLED]  # the fit's own, after the rungs': not FEW, as it shows no interval
    assert not _marked(data["notes"]) and f"warning: {warned}" in err.splitlines()


def test_a_prediction_and_a_ladder_carry_the_fits_warnings(
    fit: HparamFit, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """The fit's reasons not to trust it reach what is read off it, as ``predict --fit``
    carries a loss fit's: they were left out of hparams predict, plan --hparams and ladder
    plan --hparams; the resample count's is said at the prediction's level, once."""
    cell = fit.cells[fit.used[-1]].keys
    pred = fit.predict(params=cell["params"], tokens=cell["tokens"])
    assert pred.warnings[:2] == (POOLED, FEW) and len(set(pred.warnings)) == len(pred.warnings)
    wider = fit.predict(params=cell["params"], tokens=cell["tokens"], level=0.5)
    assert POOLED in wider.warnings and FEW not in wider.warnings  # said at 50%, if at all
    path = tmp_path / "hp.json"
    fit.save(path)
    ladder = Path(__file__).resolve().parents[1] / "examples" / "ladder.toml"
    code, out, err = cli(capsys, "ladder", "plan", str(ladder), "--hparams", str(path), "--json")
    assert code == 0, err
    assert POOLED in json.loads(out)["warnings"] and FEW not in json.loads(out)["warnings"]
