"""Usage errors said for the command typed: an option's missing value points at the
subcommand's ``--help``, where it pointed at ``scalinglab --help``."""

from __future__ import annotations

import pytest
from tests._cli import cli


def _refused(capsys: pytest.CaptureFixture[str], *args: str) -> list[str]:
    code, out, err = cli(capsys, *args)
    assert code == 2
    assert out == ""
    return err.splitlines()


@pytest.mark.parametrize(
    ("args", "where"),
    [
        (("fit", "runs.csv", "--out"), "scalinglab fit"),
        (("fit", "--bootstrap"), "scalinglab fit"),
        (("hparams", "fit", "--out"), "scalinglab hparams fit"),
        (("plan", "--fit"), "scalinglab plan"),
    ],
)
def test_a_missing_option_value_points_at_the_subcommand_help(
    capsys: pytest.CaptureFixture[str], args: tuple[str, ...], where: str
) -> None:
    said = _refused(capsys, *args)
    assert said[0] == f"error: Option '{args[-1]}' requires an argument."
    assert said[1] == f"hint: see '{where} --help'"
