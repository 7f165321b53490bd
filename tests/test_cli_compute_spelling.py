"""A budget is ``--compute`` on plan, fit, isoflop and report, and a run's compute is
``--flops`` on predict and hparams predict (the law's C): each command reads the other
spelling as its own, shown in no help, and an unknown option near either names the
command's documented one. In Python, compute= suggests flops=."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from tests._chinchilla_draws import isoflop_runs
from tests._cli import cli
from tests.conftest import chinchilla_runs

import scalinglab as sl
from scalinglab import ConfigError


@pytest.fixture(scope="module")
def fit_file(tmp_path_factory: pytest.TempPathFactory) -> Path:
    path = tmp_path_factory.mktemp("fit") / "fit.json"
    sl.fit("chinchilla", chinchilla_runs(outliers=0), bootstrap=8, extrapolation=False).save(path)
    return path


def _json(capsys: pytest.CaptureFixture[str], *args: str) -> dict[str, object]:
    code, out, err = cli(capsys, *args, "--json")
    assert code == 0, err
    data = json.loads(out)
    assert isinstance(data, dict)
    return data


def test_plan_reads_flops_as_compute(capsys: pytest.CaptureFixture[str]) -> None:
    preset = ("plan", "--preset", "hoffmann2022")
    ours = _json(capsys, *preset, "--flops", "1e23")
    assert ours == _json(capsys, *preset, "--compute", "1e23")
    assert ours["query"] == {"flops": 1e23}


def test_plan_takes_both_spellings_as_one_list_of_budgets(
    capsys: pytest.CaptureFixture[str],
) -> None:
    data = _json(capsys, "plan", "--preset", "hoffmann2022", "--compute", "1e22", "--flops", "1e23")
    plans = data["plans"]
    assert isinstance(plans, list)
    assert [p["query"] for p in plans] == [{"flops": 1e22}, {"flops": 1e23}]


def test_fit_reads_flops_as_compute(capsys: pytest.CaptureFixture[str]) -> None:
    base = ("fit", "--bootstrap", "0")
    ours = _json(capsys, *base, "--flops", "1e22,1e23")
    assert [row["flops"] for row in ours["plan"]] == [1e22, 1e23]  # type: ignore[index,union-attr]
    assert ours["plan"] == _json(capsys, *base, "--compute", "1e22,1e23")["plan"]


def test_isoflop_reads_flops_as_compute(capsys: pytest.CaptureFixture[str], tmp_path: Path) -> None:
    path = tmp_path / "iso.csv"
    isoflop_runs().to_csv(path, index=False)
    code, _, err = cli(
        capsys, "isoflop", str(path), "--bootstrap", "0", "--flops", "1e25", one_line=True
    )
    assert code == 2 and "budget 1e25 (beyond every run's flops" in err


def test_report_reads_flops_as_compute(capsys: pytest.CaptureFixture[str], tmp_path: Path) -> None:
    # the --hparams page refuses a budget: what it refuses is the budget given as --flops
    args = ("report", str(tmp_path / "sweep.csv"), "--hparams", "--out", str(tmp_path / "r.html"))
    code, _, err = cli(capsys, *args, "--flops", "1e22")
    assert code == 2
    assert err.startswith(
        "error: --compute is an option of the loss-law report; the --hparams page"
    )


def test_predict_reads_compute_as_flops(capsys: pytest.CaptureFixture[str], fit_file: Path) -> None:
    base = ("predict", "--fit", str(fit_file), "--params", "7B")
    ours = _json(capsys, *base, "--compute", "1e23")
    assert ours == _json(capsys, *base, "--flops", "1e23")


def test_predict_refuses_both_spellings(capsys: pytest.CaptureFixture[str], fit_file: Path) -> None:
    args = ("predict", "--fit", str(fit_file), "--params", "7B", "--flops", "1e22")
    code, out, err = cli(capsys, *args, "--compute", "1e23")
    assert (code, out) == (2, "")
    assert err == (
        "error: --flops 1e22 and --compute 1e23 both given: here --compute is read as --flops, "
        "the run's training compute\nhint: give one: --flops 1e22\n"
    )


def test_hparams_predict_reads_compute_as_flops(capsys: pytest.CaptureFixture[str]) -> None:
    base = ("hparams", "predict", "--preset", "deepseek2024")
    assert _json(capsys, *base, "--compute", "1e22") == _json(capsys, *base, "--flops", "1e22")


@pytest.mark.parametrize(
    ("command", "typed", "meant"),
    [
        (("plan",), "--flop", "--compute"),  # click's near names: --help (the alias: --flops)
        (("plan",), "--comptue", "--compute"),
        (("isoflop",), "--flps", "--compute"),
        (("predict",), "--comput", "--flops"),  # click's: --compute (hidden) and --out
        (("predict",), "--budget", "--flops"),
        (("hparams", "predict"), "--budgets", "--flops"),
    ],
)
def test_a_slip_names_the_commands_documented_option(
    capsys: pytest.CaptureFixture[str], command: tuple[str, ...], typed: str, meant: str
) -> None:
    code, _, err = cli(capsys, *command, typed, "1e23")
    assert code == 2
    assert err.splitlines()[0] == f"error: No such option: {typed} (Possible options: {meant})"


@pytest.mark.parametrize(
    ("typed", "meant"),
    [
        # fit's --loss is robust loss's old spelling, hidden: its documented name is suggested;
        # click's --flops (0.83 near --los) is no slip of it: not --compute (it displaced --out)
        ("--los", "--robust-loss, --plot, --out"),
        ("--lss", "--robust-loss, --law"),  # click's: --loss, --flops, --law
        ("--plto", "--plot, --store, --delta"),  # click's: --plot, --loss, --store
    ],
)
def test_a_hidden_spelling_is_suggested_only_for_a_slip_of_it(
    capsys: pytest.CaptureFixture[str], typed: str, meant: str
) -> None:
    code, _, err = cli(capsys, "fit", typed, "huber")
    assert code == 2
    assert err.splitlines()[0] == f"error: No such option: {typed} (Possible options: {meant})"


@pytest.mark.parametrize(
    ("command", "hidden"),
    [(("plan",), "--flops"), (("fit",), "--flops"), (("predict",), "--compute"),
     (("hparams", "predict"), "--compute")],
)  # fmt: skip
def test_the_other_spelling_is_in_no_help(
    capsys: pytest.CaptureFixture[str], command: tuple[str, ...], hidden: str
) -> None:
    code, out, _ = cli(capsys, *command, "--help")
    assert code == 0 and f"{hidden} " not in out and f"{hidden}," not in out


def test_optimal_allocation_suggests_flops_for_compute() -> None:
    with pytest.raises(ConfigError) as info:
        sl.optimal_allocation("hoffmann2022", compute=1e23)  # type: ignore[call-arg]
    assert (
        info.value.hint
        == "did you mean flops=? It is the budget in FLOPs, as `plan --compute` gives it"
    )


def test_predict_suggests_flops_for_compute(fit_file: Path) -> None:
    with pytest.raises(ConfigError, match=r"got compute=") as info:
        sl.FitResult.load(fit_file).predict(params=7e9, compute=1e23)
    assert info.value.hint.startswith("did you mean flops=?")
