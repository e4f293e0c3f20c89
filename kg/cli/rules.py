"""`kg rules check|import`: validate the YAML rules (kg.rules), or write a rules file from a
Wikidata query result (kg.wikidata)."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer

from ..errors import KgError
from .command import add, group
from .options import RULES_HELP

app = group("Check the YAML rules.")


def import_(
    results: Annotated[Path, typer.Argument(help="A Wikidata query result in SPARQL 1.1 JSON format.")],
    out: Annotated[Path, typer.Option("-o", "--out", help="The rules file to write.")],
    type_name: Annotated[str, typer.Option("--type", help="Entity type of every item (a key of `types`).")],
) -> None:
    """Turn a Wikidata query result (item, labels, aliases) into a rules file."""
    from ..files import write_atomic
    from ..wikidata import import_results

    try:
        text = import_results(results, type_name)
        write_atomic(out, text)
    except OSError as err:
        raise KgError(f"{out}: cannot write ({err.strerror})") from None
    typer.echo(f"{out}: {text.count(chr(10) + '- id: ')} entities")


def check(folder: Annotated[Path | None, typer.Argument(help=RULES_HELP)] = None) -> None:
    """Validate rules: every problem as file:line: message; exit 2 if any."""
    from ..rules import default_rules_dir, load_rules

    target = folder or default_rules_dir()
    rules = load_rules(target)
    typer.echo(f"{target}: {len(rules.entities)} entities, {len(rules.actions)} actions: ok")


add(app, "import", import_)
add(app, "check", check)
