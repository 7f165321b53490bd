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


def test_the_frontier_figure_names_its_axes_as_the_plan_table() -> None:
    """The figure of N*(C) and D*(C) said ``compute-optimal model size N*`` beside a table
    of ``params N*``: its axes, and the runs' axis of the loss figure, say ``params``."""
    from scalinglab.report._report_figures import fit_figures

    runs = scalinglab.read_runs(isoflop_runs(seed=3))
    result = scalinglab.fit("chinchilla", runs, bootstrap=20, compare=False)
    figures = {f.key: f for f in fit_figures(result, runs, budgets=[1e21])[0]}
    frontier = figures["frontier"]
    assert [ax.get_ylabel() for ax in frontier.figure.axes] == ["params N*", "tokens D*"]
    assert frontier.caption.startswith("Compute-optimal params N* and tokens D* under C")
    assert figures["loss-scaling"].figure.axes[0].get_xlabel() == "params N (params)"
    assert "model size" not in frontier.caption + figures["loss-scaling"].caption
