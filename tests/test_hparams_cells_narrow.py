"""``hparams fit``'s cells table at 80 columns leaves out its least needed columns (diverged,
runs, loss*, status), as ``ladder plan``'s does, and says which, rather than cutting every cell
to ``…``; a wide terminal shows them all."""

from __future__ import annotations

from pathlib import Path

import pytest
from tests._cli import cli
from tests._hparam_sweeps import sweep


@pytest.fixture(scope="module")
def sweep_csv(tmp_path_factory: pytest.TempPathFactory) -> Path:
    path = tmp_path_factory.mktemp("hp6") / "sweep.csv"
    sweep(1).to_csv(path, index=False)
    return path


def test_an_80_column_hparams_fit_leaves_columns_out_and_says_so(
    capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch, sweep_csv: Path
) -> None:
    monkeypatch.setenv("COLUMNS", "80")
    code, out, err = cli(capsys, "hparams", "fit", str(sweep_csv), "--seq-len", "2048",
                         "--bootstrap", "20")  # fmt: skip
    assert code == 0, err
    lines = out.splitlines()
    top = next(i for i, line in enumerate(lines) if line.startswith("┏"))
    table = lines[top : next(i for i, line in enumerate(lines) if line.startswith("└")) + 1]
    assert all(len(line) <= 80 for line in table) and "…" not in "\n".join(table)
    heads = [h.strip() for h in table[1].strip("┃").split("┃")]
    assert heads[0] == "cell" and "lr*" in heads and "B* (tokens)" in heads
    left = [h for h in ("diverged", "runs", "loss*", "status") if h not in heads]
    assert left and left == ["diverged", "runs", "loss*", "status"][: len(left)]
    said = " ".join(out.split())
    noun = "column" if len(left) == 1 else "columns"
    assert f"{noun} {', '.join(left)} left out to fit 80 columns: a wider terminal shows" in said
    assert "--json and --out hold every value" in said


def test_a_wide_hparams_fit_shows_every_cell_column(
    capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch, sweep_csv: Path
) -> None:
    monkeypatch.setenv("COLUMNS", "160")
    code, out, err = cli(capsys, "hparams", "fit", str(sweep_csv), "--seq-len", "2048",
                         "--bootstrap", "20")  # fmt: skip
    assert code == 0, err
    assert "left out to fit" not in out
    head = next(line for line in out.splitlines() if line.startswith("┃ cell"))
    assert [h.strip() for h in head.strip("┃").split("┃")] == [
        "cell", "runs", "diverged", "lr*", "B* (tokens)", "loss*", "status",
    ]  # fmt: skip
