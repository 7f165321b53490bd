"""``plan --params 70B`` or ``plan --tokens 1T``: plan chooses N* and D*, so a size fixed on
it is ``predict``'s; the message says so and the hint writes the ``predict`` command with
the source and budget typed. Click suggested ``--hparams, --hparams-preset, --preset`` (the
nearest spellings, none of which fixes a size) and ``see 'scalinglab plan --help'``."""

from __future__ import annotations

import pytest
from tests._cli import cli


def test_plan_params_points_at_predict(capsys: pytest.CaptureFixture[str]) -> None:
    code, out, err = cli(
        capsys, "plan", "--preset", "epoch2024", "--compute", "1e24", "--params", "70B"
    )
    assert code == 2 and out == ""
    assert "--hparams" not in err and "Possible options" not in err
    assert "plan chooses the model size N* and tokens D* for a budget" in err
    assert "scalinglab predict --preset epoch2024 --params 70B --flops 1e24" in err
    # the command it writes runs
    code, out, err = cli(capsys, "predict", "--preset", "epoch2024", "--params", "70B",
                         "--flops", "1e24")  # fmt: skip
    assert code == 0, err


def test_plan_tokens_gives_the_size_of_the_budget(capsys: pytest.CaptureFixture[str]) -> None:
    code, _, err = cli(capsys, "plan", "--fit", "f.json", "--compute=6e23,1e24", "--tokens", "1T")
    assert code == 2
    # N = C/(6·D) = 6e23 / 6e12
    assert "scalinglab predict --fit f.json --params 1e11 --tokens 1T" in err


@pytest.mark.parametrize("option", ["--flops", "--budget", "--budgets"])
def test_the_budget_typed_under_another_name_is_the_hints(
    capsys: pytest.CaptureFixture[str], option: str
) -> None:
    """``plan --flops 1e21 --params 7B`` hinted ``--flops 1e24``: only --compute and --budget
    were read, --flops (plan's hidden name for --compute) and --budgets not."""
    code, _, err = cli(capsys, "plan", "--fit", "f.json", option, "1e21", "--params", "7B")
    assert code == 2
    assert "scalinglab predict --fit f.json --params 7B --flops 1e21" in " ".join(err.split())
    code, _, err = cli(capsys, "plan", "--fit", "f.json", option, "6e21", "--tokens", "1T")
    assert code == 2 and "--params 1e9 --tokens 1T" in " ".join(err.split())


def test_other_unknown_options_keep_their_suggestions(capsys: pytest.CaptureFixture[str]) -> None:
    code, _, err = cli(capsys, "plan", "--preset", "epoch2024", "--hparam", "x")
    assert code == 2 and "Possible options: --hparams" in err
    code, _, err = cli(capsys, "predict", "--preset", "epoch2024", "--paramss", "7B")
    assert code == 2 and "Possible options: --params" in err and "predict it" not in err


def test_a_path_with_a_space_is_quoted_as_a_shell_reads_it(
    capsys: pytest.CaptureFixture[str],
) -> None:
    code, _, err = cli(
        capsys, "plan", "--fit", "my fit.json", "--compute", "1e24", "--params", "7B"
    )
    assert code == 2
    assert "scalinglab predict --fit 'my fit.json' --params 7B --flops 1e24" in err
