"""Report follow-ups: a run skipped while reading for a blank loss is counted among the runs
left out on the card and named on stderr as ``fit`` names it; a size derived while reading
is said so on the card's variables line; step counts' digits grouped (the curves page's:
:mod:`tests.test_report_curves_status`)."""

from __future__ import annotations

from pathlib import Path

import pytest
from tests._cli import cli
from tests.test_data_no_loss import _csv

from scalinglab import fit, read_runs
from scalinglab.report._card import reproducibility_card

_NOTE = (
    "note: 1 run without a loss skipped (no value of 'Val Loss (nats)': a blank, '-', 'N/A' "
    "or null cell): 'r3' (row 5)"
)


def _card(result: object, runs: object) -> dict[str, str]:
    groups = reproducibility_card(result, runs, command="test")  # type: ignore[arg-type]
    return {i.label: i.value for g in groups for i in g.items}


def test_a_run_skipped_for_a_blank_loss_is_left_out_on_the_card_and_on_stderr(
    capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    path = _csv(tmp_path / "blank.csv", {3: ""})
    path.write_text(path.read_text().replace(",loss\n", ",Val Loss (nats)\n", 1))
    runs = read_runs(path, columns={"loss": "Val Loss (nats)"})
    assert runs.skipped == (
        ("r3", "no value of 'Val Loss (nats)': a blank, '-', 'N/A' or null cell (row 5)"),
    )
    assert runs.excluded == ()  # dropped on request only: skipped is its own record
    out = tmp_path / "b.html"
    code, _, err = cli(
        capsys, "report", str(path), "--y", "loss=Val Loss (nats)", "--law", "E + A*N**-alpha",
        "--bootstrap", "0", "--no-validate", "--out", str(out),
    )  # fmt: skip
    assert code == 0, err
    assert [line for line in err.splitlines() if "without a loss" in line] == [_NOTE]
    text = out.read_text(encoding="utf-8")
    assert "runs left out</th><td><a href='#data'>1 run, listed with the data</a>" in text
    assert _card(fit("E + A*N**-alpha", runs, bootstrap=0), runs)["runs left out"] == (
        "1 run, listed with the data"
    )


def test_the_card_says_a_size_derived_while_reading(tmp_path: Path) -> None:
    path = tmp_path / "runs.csv"
    rows = [(1e7 * 2**i, 2e8 * 4**i, 4.0 - 0.15 * i) for i in range(10)]
    path.write_text(
        "Model Size,Training FLOP,loss\n"
        + "".join(f"{n:g},{6 * n * d:g},{loss:g}\n" for n, d, loss in rows)
    )
    runs = read_runs(path)
    said = _card(fit("chinchilla", runs, bootstrap=0), runs)["variables"]
    assert said == (
        "N = column 'Model Size' (read as params), D = tokens derived as C/(6N) from columns "
        "'Model Size' and 'Training FLOP'"
    )


def test_format_grouped_groups_whole_counts() -> None:
    from scalinglab._format import format_grouped  # new: imported here, so main collects

    assert [format_grouped(n) for n in (0, 999, 23937, 1e6, 2160.0)] == [
        "0", "999", "23,937", "1,000,000", "2,160",
    ]  # fmt: skip


def test_the_card_calls_the_laws_fitted_values_coefs() -> None:
    """The card named a law's fitted values "parameters", beside "which N (parameters)" for
    the model's size; the fit table and ``result.coefs`` call them coefs."""
    from scalinglab import simulated_runs

    runs = simulated_runs()
    result = fit("chinchilla", runs, bootstrap=0)
    card = _card(result, runs)
    assert "parameters" not in card
    assert card["coefs"].startswith("E (irreducible loss; fitted as log E)")
    assert [c.split(" (")[0] for c in card["coefs"].split("; ") if " (" in c] == list(result.coefs)
    assert "which N (parameters)" in card  # the model's size keeps its name
