"""A fit of too few runs says to fit a law of fewer parameters only where one exists: a law
of 3 or more parameters; L = A·x^-α has 2, the fewest a law that scales has, so a ladder of
four rungs fitted with it is told to add runs alone."""

from __future__ import annotations

from pathlib import Path

import pytest

from scalinglab.cli import main

_RUNS = "Model Size,tokens,loss\n70M,1.4B,3.10\n160M,3.2B,2.90\n410M,8.2B,2.71\n1B,20B,2.55\n"


@pytest.mark.parametrize(
    ("law", "said"),
    [
        ("power-law", "4 for 2 parameters (2.0 per parameter, under 5); parameters and "
         "extrapolations are unreliable — add runs"),
        ("power-law-plus-constant", "4 for 3 parameters (1.3 per parameter, under 5); "
         "parameters and extrapolations are unreliable — add runs or fit a law with fewer "
         "parameters"),
    ],
)  # fmt: skip
def test_fewer_parameters_only_where_a_law_has_more_than_two(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], law: str, said: str
) -> None:
    path = tmp_path / "mine.csv"
    path.write_text(_RUNS)
    assert main(["fit", str(path), "--law", law, "--bootstrap", "0"]) == 0
    got = capsys.readouterr()
    err = " ".join((got.out + got.err).split())
    assert f"warning: too few runs: {said}" in err
    assert ("fewer parameters" in err) == (law != "power-law")
