"""A loss-to-loss fit's warnings in one list, each after its group: ``LossToLossFit.warnings``
in Python, ``"warnings"`` in its JSON, and on stderr beside ``loss2loss fit --json`` (whose
stderr was empty where the text warns)."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from tests.test_loss2loss import fitted, run, runs_csv

from scalinglab import LossToLossFit, read_runs
from scalinglab.downstream._l2l_predict import fit_warnings

__all__ = ["runs_csv"]  # the fixture, imported for the tests here


@pytest.mark.heavy  # 3.6 s in the suite on a 2-core AMD EPYC
def test_the_fit_warns_of_every_group_each_after_its_name(runs_csv: Path, tmp_path: Path) -> None:
    l2l = fitted(runs_csv, bootstrap=20)
    expected = [f"{g}: {w}" for g, r in l2l.fits.items() for w in fit_warnings(r)]
    assert l2l.warnings == tuple(expected)
    # 16 runs a corpus for the law's 4 parameters: each group says so, after its name
    for group in ("a", "b"):
        assert f"{group}: too few runs: 16 for 4 parameters (4.0 per parameter" in "\n".join(
            l2l.warnings
        )
    assert l2l.to_dict()["warnings"] == expected
    l2l.save(tmp_path / "l2l.json")
    assert LossToLossFit.load(tmp_path / "l2l.json").warnings == l2l.warnings


@pytest.mark.heavy  # 2.6 s in the suite on a 2-core AMD EPYC
def test_one_fit_without_a_group_says_its_warnings_as_the_fit_does(runs_csv: Path) -> None:
    table = read_runs(runs_csv, columns={"loss": "loss_x"}).where("corpus", "a")
    l2l = fitted(table, group=None, bootstrap=20)
    assert l2l.warnings == tuple(fit_warnings(l2l.fits["all"])) and l2l.warnings
    assert l2l.warnings[0].startswith("too few runs: 16 for 4 parameters")


@pytest.mark.heavy
def test_cli_json_says_the_warnings_on_stderr_as_the_text_prints_them(
    capsys: pytest.CaptureFixture[str], runs_csv: Path
) -> None:
    args = ["loss2loss", "fit", str(runs_csv), "--x", "loss_x", "--y", "loss_y", "--group",
            "corpus", "--bootstrap", "20"]  # fmt: skip
    code, out, err = run(capsys, *args, "--json")
    assert code == 0, err
    warned = json.loads(out)["warnings"]
    assert warned and warned[0].startswith("a: too few runs: 16 for 4 parameters")
    assert err.splitlines() == [f"warning: {w}" for w in warned]
    code, text, _ = run(capsys, *args)
    assert code == 0
    said = " ".join(text.split())  # the table's lines wrap at the console's width
    assert all(" ".join(f"warning: {w}".split()) in said for w in warned)
