"""Bundled runs: real training runs that ship with scalinglab, and the simulated ladder.

``scalinglab fit`` with no RUNS fits real runs: the over-trained language models of Gadre
et al. 2024, "Language models scale reliably with over-training and on downstream tasks"
(arXiv:2403.08540), from the repository ``mlfoundations/scaling`` (``exp_data/models``; MIT
license, copied beside the data as ``gadre2024_LICENSE.txt``). ``gadre2024_overtraining.csv``
holds its 95 open_lm models of 10.6M, 78.9M, 153.7M and 411.6M parameters, trained on three
corpora at 5 ... 640 tokens per parameter; the larger models of the source are not included.
Columns: ``run`` (the source's name), ``dataset`` (the corpus, named as in the source;
``corpus`` is read as its other name), ``params``, ``tokens``, ``flops`` (6·N·D),
``tokens_per_param`` and ``loss``, the final C4 validation loss (the source's
``loss_c4_val``). It was written by ``python -m scalinglab.data._bundled MODELS_CSV OUT``
from the flattened table of the source's JSON files.

Names: ``overtraining-c4`` (trained on C4, the default), ``overtraining-rpj`` (RedPajama),
``overtraining-rw`` (RefinedWeb), and ``simulated`` (the simulated ladder of
:func:`~scalinglab.data.default_runs`).
"""

from __future__ import annotations

import csv
import sys
from dataclasses import replace
from importlib.resources import as_file, files
from pathlib import Path

import numpy as np

from scalinglab._errors import ConfigError, did_you_mean
from scalinglab._keywords import keywords_checked
from scalinglab.data._readers import read_runs
from scalinglab.data._simulate import simulated_runs
from scalinglab.data._table import RunTable

__all__ = ["BUNDLED", "DEFAULT_DATA", "bundled_runs", "default_runs"]

_CSV_NAME = "gadre2024_overtraining.csv"
#: Bundled data set name -> the corpus of the Gadre et al. models (None: simulated).
BUNDLED: dict[str, str | None] = {
    "overtraining-c4": "c4_original",
    "overtraining-rpj": "rpj",
    "overtraining-rw": "rw_original",
    "simulated": None,
}
#: What ``scalinglab fit`` fits with no RUNS.
DEFAULT_DATA = "overtraining-c4"
_CITATION = "Gadre et al. 2024 (arXiv:2403.08540), github.com/mlfoundations/scaling, MIT license"


@keywords_checked("scalinglab.default_runs")
def default_runs() -> RunTable:
    """What ``scalinglab fit`` fits without a RUNS file: :data:`DEFAULT_DATA`, real runs
    (``simulated_runs()`` is the simulated ladder).

    Returns:
        The :class:`RunTable` of :data:`DEFAULT_DATA`.
    """
    return bundled_runs(DEFAULT_DATA)


@keywords_checked("scalinglab.bundled_runs")
def bundled_runs(name: str = DEFAULT_DATA) -> RunTable:
    """A bundled data set by name (see the module docstring), saying where it comes from.

    Args:
        name: ``"overtraining-c4"`` (the default: the Gadre et al. 2024 models trained on
            C4), ``"overtraining-rpj"`` (RedPajama), ``"overtraining-rw"`` (RefinedWeb), or
            ``"simulated"`` (the simulated ladder); the keys of :data:`BUNDLED`.

    Returns:
        The data set as a :class:`RunTable`, its ``source`` naming where it comes from.

    Raises:
        ConfigError: For a name not in :data:`BUNDLED`.
    """
    if name not in BUNDLED:
        raise ConfigError(
            f"no bundled data set {name!r}{did_you_mean(name, list(BUNDLED))}",
            hint="choose one of " + ", ".join(BUNDLED),
        )
    corpus = BUNDLED[name]
    if corpus is None:
        return simulated_runs()
    with as_file(files("scalinglab.data").joinpath(_CSV_NAME)) as path:
        table = read_runs(path)
    keep = np.array([c == corpus for c in table.labels["dataset"]])
    part = table.select(keep)
    sizes = sorted({float(n) for n in part["params"]})
    source = (
        f"{name}: open_lm models of {sizes[0] / 1e6:.1f}M-{sizes[-1] / 1e6:.1f}M "
        f"params trained on {corpus}, loss = C4 validation loss; {_CITATION}"
    )
    note = "bundled real runs; flops = 6·params·tokens"
    return replace(
        part,
        source=source,
        simulated=False,
        notes=(*part.notes, note),
        flops_convention="C = 6·N·D (the bundled flops column is 6·params·tokens)",
        selected_from=0,  # the corpus is the data set, not a subset of it
        # 'corpus' as the column was named before it took the source's name (still read)
        labels={**part.labels, "corpus": part.labels["dataset"]},
    )


def _write(models_csv: Path, out: Path) -> None:
    """Flatten the shared ``models.dev.csv`` to the bundled columns."""
    with models_csv.open(encoding="utf-8") as handle:
        rows = list(csv.DictReader(handle))
    with out.open("w", newline="", encoding="utf-8") as handle:
        writer = csv.writer(handle, lineterminator="\n")
        writer.writerow(("run", "dataset", "params", "tokens", "flops", "tokens_per_param", "loss"))
        for r in rows:
            n, d = int(r["params"]), int(r["tokens"])
            writer.writerow(
                (r["name"], r["dataset"], n, d, repr(6.0 * n * d), repr(d / n), r["loss_c4_val"])
            )


if __name__ == "__main__":
    _write(Path(sys.argv[1]), Path(sys.argv[2]))
