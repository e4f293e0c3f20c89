"""`kg export`: articles to Turtle and events.jsonl (kg.run.local.export), with a progress bar on a
terminal or a JSON line a document with --log-json."""

from __future__ import annotations

import contextlib
import json
import signal
import sys
from pathlib import Path
from typing import Annotated, Any

import typer

from ..errors import Interrupted, KgError
from .load import report_load
from .options import Date, Engine, Format, Formats, LogJson, Model, Rules, Store, Workers


def export(
    paths: Annotated[list[Path], typer.Argument(help="Article files (.txt, .jsonl) or folders of them.",
                                                metavar="PATH")],
    out: Annotated[Path, typer.Option("-o", "--out", help="Output folder.")] = Path("out"),
    model: Model = None,
    rules: Rules = None,
    fmt: Formats = None,
    html: Annotated[bool, typer.Option("--html", help="Also write an annotated HTML view per article.")] = False,
    load_: Annotated[bool, typer.Option("--load", help="Load the output into the store afterwards.")] = False,
    store: Store = None,
    workers: Workers = 0,
    prune: Annotated[bool, typer.Option("--prune", help="Remove outputs of documents no longer in the "
                                        "input.")] = False,
    engine: Annotated[Engine, typer.Option("--engine", help="Where it runs: this machine, or Spark "
                                           "(pip install 'kg\\[spark]').")] = Engine.local,
    log_json: LogJson = False,
    max_chars: Annotated[int, typer.Option("--max-chars", help="Longer articles are reported, not "
                                           "parsed.", min=1)] = 1_000_000,
    timeout: Annotated[float, typer.Option("--timeout", help="Seconds one article may take; a slower one is "
                                           "stopped and reported.", min=0.001)] = 300.0,
    date: Date = None,
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

    def stop(signum: int, _frame: object) -> None:
        raise Interrupted(f"stopped by {signal.Signals(signum).name}: every output written is whole; "
                          "run the same command again to finish")

    previous = {sig: signal.signal(sig, stop) for sig in (signal.SIGTERM, signal.SIGINT)}
    try:
        options = {"model": model, "rules_dir": rules, "formats": [f.value for f in fmt or [Format.ttl]],
                   "html": html, "workers": workers, "prune": prune, "engine": engine.value,
                   "max_chars": max_chars, "default_date": date, "nominal_events": nominal_events,
                   "timeout": timeout, "text": not no_text}
        code = run_export(paths, out, options, log_json)
        if load_:
            code = load_output(out, store, log_json) or code
    finally:
        for sig, handler in previous.items():
            signal.signal(sig, handler)
    raise typer.Exit(code)


class NoProgress:
    """What `progress` gives when no bar is shown: rich is then not imported (a tenth of kg's
    start-up before the parser process can start)."""

    def __enter__(self) -> NoProgress:
        return self

    def __exit__(self, *exc: object) -> None:
        return None

    def add_task(self, *args: object, **kwargs: object) -> int:
        return 0

    def update(self, *args: object, **kwargs: object) -> None:
        return None

    def advance(self, *args: object, **kwargs: object) -> None:
        return None


def progress(disable: bool) -> Any:
    """A progress bar on a terminal (rich), else nothing."""
    if disable:
        return NoProgress()
    from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeRemainingColumn

    return Progress(TextColumn("{task.description}"), BarColumn(), MofNCompleteColumn(), TimeRemainingColumn(),
                    transient=True)


def start_parser(model: Path | None) -> None:
    from ..nlp import resolve_model
    from ..run.parser import start_early

    with contextlib.suppress(KgError):  # the export's own checks say what is wrong, in their order
        start_early(resolve_model(model))


def log(log_json: bool, status: str, source: str, detail: str) -> None:
    """One document's outcome as a JSON line, with --log-json."""
    if log_json:
        record: dict[str, object] = {"event": status, "source": source}
        record |= {"reason": detail} if status == "failed" else {"events": int(detail)} if detail else {}
        typer.echo(json.dumps(record, ensure_ascii=False), err=True)


def run_export(paths: list[Path], out: Path, options: dict[str, Any], log_json: bool) -> int:
    """Run the export with `options` (kg.run.local.export's), say its failures and its summary;
    its exit code."""
    if options["engine"] == "local":
        start_parser(options["model"])  # before kg's own imports and rules: the model loads beside them
    from ..run.local import default_workers
    from ..run.local import export as run

    with progress(log_json or not sys.stderr.isatty()) as bar:
        task = bar.add_task("exporting", total=None, visible=False)

        def total(n: int) -> None:
            bar.update(task, total=n, visible=n > 1)

        def on_result(status: str, source: str, detail: str) -> None:
            bar.advance(task)
            log(log_json, status, source, detail)

        report = run(paths, out, on_result=on_result, total=total,
                     **(options | {"workers": options["workers"] or default_workers()}))
    if not log_json:
        for source, reason in report.failed:
            typer.echo(f"kg: {source}: {reason}", err=True)
    summary = (f"{len(report.exported)} exported, {len(report.skipped)} unchanged, {len(report.failed)} failed, "
               f"{report.events} events -> {out}")
    typer.echo(json.dumps({"event": "summary", "exported": len(report.exported), "skipped": len(report.skipped),
                            "failed": len(report.failed), "events": report.events}) if log_json else summary, err=True)
    return report.exit_code


def load_output(out: Path, store: Path | None, log_json: bool) -> int:
    """--load: the export's output into the store; 1 if a document failed to load."""
    from ..store import default_store, load

    target = store or default_store()
    loaded = load([out], target)
    report_load(loaded, str(target), log_json)
    return 1 if loaded.failed else 0
