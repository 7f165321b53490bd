"""``scalinglab laws``' hyperparameter presets: the published lr* and B* rules (steplaw2025,
deepseek2024, porian2024) and the critical batch of a loss (kaplan2020), listed beside the
loss laws and shown one in full (``laws steplaw2025``); ``hparams predict --preset NAME`` and
``plan --hparams-preset NAME`` read them."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from rich.console import Console
from rich.table import Table
from rich.text import Text

if TYPE_CHECKING:
    from scalinglab.hparams import HparamPreset
    from scalinglab.hparams._critical import CriticalBatchPreset

__all__ = ["find", "names", "preset_dict", "presets_dict", "print_preset", "print_presets"]

#: The ``"format"`` of ``laws NAME --json`` for a hyperparameter preset (/2: ``conventions``
#: a mapping, as a loss preset's, and the ``fitted`` range; /1: ``conventions`` a string).
FORMAT = "scalinglab.hparams_preset/2"
#: Which N a critical-batch rule reads: none (its ``params`` convention).
_NO_PARAMS = "not read: the critical batch depends on the model only through its loss"
#: How each kind is read, as a line under the table and the one preset.
_USE = (
    "scalinglab hparams predict --preset {} --params 7B --tokens 1.4T (plan: --hparams-preset {})"
)
_USE_CRITICAL = "scalinglab hparams predict --preset {} --loss 2.5 (a batch at a loss, no lr)"


def _all() -> list[HparamPreset | CriticalBatchPreset]:
    from scalinglab.hparams import HPARAM_PRESETS
    from scalinglab.hparams._critical import CRITICAL_BATCH_PRESETS

    return [*HPARAM_PRESETS.values(), *CRITICAL_BATCH_PRESETS.values()]


def names() -> list[str]:
    """Every hyperparameter preset's name, critical-batch presets too, as :func:`find`
    finds them."""
    return [p.name for p in _all()]


def find(name: str, *, critical: bool = True) -> HparamPreset | CriticalBatchPreset | None:
    """The hyperparameter preset ``name`` (any case, spaces around it), ``None`` for none;
    ``critical``: a critical-batch preset counts too."""
    from scalinglab.hparams import HparamPreset

    key = name.strip().lower()
    found = (p for p in _all() if p.name == key and (critical or isinstance(p, HparamPreset)))
    return next(found, None)


def preset_dict(p: HparamPreset | CriticalBatchPreset) -> dict[str, Any]:
    """One preset as JSON: its rules (``lr``: ``None`` for a critical batch), what they
    read, the source, its conventions as a mapping, as a loss preset's (``params``: which N
    its rules read; ``summary``: every convention in words, as the text shows them), the
    sizes its source fitted it on (``fitted``: ``None`` where not recorded), how to use it."""
    from scalinglab.hparams import HparamPreset

    fitted: dict[str, Any] | None = None
    if isinstance(p, HparamPreset):
        gives, lr, reads, use = "lr* and B* at (N, D)", p.lr_formula, list(p.reads), _USE
        params = p.params_convention
        if p.fitted is not None:
            f = p.fitted
            fitted = {"symbol": f.symbol, "low": f.low, "high": f.high, "source": f.source}
    else:
        gives, lr, reads, use = "critical batch at a loss, no lr", None, ["loss"], _USE_CRITICAL
        params = _NO_PARAMS
    return {
        "preset": p.name,
        "gives": gives,
        "lr": lr,
        "batch": p.batch_formula,
        "reads": reads,
        "citation": p.citation,  # as laws --json names a law's paper
        "source": p.citation,  # the old key of "citation", one release
        "conventions": {"params": params, "summary": p.conventions},
        "fitted": fitted,
        "use": use.format(p.name, p.name),
    }


def presets_dict() -> list[dict[str, Any]]:
    """Every hyperparameter preset, for ``laws --json``'s ``"hparams_presets"``."""
    return [preset_dict(p) for p in _all()]


def print_presets(console: Console) -> None:
    """The table of hyperparameter presets, under the loss presets."""
    table = Table(
        title="hyperparameter presets (hparams predict --preset NAME, plan --hparams-preset NAME)",
        title_justify="left",
        show_lines=True,
    )
    for header in ("preset", "rules", "citation", "conventions"):
        table.add_column(header, overflow="fold")
    for d in presets_dict():
        rules = "\n".join(r for r in (d["lr"], d["batch"]) if r)
        table.add_row(
            Text(f"{d['preset']}\n({d['gives']})", style="bold cyan"),
            Text(rules),
            Text(d["source"]),
            Text(d["conventions"]["summary"], style="dim"),
        )
    console.print(table)


def print_preset(console: Console, p: HparamPreset | CriticalBatchPreset) -> None:
    """One preset in full (``laws steplaw2025``)."""
    d = preset_dict(p)
    console.print(Text.assemble((p.name, "bold cyan"), "   ", d["gives"]), soft_wrap=True)
    for rule in (d["lr"], d["batch"]):
        if rule:
            console.print(Text(f"  {rule}"), soft_wrap=True)
    console.print(Text(d["source"], style="dim"), soft_wrap=True)
    console.print(Text(f"reads: {', '.join(d['reads'])}"), soft_wrap=True)
    console.print(Text(f"conventions: {d['conventions']['summary']}"), soft_wrap=True)
    from scalinglab.hparams import HparamPreset

    if isinstance(p, HparamPreset) and p.fitted is not None:
        console.print(Text(f"fitted on: {p.fitted.source}"), soft_wrap=True)
    console.print(Text(f"use: {d['use']}", style="dim"), soft_wrap=True)
