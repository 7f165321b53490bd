"""``loss2loss predict --x 3.1``: the fit's column option typed for the prediction's values.
The refusal says that L_x goes to ``--loss`` and writes the command, not click's bare "No
such option" and a pointer to ``--help``."""

from __future__ import annotations

import pytest
from tests._cli import cli


@pytest.mark.parametrize(
    ("words", "value"), [(["--x", "2.9"], "2.9"), (["--x=2.9"], "2.9"), (["--y", "3.2"], "3.1")]
)
def test_a_column_option_on_predict_points_at_loss(
    capsys: pytest.CaptureFixture[str], words: list[str], value: str
) -> None:
    code, _, err = cli(capsys, "loss2loss", "predict", "--fit", "my l2l.json", *words)
    assert code == 2
    option = words[0].partition("=")[0]
    assert (
        f"error: No such option: {option}: loss2loss predict takes the values of L_x with --loss"
        in err
    )
    # the path quoted as a shell reads it: the hint runs as pasted
    assert f"hint: scalinglab loss2loss predict --fit 'my l2l.json' --loss {value}" in err
    assert "Traceback" not in err


def test_other_slips_keep_clicks_suggestion(capsys: pytest.CaptureFixture[str]) -> None:
    code, _, err = cli(capsys, "loss2loss", "predict", "--fit", "l2l.json", "--lss", "3.1")
    assert code == 2
    assert "No such option: --lss (Possible options: --loss)" in err
    assert "takes the values of L_x" not in err


def test_fit_still_takes_x(capsys: pytest.CaptureFixture[str]) -> None:
    # --x is fit's own option: not the slip there (the missing RUNS is what is refused)
    code, _, err = cli(capsys, "loss2loss", "fit", "--x", "loss_a", "--y", "loss_b")
    assert "No such option" not in err and code != 0
