"""The command line: thin typer commands over the library, KgError -> message and exit code."""

from __future__ import annotations

import contextlib
import json
import sys
from collections.abc import Iterator
from pathlib import Path
from typing import Annotated, Any

import typer
from typer.core import TyperArgument, TyperCommand, TyperGroup

from . import __version__
from .errors import KgError, RulesError


@contextlib.contextmanager
def kg_errors(log_json: bool = False) -> Iterator[None]:
    """The one place a command's KgError becomes its message on stderr (a JSON line with
    --log-json) and its exit code; every command runs its library calls inside it."""
    try:
        yield
    except KgError as err:
        raise _fail(err, log_json) from None


def _fail(err: KgError, log_json: bool = False) -> typer.Exit:
    if log_json:  # the log stays JSON Lines, the error included
        problems = err.problems if isinstance(err, RulesError) else [str(err)]
        for problem in problems:
            typer.echo(json.dumps({"event": "error", "reason": problem, "exit": err.exit_code}, ensure_ascii=False),
                       err=True)
    else:
        typer.echo(f"kg: {err}" if not isinstance(err, RulesError) else str(err), err=True)
    return typer.Exit(err.exit_code)


def _plural(n: int, word: str) -> str:
    return f"{n} {word}{'' if n == 1 else 's'}"


def _plain(param: object) -> object:
    """Help that reads as a manual: an argument shows as its label (PATH...), not as a Python
    type (<list[Path]>) or `{paths}...`, and a flag shows no type (<bool>). Newer typer prints
    those; the overrides are per parameter, so an older typer, without these hooks, is unaffected."""
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
    return param


class _PlainHelp:
    """Help that shows labels, not Python types, for a command or a group alike."""

    params: list[Any]

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        for param in self.params:
            _plain(param)

    def get_help_option(self, ctx: Any) -> Any:
        return _plain(super().get_help_option(ctx))  # type: ignore[misc]


class _Command(_PlainHelp, TyperCommand):
    pass


class _Group(_PlainHelp, TyperGroup):
    pass


app = typer.Typer(help="Knowledge graphs from Arabic news: actor, action, target, location -> Turtle.",
                  cls=_Group, no_args_is_help=True, add_completion=False, pretty_exceptions_enable=False)
model_app = typer.Typer(help="Manage UDPipe parsing models.", cls=_Group, no_args_is_help=True)
rules_app = typer.Typer(help="Check the YAML rules.", cls=_Group, no_args_is_help=True)
app.add_typer(model_app, name="model")
app.add_typer(rules_app, name="rules")


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


@app.command(cls=_Command)
def export(
    paths: Annotated[list[Path], typer.Argument(help="Article files (.txt, .jsonl) or folders of them.",
                                                metavar="PATH")],
    out: Annotated[Path, typer.Option("-o", "--out", help="Output folder.")] = Path("out"),
    model: Annotated[Path | None, typer.Option("--model", help="UDPipe model file (else $KG_UDPIPE_MODEL, "
                                                "the cache, the shipped model).")] = None,
    rules: Annotated[Path | None, typer.Option("--rules", help="Rules folder or file (default: the starter "
                                                "pack).")] = None,
    fmt: Annotated[list[str] | None, typer.Option("--format", "-f", metavar="FORMAT",
                                                   help="Output format per article: ttl "
                                                   "(default), trig or nq (named graph per document); repeat "
                                                   "for several.")] = None,
    html: Annotated[bool, typer.Option("--html", help="Also write an annotated HTML view per article.")] = False,
    load_: Annotated[bool, typer.Option("--load", help="Load the output into the store afterwards.")] = False,
    store: Annotated[Path | None, typer.Option("--store", help="Embedded store folder (default: $KG_STORE "
                                                "or .kg-store).")] = None,
    workers: Annotated[int, typer.Option("--workers", "-w", help="Parser processes; kg's own stages "
                                         "run beside them in this one (default: the cores available).", min=0,
                                         show_default=False)] = 0,
    prune: Annotated[bool, typer.Option("--prune", help="Remove outputs of documents no longer in the "
                                        "input.")] = False,
    engine: Annotated[str, typer.Option("--engine", help="local, or spark (pip install 'kg\\[spark]').")] = "local",
    log_json: Annotated[bool, typer.Option("--log-json", help="Structured logs: one JSON object a line on "
                                           "stderr.")] = False,
    max_chars: Annotated[int, typer.Option("--max-chars", help="Longer articles are reported, not "
                                           "parsed.", min=1)] = 1_000_000,
    timeout: Annotated[float, typer.Option("--timeout", help="Seconds one article may take; a slower one is "
                                           "stopped and reported.", min=0.001)] = 300.0,
    date: Annotated[str | None, typer.Option("--date", help="Publication date (YYYY-MM-DD) for articles whose "
                                             "input gives none: relative times resolve against it.")] = None,
    nominal_events: Annotated[bool, typer.Option("--nominal-events/--no-nominal-events", help="Events read from event "
                                                 "nouns (هجوم, زيارة) in events.jsonl, flagged nominal; the "
                                                 "graph always has them.")] = True,
    no_text: Annotated[bool, typer.Option("--no-text", help="Leave the article's text out of the graph "
                                          "(no nif:anchorOf, nif:isString or quotations; offsets stay), for "
                                          "articles you may not republish.")] = False,
) -> None:
    """Export articles to one Turtle file each and an events table (events.jsonl).

    Reruns skip documents whose text, rules and model are unchanged. Exit 0: all exported;
    1: some articles failed (named on stderr and in kg-report.json); 2: usage, model or rules.
    """
    import signal

    from .errors import Interrupted

    def stop(signum: int, _frame: object) -> None:
        raise Interrupted(f"stopped by {signal.Signals(signum).name}: every output written is whole; "
                          "run the same command again to finish")

    previous = {sig: signal.signal(sig, stop) for sig in (signal.SIGTERM, signal.SIGINT)}
    try:
        _export(paths, out, model, rules, fmt, html, load_, store, workers, prune, engine, log_json, max_chars,
                timeout, date, nominal_events, not no_text)
    finally:
        for sig, handler in previous.items():
            signal.signal(sig, handler)


class _NoProgress:
    """What `_progress` gives when no bar is shown: rich is then not imported (a tenth of kg's
    start-up before the parser process can start)."""

    def __enter__(self) -> _NoProgress:
        return self

    def __exit__(self, *exc: object) -> None:
        return None

    def add_task(self, *args: object, **kwargs: object) -> int:
        return 0

    def update(self, *args: object, **kwargs: object) -> None:
        return None

    def advance(self, *args: object, **kwargs: object) -> None:
        return None


def _progress(disable: bool) -> Any:
    """A progress bar on a terminal (rich), else nothing."""
    if disable:
        return _NoProgress()
    from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeRemainingColumn

    return Progress(TextColumn("{task.description}"), BarColumn(), MofNCompleteColumn(), TimeRemainingColumn(),
                    transient=True)


def _start_parser(model: Path | None) -> None:
    from .nlp import resolve_model
    from .run.parser import start_early

    with contextlib.suppress(KgError):  # the export's own checks say what is wrong, in their order
        start_early(resolve_model(model))


def _export(
    paths: list[Path], out: Path, model: Path | None, rules: Path | None, fmt: list[str] | None, html: bool,
    load_: bool, store: Path | None, workers: int, prune: bool, engine: str, log_json: bool, max_chars: int,
    timeout: float, date: str | None, nominal_events: bool, text: bool,
) -> None:
    if engine == "local":
        _start_parser(model)  # before kg's own imports and rules: the model loads beside them
    from .run.local import default_workers
    from .run.local import export as run

    def log(status: str, source: str, detail: str) -> None:
        if log_json:
            record: dict[str, object] = {"event": status, "source": source}
            record |= {"reason": detail} if status == "failed" else {"events": int(detail)} if detail else {}
            typer.echo(json.dumps(record, ensure_ascii=False), err=True)

    with kg_errors(log_json), _progress(log_json or not sys.stderr.isatty()) as progress:
        task = progress.add_task("exporting", total=None, visible=False)

        def total(n: int) -> None:
            progress.update(task, total=n, visible=n > 1)

        def on_result(status: str, source: str, detail: str) -> None:
            progress.advance(task)
            log(status, source, detail)

        report = run(paths, out, model=model, rules_dir=rules, on_result=on_result, total=total,
                     formats=fmt or ["ttl"], html=html, workers=workers or default_workers(), prune=prune,
                     engine=engine, max_chars=max_chars, default_date=date,
                     nominal_events=nominal_events, timeout=timeout, text=text)
    if not log_json:
        for source, reason in report.failed:
            typer.echo(f"kg: {source}: {reason}", err=True)
    summary = (f"{len(report.exported)} exported, {len(report.skipped)} unchanged, {len(report.failed)} failed, "
               f"{report.events} events -> {out}")
    typer.echo(json.dumps({"event": "summary", "exported": len(report.exported), "skipped": len(report.skipped),
                            "failed": len(report.failed), "events": report.events}) if log_json else summary, err=True)
    if load_:
        from .store import default_store
        from .store import load as load_store

        target = store or default_store()
        with kg_errors(log_json):
            loaded = load_store([out], target)
        _report_load(loaded, str(target), log_json)
        if loaded.failed:
            raise typer.Exit(1)
    raise typer.Exit(report.exit_code)


def _report_load(report: object, where: str, log_json: bool = False) -> None:
    from .store import LoadReport

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
    typer.echo(f"{_plural(len(report.loaded), 'document')} ({_plural(report.triples, 'triple')}) loaded into "
               f"{where}, {len(report.failed)} failed", err=True)


@app.command("load", cls=_Command)
def load_cmd(
    paths: Annotated[list[Path], typer.Argument(help="kg output files (.ttl, .trig, .nq) or folders.",
                                                metavar="PATH")],
    store: Annotated[Path | None, typer.Option("--store", help="Embedded store folder (default: $KG_STORE or "
                                                ".kg-store).")] = None,
    endpoint: Annotated[str | None, typer.Option("--endpoint", help="A SPARQL 1.1 server's Graph Store "
                                                 "endpoint (credentials from KG_STORE_USER/KG_STORE_PASSWORD "
                                                 "or KG_STORE_TOKEN).")] = None,
    timeout: Annotated[float, typer.Option("--timeout", help="Seconds per request to --endpoint.")] = 30.0,
    bulk: Annotated[bool, typer.Option("--bulk", help="Embedded store: write documents in large batches with "
                                       "the bulk loader, no transaction each (faster; rerun after a crash).")] = False,
) -> None:
    """Load kg output into a store; each document replaces its own named graph."""
    from .store import default_store, load, push

    with kg_errors():
        if endpoint:
            report, where = push(paths, endpoint, timeout=timeout), "the endpoint"
        else:
            target = store or default_store()
            report, where = load(paths, target, bulk=bulk), str(target)
    _report_load(report, where)
    raise typer.Exit(1 if report.failed else 0)


@app.command(cls=_Command)
def query(
    sparql: Annotated[str | None, typer.Argument(help="A shipped query's name, a .rq file, or SPARQL text.",
                                                        metavar="QUERY")] = None,
    param: Annotated[list[str] | None, typer.Option("--param", "-p", metavar="NAME=VALUE",
                                                    help="NAME=VALUE, bound as a term: Q159, "
                                                    "<iri>, or a name as written. A shipped query "
                                                    "needs the parameters its --list line names.")] = None,
    fmt: Annotated[str, typer.Option("--format", help="table, csv, tsv or json.")] = "table",
    store: Annotated[Path | None, typer.Option("--store", help="Embedded store folder.")] = None,
    list_: Annotated[bool, typer.Option("--list", help="List the shipped queries.")] = False,
    allow_service: Annotated[bool, typer.Option("--allow-service", help="Let SERVICE clauses call other "
                                                "SPARQL servers over the network (refused otherwise).")] = False,
) -> None:
    """Query the embedded store with SPARQL (every document graph is in the default graph).

    Exit 0: the results; 2: a query that is wrong, refused or fails (one line)."""
    from .store import default_store, named_queries, query_text, resolve_query

    if list_:
        for name, (doc, _) in named_queries().items():
            typer.echo(f"{name:16} {doc}")
        raise typer.Exit(0)
    if sparql is None:
        typer.echo("kg: give a query (name, .rq file or SPARQL) or --list", err=True)
        raise typer.Exit(2)
    if fmt not in ("table", "csv", "tsv", "json"):
        typer.echo(f"kg: --format {fmt!r} is not one of table, csv, tsv, json", err=True)
        raise typer.Exit(2)
    params: dict[str, str] = {}
    for p in param or []:
        name, sep, value = p.partition("=")
        if not sep or not name.isidentifier():
            typer.echo(f"kg: --param {p!r}: write NAME=VALUE", err=True)
            raise typer.Exit(2)
        params[name] = value
    with kg_errors():
        text = query_text(store or default_store(), resolve_query(sparql), params, fmt, allow_service)
        typer.echo(text, nl=False)


@app.command(cls=_Command)
def show(
    article: Annotated[Path, typer.Argument(help="An article (.txt, or the first article of a .jsonl file).")],
    out: Annotated[Path | None, typer.Option("-o", "--out", help="HTML file (default: <doc_id>.html here).")] = None,
    model: Annotated[Path | None, typer.Option("--model", help="UDPipe model file.")] = None,
    rules: Annotated[Path | None, typer.Option("--rules", help="Rules folder or file.")] = None,
) -> None:
    """Render what kg found in one article as a self-contained HTML page (for rule authors)."""
    from .pipeline import show as run

    with kg_errors():
        typer.echo(str(run(article, out, model=model, rules_dir=rules)))


@app.command(cls=_Command)
def validate(
    files: Annotated[list[Path], typer.Argument(help="kg output files (.ttl, .trig, .nq) or folders of them.",
                                                metavar="PATH")],
) -> None:
    """Check kg output against the SHACL shapes shipped with kg.

    Exit 0: every file conforms; 1: violations (one a line); 2: a file that is missing, not RDF
    or does not parse (one line naming it; no file is checked).
    """
    from .validate import validate_files

    with kg_errors():
        violations = validate_files(files)
    for v in violations:
        typer.echo(str(v))
    typer.echo(_plural(len(violations), "violation"), err=True)
    raise typer.Exit(1 if violations else 0)


@model_app.command("download", cls=_Command)
def model_download(
    lang: Annotated[str, typer.Argument(help="Language code.")] = "ar",
    url: Annotated[str | None, typer.Option("--url", help="Base URL of a mirror (default: the address "
                                            "spacy-udpipe uses).")] = None,
) -> None:
    """Fetch the official UDPipe model for LANG into kg's cache (needs network)."""
    from .nlp import download_model

    with kg_errors():
        path = download_model(lang, base_url=url)
    typer.echo(str(path))


@model_app.command("which", cls=_Command)
def model_which(
    model: Annotated[Path | None, typer.Option("--model", help="A model file to check.")] = None,
) -> None:
    """Print the model kg would use, following the lookup order, once it is checked to load."""
    from .nlp import check_model, resolve_model

    with kg_errors():
        path = resolve_model(model)
        check_model(path)
        typer.echo(str(path))


@rules_app.command("import", cls=_Command)
def rules_import(
    results: Annotated[Path, typer.Argument(help="A Wikidata query result in SPARQL 1.1 JSON format.")],
    out: Annotated[Path, typer.Option("-o", "--out", help="The rules file to write.")],
    type_name: Annotated[str, typer.Option("--type", help="Entity type of every item (a key of `types`).")],
) -> None:
    """Turn a Wikidata query result (item, labels, aliases) into a rules file."""
    from .files import write_atomic
    from .wikidata import import_results

    with kg_errors():
        try:
            text = import_results(results, type_name)
            write_atomic(out, text)
        except OSError as err:
            raise KgError(f"{out}: cannot write ({err.strerror})") from None
    typer.echo(f"{out}: {text.count(chr(10) + '- id: ')} entities")


@rules_app.command("check", cls=_Command)
def rules_check(
    folder: Annotated[Path | None, typer.Argument(help="Rules folder or file (default: the starter pack).")] = None,
) -> None:
    """Validate rules: every problem as file:line: message; exit 2 if any."""
    from .rules import default_rules_dir, load_rules

    target = folder or default_rules_dir()
    with kg_errors():
        rules = load_rules(target)
    typer.echo(f"{target}: {len(rules.entities)} entities, {len(rules.actions)} actions: ok")


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
