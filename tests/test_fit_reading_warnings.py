"""What reading the runs warned of (perplexity given as the loss, flops off 6·N·D or in mixed
units) is one of the fit's warnings, unmarked, so ``trusted`` is False: the JSON, ``str``,
the notebook view, the report's "Fitted law", a backtest and a file saved before the rule
all say what the terminal prints, once, and the notes no longer repeat it."""

from __future__ import annotations

import json
from pathlib import Path

import numpy as np
import pytest
from tests._cli import cli
from tests.conftest import chinchilla_runs

import scalinglab
from scalinglab.fit import FitResult
from scalinglab.report._html_sections import fit_section
from scalinglab.validate import backtest


def _perplexity_csv(tmp_path: Path) -> Path:
    runs = chinchilla_runs(outliers=0)
    runs["val_ppl"] = np.exp(runs.pop("loss") + 0.2)  # perplexities about 9 to 54
    path = tmp_path / "ppl.csv"
    runs.to_csv(path, index=False)
    return path


def _mixed_flops_csv(tmp_path: Path) -> Path:
    runs = chinchilla_runs(outliers=0)
    flops = 6 * runs["params"] * runs["tokens"]
    runs["flops"] = np.where(np.arange(len(runs)) % 2, flops, flops / 8.64e19)  # PF-days
    path = tmp_path / "flops.csv"
    runs.to_csv(path, index=False)
    return path


def _read(path: Path, **columns: str) -> list[str]:
    """The warnings reading ``path`` gives, unmarked."""
    table = scalinglab.read_runs(path, y=next(iter(columns.values()), "loss"))
    return [n.removeprefix("warning: ") for n in table.notes if n.startswith("warning: ")]


def test_a_perplexity_loss_is_a_warning_of_the_fit(tmp_path: Path) -> None:
    path = _perplexity_csv(tmp_path)
    (said,) = _read(path, y="val_ppl")
    assert "look like perplexity" in said
    result = scalinglab.fit("chinchilla", path, y="val_ppl", bootstrap=0, compare=False)
    assert said in result.warnings and not result.trusted
    assert not [n for n in result.notes if n.startswith("warning: ")]
    assert str(result).count(f"warning: {said}") == 1  # the text, once
    data = result.to_dict()
    assert said in data["warnings"] and data["trusted"] is False
    # the report's "Fitted law" lists it among its warnings
    assert said in fit_section(result).warnings


def test_flops_in_mixed_units_warn_in_the_json_as_on_the_terminal(
    capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    path = _mixed_flops_csv(tmp_path)
    read = _read(path)
    assert read and any("look mixed" in w for w in read)
    code, out, err = cli(capsys, "fit", str(path), "--bootstrap", "0", "--no-compare", "--json")
    assert code == 0, err
    data = json.loads(out)
    assert all(w in data["warnings"] for w in read) and data["trusted"] is False
    assert not [n for n in data["notes"] if n.startswith("warning: ")]
    text = " ".join(err.split())
    assert all(text.count(" ".join(f"warning: {w}".split())) == 1 for w in read)  # once


def test_a_file_saved_with_the_warning_among_its_notes_reads_it_as_a_warning(
    tmp_path: Path,
) -> None:
    path = _perplexity_csv(tmp_path)
    result = scalinglab.fit("chinchilla", path, y="val_ppl", bootstrap=0, compare=False)
    (said,) = _read(path, y="val_ppl")
    older = result.to_dict()  # as fits wrote it before: a marked note, no warning
    older["warnings"] = [w for w in older["warnings"] if w != said]
    older["notes"] = [*older["notes"], f"warning: {said}"]
    older["trusted"] = not older["warnings"]
    saved = tmp_path / "fit.json"
    saved.write_text(json.dumps(older))
    loaded = FitResult.load(saved)
    assert loaded.warnings.count(said) == 1 and not loaded.trusted
    assert f"warning: {said}" not in loaded.notes
    again = tmp_path / "again.json"  # today's file read back: said once, still
    result.save(again)
    assert FitResult.load(again).warnings.count(said) == 1


def test_a_backtest_says_the_reading_warning_once_as_the_datas(tmp_path: Path) -> None:
    path = _perplexity_csv(tmp_path)
    (said,) = _read(path, y="val_ppl")
    bt = backtest(path, law="chinchilla", y="val_ppl", bootstrap=0)
    assert bt.warnings.count(said) == 1  # the data's: not "backtest fit: ..."
    assert not any(w.startswith("backtest fit: ") and said in w for w in bt.warnings)
    assert not [n for n in bt.notes if n.startswith("warning: ")]
