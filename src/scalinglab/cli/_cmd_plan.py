"""``scalinglab plan``: compute-optimal size and tokens for a budget, or the compute for a
target loss or a target accuracy on a task."""

from __future__ import annotations

from dataclasses import replace
from pathlib import Path
from typing import TYPE_CHECKING, Annotated, Any

import typer

from scalinglab._errors import ConfigError, check_level
from scalinglab._format import format_flops, format_g
from scalinglab._plan_caveats import PLAN_FORMAT
from scalinglab.cli import _aliases as aliases
from scalinglab.cli import _options as opt
from scalinglab.cli import _params as params
from scalinglab.cli import _views as views
from scalinglab.cli._cmd_downstream_plan import ACCURACY_PLAN_FORMAT
from scalinglab.cli._law_source import law_words
from scalinglab.cli._render import print_notes, stderr_console, stdout_console
from scalinglab.cli._sources import source_dict
from scalinglab.cli._step_tokens import refuse_step_tokens

if TYPE_CHECKING:  # the plan package loads NumPy: `--help` stays light
    from scalinglab.plan._budgets import Budgets

__all__ = ["register"]


def plan_command(
    compute: params.TableCompute = None,
    compute_flops: aliases.FlopsAsCompute = None,
    target_loss: Annotated[
        list[str] | None,
        typer.Option(
            metavar="LOSS",
            help="Loss(es) to reach, repeatable or comma-separated: compute and allocation. "
            "Decimals take a dot: '2,1' is two targets, 2 and 1.",
        ),
    ] = None,
    fit_path: params.FitFile = None,
    preset: Annotated[
        str | None, typer.Option(help="A published law: hoffmann2022, epoch2024, kaplan2020.")
    ] = None,
    level: params.FitLevel = None,
    as_json: Annotated[bool, typer.Option("--json", help="Print the plan as JSON only.")] = False,
    out: params.OutPlan = None,
    hparams: Annotated[
        Path | None, typer.Option(help="Add lr* and B*: a fit from `hparams fit --out`.")
    ] = None,
    hparams_preset: Annotated[
        str | None, typer.Option(help="Add lr* and B* from a preset: steplaw2025, ...")
    ] = None,
    seq_len: Annotated[
        int | None,
        typer.Option(metavar="TOKENS", parser=params.seq_len, help="Tokens per sequence, for B*."),
    ] = None,
    target_accuracy: Annotated[
        list[str] | None,
        typer.Option(
            metavar="TASK=ACC",
            help="Accuracy to reach on a task (hellaswag=0.75, repeat): compute and allocation, "
            "with intervals, from --downstream.",
        ),
    ] = None,
    downstream: Annotated[
        Path | None,
        typer.Option(metavar="PATH", help="A chain from `downstream fit --out`."),
    ] = None,
) -> None:
    """Compute-optimal model size and tokens for a budget, or the compute for a target loss
    or a target accuracy on a task.

    Several budgets (or target losses) give one table each; `--json` then holds a list
    `plans` of `{query, allocation}` where one value gives `query` and `allocation`.
    """
    from scalinglab.cli import _hparams_rule

    typed = aliases.budgets_option(compute, compute_flops)  # the messages name it as typed
    compute = aliases.budgets(compute, compute_flops)
    if out is not None:  # never over a file the plan reads
        read = [("--fit", fit_path), ("--hparams", hparams), ("--downstream", downstream)]
        accuracy = bool(target_accuracy) or downstream is not None  # an accuracy plan
        opt.check_output(out, option="--out", inputs=read, what="the plan", example="plan.json",
                         kind_format=ACCURACY_PLAN_FORMAT if accuracy else PLAN_FORMAT)  # fmt: skip
    if target_accuracy or downstream is not None:
        _accuracy_plan(target_accuracy, downstream, level, as_json=as_json, out=out, others=(
            ("--compute", compute), ("--target-loss", target_loss), ("--fit", fit_path),
            ("--preset", preset), ("--hparams", hparams), ("--hparams-preset", hparams_preset),
        ))  # fmt: skip
        return
    hp_rule = _hparams_rule.load_rule(hparams, hparams_preset)
    if seq_len is not None and hp_rule is None:
        raise ConfigError(
            "--seq-len converts B* into sequences, and no --hparams or --hparams-preset was given",
            hint="e.g. --hparams-preset steplaw2025 --seq-len 2048",
        )
    if compute and target_loss:  # none: the budgets of fit's plan table, below
        given = law_words(fit_path, preset)  # a path with a space: one word, quoted
        raise ConfigError(
            f"give one of {typed} FLOPS or --target-loss LOSS, not both",
            hint=f"one plan each: scalinglab plan {given} {typed} {compute[0]}; then "
            f"scalinglab plan {given} --target-loss {target_loss[0]}",
        )
    if (fit_path is None) == (preset is None):
        raise ConfigError(
            "give exactly one of --fit FIT.json or --preset NAME",
            hint="e.g. --fit fit.json (from scalinglab fit --out) or --preset hoffmann2022",
        )
    if level is not None:
        check_level(level, option="--level")
    own_level = level if hparams is None else None  # an --hparams fit's lr*, B* take it too
    from scalinglab import get_preset

    source: Any
    if fit_path is not None:
        from scalinglab.cli._law_source import load_fit
        from scalinglab.plan._withheld import check_withheld

        # --fit hoffmann2022, no such file: the hint names --preset
        source, origin = load_fit(fit_path, reader="`plan --fit`"), f"--fit {fit_path}"
        refuse_step_tokens(source, fit_path=fit_path)  # D in steps: no compute in FLOPs
        # N and D unidentified: refused as fit withholds its table, in the option's words
        check_withheld(source, named=origin, preset="--preset hoffmann2022")
    else:
        source, origin = get_preset(preset or ""), f"--preset {preset}"
    from scalinglab.plan._source import compute_symbol

    if hp_rule is not None and compute_symbol(source.law) is not None:
        raise ConfigError(
            f"{'--hparams' if hparams else '--hparams-preset'} gives lr* and B* at N*, D*, which "
            f"law {source.law_spec} does not determine: it is a law of compute alone, L(C)",
            hint=f"drop {'--hparams' if hparams else '--hparams-preset'}, or plan from a fit in "
            "params and tokens (scalinglab fit --law chinchilla --out fit.json)",
        )
    query = "target_loss" if target_loss else "flops"  # the JSON's name of compute, everywhere
    option = "--target-loss" if target_loss else typed
    values = opt.distinct(opt.quantities(compute or target_loss, option=option), option=option)
    default: Budgets | None = None
    if not compute and not target_loss:  # the budgets fit's plan table takes for its runs
        from scalinglab.plan._budgets import fit_budgets, saved_budgets

        default = fit_budgets(source, saved=saved_budgets(fit_path) if fit_path else ())
        values = default.values
    if not values:
        raise ConfigError(f"{option} needs a value", hint="e.g. --compute 1e24")

    from scalinglab.plan import optimal_allocation
    from scalinglab.plan._compute import UNREACHABLE

    plans = []
    missed_errors: list[Exception] = []  # a target no compute reaches, of several
    for value in values:
        if query == "flops":  # errors of a --fit file's numbers name it (FitResult.path)
            allocation = optimal_allocation(source, flops=value, level=level)
        else:
            allocation = _target(source, value, level, len(values), missed_errors)
        # less the fit's own warnings (it did not converge): the footer and --json's
        # "warnings" say them once, not under every budget
        theirs = getattr(source, "warnings", ())
        allocation = replace(
            allocation,
            notes=tuple(views.own_notes(source, allocation.notes)),
            warnings=tuple(w for w in allocation.warnings if w not in theirs),
        )
        plan: dict[str, Any] = {"query": {query: value}, "allocation": allocation}
        if hp_rule is not None and allocation.method != UNREACHABLE:
            plan["hparams"] = _hparams_rule.at_allocation(
                hp_rule, allocation, seq_len, params=source.conventions.params, level=level,
                origins=(origin, f"--hparams {hparams}" if hparams else
                         f"--hparams-preset {hparams_preset}"),
            )  # fmt: skip
        plans.append(plan)
    missed = [p for p in plans if p["allocation"].method == UNREACHABLE]
    if len(missed) == len(plans) > 1:  # none reached: the first one's error, as for one
        raise missed_errors[0]
    shown_plans = [p for p in plans if p["allocation"].method != UNREACHABLE]
    if as_json or out is not None:
        shown = [{key: _plan_value(key, v) for key, v in plan.items()} for plan in plans]
        data: dict[str, Any] = {"format": PLAN_FORMAT, "source": source_dict(source, origin)}
        data |= shown[0] if len(shown) == 1 else {"plans": shown}
        # the lines the text prints as warning: and note: under the plan (a fit on 7 runs)
        warnings, notes = views.plan_caveats(
            source, [p["allocation"] for p in shown_plans], level=own_level
        )
        # and the lr* and B* rule's (N past its sweep): a script reading "warnings" sees them
        said = [w for p in shown_plans if "hparams" in p for w in p["hparams"].warnings]
        warnings = list(dict.fromkeys([*warnings, *(f"hparams: {w}" for w in said)]))
        data |= {"warnings": warnings, "notes": [*_chosen(default), *notes]}
        if as_json:  # JSON alone on stdout; "wrote ..." and the text's lines on stderr
            opt.emit_json(data, as_json=True, out=out, report=stderr_console(), what="plan")
            views.print_plan_caveats(
                stderr_console(), source, shown_plans, warnings, [*_chosen(default), *notes]
            )
            _warn_missed(missed, query)
            return
    for k, plan in enumerate(shown_plans):  # the unreachable targets after the last table
        if k:
            stdout_console().print()
        views.print_allocation(
            stdout_console(), plan["allocation"], query=query, source=source, origin=origin,
            footer=k == len(shown_plans) - 1, planned=[p["allocation"] for p in shown_plans],
            defaulted=default is not None, given_level=own_level,
        )  # fmt: skip
        if "hparams" in plan:
            from scalinglab.cli._hparams_views import print_prediction

            print_prediction(stdout_console(), plan["hparams"])
    print_notes(stdout_console(), _chosen(default))  # once, under the last table
    _warn_missed(missed, query)
    if out is not None:
        opt.emit_json(data, as_json=False, out=out, report=stdout_console(), what="plan")


def _plan_value(key: str, value: Any) -> Any:
    """A plan's ``query`` as it is, its allocation and lr* and B* as JSON holds them."""
    if key == "query":
        return value
    from scalinglab.cli._hparams_rule import plan_dict

    return plan_dict(value) if key == "hparams" else value.to_dict()


def _chosen(default: Budgets | None) -> list[str]:
    """The note of budgets ``plan`` chose, none being given, saying where they came from:
    its own note (relative to the runs' compute, a saved fit's own table, the standard ones
    for a fit or preset that records no runs' compute), else fit's default near the runs."""
    if default is None:
        return []
    shown = ", ".join(format_flops(c) for c in default.values)
    return [default.note or f"budgets {shown} FLOPs: the default of fit's plan table, as "
            "neither --compute nor --target-loss was given; choose with --compute"]  # fmt: skip


def _warn_missed(missed: list[dict[str, Any]], query: str) -> None:
    """A warning on stderr for each target of several that no compute reaches (the others
    are planned, exit 0; none reached is the error, exit 2, as for one target)."""
    from scalinglab.cli._render import print_notes

    print_notes(stderr_console(), [
        f"warning: target loss {format_g(p['query'][query])}: unreachable — {p['allocation'].notes[0]}"
        for p in missed
    ])  # fmt: skip


def _target(
    source: Any, value: float, level: float | None, n_targets: int, missed: list[Exception]
) -> Any:
    """The allocation for target loss ``value``; one of several that no compute reaches is
    planned as unreachable (its reason a note, its error appended to ``missed``), the
    others planned still."""
    from scalinglab._errors import UnreachableError
    from scalinglab.plan import compute_for_loss
    from scalinglab.plan._compute import unreachable_target

    try:
        return compute_for_loss(source, target_loss=value, level=level)
    except UnreachableError as err:
        if n_targets == 1:
            raise
        missed.append(err)
        return unreachable_target(source, target_loss=value, reason=err.message, level=level)


def _accuracy_plan(
    target: list[str] | None,
    chain: Path | None,
    level: float | None,
    *,
    as_json: bool,
    out: Path | None,
    others: tuple[tuple[str, Any], ...],
) -> None:
    """``plan --target-accuracy TASK=ACC --downstream DS.json``: ``downstream plan``'s table."""
    if target and chain is None and (fit := dict(others).get("--fit")) is not None:
        raise ConfigError(f"--target-accuracy reads a chain from --downstream, not --fit: "
                          f"--downstream {fit}", hint="the chain `downstream fit --out` writes")  # fmt: skip
    if not target or chain is None:
        raise ConfigError(
            "--target-accuracy and --downstream go together",
            hint="e.g. scalinglab plan --target-accuracy hellaswag=0.75 --downstream ds.json "
            "(ds.json from scalinglab downstream fit --out)",
        )
    given = [name for name, value in others if value is not None]
    if given:
        raise ConfigError(
            f"--target-accuracy plans from the --downstream chain alone; drop {', '.join(given)}",
            hint="e.g. scalinglab plan --target-accuracy hellaswag=0.75 --downstream ds.json; "
            f"for a loss law's plan, drop --target-accuracy and keep {given[0]}",
        )
    from scalinglab.cli._cmd_downstream_plan import accuracy_plan

    accuracy_plan(chain, target, level=level, as_json=as_json, out=out,
                  origin=f"--downstream {chain}", option="--downstream")  # fmt: skip


def register(app: typer.Typer) -> None:
    """Add ``plan`` to ``app``."""
    app.command("plan")(plan_command)
