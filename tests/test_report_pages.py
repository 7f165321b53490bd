"""What the report pages say, read as a reader reads them (tags stripped): the loss report on
the bundled runs and on the Chinchilla points with --drop-outliers, and the hparams page on
the shared Step Law sweep. Each fact once, in its section; numbers in the units the command
line prints; every interval says its level and kind, or why there is none."""

from __future__ import annotations

import html
import re

import pytest
from tests.conftest import SHARED

from scalinglab.cli import main

STEPLAW = SHARED / "steplaw" / "dense_lr_bs_loss.dev.csv"


def _write(tmp_path_factory: pytest.TempPathFactory, *args: str) -> str:
    out = tmp_path_factory.mktemp("page") / "page.html"
    assert main(["report", *args, "--out", str(out)]) == 0
    return out.read_text(encoding="utf-8")


def _text(page: str, section: str = "") -> str:
    """The page's text (or one section's): tags stripped, entities read, spaces squeezed."""
    if section:
        start = page.index(f"<section id='{section}'>")
        page = page[start : page.index("</section>", start)]
    page = re.sub(r"<svg.*?</svg>", "", page, flags=re.DOTALL)
    return re.sub(r"\s+", " ", html.unescape(re.sub(r"<[^>]+>", " ", page)))


@pytest.mark.skipif(not STEPLAW.exists(), reason=f"{STEPLAW} not found")
def test_hparams_page_has_no_nan_and_batch_in_units(
    tmp_path_factory: pytest.TempPathFactory,
) -> None:
    page = _write(
        tmp_path_factory, str(STEPLAW), "--hparams", "--seq-len", "2048", "--y", "smooth loss"
    )
    text = _text(page)
    assert "nan" not in text.lower()
    # the held-out cell's prediction lies outside its runs: no regret read off them
    rows = re.findall(r"<tr><td>([a-z0-9]+)</td><td>N=537M D=10B</td>(.*?)</tr>", page)
    runs = {method: re.findall(r"<td>(.*?)</td>", cells)[-1] for method, cells in rows}
    assert runs["scalinglab"] == "—" and runs["deepseek2024"].endswith("%")
    assert "— where the prediction lies outside them" in text
    assert "191K" in text and "1.912e+05" not in text  # B* as the CLI prints it
