"""``scalinglab ladder plan``: a ladder's rungs before anything trains, or (``--toml``) the
ladder itself as a TOML file that ``ladder run`` reads back; and the ``LADDER`` argument and
hyperparameter options that ``ladder run`` shares."""

from __future__ import annotations

import sys
from pathlib import Path
from typing import Annotated, Any

import typer

from scalinglab._errors import ConfigError
from scalinglab.cli import _ladder_plan as plan
from scalinglab.cli import _ladder_views as views
from scalinglab.cli import _options as opt
from scalinglab.cli import _params as params
from scalinglab.cli._render import stderr_console, stdout_console
from scalinglab.execute._workdirs import check_corpora

__all__ = [
    "HparamsFit",
    "HparamsPreset",
    "Recipe",
    "RungsJson",
    "plan_command",
    "recipe_of",
]

HparamsFit = Annotated[
    Path | None,
    typer.Option("--hparams", help="Take every rung's lr and batch from this `hparams fit` law."),
]
#: ``ladder plan --json`` and ``ladder status --json``.
RungsJson = Annotated[bool, typer.Option("--json", help="Print the rungs as JSON.")]
HparamsPreset = Annotated[
    str | None,
    typer.Option(help="Take every rung's lr and batch from a preset: steplaw2025, ..."),
]


def recipe_of(recipe: str, hparams: Path | None, hparams_preset: str | None) -> tuple[Any, Any]:
    """The recipe's ladder, with lr and batch from a hyperparameter law when one is given,
    and that law (``None`` where none is)."""
    from scalinglab.cli._hparams_rule import load_rule
    from scalinglab.ladder import get_recipe

    spec = get_recipe(recipe)
    rule = load_rule(hparams, hparams_preset)
    if rule is None:
        return spec, None
    from scalinglab.hparams._ladder import with_hparams

    given = None if hparams is None else f"--hparams {hparams}"  # named if it cannot be used
    return with_hparams(spec, rule, given=given), rule


Recipe = Annotated[
    str,
    typer.Argument(
        metavar="LADDER",
        help="A built-in recipe (tiny, chinchilla-tiny, isoflop-tiny, gpu) or a .toml file.",
        show_default=False,
    ),
]


def plan_command(
    recipe: Recipe,
    flops_per_s: Annotated[
        str | None,
        typer.Option(
            metavar="FLOP/S",
            help="Training speed for the time estimate, units allowed: 400T, 3e10 [default: "
            "measured by the finished "
            "rungs of --store on this kind of device, else assumed: a GPU's 1e14 FLOP/s, or "
            "8 ms a step plus 5.5e10 FLOP/s on a CPU].",
            show_default=False,
        ),
    ] = None,
    store: Annotated[
        Path | None,
        typer.Option(
            help="A run store whose finished ladder rungs on this kind of device (CPU or GPU) "
            "measure the speed the estimate assumes.",
        ),
    ] = None,
    as_json: RungsJson = False,
    hparams: HparamsFit = None,
    hparams_preset: HparamsPreset = None,
    out: params.OutPlan = None,
    as_toml: Annotated[
        bool,
        typer.Option(
            "--toml",
            help="Print the ladder itself as a TOML file, every rung spelled out (with "
            "--hparams's lr and batch): edit it and pass it as LADDER.",
        ),
    ] = False,
) -> None:
    """Dry run: the rungs of a ladder with their sizes, budgets, compute and estimated time."""
    if as_toml and (as_json or out is not None or store is not None or flops_per_s):
        raise ConfigError(
            "--toml prints the ladder, not a plan: it takes no --json, --out, --store or "
            "--flops-per-s",
            hint="leave those out, or drop --toml for the plan",
        )
    if out is not None:  # before any work, never over what it reads
        given = [("LADDER", Path(recipe) if Path(recipe).is_file() else None),
                 ("--store", store), ("--hparams", hparams)]  # fmt: skip
        opt.check_output(out, option="--out", inputs=given, what="the plan",
                         example="ladder_plan.json", kind_format=plan.PLAN_FORMAT)  # fmt: skip
    spec, rule = recipe_of(recipe, hparams, hparams_preset)
    if as_toml:  # the ladder as `ladder run` reads it back: the same rungs, the same run ids
        from scalinglab.ladder import ladder_to_toml

        sys.stdout.write(ladder_to_toml(spec))
        return
    check_corpora(spec)  # what `ladder run` would refuse, from file sizes: nothing prepared
    if flops_per_s is not None:
        if store is not None:
            raise ConfigError(
                "give --flops-per-s or --store, not both: each sets the speed the estimate uses",
                hint="--store to estimate from its measured rungs, --flops-per-s to assume one",
            )
        # units as every size and compute option reads them: 400T is 4e14
        example = "e.g. --flops-per-s 3e10 (one CPU thread), 1e14 or 400T (a GPU)"
        rate = opt.quantity("--flops-per-s", flops_per_s, hint=example)
        speed = plan.Speed(rate, 0.0, "given by --flops-per-s", on_cpu=False)
    else:
        speed = plan.plan_speed(spec, store)  # a store not yet written: none finished
    rows = plan.plan_rows(spec, done=plan.store_finished(spec, store))
    for row in rows:  # a rung finished in --store is skipped by `ladder run`: no time
        row["est_s"] = 0.0 if row["finished"] else speed.estimate_s(row["flops"], row["steps"])
    origin = f"--hparams {hparams}" if hparams else f"--hparams-preset {hparams_preset}"
    data = plan.plan_json(spec, speed, rows, source=plan.plan_source(recipe, rule, origin=origin))
    if as_json:  # JSON alone on stdout; "wrote plan: ..." and the text's lines on stderr
        opt.emit_json(data, as_json=True, out=out, report=stderr_console(), what="plan")
        views.print_caveats(stderr_console(), data)
        return
    views.show_plan(spec, rows, speed.why, store=store)
    if out is not None:
        opt.emit_json(data, as_json=False, out=out, report=stdout_console(), what="plan")
