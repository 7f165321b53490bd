"""A cell's lr* and its interval read as one number: the terminal table never breaks them
over two lines (at 120 columns the ladder sweep's ``0.00903 [0.0030, 0.0300]`` wrapped after
the comma once its ends kept their decimals); the status column wraps instead."""

from __future__ import annotations

import dataclasses
import io
import re

from rich.console import Console
from tests._hparam_sweeps import SEQ_LEN, sweep

from scalinglab.cli._rows_table import rich_table
from scalinglab.hparams import fit_hparams, read_sweep
from scalinglab.hparams._rows import cells_table


def test_lr_and_its_interval_stay_on_one_line() -> None:
    hp = fit_hparams(read_sweep(sweep(3), seq_len=SEQ_LEN), bootstrap=0)
    # wide interval ends, in a table squeezed as the CPU ladder's sweep was at 120 columns
    cells = tuple(dataclasses.replace(c, lr=0.00903, lr_interval=(0.003, 0.03)) for c in hp.cells)
    table = rich_table(cells_table(dataclasses.replace(hp, cells=cells)))
    out = io.StringIO()
    Console(file=out, width=90, color_system=None).print(table)
    rows = [line for line in out.getvalue().splitlines() if "N=" in line]
    assert rows and all(re.search(r"0\.00903 \[0\.0030?, 0\.0300?\]", r) for r in rows), rows
