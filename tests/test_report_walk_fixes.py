"""The report walk's fixes: ``--out`` naming a folder says so; ``report --curves`` refuses a
``--train`` name before its "fitting" line and counts the curves it names; the isoFLOP
section of a page without intervals asks for the page's ``--bootstrap``, and of a fit of
too few resamples says so rather than "no bootstrap was asked"; the hparams page's card
spells ``--law``."""

from __future__ import annotations

import html
import re
from pathlib import Path

import pytest
from tests._cli import cli
from tests._pages import page_text
from tests.test_report_card_detected import _steplaw_sweep
from tests.test_report_curves import write_curves

from scalinglab.data._simulate import simulated_runs
from scalinglab.report._report_isoflop import isoflop_section
from scalinglab.validate import isoflop


@pytest.fixture(scope="module")
def curves_file(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """Four synthetic curves of a Tissue law, runs run0 to run3 (``test_report_curves``')."""
    return write_curves(tmp_path_factory.mktemp("curves") / "curves.csv")


def test_report_out_naming_a_folder_says_it_is_a_folder(
    capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    """Before: "cannot tell the format of 'reports' (no suffix)", as for a file name."""
    folder = tmp_path / "reports"
    folder.mkdir()
    code, _, err = cli(capsys, "report", "--out", str(folder))
    assert code == 2
    assert err.splitlines()[0] == f"error: --out {str(folder)!r} is a folder", err
    # the hint names a file in it (it said "give a file name"), quoted as a shell reads it
    hint = f"hint: give a file name, e.g. --out {folder / 'report.html'}"
    assert " ".join(err.split()).endswith(hint), err  # the hint wraps at the console's width
    spaced = tmp_path / "my reports"
    spaced.mkdir()
    for args, name in ((["report"], "report.html"), (["fit"], "fit.json")):
        code, _, err = cli(capsys, *args, "--out", str(spaced), one_line=True)
        assert code == 2 and f"e.g. --out '{spaced / name}'" in err, err
    code, _, err = cli(capsys, "fit", "--plot", str(spaced), one_line=True)
    assert code == 2 and f"e.g. --plot '{spaced / 'fit.png'}'" in err, err


def test_report_curves_refuses_a_train_name_before_saying_it_fits(
    capsys: pytest.CaptureFixture[str],
    curves_file: Path,
    tmp_path: Path,
) -> None:
    """Before: "fitting multipower to 1 curves and predicting 3 ..." and then the error."""
    out = tmp_path / "r.html"
    code, _, err = cli(capsys, "report", str(curves_file), "--curves", "--train", "run9",
                       "--out", str(out))  # fmt: skip
    assert code == 2 and "'run9' is not among the curves read" in err
    assert "fitting" not in err and not out.exists()


def test_report_curves_counts_one_curve_as_one(
    capsys: pytest.CaptureFixture[str],
    curves_file: Path,
    tmp_path: Path,
) -> None:
    code, _, err = cli(capsys, "report", str(curves_file), "--curves", "--train", "run0",
                       "--curve-law", "tissue", "--bootstrap", "0",
                       "--out", str(tmp_path / "r.html"), one_line=True)  # fmt: skip
    assert code == 0, err
    assert "fitting tissue to 1 curve and predicting 3 (no bootstrap" in err


def _isoflop_summary(page: Path) -> str:
    text = page_text(page.read_text(encoding="utf-8"))
    found = re.search(r"A parabola in log N through the runs.*?\)\.", text)
    assert found is not None
    return html.unescape(found.group(0))


@pytest.mark.heavy
def test_report_isoflop_without_intervals_asks_for_the_pages_bootstrap(
    capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    """Before: the fit and plan said "run with --bootstrap 200", the isoFLOP section of the
    same page "--bootstrap 1000" (``isoflop``'s default), though the page draws at most 200."""
    out = tmp_path / "r.html"
    code, _, err = cli(capsys, "report", "--data", "simulated", "--bootstrap", "0",
                       "--law", "overtraining", "--out", str(out))  # fmt: skip
    assert code == 0, err
    said = _isoflop_summary(out)
    assert "no bootstrap was asked (--bootstrap 0); run with --bootstrap 200" in said, said
    assert "--bootstrap 1000" not in page_text(out.read_text(encoding="utf-8"))


@pytest.mark.heavy
def test_report_isoflop_of_a_fit_of_few_resamples_says_why_it_has_none(
    capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    """Before: with --bootstrap 10 the section said "no bootstrap was asked (--bootstrap 0)"
    and noted "with no bootstrap (bootstrap=0, --bootstrap 0)": 10 were asked."""
    out = tmp_path / "r.html"
    code, _, err = cli(capsys, "report", "--data", "simulated", "--bootstrap", "10",
                       "--law", "overtraining", "--out", str(out))  # fmt: skip
    assert code == 0, err
    said = _isoflop_summary(out)
    assert "no intervals: the fit's 10 resamples are under 20" in said, said
    assert "--bootstrap 20 or more draws them" in said
    text = page_text(out.read_text(encoding="utf-8"))
    assert "--bootstrap 0" not in text and "bootstrap=0" not in text


@pytest.mark.heavy  # 1.0 s in the suite on a 2-core AMD EPYC
def test_isoflop_section_alone_still_asks_for_isoflops_own_default() -> None:
    iso = isoflop(simulated_runs(), bootstrap=0)
    assert "run with --bootstrap 1000" in isoflop_section(iso).body


@pytest.mark.heavy
def test_the_hparams_card_spells_law_auto_when_not_given(
    capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    """Before: no --law on the card, so a later default would remake another page."""
    path, out = _steplaw_sweep(tmp_path), tmp_path / "hp.html"
    code, _, err = cli(capsys, "report", str(path), "--hparams", "--out", str(out),
                       "--seq-len", "2048", "--bootstrap", "0")  # fmt: skip
    assert code == 0, err
    text = html.unescape(out.read_text(encoding="utf-8"))
    command = re.search(r"scalinglab report [^<]*", text)
    assert command is not None and " --law auto " in command.group(0) + " "
