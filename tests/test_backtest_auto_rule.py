"""``backtest --law auto`` says that ``fit --law auto`` chooses by another rule, and what it
chooses: on the bundled runs backtest's winner was chinchilla (the top decile held out) and
fit's choice overtraining (rolling-origin cuts, a tie within 5%, the fewest parameters),
while backtest's help said it shows "the candidates fit --law auto chooses among"."""

from __future__ import annotations

import json

import numpy as np
import pytest

import scalinglab as sl
from scalinglab.cli import main
from scalinglab.cli._backtest_auto import fit_auto_note

_RULE = (
    "`fit --law auto` chooses by another rule than this winner's: rolling-origin cuts on the "
    "training scales (each candidate fitted below a cut within the runs it fits, scored on "
    "those above it), not this held-out split"
)


def _said(capsys: pytest.CaptureFixture[str], *argv: str) -> tuple[str, str]:
    assert main(list(argv)) == 0
    out, err = capsys.readouterr()
    return " ".join(out.split()), err


@pytest.mark.heavy  # 2.0 s in the suite on a 2-core AMD EPYC
def test_backtest_auto_says_how_fit_chooses_and_its_choice(
    capsys: pytest.CaptureFixture[str],
) -> None:
    fitted, _ = _said(capsys, "fit", "--law", "auto", "--bootstrap", "0", "--no-compare",
                      "--json")  # fmt: skip
    choice = json.loads(fitted)["law_choice"]
    assert choice["chosen"] == "overtraining" and choice["best_by_backtest"] == "chinchilla"
    text, _ = _said(capsys, "backtest", "--law", "auto", "--no-rolling", "--bootstrap", "0")
    assert "winner: chinchilla — median ARE 1.01%, the lowest" in text
    note = (
        f"note: {_RULE}; on all 31 runs, held-out ones included, it chooses overtraining "
        "(chinchilla 1.43%, overtraining 1.48%, kaplan 2.48% over 3 cuts; within 5% of "
        "chinchilla's, with the fewest parameters)"
    )
    assert note in text
    # right after the note that names auto's candidates, and in --json's notes
    assert text.index("note: law auto: its candidates backtested side by side") < text.index(note)
    data, err = _said(capsys, "backtest", "--law", "auto", "--no-rolling", "--bootstrap", "0",
                      "--json")  # fmt: skip
    notes = json.loads(data)["notes"]
    assert notes[1] == note.removeprefix("note: ") and notes[0].startswith("law auto:")
    assert _RULE in " ".join(err.split())  # the text's notes, on stderr


def test_laws_named_say_nothing_of_fit_auto(capsys: pytest.CaptureFixture[str]) -> None:
    text, _ = _said(capsys, "backtest", "--law", "chinchilla", "--law", "overtraining",
                    "--no-rolling", "--bootstrap", "0")  # fmt: skip
    assert "winner: chinchilla" in text and "fit --law auto" not in text


def test_runs_too_few_for_fits_choice_say_why() -> None:
    runs = sl.bundled_runs()
    compute = np.asarray(runs["params"]) * np.asarray(runs["tokens"])
    small = runs.select(compute <= np.sort(compute)[9])
    assert fit_auto_note(small, y="loss", seed=0) == (
        f"{_RULE}; on all 10 runs, held-out ones included, it compares none: too few scales "
        "to compare laws by backtest: no cut in N·D leaves 10 runs at distinct points (2 "
        "per parameter of the largest law) below it; fitted chinchilla, the default law the "
        "comparison starts from, without comparing; to choose, name a law: --law NAME "
        "(law='NAME' in Python)"
    )
