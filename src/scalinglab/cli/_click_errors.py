"""Click's own errors (an unknown option, a bad value, a missing argument) said as scalinglab
says its errors: one line, a hint that names what was meant or the subcommand's ``--help``."""

from __future__ import annotations

from scalinglab.cli._said import say

__all__ = ["click_error"]


def click_error(
    err: Exception, usage_error: type[Exception], args: list[str], command: object
) -> int:
    """A usage error (unknown option, bad value, missing argument) -> exit 2; its hint names
    the ``--help`` of the subcommand ``args`` run (``command``: the root's click command)."""
    from scalinglab.cli._render import stdout_console

    ctx = getattr(err, "ctx", None)
    if type(err).__name__ == "NoArgsIsHelpError" and ctx is not None:
        stdout_console().print(ctx.get_help(), markup=False, highlight=False)  # bare `scalinglab`
        return 0
    format_message = getattr(err, "format_message", None)
    message = format_message() if callable(format_message) else str(err)
    from scalinglab.cli._choices import click_choice_slip

    message += click_choice_slip(err)  # click.Choice says only "is not one of"
    if type(err).__name__ == "NoSuchOption":  # the documented option, not a hidden alias
        from scalinglab.cli._aliases import suggested
        from scalinglab.cli._root import root_option

        if said := root_option(getattr(err, "option_name", ""), ctx):  # `fit --version`
            say(*said)
            return 2
        message = suggested(err, getattr(ctx, "command", None)) or message
    from scalinglab.cli._command_slips import command_slip
    from scalinglab.cli._curves_slips import spec_key_hint
    from scalinglab.cli._fit_path_slip import fit_path_slip  # predict fit.json: no --fit
    from scalinglab.cli._l2l_slips import column_option_hint
    from scalinglab.cli._plan_slips import fixed_size_hint
    from scalinglab.cli._usage_slips import command_path, extra_values_hint, other_word_slip

    if refused := other_word_slip(ctx, args, str(message)):  # --tokens 1.4T params
        say(refused.message, refused.hint)
        return 2
    where = command_path(ctx, args, command)
    if slip := fit_path_slip(ctx, args, str(message), where):
        say(*slip)
        return 2
    hint = (
        command_slip(ctx, str(message))
        or fixed_size_hint(ctx, args, str(message))
        or column_option_hint(ctx, args)
        or spec_key_hint(ctx, args)
        or extra_values_hint(ctx, args, str(message))
        or f"see '{where} --help'"
    )
    say(str(message), hint)
    if isinstance(err, usage_error):
        return 2
    code = getattr(err, "exit_code", 1)
    return code if isinstance(code, int) else 1
