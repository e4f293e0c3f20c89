"""`kg validate`: kg output against the shipped SHACL shapes (kg.validate.validate_files)."""

from __future__ import annotations

import typer

from .command import plural
from .options import Outputs


def validate(files: Outputs) -> None:
    """Check kg output against the SHACL shapes shipped with kg.

    Exit 0: every file conforms; 1: violations (one a line); 2: a file that is missing, not RDF
    or does not parse (one line naming it; no file is checked).
    """
    from ..validate import validate_files

    violations = validate_files(files)
    for v in violations:
        typer.echo(str(v))
    typer.echo(plural(len(violations), "violation"), err=True)
    raise typer.Exit(1 if violations else 0)
