"""``isoflop --bootstrap 0 --at C`` shows no interval and says so: its table was titled
"90% intervals" and a note said how the intervals are made, though none was shown."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from tests._chinchilla_draws import isoflop_runs
from tests._cli import cli


@pytest.mark.parametrize(("bootstrap", "boot"), [("0", False), ("20", True)])
def test_the_title_and_notes_say_whether_there_are_intervals(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], bootstrap: str, boot: bool
) -> None:
    path = tmp_path / "iso.csv"
    isoflop_runs().to_csv(path, index=False)
    code, out, err = cli(capsys, "isoflop", str(path), "--bootstrap", bootstrap, "--at", "1e23")
    assert code == 0, err
    assert ("N_opt and D_opt from the power laws, 90% intervals" in out) is boot
    assert ("N_opt and D_opt from the power laws, no intervals" in out) is not boot
    assert ("note: intervals: each bootstrap resample's own lines" in out) is boot
    said = "note: no intervals: no bootstrap was asked (--bootstrap 0); run with --bootstrap 1000"
    assert (said in " ".join(out.split())) is not boot


@pytest.mark.parametrize(("at", "beyond"), [("1e23", True), ("1e20", False)])
def test_the_beyond_note_only_where_a_row_lies_past_the_largest_budget(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], at: str, beyond: bool
) -> None:
    """At a budget inside the fitted ones the note said the laws were extrapolated."""
    path = tmp_path / "iso.csv"
    isoflop_runs().to_csv(path, index=False)
    code, out, err = cli(capsys, "isoflop", str(path), "--bootstrap", "0", "--at", at)
    assert code == 0, err
    said = " ".join(out.split())
    assert ("note: beyond: past the largest budget" in said) is beyond
    assert "note: the power laws hold no loss: for the loss, fit a law" in said


@pytest.mark.parametrize("json_args", [(), ("--json",)])
def test_no_bootstrap_says_there_are_no_intervals_without_level(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], json_args: tuple[str, ...]
) -> None:
    """``isoflop --bootstrap 0`` (no ``--at``, no ``--level``) showed points with no line
    saying why there are no intervals, as other commands' terminal views say; its JSON keeps
    the library's note, and stderr says nothing of a ``--level`` not given."""
    path = tmp_path / "iso.csv"
    isoflop_runs().to_csv(path, index=False)
    code, out, err = cli(capsys, "isoflop", str(path), "--bootstrap", "0", *json_args)
    assert code == 0, err
    said = "note: no intervals: no bootstrap was asked (--bootstrap 0); run with --bootstrap 1000"
    if json_args:
        assert said not in out + err and json.loads(out)["notes"][-1].startswith("no intervals")
    else:
        assert " ".join(out.split()).endswith(said) and out.count("no intervals") == 1
    code, out, err = cli(capsys, "isoflop", str(path), "--bootstrap", "20")
    assert code == 0 and "no intervals" not in out + err, err
