"""What :func:`scalinglab.write_report` (and :func:`~scalinglab.report.render_report`) is
given, checked by type before the runs are read: a fit that is no
:class:`~scalinglab.FitResult` (a path to one, a curve fit) raised ``AttributeError: .y``
from deep in the page, ``stated=[...]`` Python's "dictionary update sequence element",
``sections=5`` "'int' object is not iterable"."""

from __future__ import annotations

import os
from collections.abc import Sequence

from scalinglab._checks import check_mapping, given
from scalinglab._errors import ConfigError
from scalinglab.report._html_parts import Section

__all__ = ["check_report_inputs"]


def check_report_inputs(result: object, *, sections: object, stated: object) -> None:
    """Refuse a ``result`` that is no scaling-law fit, ``sections`` that are no list of
    :class:`~scalinglab.report.Section`, and ``stated`` that is no mapping of card labels to
    values.

    Raises:
        ConfigError: Naming the argument, what was given and what to pass.
    """
    from scalinglab.fit import FitResult

    if not isinstance(result, FitResult):
        hint = (
            f"load a saved fit first: scalinglab.FitResult.load({os.fspath(result)!r})"
            if isinstance(result, str | os.PathLike)
            else "fit one, scalinglab.fit('chinchilla', runs), or load one, "
            "scalinglab.FitResult.load('fit.json')"
        )
        raise ConfigError(
            f"write_report reports a scaling-law fit (a scalinglab.FitResult), got {given(result)}",
            hint=hint,
        )
    if isinstance(sections, str) or not (
        isinstance(sections, Sequence) and all(isinstance(s, Section) for s in sections)
    ):
        raise ConfigError(
            f"sections must be a list of scalinglab.report.Section, got {given(sections)}",
            hint="pass sections=[] for none, or e.g. sections=[Section(key='notes', "
            "title='Notes', body='<p>...</p>')]",
        )
    example = "{'bootstrap': '200 resamples of runs'}"
    labels = check_mapping("stated", stated, example=example, what="a mapping of label -> value")
    if not all(isinstance(k, str) and isinstance(v, str) for k, v in labels.items()):
        raise ConfigError(
            f"stated must map card labels to values, both strings, got {given(stated)}",
            hint=f"e.g. stated={example}",
        )
