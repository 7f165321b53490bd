"""The report's data table on the bundled runs: the runs counted once, each fitted loss in
the loss column's style (``3.3130``, not ``3.313``), each residual signed to four decimals
(``-0.0629``, not ``-0.062874`` beside ``4.9819e-4``), the exact values kept for machines."""

from __future__ import annotations

import math
import re

import numpy as np

import scalinglab
from scalinglab.report._html_sections import data_section


def test_the_data_table_writes_one_style_per_column() -> None:
    runs = scalinglab.data.bundled_runs()
    result = scalinglab.fit("chinchilla", runs, bootstrap=0, compare=False)
    body = data_section(result, runs, y="loss").body
    assert body.count("31 runs") == 1 and "31 open_lm" not in body
    rows = re.findall(r"<tr><td>([^<]*)</td>(.*?)</tr>", body)
    assert len(rows) == len(runs)
    fitted = result.predict(params=runs["params"], tokens=runs["tokens"]).loss
    for i, (_, cells) in enumerate(rows):
        values = re.findall(r"data-value='([^']*)'>([^<]*)<", cells)
        (f_exact, f_shown), (r_exact, r_shown) = values[-2:]
        # the loss column's style: four decimals, trailing zeros kept
        assert re.fullmatch(r"\d\.\d{4}", f_shown) and float(f_shown) == round(fitted[i], 4)
        assert float(f_exact) == fitted[i]
        # residual = log(law) - log(loss), signed, four decimals, never exponent notation
        expected = math.log(fitted[i]) - math.log(float(runs["loss"][i]))
        assert re.fullmatch(r"[+-]\d\.\d{4}", r_shown), r_shown
        assert float(r_shown) == round(float(r_exact), 4)
        assert np.isclose(float(r_exact), expected, rtol=1e-9, atol=1e-12)
