"""A tokens column that counts training steps (a final-loss table derived from curves, read
with ``--x D=steps``, or ``--map tokens=steps``) is warned of as too small, and told to give
tokens per step, not to write the column in millions or billions of tokens: steps are in
no unit that scaling mends."""

from __future__ import annotations

from pathlib import Path

import pandas as pd
import pytest
from tests._cli import cli

from scalinglab import read_runs

#: The walk's final.csv: the final loss of each curve of the shared lr-schedules runs.
FINAL = pd.DataFrame(
    {
        "run": ["100M/cosine_24000", "100M/cosine_72000", "100M/wsd_20000_24000",
                "100M/wsdld_20000_24000", "25M/cosine_24000", "25M/cosine_72000",
                "25M/wsd_20000_24000", "25M/wsdld_20000_24000"],
        "Model Size": ["100M"] * 4 + ["25M"] * 4,
        "steps": [23921, 71921, 23905, 23905] * 2,
        "final_loss": [2.9791, 2.8632, 2.9514, 2.9535, 3.3044, 3.2038, 3.2766, 3.2776],
    }
)  # fmt: skip
PER_STEP = "multiply it by the tokens per step (batch size × sequence length)"


def _tokens_warning(notes: tuple[str, ...]) -> str:
    (said,) = [n for n in notes if n.startswith("warning: tokens ")]
    return said


@pytest.mark.parametrize(
    "name", ["steps", "step", "iter", "_step", "train/global_step", "num_iterations"]
)
def test_a_steps_column_read_as_tokens_is_told_tokens_per_step(name: str) -> None:
    table = read_runs(FINAL.rename(columns={"steps": name}), x={"D": name}, y="final_loss")
    said = _tokens_warning(table.notes)
    assert said.startswith(f"warning: tokens 23905 to 71921 (column {name!r}): ")
    assert f"counts optimizer steps ({name!r} in its name), not tokens: {PER_STEP}" in said
    assert "millions or billions" not in said


def test_a_tokens_column_in_billions_keeps_its_unit_advice() -> None:
    frame = FINAL.rename(columns={"steps": "tokens"}).assign(tokens=[20.0, 60, 20, 20] * 2)
    said = _tokens_warning(read_runs(frame, y="final_loss").notes)
    assert "millions or billions" in said and "per step" not in said


@pytest.mark.parametrize(
    ("name", "steps"),
    [("steps", True), ("Steps", True), ("global_step", True), ("n_iters", True),
     ("iteration", True), ("tokens", False), ("tokens_per_step", False), ("D", False),
     ("stepsize_tokens", False), ("tokens seen", False)],
)  # fmt: skip
def test_which_names_count_steps(name: str, steps: bool) -> None:
    from scalinglab.data._plausible import counts_steps

    assert counts_steps(name) is steps


def test_fit_prints_it(capsys: pytest.CaptureFixture[str], tmp_path: Path) -> None:
    path = tmp_path / "final.csv"
    FINAL.to_csv(path, index=False)
    code, out, err = cli(capsys, "fit", str(path), "--x", "D=steps", "--bootstrap", "0")
    assert code == 0, err
    said = " ".join(out.split())  # its lines wrap at the console's width
    assert (
        "warning: tokens 23905 to 71921 (column 'steps'): runs of at most 71921 training "
        "tokens; the column likely counts optimizer steps ('steps' in its name), not tokens: "
        f"{PER_STEP} to give each run's tokens"
    ) in said
