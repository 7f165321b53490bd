"""``report CURVES --curves``'s page shows what reading the curves said, as ``curves fit``
and the terminal say it: the reader's warnings (perplexity given as the loss) among the
page's warnings, its notes (rows skipped) among the page's notes, each once."""

from __future__ import annotations

import html
import re
from pathlib import Path

import numpy as np
import pandas as pd
import pytest
from tests._cli import cli
from tests.conftest import SHARED

LR = SHARED / "lr-schedules" / "25M"
LOOKS = "look like perplexity (exp of the loss)"
TRAIN = ("cosine_24000", "constant_24000", "wsdcon_9")


def _lists(page: str, kind: str) -> list[str]:
    """The items of the page's ``<ul class='KIND'>`` lists, as plain text."""
    items = []
    for block in re.findall(rf"<ul class='{kind}'>(.*?)</ul>", page, flags=re.S):
        for item in re.findall(r"<li>(.*?)</li>", block, flags=re.S):
            items.append(" ".join(html.unescape(re.sub(r"<[^>]+>", "", item)).split()))
    return items


@pytest.mark.skipif(not LR.is_dir(), reason="the lr-schedules curves live in ../shared/data")
@pytest.mark.heavy  # 6.5 s in the suite on a 2-core AMD EPYC
def test_the_page_shows_the_readings_warnings_and_notes(
    capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    folder = tmp_path / "25M"
    folder.mkdir()
    values = []
    for name in (*TRAIN, "wsd_20000_24000"):
        curve = pd.read_csv(LR / f"{name}.csv")
        curve = curve.rename(columns={"loss": "train_ppl"}).assign(train_ppl=np.exp(curve["loss"]))
        if name == "cosine_24000":  # a row the reader skips, with a note
            curve.loc[curve.index[10], "train_ppl"] = np.nan
        curve.to_csv(folder / f"{name}.csv", index=False)
        values += curve["train_ppl"].dropna().tolist()
    page = tmp_path / "curves.html"
    code, _, err = cli(
        capsys, "report", str(folder), "--curves", "--train", ",".join(TRAIN),
        "--map", "loss=train_ppl", "--bootstrap", "0", "--out", str(page),
    )  # fmt: skip
    assert code == 0
    terminal = " ".join(err.split())
    span = f"warning: loss {min(values):.4g} to {max(values):.4g} (column 'train_ppl')"
    warned = [w for w in _lists(page.read_text(), "warnings") if LOOKS in w]
    assert len(warned) == 1 and warned[0].startswith(span) and warned[0] in terminal
    skipped = [n for n in _lists(page.read_text(), "notes") if "without a finite loss" in n]
    assert len(skipped) == 1 and f"note: {skipped[0]}" in terminal
