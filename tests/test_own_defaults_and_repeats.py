"""Follow-ups of the curves walk: a line that says what to run names the command's own
default (``isoflop``, ``envelope``, ``loss2loss``, ``downstream``: 1000; ``curves fit``:
100, not a placeholder ``N``), ``compare_schedules`` compares a schedule given twice once
with a warning (one rule, the command line's too), and ``fit --from-curves`` with a law of
D alone says nothing of a flops column it never reads."""

from __future__ import annotations

import json
import warnings
from dataclasses import replace
from pathlib import Path

import pytest
from tests._cli import cli
from tests.conftest import isoflop_runs
from tests.test_cli_curves import _write_curves
from tests.test_curves import SPECS, _synthetic
from tests.test_curves_notes import TISSUE

from scalinglab import fit_curves
from scalinglab._defaults import CURVE_BOOTSTRAP, ISOFLOP_BOOTSTRAP, LOSS2LOSS_BOOTSTRAP
from scalinglab.curves import CurveFit, Tissue, compare_schedules

ONCE = "given more than once: each is used once"


@pytest.fixture(scope="module")
def fit_file(tmp_path_factory: pytest.TempPathFactory) -> str:
    """A Tissue fit with no bootstrap (4 curves, 3000 steps)."""
    path = tmp_path_factory.mktemp("fit") / "fit.json"
    curves = _synthetic(Tissue(), TISSUE, SPECS, noise=1e-3, seed=0)
    fit_curves(curves, law="tissue", bootstrap=0).save(path)
    return str(path)


def test_the_defaults_are_the_commands_own() -> None:
    """The lines below ask for what the commands draw unless told."""
    assert ISOFLOP_BOOTSTRAP == LOSS2LOSS_BOOTSTRAP == 1000 and CURVE_BOOTSTRAP == 100


def test_isoflop_json_with_an_unused_level_asks_for_its_own_default(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """``isoflop --json --level``: the stderr line asked for fit's 200."""
    path = tmp_path / "iso.csv"
    isoflop_runs(seed=0).to_csv(path, index=False)
    args = ("isoflop", str(path), "--bootstrap", "0", "--level", "0.8", "--json")
    code, _, err = cli(capsys, *args)
    assert code == 0, err
    said = " ".join(err.split())
    assert f"has no effect; run with --bootstrap {ISOFLOP_BOOTSTRAP}" in said
    assert "--bootstrap 200" not in said


def test_curves_predict_without_a_bootstrap_names_the_curves_fit_default(
    fit_file: str, capsys: pytest.CaptureFixture[str]
) -> None:
    code, out, err = cli(
        capsys, "curves", "predict", "--fit", fit_file, "--schedule", "cosine:steps=3000"
    )
    assert code == 0, err
    said = " ".join(out.split())
    assert (
        f"no interval: the fit has no bootstrap (curves fit --bootstrap {CURVE_BOOTSTRAP}; "
        f"fit_curves(..., bootstrap={CURVE_BOOTSTRAP}))"
    ) in said
    assert "bootstrap N" not in said and "bootstrap=N" not in said


def test_compare_schedules_compares_a_repeated_spec_once_with_a_warning(fit_file: str) -> None:
    fit = CurveFit.load(fit_file)
    with pytest.warns(UserWarning, match=f"schedules wsd:0.2 {ONCE}"):
        rows = compare_schedules(fit, steps=3000, schedules=["wsd:0.2", "linear", "wsd:0.2"])
    assert [r.spec for r in rows] == ["wsd:0.2", "linear"]
    assert sum(r.best for r in rows) <= 1  # two rows of one schedule were both best
    with warnings.catch_warnings():
        warnings.simplefilter("error")  # none repeated: no warning
        assert len(compare_schedules(fit, steps=3000, schedules=["wsd:0.2", "linear"])) == 2
    sched = fit.schedule("wsd:0.2,steps=3000")  # the same object twice: compared once
    with pytest.warns(UserWarning, match=ONCE):
        (row,) = compare_schedules(fit, steps=3000, schedules=[sched, sched])
    assert row.schedule == sched.spec


def test_curves_compare_puts_the_repeat_in_its_json_warnings(
    fit_file: str, capsys: pytest.CaptureFixture[str]
) -> None:
    args = ["curves", "compare", "--fit", fit_file, "--steps", "3000", "--json"]
    code, out, err = cli(capsys, *args, "--schedules", "wsd:0.2,wsd:0.2")
    assert code == 0, err
    data = json.loads(out)
    assert [r["spec"] for r in data["schedules"]] == ["wsd:0.2"]
    assert f"--schedules wsd:0.2 {ONCE}" in data["warnings"]
    assert err.count(ONCE) == 1  # on stderr once, as the option's


@pytest.fixture(scope="module")
def one_size_csv(tmp_path_factory: pytest.TempPathFactory) -> str:
    """Four Tissue curves of one 70M model size (warm-up 200 of 3000 steps)."""
    curves = [replace(c, params=7e7) for c in _synthetic(Tissue(), TISSUE, SPECS, noise=0, seed=0)]
    return _write_curves(tmp_path_factory.mktemp("one") / "curves.csv", curves)


def test_a_law_of_d_alone_from_curves_says_nothing_of_a_flops_column(
    one_size_csv: str, capsys: pytest.CaptureFixture[str]
) -> None:
    """It said ``flops column = 6·N·steps`` (and that --tokens-per-step would give a compute
    plan), of a column the law never reads."""
    base = ["fit", "--from-curves", one_size_csv, "--curve-law", "tissue", "--bootstrap", "0"]
    code, out, err = cli(capsys, *base, "--law", "power-law:tokens", "--json")
    assert code == 0, err
    notes = json.loads(out)["notes"]
    assert not any("flops" in n for n in notes), notes
    assert not any("no compute plan" in n for n in notes), notes
    assert any(n.startswith("tokens count steps") for n in notes)  # D in steps: still said
    # a law that reads N or C: the run table's flops column, 6·N·steps, said as before
    from scalinglab.cli._cmd_curves_use import runs_from_curves

    for reads in (True, False):
        table, *_ = runs_from_curves([Path(one_size_csv)], cooldown=0.2, law="tissue",
                                     reads_compute=reads)  # fmt: skip
        flat = " ".join(table.notes)
        assert ("flops column = 6·N·steps (no --tokens-per-step)" in flat) is reads
        assert "flops derived" not in flat
