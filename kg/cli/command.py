"""What every command shares: help that reads as a manual, closed choices checked in kg's own
wording, and the one place a KgError becomes its message on stderr and its exit code."""

from __future__ import annotations

import contextlib
import json
from collections.abc import Iterator
from enum import Enum
from typing import Any

import typer
from typer.core import TyperArgument, TyperCommand, TyperGroup

from ..errors import KgError, RulesError, unknown


@contextlib.contextmanager
def kg_errors(log_json: bool = False) -> Iterator[None]:
    """A KgError inside becomes its message on stderr (a JSON line with --log-json) and its exit
    code. Every command runs inside it: `Command` puts its parsing and its call there."""
    try:
        yield
    except KgError as err:
        raise fail(err, log_json) from None


def fail(err: KgError, log_json: bool = False) -> typer.Exit:
    """Say `err` on stderr; the exit to raise for it."""
    if log_json:  # the log stays JSON Lines, the error included
        problems = err.problems if isinstance(err, RulesError) else [str(err)]
        for problem in problems:
            typer.echo(json.dumps({"event": "error", "reason": problem, "exit": err.exit_code}, ensure_ascii=False),
                       err=True)
    else:
        typer.echo(f"kg: {err}" if not isinstance(err, RulesError) else str(err), err=True)
    return typer.Exit(err.exit_code)


def plural(n: int, word: str) -> str:
    return f"{n} {word}{'' if n == 1 else 's'}"


def choices(param: object) -> list[str]:
    """The values a closed-choice (enum) parameter takes; none for any other. Newer typer keeps
    them in its type descriptor, older typer in a click.Choice."""
    descriptor = getattr(param, "type_descriptor", None)
    if descriptor is not None:
        found = descriptor.choices if descriptor.is_choice else None
    else:
        found = getattr(getattr(param, "type", None), "choices", None)
    return [str(c.value) if isinstance(c, Enum) else str(c) for c in found or ()]


def check_choices(param: Any) -> None:
    """A value outside the parameter's choices is a KgError worded as kg words every such value
    (`unknown --engine 'x' (known: local, spark)`), not typer's own message."""
    known = choices(param)
    if not known:
        return
    process = param.process_value

    def checked(ctx: Any, value: Any) -> Any:
        for v in value if isinstance(value, list | tuple) else [value]:
            if isinstance(v, str) and v not in known:
                raise KgError(unknown(param.opts[0] if param.opts else param.name, v, known))
        return process(ctx, value)

    param.process_value = checked


def plain(param: object) -> object:
    """Help that reads as a manual: an argument shows as its label (PATH...), not as a Python
    type (<list[Path]>) or `{paths}...`, a flag shows no type (<bool>), and a repeatable option
    its one value (<ttl|trig|nq>, not <list[ttl|trig|nq]>). Newer typer prints those; the
    overrides are per parameter, so an older typer, without these hooks, is unaffected."""
    if isinstance(param, TyperArgument):
        label = (param.metavar or (param.name or "").upper()).removesuffix("...")
        label += "..." if param.nargs != 1 else ""
        param.metavar = label
        usage = label if param.required else f"[{label}]"
        setattr(param, "_rich_display_name", lambda: label)  # noqa: B010
        setattr(param, "get_usage_pieces", lambda ctx: [usage])  # noqa: B010
        setattr(param, "display_type_rich", lambda ctx: None)  # noqa: B010
    elif getattr(param, "is_flag", False):
        setattr(param, "display_type_rich", lambda ctx: None)  # noqa: B010
    elif hasattr(param, "display_type_rich"):
        shown = param.display_type_rich

        def one(ctx: Any) -> Any:
            text = shown(ctx)
            return f"<{text[6:-2]}>" if isinstance(text, str) and text.startswith("<list[") else text

        setattr(param, "display_type_rich", one)  # noqa: B010
    return param


class _Kg:
    """A command or a group with kg's help and choices, and its KgErrors said (`kg_errors`)."""

    params: list[Any]

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        for param in self.params:
            plain(param)
            check_choices(param)

    def get_help_option(self, ctx: Any) -> Any:
        return plain(super().get_help_option(ctx))  # type: ignore[misc]

    def make_context(self, info_name: Any, args: list[str], parent: Any = None, **extra: Any) -> Any:
        with kg_errors("--log-json" in args):  # a value outside its choices, as the options are read
            return super().make_context(info_name, args, parent, **extra)  # type: ignore[misc]

    def invoke(self, ctx: Any) -> Any:
        with kg_errors(bool(ctx.params.get("log_json"))):
            return super().invoke(ctx)  # type: ignore[misc]


class Command(_Kg, TyperCommand):
    pass


class Group(_Kg, TyperGroup):
    pass


def group(help_text: str, **kwargs: Any) -> typer.Typer:
    """A command group with kg's help, choices and errors; `kg` itself is one."""
    return typer.Typer(help=help_text, cls=Group, no_args_is_help=True, **kwargs)


def add(app: typer.Typer, name: str, function: Any) -> None:
    """`function` as command `name` of `app`."""
    app.command(name, cls=Command)(function)
