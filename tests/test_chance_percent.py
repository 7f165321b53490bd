"""A chance level above 1 is a percentage at both doors, read as a fraction with a note (as
the evaluations' reader reads a column in percent): ``read_evals(chance={'t': 25})`` and a
``--chance`` file holding 25; above 100, or percentages mixed with fractions, are refused."""

from __future__ import annotations

import json
from pathlib import Path

import numpy as np
import pytest
from tests.test_cli_downstream import run
from tests.test_downstream_chain import MULTS, SIZES, models

from scalinglab import ConfigError
from scalinglab.downstream import fit_downstream, read_evals

FRAME = models(np.random.default_rng(0), SIZES, MULTS)  # tasks task, flat, hellaswag


@pytest.mark.heavy  # 2.3 s in the suite on a 2-core AMD EPYC
def test_a_mapping_level_above_1_is_read_as_percent_with_a_note() -> None:
    evals = read_evals(FRAME, chance={"task": 25, "hellaswag": 25})
    assert evals.chance["task"] == 0.25 and evals.chance["hellaswag"] == 0.25
    said = [n for n in evals.notes if n.startswith("chance levels")]
    assert said == [
        "chance levels in chance= read as percent (2 tasks, 25%): read as fractions "
        "(divided by 100)"
    ]
    # the chain fitted on it is the chain fitted on the fractions (it was refused at 25)
    percent = fit_downstream(evals, tasks=["task"], law="chinchilla", bootstrap=0)
    fraction = fit_downstream(
        read_evals(FRAME, chance={"task": 0.25}), tasks=["task"], law="chinchilla", bootstrap=0
    )
    assert percent.tasks["task"].chance == 0.25
    assert percent.tasks["task"].step is not None and fraction.tasks["task"].step is not None
    assert percent.tasks["task"].step.coefs == pytest.approx(fraction.tasks["task"].step.coefs)
    # a zero is zero on either scale; fractions alone stay as given, with no note
    assert read_evals(FRAME, chance={"task": 50, "flat": 0}).chance["flat"] == 0
    plain = read_evals(FRAME, chance={"task": 0.3})
    assert plain.chance["task"] == 0.3
    assert not [n for n in plain.notes if n.startswith("chance levels")]


@pytest.mark.parametrize(
    ("chance", "said"),
    [
        ({"task": 250}, r"chance\['task'\] is 250: above 100%, no chance accuracy"),
        (
            {"task": 25, "flat": 0.5},
            r"chance= mixes percentages \(1 above 1\) and fractions \(1 at most 1\): 'flat': 0.5",
        ),
    ],
)
def test_a_mapping_level_over_100_or_a_mix_of_scales_is_refused(
    chance: dict[str, float], said: str
) -> None:
    with pytest.raises(ConfigError, match=said) as info:
        read_evals(FRAME, chance=chance)
    assert "give" in str(info.value) and "fraction of 1" in str(info.value)


@pytest.mark.heavy
def test_a_chance_file_of_25_is_read_as_percent_and_said(
    capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    evals = tmp_path / "evals.csv"
    FRAME.to_csv(evals, index=False)
    chains = {}
    for level in ("25", "0.25"):
        chance = tmp_path / f"chance{level}.csv"
        chance.write_text(f"task,chance\ntask,{level}\n", encoding="utf-8")
        args = ["downstream", "fit", str(evals), "--tasks", "task", "--law", "chinchilla",
                "--bootstrap", "0", "--chance", str(chance)]  # fmt: skip
        code, out, err = run(capsys, *args)
        assert code == 0, err
        note = (f"chance levels of {chance} read as percent (1 task, 25%): read as fractions "
                "(divided by 100)")  # fmt: skip
        assert (note in " ".join(out.split())) == (level == "25")
        code, out, err = run(capsys, *args, "--json")
        assert code == 0, err
        chains[level] = json.loads(out)
    percent, fraction = chains["25"]["tasks"]["task"], chains["0.25"]["tasks"]["task"]
    assert percent["chance"] == fraction["chance"] == 0.25
    assert percent["step"]["coefs"] == pytest.approx(fraction["step"]["coefs"])
    assert any("read as percent (1 task, 25%)" in n for n in chains["25"]["notes"])


def test_a_chance_file_in_percent_is_noted_once_with_its_range(tmp_path: Path) -> None:
    path = tmp_path / "chance.csv"
    path.write_text("task,chance\ntask,25\nflat,50\nother,0\n", encoding="utf-8")
    evals = read_evals(FRAME, chance=path)
    assert (evals.chance["task"], evals.chance["flat"]) == (0.25, 0.5)
    assert [n for n in evals.notes if n.startswith("chance levels")] == [
        f"chance levels of {path} read as percent (3 tasks, 0% to 50%): read as fractions "
        "(divided by 100)"
    ]
    # levels marked with % or plain fractions are read as written: nothing to note
    path.write_text("task,chance\ntask,25%\nflat,0.5\n", encoding="utf-8")
    evals = read_evals(FRAME, chance=path)
    assert (evals.chance["task"], evals.chance["flat"]) == (0.25, 0.5)
    assert not [n for n in evals.notes if n.startswith("chance levels")]
