"""benchmarks/curve_coverage.py: its options are checked before any file is opened, and a
summary counts each fit once however often a rerun appended it."""

from __future__ import annotations

import json
from pathlib import Path

import pytest


@pytest.fixture(autouse=True)
def benchmarks(monkeypatch: pytest.MonkeyPatch) -> None:
    """The benchmarks' folder on the path, as they run (``python benchmarks/x.py``)."""
    monkeypatch.syspath_prepend(str(Path(__file__).resolve().parents[1] / "benchmarks"))


def test_one_seed_is_a_range_of_one_and_a_bad_form_is_named() -> None:
    import argparse

    from curve_coverage import seed_range

    assert seed_range("5") == range(5, 6)
    assert seed_range("2:60") == range(2, 60)
    for bad in ("5:x", "5:5", "1:2:3", ""):
        with pytest.raises(argparse.ArgumentTypeError, match="is not START:STOP"):
            seed_range(bad)


def test_an_unknown_scheme_is_refused_before_the_file_is_opened(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    from curve_coverage import main

    out = tmp_path / "cc.jsonl"
    with pytest.raises(SystemExit) as exc:
        main(["--resample", "curves,bogus", "--out", str(out)])
    assert exc.value.code == 2
    err = capsys.readouterr().err
    assert "argument --resample: 'bogus': not a resampling scheme; choose from curves, " in err
    assert "Traceback" not in err
    assert not out.exists()


def _row(seed: int, hit: bool) -> dict[str, object]:
    row: dict[str, object] = {"law": "tissue", "seed": seed, "resample": "curves",
                              "curves": 12, "cpu": 1.0, "names": ["L0"]}  # fmt: skip
    for rule in ("expanded", "plain"):
        for level in (0.5, 0.8, 0.9):
            row[f"{rule}@{level}"] = [[hit], [0.01]]
    return row


def test_summary_keeps_the_last_line_of_a_repeated_fit(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    from curve_coverage import summary

    path = tmp_path / "cc.jsonl"
    rows = [_row(0, False), _row(1, True), _row(0, True)]  # seed 0 rerun: now covered
    path.write_text("".join(json.dumps(r) + "\n" for r in rows))
    summary([path])
    text = capsys.readouterr().out
    assert text.startswith("1 duplicate line(s) dropped (same law, resample, curves and seed")
    assert "resample=curves: 2 fits (seeds 0-1)" in text  # was 3 fits, seed 0 twice
    assert "| expanded 90% (±21.2) | 100.0 (w 0.01) |" in text  # was 66.7
