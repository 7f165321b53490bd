"""The report's plan table names its columns as ``plan`` and ``fit`` print them (``params
N*``, ``tokens/param``, ``loss``): it said ``model size N*``, ``D*/N*`` and ``loss L*``,
beside a column of its own that said ``tokens/param``."""

from __future__ import annotations

import re

from tests.conftest import isoflop_runs

import scalinglab
from scalinglab.report._html_sections import plan_section


def test_the_report_plan_columns_are_the_cli_plan_rows() -> None:
    result = scalinglab.fit("chinchilla", isoflop_runs(seed=3), bootstrap=20, compare=False)
    body = plan_section(result, [1e21, 1e22], None).body
    heads = re.findall(r"<th>([^<]*)</th>", body[body.index("<table class='plan'>") :])
    assert heads[1:5] == ["params N*", "tokens D*", "tokens/param", "loss"]
    assert "for N*, D* and tokens/param the 90% interval" in body
    assert "D*/N*" not in body and "model size" not in body
