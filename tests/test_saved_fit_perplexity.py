"""A saved fit whose loss looked like perplexity: ``plan --fit`` and ``predict --fit`` repeat
the warning ``fit`` gave (saved among the fit's notes), once, in the text and in
``--json``'s ``warnings``; a fit of losses repeats none."""

from __future__ import annotations

import json
from pathlib import Path

import numpy as np
import pytest
from tests._cli import cli
from tests.conftest import chinchilla_runs

from scalinglab.data._perplexity import perplexity_warning


def _saved(capsys: pytest.CaptureFixture[str], tmp_path: Path, *, perplexity: bool) -> Path:
    runs = chinchilla_runs(outliers=0)
    if perplexity:
        runs["loss"] = np.exp(runs["loss"] + 1.0)  # perplexity of losses 1 nat higher: 23+
    data, out = tmp_path / "runs.csv", tmp_path / "fit.json"
    runs.to_csv(data, index=False)
    code, _, err = cli(capsys, "fit", str(data), "--bootstrap", "20", "--no-compare",
                       "--out", str(out))  # fmt: skip
    assert code == 0, err
    return out


@pytest.mark.parametrize(
    "command", [["plan", "--budget", "1e21"], ["predict", "--params", "1e9", "--tokens", "2e10"]]
)
def test_a_saved_perplexity_fit_warns_again(
    capsys: pytest.CaptureFixture[str], tmp_path: Path, command: list[str]
) -> None:
    saved = _saved(capsys, tmp_path, perplexity=True)
    runs = chinchilla_runs(outliers=0)
    line = perplexity_warning(
        np.exp(runs["loss"] + 1.0), where="column 'loss'", option="--y loss=COLUMN"
    )  # as fit's reader said it
    assert line is not None and line.startswith("warning: loss ")
    code, out, err = cli(capsys, command[0], "--fit", str(saved), *command[1:])
    text = " ".join((out + err).split())  # the text's lines, wrapped at the console's width
    head = line[: line.index("these look like perplexity") + 26]  # a hyphen may wrap later
    assert code == 0 and text.count(head) == 1, text
    code, out, err = cli(capsys, command[0], "--fit", str(saved), *command[1:], "--json",
                         one_line=True)  # fmt: skip
    assert code == 0 and err.count(line) == 1, err
    assert json.loads(out)["warnings"].count(line.removeprefix("warning: ")) == 1


def test_a_saved_fit_of_losses_repeats_no_such_warning(
    capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    saved = _saved(capsys, tmp_path, perplexity=False)
    code, out, err = cli(capsys, "plan", "--fit", str(saved), "--budget", "1e21", "--json")
    assert code == 0 and "perplexity" not in out + err
