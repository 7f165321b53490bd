"""The line that says a file was written says when it replaced one: a second run into the same
path (``report``, ``plan --out``, ``loss2loss fit --out``, a folder of figures; ``fit --out
--plot``: tests/test_cli_outputs.py) is told apart from the first, which says ``wrote ...``
alone."""

from __future__ import annotations

import re
from pathlib import Path

import numpy as np
import pandas as pd
import pytest
from rich.console import Console
from tests._cli import cli
from tests._grid_runs import law_grid_csv

from scalinglab.cli._interrupted import existed, watch, watching
from scalinglab.cli._wrote import files_in, wrote, wrote_figures

REPLACED = " (replaced the earlier file)"
CLI = Path(__file__).resolve().parents[1] / "src" / "scalinglab" / "cli"


def _wrote_lines(text: str) -> list[str]:
    return [line for line in text.splitlines() if line.startswith("wrote ")]


def test_plan_out_says_replaced_on_stdout_and_with_json_on_stderr(
    capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    fit = tmp_path / "fit.json"
    code, _, err = cli(
        capsys, "fit", str(law_grid_csv(tmp_path)), "--bootstrap", "0", "--out", str(fit)
    )
    assert code == 0, err
    saved = tmp_path / "plan.json"
    plan = ["plan", "--compute", "1e22", "--fit", str(fit), "--out", str(saved)]
    code, out, _ = cli(capsys, *plan)
    assert code == 0 and out.endswith(f"wrote plan: {saved}\n")
    code, out, _ = cli(capsys, *plan)
    assert code == 0 and out.endswith(f"wrote plan: {saved}{REPLACED}\n")
    code, out, err = cli(capsys, *plan, "--json")
    assert code == 0 and out.startswith("{") and "wrote" not in out
    assert err.startswith(f"wrote plan: {saved}{REPLACED}\n")


@pytest.mark.heavy  # 1.3 s in the suite on a 2-core AMD EPYC
def test_loss2loss_fit_out_says_the_second_run_replaced_it(
    capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    rng = np.random.default_rng(0)
    lx = np.geomspace(2.2, 4.5, 12)
    ly = (1.1 * (lx - 1.5) ** 0.9 + 1.2) * np.exp(rng.normal(0, 0.002, lx.size))
    runs = tmp_path / "runs.csv"
    pd.DataFrame({"run": [f"r{i}" for i in range(12)], "loss_x": lx, "loss_y": ly}).to_csv(
        runs, index=False
    )
    out = tmp_path / "l2l.json"
    args = ["loss2loss", "fit", str(runs), "--x", "loss_x", "--y", "loss_y", "--bootstrap", "0"]
    code, text, err = cli(capsys, *args, "--out", str(out))
    assert code == 0, err
    assert _wrote_lines(text) == [f"wrote fit: {out}"]
    code, text, err = cli(capsys, *args, "--out", str(out), "--json")
    assert code == 0 and _wrote_lines(text) == []
    assert _wrote_lines(err) == [f"wrote fit: {out}{REPLACED}"]


@pytest.mark.heavy
def test_report_and_its_figures_say_what_the_second_run_replaced(
    capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    runs, page, figs = law_grid_csv(tmp_path), tmp_path / "report.html", tmp_path / "figs"
    args = ["report", str(runs), "--bootstrap", "0", "--no-validate", "--out", str(page)]
    code, first, err = cli(capsys, *args, "--figures", str(figs))
    assert code == 0, err
    names = ", ".join(sorted(p.name for p in figs.iterdir()))
    drawn = _wrote_lines(first)
    assert drawn[0] == f"wrote report: {page}"
    assert re.fullmatch(rf"wrote figures: {re.escape(str(figs))} \(([^;()]+)\)", drawn[1])
    listed = drawn[1].split(" (", 1)[1].rstrip(")")
    assert ", ".join(sorted(listed.split(", "))) == names  # every file the folder holds
    code, second, err = cli(capsys, *args, "--figures", str(figs))
    assert code == 0, err
    assert _wrote_lines(second) == [
        f"wrote report: {page}{REPLACED}",
        f"wrote figures: {figs} ({listed}; replaced the earlier files)",
    ]
    # a fresh folder holding one of the figures' names: that one alone is said replaced
    fresh = tmp_path / "fresh"
    fresh.mkdir()
    kept = listed.split(", ")[1]
    (fresh / kept).write_text("<svg/>", encoding="utf-8")
    code, third, err = cli(capsys, *args, "--figures", str(fresh))
    assert code == 0, err
    assert (
        _wrote_lines(third)[1] == f"wrote figures: {fresh} ({listed}; replaced the earlier {kept})"
    )


def test_existed_is_what_the_path_held_when_noted_before_the_work(tmp_path: Path) -> None:
    old, new = tmp_path / "old.json", tmp_path / "new.json"
    old.write_text("{}", encoding="utf-8")
    assert existed(old) is None  # no command running: nothing noted, nothing claimed
    with watching():
        watch(old, option="--out")
        watch(new, option="--plot")
        new.write_text("{}", encoding="utf-8")  # written after it was noted: a first write
        old.unlink()  # what the write replaced is the file there before the work
        assert (existed(old), existed(new), existed(tmp_path / "x.json")) == (True, False, None)


def test_the_lines_as_the_console_prints_them(tmp_path: Path) -> None:
    console = Console(record=True, width=40, force_terminal=False)
    page, figs = tmp_path / "r.html", tmp_path / "figs"
    page.write_text("<html>", encoding="utf-8")
    with watching():
        watch(page, option="--out")
        wrote(console, "report", page)
    wrote(console, "report", page)  # not noted: the line claims nothing
    assert files_in(figs) == frozenset()  # no folder yet
    figs.mkdir()
    (figs / "a.svg").write_text("<svg/>", encoding="utf-8")
    (figs / "sub").mkdir()  # a folder in it is no figure
    before = files_in(figs)
    assert before == {"a.svg"}
    drawn = [figs / "a.svg", figs / "b.svg"]
    wrote_figures(console, figs, drawn, before=before)
    wrote_figures(console, figs, drawn[:1], before=before)
    wrote_figures(console, figs, drawn[1:], before=before)
    assert console.export_text().splitlines() == [
        f"wrote report: {page}{REPLACED}",  # one line, however narrow the console
        f"wrote report: {page}",
        f"wrote figures: {figs} (a.svg, b.svg; replaced the earlier a.svg)",
        f"wrote figures: {figs} (a.svg; replaced the earlier file)",
        f"wrote figures: {figs} (b.svg)",
    ]


def test_every_wrote_line_of_the_cli_is_said_by_one_function() -> None:
    """A command that printed its own ``wrote ...:`` line would not say what it replaced."""
    own = re.compile(r"""f?["']wrote [a-z]+: \{""")
    found = [
        f"{path.name}:{n}"
        for path in sorted(CLI.glob("*.py"))
        if path.name != "_wrote.py"
        for n, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1)
        if own.search(line)
    ]
    assert found == []
