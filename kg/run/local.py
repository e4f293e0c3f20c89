"""Batch runs: incremental, crash-safe, parallel exports into one output folder (see folder.py),
the articles parsed by a pool of parser processes (or on Spark)."""

from __future__ import annotations

import collections
import contextlib
import datetime
import itertools
import os
import re
import time
from collections.abc import Callable, Iterable, Iterator
from pathlib import Path

from ..compiled import load_rules
from ..errors import ArticleError, KgError, unknown
from ..files import safe_name, write_atomic
from ..nlp import resolve_model
from ..rdf import FORMATS
from ..read import Article, check_paths, input_names, read_file
from ..rules import default_rules_dir
from .folder import REPORT_FILE, Folder, remove_outputs, up_to_date, write_events
from .incremental import FileRead, Unchanged, file_stat
from .job import DocResult, Job, RunReport, fingerprint, new_run, process_article, process_pair, text_hash, too_long
from .parser import Pool, Ticket, parsers_for, start_early
from .spark import run_spark


def run(
    paths: Iterable[Path],
    out: Path,
    job: Job,
    workers: int = 1,
    prune: bool = False,
    engine: str = "local",
    on_result: Callable[[str, str, str], None] | None = None,
    total: Callable[[int], None] | None = None,
) -> RunReport:
    """Export every article under `paths` into `out`, doing only what changed."""
    files = input_names(paths)
    fp = fingerprint(job)
    new_run()
    folder = Folder(out)
    try:
        batch = _Batch(folder, job, fp, on_result)
        if total is not None:
            total(sum(map(batch.unchanged.count, files)))
        # Written here, in input order, as each comes: on a thread of their own, the writes'
        # system calls each handed the GIL over and back, and cost more than they overlapped.
        for result in _results(batch.todo(files), workers, engine):
            batch.write(result)
        if prune:
            batch.prune()
        batch.finish()
    except OSError as err:
        raise KgError(f"{out}: cannot write ({err.strerror})") from None
    finally:
        folder.close()
    return batch.report


class _Batch:
    """One run into an output folder: what it read, skipped and wrote, and its report."""

    def __init__(self, folder: Folder, job: Job, fp: str, on_result: Callable[[str, str, str], None] | None) -> None:
        self.folder = folder
        self.job = job
        self.fp = fp
        self.on_result = on_result
        self.report = RunReport()
        self.seen: dict[str, str] = {}  # document name -> the source that has it
        self.reads: list[FileRead] = []  # the input files this run opened
        self.unchanged = Unchanged(folder, fp)

    def note(self, kind: str, source: str, detail: str, doc_id: str = "") -> None:
        if kind == "failed":
            self.report.failed.append((source, detail))
        else:
            self.report.skipped.append(doc_id)
        if self.on_result:
            self.on_result(kind, source, detail)

    def todo(self, files: list[str]) -> Iterator[tuple[Article, str, Job]]:
        """Articles that need work, read lazily: memory stays flat however large the input. A file
        whose stat says it is as when its documents were done is not opened."""
        for f in files:
            since = time.time_ns()
            st = file_stat(f)
            docs = self.unchanged.docs(f, st, self.seen)
            if docs is None:
                read = FileRead(f, st, since)
                self.reads.append(read)
                yield from self._read(read)
                continue
            for source, doc_id, name in docs:
                self.seen[name] = source
                self.note("skipped", source, "", doc_id)

    def _read(self, read: FileRead) -> Iterator[tuple[Article, str, Job]]:
        for item in read_file(Path(read.path)):
            if isinstance(item, ArticleError):
                read.whole = False
                self.note("failed", item.source, item.reason)
                continue
            name = safe_name(item.doc_id)
            if name in self.seen:
                read.whole = False
                self.note("failed", item.source, f"document id {item.doc_id!r} already used by {self.seen[name]}")
                continue
            self.seen[name] = item.source
            read.docs.append((name, item.source))
            if up_to_date(self.folder, name, text_hash(item.text), self.fp):
                self.note("skipped", item.source, "", item.doc_id)
                continue
            yield item, name, self.job

    def write(self, result: DocResult) -> None:
        """One finished document: its outputs, its part of the events table, then its journal line."""
        folder, out = self.folder, self.folder.out
        folder.changing()
        remove_outputs(folder, result.name)
        entry: dict[str, object] = {"name": result.name, "doc_id": result.doc_id, "source": result.source,
                                    "sha256": result.sha256, "fingerprint": self.fp}
        if result.error is not None:
            self.report.failed.append((result.source, result.error))
            folder.record(entry | {"status": "failed", "reason": result.error, "outputs": []})
            if self.on_result:
                self.on_result("failed", result.source, result.error)
            return
        names = []
        for ext, data in result.outputs.items():
            write_atomic(out / f"{result.name}.{ext}", data)
            names.append(f"{result.name}.{ext}")
        write_atomic(folder.parts / f"{result.name}.jsonl", "".join(r + "\n" for r in result.rows))
        folder.record(entry | {"status": "ok", "outputs": names, "events": len(result.rows)})
        self.report.exported.append(result.doc_id)
        if self.on_result:
            self.on_result("exported", result.source, str(len(result.rows)))

    def prune(self) -> None:
        """The documents no longer in the input: their outputs and manifest entries go."""
        for name in sorted(set(self.folder.manifest) - set(self.seen)):
            self.folder.changing()
            remove_outputs(self.folder, name)
            self.folder.drop(name)
            self.report.pruned.append(name)

    def finish(self) -> None:
        """The events table (kept if nothing changed), the stat stamps and the manifest's last
        lines (Folder.save), and the report."""
        folder = self.folder
        current = folder.events_if_current()
        if current is None:
            self.report.events, digest, layout = write_events(folder)
        else:
            self.report.events = current
        folder.save(self.unchanged.stamp(self.reads))
        if current is None:
            folder.events_written(self.report.events, digest, layout)
        write_atomic(folder.out / REPORT_FILE, self.report.to_json())


ENGINES = ("local", "spark")  # where `export` runs: this machine, or Spark (kg[spark])
AHEAD = 16  # articles read ahead for each parser (given out as parsers get free): none waits for kg
AHEAD_CHARS = 1_000_000  # and at most this much text waiting (at least one article a parser)
BURST = 8  # articles finished in a row, once their answers are in


def _results(todo: Iterator[tuple[Article, str, Job]], workers: int, engine: str) -> Iterator[DocResult]:
    """Results in input order: parsed by `workers` parser processes, or on Spark."""
    if engine == "spark":
        pending = list(todo)
        if pending:
            yield from run_spark(pending, process_pair)
        return
    yield from _ahead(todo, max(1, workers))


def _ahead(todo: Iterator[tuple[Article, str, Job]], workers: int) -> Iterator[DocResult]:
    """Parser processes parse the next articles while this process does the rest with the ones
    parsed: kg's own stages cost a small part of parsing, so they fit beside the parsers. The
    articles go to whichever parser is free (`Pool`) and come back in input order."""
    pool: Pool | None = None
    pending: collections.deque[tuple[Article, str, Job, Ticket | None]] = collections.deque()
    chars = 0  # of the pending articles' texts

    def finish() -> DocResult:
        nonlocal chars
        article, name, job, ticket = pending.popleft()
        chars -= len(article.text)
        if ticket is not None and ticket.answer is None:
            assert pool is not None
            pool.wait([ticket])
        return process_article(article, name, job, ticket=ticket)

    try:
        for article, name, job in todo:
            if pool is None:
                pool = Pool(parsers_for(job.model, workers))
            ticket = None
            if not too_long(article, job):
                ticket = pool.submit(article.text, article.source, job.timeout)
            pending.append((article, name, job, ticket))
            chars += len(article.text)
            while len(pending) > AHEAD * workers or (len(pending) > workers and chars > AHEAD_CHARS * workers):
                # wait for a few answers, then finish them in a row: this process wakes once for
                # them, not once each, and its caches stay warm across them
                burst = [item[3] for item in itertools.islice(pending, BURST)]
                pool.wait([t for t in burst if t is not None])
                for _ in burst:
                    yield finish()
        while pending:
            yield finish()
    except BaseException:
        if pool is not None:
            pool.forget()  # a run that stops: what was asked is not wanted
        raise


def default_workers() -> int:
    try:
        return max(1, len(os.sched_getaffinity(0)))
    except AttributeError:
        return os.cpu_count() or 1


def export(
    paths: Iterable[Path],
    out_dir: Path,
    model: Path | None = None,
    rules_dir: Path | None = None,
    on_result: Callable[[str, str, str], None] | None = None,
    total: Callable[[int], None] | None = None,
    formats: Iterable[str] = ("ttl",),
    html: bool = False,
    workers: int = 1,
    prune: bool = False,
    engine: str = "local",
    max_chars: int = 1_000_000,
    default_date: str | None = None,
    nominal_events: bool = True,
    timeout: float = 300.0,
    text: bool = True,
) -> RunReport:
    """Export every article under `paths` to `out_dir`: one `<doc_id>.ttl` each and `events.jsonl`.

    Rules, model and output-folder problems raise KgError before any article is touched; a bad
    article is recorded in the report and the others are still written. Documents whose text,
    rules, model and options are unchanged since the last run into `out_dir` are skipped.
    """
    fmts = tuple(dict.fromkeys(formats))
    strange = [f for f in fmts if f not in FORMATS]
    if strange or not fmts:
        raise KgError(unknown("output format", strange[0] if strange else "", FORMATS))
    if engine not in ENGINES:
        raise KgError(unknown("engine", engine, ENGINES))
    paths = list(paths)
    check_paths(paths)  # a path with no articles is a usage error, not an empty success
    rules_path = rules_dir or default_rules_dir()
    if engine == "local":  # the model loads in the parser process while the rules load here
        with contextlib.suppress(KgError):  # said below, in order
            start_early(resolve_model(model))
    load_rules(rules_path)  # every rules problem, before any article is read
    model_path = resolve_model(model)  # loaded (and checked) only when a document needs parsing
    if default_date is not None:
        try:
            datetime.date.fromisoformat(default_date)
        except ValueError as err:
            if re.fullmatch(r"\d{4}-\d{2}-\d{2}", default_date):  # the form is right, the date is not
                raise KgError(f"--date {default_date!r}: no such day ({err})") from None
            raise KgError(f"--date {default_date!r}: write the date as YYYY-MM-DD") from None
    job = Job(rules_dir=rules_path, model=model_path, formats=fmts, html=html, max_chars=max_chars,
              default_date=default_date, nominal_events=nominal_events, timeout=timeout, text=text)
    return run(paths, out_dir, job, workers=workers, prune=prune, engine=engine, on_result=on_result, total=total)
