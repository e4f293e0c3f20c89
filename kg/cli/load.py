"""`kg load`: kg output into the embedded store or a SPARQL server (kg.store.load, kg.store.push),
and the report of a load (`kg export --load` gives it too)."""

from __future__ import annotations

import json
from typing import Annotated

import typer

from .command import plural
from .options import Outputs, Store


def load(
    paths: Outputs,
    store: Store = None,
    endpoint: Annotated[str | None, typer.Option("--endpoint", help="A SPARQL 1.1 server's Graph Store "
                                                 "endpoint (credentials from KG_STORE_USER/KG_STORE_PASSWORD "
                                                 "or KG_STORE_TOKEN).")] = None,
    timeout: Annotated[float, typer.Option("--timeout", help="Seconds per request to --endpoint.")] = 30.0,
    bulk: Annotated[bool, typer.Option("--bulk", help="Embedded store: write documents in large batches with "
                                       "the bulk loader, no transaction each (faster; rerun after a crash).")] = False,
) -> None:
    """Load kg output into a store; each document replaces its own named graph."""
    from ..store import default_store, push
    from ..store import load as load_into

    if endpoint:
        report, where = push(paths, endpoint, timeout=timeout), "the endpoint"
    else:
        target = store or default_store()
        report, where = load_into(paths, target, bulk=bulk), str(target)
    report_load(report, where)
    raise typer.Exit(1 if report.failed else 0)


def report_load(report: object, where: str, log_json: bool = False) -> None:
    """What was loaded into `where` and what failed, on stderr (JSON lines with --log-json)."""
    from ..store import LoadReport

    assert isinstance(report, LoadReport)
    if log_json:
        for source, reason in report.failed:
            typer.echo(json.dumps({"event": "failed", "source": source, "reason": reason}, ensure_ascii=False),
                       err=True)
        typer.echo(json.dumps({"event": "loaded", "documents": len(report.loaded), "triples": report.triples,
                               "failed": len(report.failed), "store": where}, ensure_ascii=False), err=True)
        return
    for source, reason in report.failed:
        typer.echo(f"kg: {source}: {reason}", err=True)
    typer.echo(f"{plural(len(report.loaded), 'document')} ({plural(report.triples, 'triple')}) loaded into "
               f"{where}, {len(report.failed)} failed", err=True)
