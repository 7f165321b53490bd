"""Figures of fits (matplotlib, imported only when a figure is drawn).

::

    plot_fit(result, runs, "fit.png")   # data, fitted law, bootstrap band, 100× extrapolation
"""

from scalinglab.report._plot import FORMATS, plot_fit

__all__ = ["FORMATS", "plot_fit"]
