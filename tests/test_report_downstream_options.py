"""``report EVALS --downstream``'s own options: --percent (the hint for a column in
percent names it), --metric, and a refusal naming what the page takes."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest
from tests.test_downstream_chain import MULTS, SIZES, models

from scalinglab.cli import main


@pytest.fixture(scope="module")
def percent_csv(tmp_path_factory: pytest.TempPathFactory) -> Path:
    frame = models(np.random.default_rng(0), SIZES, MULTS)[["run", "params", "tokens", "loss",
                                                             "acc_task"]]  # fmt: skip
    frame = frame.assign(acc_task=100 * frame["acc_task"])
    path = tmp_path_factory.mktemp("pct") / "pct.csv"
    frame.to_csv(path, index=False)
    return path


def run(capsys: pytest.CaptureFixture[str], *args: str) -> tuple[int, str]:
    code = main(list(args))
    out, err = capsys.readouterr()
    return code, " ".join((out + err).split())


@pytest.mark.heavy
def test_report_downstream_reads_accuracies_in_percent(
    percent_csv: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    out = tmp_path / "r.html"
    code, text = run(capsys, "report", str(percent_csv), "--downstream", "--out", str(out),
                     "--bootstrap", "20", "--chance", str(_chance(tmp_path)))  # fmt: skip
    assert code == 0, text  # the column in percent is read so, by itself (no --percent)
    assert " --percent " not in out.read_text()
    code, text = run(capsys, "report", str(percent_csv), "--downstream", "--percent",
                     "--out", str(out), "--bootstrap", "20")  # fmt: skip
    assert code == 0, text
    assert "--downstream --out" in out.read_text() and " --percent " in out.read_text()


def _chance(tmp_path: Path) -> Path:
    path = tmp_path / "chance.csv"
    path.write_text("task,chance\ntask,25%\n", encoding="utf-8")
    return path


def test_percent_without_downstream_is_refused(
    percent_csv: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    code, text = run(capsys, "report", str(percent_csv), "--percent", "--out",
                     str(tmp_path / "r.html"))  # fmt: skip
    assert code == 2
    assert "error: --percent chooses the evaluations of a --downstream page" in text


@pytest.mark.parametrize(
    "option", [["--compute", "1e21"], ["--figures", "figs"], ["--format", "png"]]
)
def test_an_option_the_page_lacks_is_refused_naming_what_it_takes(
    percent_csv: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str], option: list[str]
) -> None:
    code, text = run(capsys, "report", str(percent_csv), "--downstream", "--percent", *option,
                     "--out", str(tmp_path / "r.html"))  # fmt: skip
    assert code == 2
    assert f"hint: drop {option[0]}: the --downstream page takes --via, --where" in text
    assert "--percent, --metric, --task-law" in text
    assert ("downstream plan --fit ds.json --target-accuracy" in text) == (option[0] == "--compute")
