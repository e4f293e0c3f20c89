"""`kg query`: SPARQL over the embedded store (kg.store.query_text), a shipped query by name or
the list of them."""

from __future__ import annotations

from typing import Annotated

import typer

from ..errors import KgError
from .options import ResultFormat, ResultFormatOpt, Store


def query(
    sparql: Annotated[str | None, typer.Argument(help="A shipped query's name, a .rq file, or SPARQL text.",
                                                 metavar="QUERY")] = None,
    param: Annotated[list[str] | None, typer.Option("--param", "-p", metavar="NAME=VALUE",
                                                    help="NAME=VALUE, bound as a term: Q159, "
                                                    "<iri>, or a name as written. A shipped query "
                                                    "needs the parameters its --list line names.")] = None,
    fmt: ResultFormatOpt = ResultFormat.table,
    store: Store = None,
    list_: Annotated[bool, typer.Option("--list", help="List the shipped queries.")] = False,
    allow_service: Annotated[bool, typer.Option("--allow-service", help="Let SERVICE clauses call other "
                                                "SPARQL servers over the network (refused otherwise).")] = False,
) -> None:
    """Query the embedded store with SPARQL (every document graph is in the default graph).

    Exit 0: the results; 2: a query that is wrong, refused or fails (one line)."""
    from ..store import default_store, named_queries, query_text, resolve_query

    if list_:
        for name, (doc, _) in named_queries().items():
            typer.echo(f"{name:16} {doc}")
        raise typer.Exit(0)
    if sparql is None:
        raise KgError("give a query (name, .rq file or SPARQL) or --list")
    params = parameters(param or [])
    typer.echo(query_text(store or default_store(), resolve_query(sparql), params, fmt.value, allow_service), nl=False)


def parameters(given: list[str]) -> dict[str, str]:
    """--param NAME=VALUE options as a dict."""
    params: dict[str, str] = {}
    for p in given:
        name, sep, value = p.partition("=")
        if not sep or not name.isidentifier():
            raise KgError(f"--param {p!r}: write NAME=VALUE")
        params[name] = value
    return params
