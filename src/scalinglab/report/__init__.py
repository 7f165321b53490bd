"""Figures of fits and the HTML report (matplotlib, imported only when a figure is drawn).

::

    plot_fit(result, runs, "fit.png")   # data, fitted law, prediction band, 100× extrapolation
    write_report(result, runs, "report.html", budgets=[1e21, 1e23])   # one self-contained page
    plot_backtest(backtest, "bt.png", rolling=rolling)   # predicted vs actual, error vs distance
    plot_isoflop(iso, "iso.png")          # isoFLOP parabolas with optima, N_opt(C) and D_opt(C)
    plot_envelope(env, curves, "env.png")  # training curves, their envelope, N_opt(C)
"""

from scalinglab._not_callable import say_what_to_call
from scalinglab.report._backtest_plot import plot_backtest
from scalinglab.report._html import Section, render_report, write_report
from scalinglab.report._isoflop_plot import plot_envelope, plot_isoflop
from scalinglab.report._plot import FORMATS, plot_fit

say_what_to_call(__name__, 'scalinglab.write_report(fit, runs, "report.html") (report --out)')

__all__ = [
    "FORMATS",
    "Section",
    "plot_backtest",
    "plot_envelope",
    "plot_fit",
    "plot_isoflop",
    "render_report",
    "write_report",
]
