"""``hparams predict`` writes every number in exponent form as its title and tables do
(``1e25``, ``4.8e20``, ``2e8``), never Python's ``1e+25`` or ``5e-05``: the title, the notes
and the warnings of one output in one style."""

from __future__ import annotations

import re
from pathlib import Path

import pandas as pd
import pytest
from tests._cli import cli
from tests._hparam_sweeps import SEQ_LEN, sweep

from scalinglab.hparams import HparamFit, fit_hparams

#: Python's exponent spellings: a sign on a positive exponent, a padding zero on a negative.
PYTHON_EXPONENT = re.compile(r"\de\+|\de-0")

#: The largest fitted cell's C as the sweep counts it: N = 800M, D = 80B, 6·N·D·(1 + 2e8/N).
C_TOP = 6.0 * 8e8 * 8e10 * (1.0 + 2e8 / 8e8)


@pytest.fixture(scope="module")
def exact() -> HparamFit:
    """Laws of C fitted to a sweep whose FLOPs follow 6·N·D·(1 + 2e8·N^-1)."""
    frame: pd.DataFrame = sweep(3)
    frame["flops"] = 6.0 * frame["params"] * frame["tokens"] * (1.0 + 2e8 / frame["params"])
    return fit_hparams(frame, seq_len=SEQ_LEN, law="compute", bootstrap=0)


def test_predict_notes_and_warnings_write_exponents_as_the_tables_do(exact: HparamFit) -> None:
    assert pytest.approx(4.8e20) == C_TOP
    for flops in (None, 1e25):
        pred = exact.predict(params="10B", tokens="1.4T", flops=flops)
        said = "\n".join((*pred.notes, *pred.warnings))
        assert not PYTHON_EXPONENT.search(said), said
        assert "C = 6·N·D·(1 + 2e8·N^-1)" in said
        assert "decades above the largest fitted C, 4.8e20: lr* and B* extrapolate" in said
    assert "the given C=1e25 (--flops, Python: flops=) is 2.07 decades above the 8.57e22 " in said


def test_cli_predict_title_notes_and_warnings_in_one_style(
    capsys: pytest.CaptureFixture[str], exact: HparamFit, tmp_path: Path
) -> None:
    exact.save(tmp_path / "hp.json")
    at = ("hparams", "predict", "--params", "10B", "--tokens", "1.4T")
    code, out, err = cli(capsys, *at, "--fit", str(tmp_path / "hp.json"), "--flops", "1e25")
    assert code == 0, err
    said = " ".join((out + err).split())
    assert not PYTHON_EXPONENT.search(said), said
    assert "(C=1e25)" in said  # the title
    assert "warning: the given C=1e25 (--flops, Python: flops=) is 2.07 decades above" in said
    assert "C = 1e25 is 4.32 decades above the largest fitted C, 4.8e20" in said
