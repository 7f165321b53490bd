"""``downstream report`` and ``report --downstream`` say the chain's warnings on stderr, as
``downstream fit`` and the loss-law page do: the page warns of them, so does the terminal."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest
from tests.test_downstream_chain import MULTS, SIZES, models

from scalinglab.cli import main

_WARNING = (
    "warning: the models span 2 values of 'dataset' (c4, pile), fitted as one: a chain holds "
    "for one training distribution"
)


@pytest.fixture(scope="module")
def mixed_csv(tmp_path_factory: pytest.TempPathFactory) -> Path:
    frame = models(np.random.default_rng(0), SIZES, MULTS)[["run", "params", "tokens", "loss",
                                                             "acc_task"]]  # fmt: skip
    frame["dataset"] = ["c4", "pile"] * (len(frame) // 2)
    path = tmp_path_factory.mktemp("mixed") / "mixed.csv"
    frame.to_csv(path, index=False)
    return path


@pytest.mark.parametrize(
    "command",
    [["downstream", "report", "--no-validate"], ["report", "--downstream", "--no-validate"]],
)
@pytest.mark.heavy
def test_the_chains_warning_is_said(
    mixed_csv: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str], command: list[str]
) -> None:
    page = tmp_path / "r.html"
    code = main([*command, str(mixed_csv), "--law", "chinchilla", "--bootstrap", "0",
                 "--out", str(page)])  # fmt: skip
    out, err = capsys.readouterr()
    assert code == 0, err
    assert out.strip() == f"wrote report: {page}"
    assert _WARNING in " ".join(err.split())
    # the page's "Fitted law" warns of it in the same words (Evals.where, not RunTable's)
    assert "(Evals.where in Python)" in page.read_text(encoding="utf-8")
