"""Report pages in tests: a page's text as a reader sees it, and the small evaluation table
the downstream pages are made from."""

from __future__ import annotations

import html
import re
from pathlib import Path

import numpy as np
from tests.test_downstream_chain import MULTS, SIZES, models


def page_text(page: str, section: str = "") -> str:
    """The page's text (or one section's): figures dropped, tags stripped, entities read,
    spaces squeezed."""
    if section:
        start = page.index(f"<section id='{section}'>")
        page = page[start : page.index("</section>", start)]
    page = re.sub(r"<svg.*?</svg>", "", page, flags=re.DOTALL)
    return re.sub(r"\s+", " ", html.unescape(re.sub(r"<[^>]+>", " ", page))).strip()


def write_evals(folder: Path) -> Path:
    """``evals.csv`` in ``folder``: models of the downstream chain's tests with one task, the
    loss column named ``val_loss``."""
    frame = models(np.random.default_rng(0), SIZES, MULTS)[["run", "params", "tokens", "loss",
                                                             "acc_task"]]  # fmt: skip
    path = folder / "evals.csv"
    frame.rename(columns={"loss": "val_loss"}).to_csv(path, index=False)
    return path
