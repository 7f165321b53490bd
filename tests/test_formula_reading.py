"""How a fit reads a user's formula: which symbols are columns, and what it says about it."""

from __future__ import annotations

import json
from pathlib import Path

import numpy as np
import pandas as pd
import pytest
from tests._cli import cli

from scalinglab import fit


def _runs() -> pd.DataFrame:
    rng = np.random.default_rng(0)
    n = np.geomspace(2e7, 2e9, 40)
    loss = (2.0 + 50.0 * n**-0.25) * np.exp(rng.normal(0.0, 0.003, n.size))
    return pd.DataFrame({"params": n, "tokens": 20 * n, "loss": loss})


def test_a_formula_fit_names_the_column_each_variable_read() -> None:
    result = fit("E + A*N**-alpha", _runs(), bootstrap=0)
    assert "variables: N reads column 'params' (another column: --x SYMBOL=COLUMN)" in (
        result.notes
    )
    assert not any(w.startswith("N in ") for w in result.warnings)
    assert not any(n.startswith("variables:") for n in fit("power-law", _runs(), bootstrap=0).notes)


def test_the_note_names_the_users_column_as_the_report_card_does(
    capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    """A file naming its columns ``n_params,num_tokens,final_loss``: the note said "N reads
    column 'params'", a name the file does not have."""
    path = tmp_path / "renamed.csv"
    renamed = {"params": "n_params", "tokens": "num_tokens", "loss": "final_loss"}
    _runs().rename(columns=renamed).to_csv(path, index=False)
    code, out, _ = cli(capsys, "fit", str(path), "--law", "E + A*N**-alpha", "--bootstrap", "0")
    assert code == 0
    assert (
        "note: variables: N reads column 'n_params' (read as params) (another column: --x "
        "SYMBOL=COLUMN)"
    ) in " ".join(out.split())
    both = fit("E + A*N**-alpha + B*D**-beta", path, bootstrap=0)
    assert (
        "variables: N reads column 'n_params' (read as params), D reads column 'num_tokens' "
        "(read as tokens) (another column: --x SYMBOL=COLUMN)"
    ) in both.notes


def test_a_variable_alone_as_a_term_is_said_to_be_a_column(
    capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    path = tmp_path / "pN.csv"
    _runs().to_csv(path, index=False)
    code, out, _ = cli(
        capsys, "fit", str(path), "--law", "C + A*N**-alpha", "--bootstrap", "0", "--no-compare"
    )
    assert code == 0
    assert (
        "warning: C in 'C + A*N**-alpha' is read as the flops column, not fitted: a variable "
        "alone as a term adds the runs' flops to the loss; if C meant a constant, name it "
        "otherwise, e.g. E"
    ) in " ".join(out.split())
    assert "note: variables: C reads column 'flops', N reads column 'params'" in out


def _widths(path: Path) -> Path:
    """12 runs of ``L = 1.7 + 30 width^-0.6`` in a file of width and loss only."""
    width = np.geomspace(64, 4096, 12)
    pd.DataFrame({"width": width, "loss": 1.7 + 30.0 * width**-0.6}).to_csv(path, index=False)
    return path


def test_a_law_of_mapped_columns_needs_no_size_column(
    capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    runs = _widths(tmp_path / "w.csv")
    result = fit("E + A*U**-alpha", runs, x={"U": "width"}, bootstrap=0)
    assert result.coefs["alpha"] == pytest.approx(0.6, rel=1e-4)
    assert result.coefs["A"] == pytest.approx(30.0, rel=1e-3)
    saved = tmp_path / "fw.json"
    law = ("--law", "E + A*U**-alpha", "--x", "U=width", "--bootstrap", "0")
    code, _, err = cli(capsys, "fit", str(runs), *law, "--out", str(saved))
    assert code == 0, err
    code, out, err = cli(capsys, "predict", "--fit", str(saved), "--at", "U=1000")
    assert code == 0, err
    assert f"{1.7 + 30.0 * 1000**-0.6:.4f}" in out
    code, _, err = cli(capsys, "plan", "--fit", str(saved), "--compute", "1e21")
    assert code == 2
    assert "depends only on width; compute-optimal planning needs a law in params" in err
    # a law that reads N still needs params, and no column is left to map it to
    code, _, err = cli(capsys, "fit", str(runs), *law[:1], "E + A*U**-alpha + B*N**-beta",
                       *law[2:])  # fmt: skip
    assert code == 2
    assert "needs column 'params' for N, and the runs have no column 'params'" in err
    assert (
        "hint: the runs have no unused numeric column to read N from: add a params column to "
        "them, or fit a law without N"
    ) in " ".join(err.split())


def test_the_missing_column_hint_lists_only_unused_columns_of_the_file(
    capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    """Not the loss, not flops derived as 6·N·D, not a column another variable reads."""
    path = tmp_path / "p.csv"
    runs = _runs()
    runs.assign(width=np.arange(len(runs)) + 1.0).drop(columns="tokens").to_csv(path, index=False)
    law = "E + A*N**-alpha + B*D**-beta"
    code, _, err = cli(capsys, "fit", str(path), "--law", law, "--bootstrap", "0")
    assert code == 2
    assert "hint: map it to width, the runs' one unused numeric column: --x D=width" in err


def test_a_column_name_in_a_formula_is_pointed_to_the_flag_that_reads_it(
    capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    runs = _widths(tmp_path / "w.csv")
    code, _, err = cli(capsys, "fit", str(runs), "--law", "E + A*width**-alpha")
    assert code == 2
    assert (
        "formula 'E + A*width**-alpha' uses no variable: N, D and C (or params, tokens, flops) "
        "read those columns, and every other symbol is a parameter unless --x maps it to a column"
    ) in " ".join(err.split())
    assert (
        "hint: width stands where a variable does (the base of a power); to read it from a "
        "column: --x width=COLUMN"
    ) in " ".join(err.split())
    # and the flag it names works
    code, out, err = cli(capsys, "fit", str(runs), "--law", "E + A*width**-alpha",
                         "--x", "width=width", "--bootstrap", "0", "--json")  # fmt: skip
    assert code == 0, err
    assert json.loads(out)["coefs"]["alpha"] == pytest.approx(0.6, rel=1e-4)


def test_a_misspelt_variable_raised_to_a_power_is_refused_not_fitted(
    capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    path = tmp_path / "runs.csv"
    _runs().to_csv(path, index=False)
    code, _, err = cli(capsys, "fit", str(path), "--law", "E + A*N**-alpha + B*Q**-beta")
    text = " ".join(err.split())
    assert code == 2
    assert "Q is raised to a fitted power but is no variable, so Q**(...) is one constant" in text
    assert (
        "hint: variables are N, D, C (params, tokens, flops); to read Q from a column: --x Q="
        in text
    )
    # a number as the power is a coefficient's own business (A**2 keeps A positive)
    assert fit("E + A**2*N**-alpha", _runs(), bootstrap=0).ok


def test_a_formula_over_several_lines_is_read_as_one() -> None:
    from scalinglab.laws import FormulaLaw
    from scalinglab.laws._parser import parse_formula

    assert str(parse_formula("E + A*N**-alpha\n+ B")) == "E + A * N**(-alpha) + B"
    law = FormulaLaw("L = E + A*N**-alpha\r\n\t+ B*D^-beta")
    assert str(law.expression()) == "E + A * N**(-alpha) + B * D**(-beta)"
    assert law.name == "L = E + A*N**-alpha + B*D^-beta"


@pytest.mark.parametrize(
    ("text", "where"),
    [
        ("E + A*N**-alpha +* B", 18),
        ("L = E + A*N**-alpha +* B", 22),  # counted from the formula's start, not its right side
        ("L = E + A*N^-alpha +* B", 21),  # a ^ read as ** shifts nothing
        ("E + A*N**-alpha\n+* B", 18),
    ],
)
def test_a_refused_character_is_counted_from_the_formulas_start(text: str, where: int) -> None:
    from scalinglab._errors import FormulaError
    from scalinglab.laws._parser import parse_formula

    with pytest.raises(FormulaError) as err:
        parse_formula(text)
    assert f"at character {where}: invalid syntax" in err.value.message
    assert text.translate({10: 32})[where - 1] == "*"


@pytest.mark.parametrize(
    ("text", "side"),
    [
        ("L(N) = E + A*N**-alpha", "'L(N) =' (a function's signature)"),
        ("L(N, D) = E + A*N**-alpha + B*D**-beta", "'L(N, D) =' (a function's signature)"),
        ("loss ~ E + A*N**-alpha", "'loss ~' (a model formula's, as R writes one)"),
    ],
)
def test_a_left_side_other_than_a_name_says_what_is_accepted(text: str, side: str) -> None:
    from scalinglab._errors import FormulaError
    from scalinglab.laws._parser import parse_formula

    with pytest.raises(FormulaError) as err:
        parse_formula(text)
    assert err.value.message == (
        f"cannot parse formula {text!r}: a left side {side} is not read; a formula is a bare "
        "expression or NAME = expression"
    )
    assert (err.value.hint or "").startswith("write 'E + A*N**-alpha' or 'L = E + A*N**-alpha'")
