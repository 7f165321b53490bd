"""Bad input on the command line: exit code 2 (1 for a failed fit), one-line message naming
the problem, a hint, and never a traceback."""

from __future__ import annotations

from pathlib import Path

import pytest
from tests._hashes import cli_inputs, unchanged

import scalinglab
from scalinglab.cli import main as _main

HEADER = "run,params,tokens,loss\n"


def _runs(n: int = 12) -> str:
    """``n`` valid rows of a Chinchilla-like ladder."""
    rows = []
    for i in range(n):
        N, D = 1e7 * 2 ** (i % 4), 1e9 * 2 ** (i // 4)
        rows.append(f"r{i},{N:g},{D:g},{1.9 + 500 * N**-0.35 + 1500 * D**-0.3:.5f}")
    return "\n".join(rows) + "\n"


def _csv(tmp_path: Path, text: str, name: str = "runs.csv") -> Path:
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    return path


def main(args: list[str]) -> int:
    """The CLI, checking that every file named on the command line keeps its bytes."""
    with unchanged(*cli_inputs(args)):
        return _main(args)


def error(capsys: pytest.CaptureFixture[str], *args: str, code: int = 2) -> str:
    """Run the CLI, expect ``code`` and the message on stderr; return stderr."""
    got = main(list(args))
    out, err = capsys.readouterr()
    assert "Traceback" not in out + err
    assert got == code, err
    assert err.startswith("error: ")
    assert out == ""  # nothing half-printed on stdout
    return err


def test_missing_file(capsys: pytest.CaptureFixture[str], tmp_path: Path) -> None:
    err = error(capsys, "fit", str(tmp_path / "nope.csv"))
    assert "nope.csv" in err and "not found" in err


def test_empty_file(capsys: pytest.CaptureFixture[str], tmp_path: Path) -> None:
    err = error(capsys, "fit", str(_csv(tmp_path, "")))
    assert "empty" in err


def test_missing_column(capsys: pytest.CaptureFixture[str], tmp_path: Path) -> None:
    text = "run,params,loss\n" + "".join(f"r{i},{1e7 * (i + 1)},{3 - i / 10}\n" for i in range(8))
    err = error(capsys, "fit", str(_csv(tmp_path, text)), "--bootstrap", "0")
    assert "'tokens'" in err
    # no column is left to map D to: not loss, not params (N reads it)
    assert "add a tokens column to them, or fit a law without D" in " ".join(err.split())


def test_mapped_column_not_there(capsys: pytest.CaptureFixture[str], tmp_path: Path) -> None:
    err = error(capsys, "fit", str(_csv(tmp_path, HEADER + _runs())), "--map", "params=n_params")
    assert "n_params" in err


def test_non_numeric(capsys: pytest.CaptureFixture[str], tmp_path: Path) -> None:
    text = HEADER + _runs(3) + "r9,lots,1e9,3.1\n" + _runs(3).replace("r", "s")
    err = error(capsys, "fit", str(_csv(tmp_path, text)))
    assert "row 5" in err and "'params'" in err and "lots" in err


def test_nan_loss_suggests_drop_outliers(
    capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    text = HEADER + _runs() + "bad,3e7,3e9,nan\n"
    err = error(capsys, "fit", str(_csv(tmp_path, text)))
    assert "'loss'" in err and "bad" in err
    assert "--drop-outliers" in err.splitlines()[1]


def test_nan_loss_dropped_on_request(capsys: pytest.CaptureFixture[str], tmp_path: Path) -> None:
    text = HEADER + _runs() + "bad,3e7,3e9,nan\n"
    path = _csv(tmp_path, text)
    code = main(["fit", str(path), "--drop-outliers", "--law", "power-law-plus-constant",
                 "--bootstrap", "0"])  # fmt: skip
    out, _ = capsys.readouterr()
    assert code == 0
    assert "run 'bad' (row 14) excluded" in out


@pytest.mark.parametrize("value", ["0", "-5e7"])
def test_non_positive_size(capsys: pytest.CaptureFixture[str], tmp_path: Path, value: str) -> None:
    text = HEADER + _runs() + f"z,{value},1e9,3.0\n"
    err = error(capsys, "fit", str(_csv(tmp_path, text)))
    assert "row 14" in err and "'params'" in err


def test_duplicate_run_ids(capsys: pytest.CaptureFixture[str], tmp_path: Path) -> None:
    text = HEADER + _runs() + _runs(1)
    err = error(capsys, "fit", str(_csv(tmp_path, text)))
    assert "r0" in err and "dupl" in err.lower()


def test_too_few_runs(capsys: pytest.CaptureFixture[str], tmp_path: Path) -> None:
    err = error(capsys, "fit", str(_csv(tmp_path, HEADER + _runs(4))))
    assert "4 runs" in err and "5 parameters" in err


def test_formula_that_calls(capsys: pytest.CaptureFixture[str]) -> None:
    err = error(capsys, "fit", "--law", "__import__('os')")
    assert "__import__" in err and "not allowed" in err


def test_unknown_law(capsys: pytest.CaptureFixture[str]) -> None:
    err = error(capsys, "fit", "--law", "chinchila")
    assert "unknown law 'chinchila'" in err and "did you mean 'chinchilla'" in err


def test_x_symbol_the_law_lacks(capsys: pytest.CaptureFixture[str]) -> None:
    err = error(capsys, "fit", "--x", "Q=params", "--bootstrap", "0")
    assert "'Q'" in err and "N, D" in err


@pytest.mark.parametrize(
    ("args", "words"),
    [
        (["--x", "N"], "SYMBOL=COLUMN"),
        (["--budget", "lots"], "--compute 'lots'"),
        (["--budget", "-1e22"], "positive"),
        (["--plot", "fig.jpeg"], ".jpeg"),
        (["--out", "/dev/null/fit.json"], "cannot create the folder '/dev/null'"),
        (["--map", "params=n"], "RUNS file"),
        (["--robust-loss", "cauchy"], "unknown robust loss 'cauchy'"),
        (["--level", "1.5"], "level"),
        (["--bootstrap", "-3"], "--bootstrap"),
        (["--no-such-option"], "No such option"),
    ],
)
def test_bad_fit_options(
    capsys: pytest.CaptureFixture[str], tmp_path: Path, args: list[str], words: str
) -> None:
    if "--out" in args or "--plot" in args:
        args = [a if not a.endswith((".json", ".jpeg")) else str(tmp_path / a) for a in args]
    err = error(capsys, "fit", *args)
    assert words in err


@pytest.mark.parametrize(
    ("args", "said"),
    [
        # neither --compute nor --target-loss: fit's default budgets (test_plan_default_budgets)
        (["--compute", "1e24", "--target-loss", "2.0", "--preset", "hoffmann2022"], "not both"),
        (["--compute", "1e24"], "exactly one of --fit"),
        (["--compute", "1e24", "--preset", "hoffmann2022", "--fit", "fit.json"], "exactly one of"),
    ],
)
def test_plan_needs_one_of_each(
    capsys: pytest.CaptureFixture[str], args: list[str], said: str
) -> None:
    err = error(capsys, "plan", *args)
    assert said in err


def test_plan_fit_not_json(capsys: pytest.CaptureFixture[str], tmp_path: Path) -> None:
    path = _csv(tmp_path, HEADER + _runs(), "fit.json")
    err = error(capsys, "plan", "--compute", "1e24", "--fit", str(path))
    assert "fit.json" in err and "not valid JSON" in err


def test_plan_fit_missing(capsys: pytest.CaptureFixture[str], tmp_path: Path) -> None:
    err = error(capsys, "plan", "--compute", "1e24", "--fit", str(tmp_path / "gone.json"))
    assert "gone.json" in err and "not found" in err


def test_plan_bad_numbers(capsys: pytest.CaptureFixture[str]) -> None:
    err = error(capsys, "plan", "--compute", "a lot", "--preset", "hoffmann2022")
    assert "--compute 'a lot'" in err
    err = error(capsys, "plan", "--compute", "1e24", "--preset", "chinchilla2099")
    assert "unknown preset" in err and "hoffmann2022" in err


def test_plan_unreachable_target(capsys: pytest.CaptureFixture[str]) -> None:
    try:
        from scalinglab.plan import compute_for_loss  # noqa: F401
    except ImportError:  # pragma: no cover
        pytest.skip("scalinglab.plan is not there yet")
    err = error(capsys, "plan", "--target-loss", "1.5", "--preset", "hoffmann2022")
    assert "target loss 1.5" in err and "no compute reaches it" in err
    assert "above 1.69" in err


# -- the boundary itself ------------------------------------------------------------------


def test_failed_fit_exits_1(
    capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    def fail(*args: object, **kwargs: object) -> None:
        raise scalinglab.FitError("every start failed", hint="check the data")

    monkeypatch.setattr(scalinglab, "fit", fail)
    err = error(capsys, "fit", code=1)
    assert err == "error: every start failed\nhint: check the data\n"


def test_ctrl_c_exits_130(
    capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    def interrupt(*args: object, **kwargs: object) -> None:
        raise KeyboardInterrupt

    monkeypatch.setattr(scalinglab, "fit", interrupt)
    assert "interrupted" in error(capsys, "fit", code=130)


def test_a_bug_is_one_line(
    capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    def bug(*args: object, **kwargs: object) -> None:
        raise ZeroDivisionError("oops")

    monkeypatch.setattr(scalinglab, "fit", bug)
    err = error(capsys, "fit", code=1)
    assert "internal error: ZeroDivisionError: oops" in err
    assert "SCALINGLAB_DEBUG" in err


def test_long_messages_are_not_wrapped(capsys: pytest.CaptureFixture[str], tmp_path: Path) -> None:
    err = error(capsys, "fit", str(tmp_path / ("a-very-long-folder-name-" * 8) / "runs.csv"))
    assert len(err.splitlines()) == 2  # error: ..., hint: ...


def test_a_semicolon_csv_is_read_and_its_decimal_commas_refused(
    capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    """``params;tokens;loss`` (a European spreadsheet's CSV) is fitted, with a note, where it
    used to be 'no loss column ... --y loss=COLUMN'; ``2,077`` in such a file is refused."""
    semi = _csv(tmp_path, (HEADER + _runs()).replace(",", ";"), "semi.csv")
    assert main(["fit", str(semi), "--bootstrap", "0", "--no-compare"]) == 0
    out = capsys.readouterr().out
    assert "data: " in out and "(12 runs)" in out
    assert "note: read as semicolon-separated: the header line has no commas" in out
    decimal = _csv(tmp_path, semi.read_text().replace(".", ","), "decimal.csv")
    err = error(capsys, "fit", str(decimal))
    assert "column 'loss': " in err and "has a comma in a number, in a file separated by" in err
    assert "--y" not in err and "read it with --decimal ," in err
    assert "else save the table with '.' as the decimal mark" in err


def test_plan_number_hints_fit_the_option(capsys: pytest.CaptureFixture[str]) -> None:
    """A loss is not hinted as 70M or 1.4T; '1,000' is a thousands separator, said so (it
    was "got '000'")."""
    err = error(capsys, "plan", "--target-loss", "abc", "--preset", "hoffmann2022")
    assert "--target-loss 'abc' is not a number" in err
    assert "write a loss as a plain number, e.g. 2.1" in err and "1.4T" not in err
    err = error(capsys, "plan", "--compute", "1,000", "--preset", "hoffmann2022")
    assert "--compute '1,000' reads as 2 values ('1', '000'): commas separate values" in err
    assert "write the number without separators: --compute 1000" in err
    err = error(capsys, "plan", "--compute", "1e21,abc", "--preset", "hoffmann2022")
    assert "--compute 'abc' is not a number" in err and "1e24 or 3.5e23" in err


@pytest.mark.parametrize("command", [["plan", "--preset", "hoffmann2022"], ["fit"]])
def test_a_compute_of_0_is_hinted_with_computes_not_sizes(
    capsys: pytest.CaptureFixture[str], command: list[str]
) -> None:
    """--compute 0 was hinted '1e24, 5.76e23, 70M or 1.4T': model sizes, as budgets."""
    err = error(capsys, *command, "--compute", "0")
    assert "--compute must be a positive, finite number, got '0'" in err
    assert "hint: write a number such as 1e24 or 3.5e23" in err
    assert "70M" not in err and "1.4T" not in err


@pytest.mark.parametrize("command", [["fit"], ["report"], ["ladder", "plan"]])
def test_version_after_a_command_says_where_it_goes(
    capsys: pytest.CaptureFixture[str], command: list[str]
) -> None:
    """Click suggested the command's nearest-spelled option (``--json``) for ``--version``."""
    code = _main([*command, "--version"])
    err = capsys.readouterr().err
    path = " ".join(["scalinglab", *command])
    assert (code, err) == (
        2,
        f"error: No such option: --version (an option of scalinglab itself, not of '{path}')\n"
        "hint: give it before the command: scalinglab --version\n",
    )
    assert _main(["fit", "--versio"]) == 2  # a slip of no root option: near none of fit's
    assert capsys.readouterr().err.startswith("error: No such option: --versio (fit takes --law")
