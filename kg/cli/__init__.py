"""The command line: `kg` and its commands, one module a command group, each a thin typer
command over the library (options.py: the shared options; command.py: help, choices, errors)."""

from __future__ import annotations

import sys
from typing import Annotated

import typer

from .. import __version__
from . import export, load, model, query, rules, show, validate
from .command import add, group

app = group("Knowledge graphs from Arabic news: actor, action, target, location -> Turtle.",
            add_completion=False, pretty_exceptions_enable=False)


def _version(value: bool) -> None:
    if value:
        typer.echo(f"kg {__version__}")
        raise typer.Exit()


@app.callback()
def main(
    version: Annotated[bool, typer.Option("--version", callback=_version, is_eager=True,
                                          help="Print the version and exit.")] = False,
) -> None:
    """kg reads news articles and writes who did what to whom and where as RDF."""


add(app, "export", export.export)
add(app, "load", load.load)
add(app, "query", query.query)
add(app, "show", show.show)
add(app, "validate", validate.validate)
app.add_typer(model.app, name="model")
app.add_typer(rules.app, name="rules")


def entry() -> None:
    """The `kg` command: the app, then an end without the interpreter's teardown, which would free
    the rules and their lexicons object by object (a million objects, about half a second). The
    exit handlers still run (they close the parser processes) and the standard streams are
    flushed; every file kg writes is closed before its command returns."""
    import atexit
    import os

    try:
        app(prog_name="kg")
        code: object = 0
    except SystemExit as done:
        code = done.code
    if isinstance(code, str):  # sys.exit("message"), as the interpreter would show it
        sys.stderr.write(code + "\n")
        code = 1
    atexit._run_exitfuncs()
    for stream in (sys.stdout, sys.stderr):
        try:
            stream.flush()
        except (OSError, ValueError):
            code = code or 120  # as the interpreter does when it cannot flush stdout
    os._exit(code if isinstance(code, int) else 0 if code is None else 1)
