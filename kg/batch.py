"""Batch runs: incremental, crash-safe, parallel exports into one output folder.

The output folder keeps its bookkeeping in `.kg/`: a lock, the manifest (an append-only journal,
one JSON line per document outcome, compacted at the end of a run) and the per-document parts of
the events table. Every file is written under a temporary name and renamed into place; a
document's journal line is appended only after its outputs are in place; `events.jsonl` is rebuilt
from the parts at the end. So a run killed at any moment and run again ends with the same files
as a run never interrupted.
"""

from __future__ import annotations

import collections
import fcntl
import hashlib
import itertools
import json
import os
import tempfile
import time
from collections.abc import Callable, Iterable, Iterator
from dataclasses import asdict, dataclass, field, replace
from functools import lru_cache
from pathlib import Path
from typing import BinaryIO

from . import __version__
from .compiled import code_digest, load_rules
from .document import process
from .errors import ArticleError, KgError, too_slow
from .files import safe_name, write_atomic
from .nlp import Parsed, load, parse
from .parser import Pool, Ticket, parsers_for
from .read import Article, count_inputs, read_paths
from .rules import Rules, rule_files
from .spark import run_spark

STATE_DIR = ".kg"
MANIFEST = "manifest.jsonl"
PARTS = "parts"
LOCK = "lock"
EVENTS_FILE = "events.jsonl"
EVENTS_STAMP = "events.current"  # in STATE_DIR: events.jsonl is what the manifest says it is
REPORT_FILE = "kg-report.json"


@dataclass(frozen=True)
class Job:
    """What every document of a run is processed with (picklable: sent to Spark executors)."""

    rules_dir: Path
    model: Path
    formats: tuple[str, ...]
    html: bool
    max_chars: int
    default_date: str | None = None  # for articles whose input gives no date (--date)
    nominal_events: bool = True  # event nouns in events.jsonl (flagged nominal); the graph always has them
    timeout: float = 300.0  # seconds one document may take; checked between parsed pieces
    text: bool = True  # False (--no-text): the graph leaves the article's words out


@dataclass(frozen=True)
class DocResult:
    name: str
    doc_id: str
    source: str
    sha256: str
    outputs: dict[str, str]  # extension -> file content
    rows: tuple[str, ...]  # events.jsonl lines
    error: str | None = None


@dataclass
class RunReport:
    exported: list[str] = field(default_factory=list)
    skipped: list[str] = field(default_factory=list)
    failed: list[tuple[str, str]] = field(default_factory=list)  # (source, reason)
    pruned: list[str] = field(default_factory=list)
    events: int = 0

    @property
    def exit_code(self) -> int:
        return 1 if self.failed else 0

    def to_json(self) -> str:
        data = asdict(self) | {"kg": __version__, "exit": self.exit_code}
        data["failed"] = [{"source": s, "reason": r} for s, r in self.failed]
        return json.dumps(data, ensure_ascii=False, indent=1, sort_keys=True) + "\n"


# --- processing one document (parsed by a parser process, or here on a Spark executor) ------

_RULES: dict[str, tuple[tuple[object, ...], Rules]] = {}
_CHECKED: set[str] = set()  # rules whose files were looked at during this run


def _rules(job: Job) -> Rules:
    """The rules, loaded once per process (each Spark executor loads its own), and again when a
    file changed since: a scheduled job that calls `run` again after a rule changed must not keep
    the old rules. Each run looks at the files once (`run` empties _CHECKED)."""
    key = str(job.rules_dir)
    if key not in _CHECKED or key not in _RULES:
        stamp = tuple((str(f), st.st_mtime_ns, st.st_size) for f in rule_files(job.rules_dir) for st in [f.stat()])
        if key not in _RULES or _RULES[key][0] != stamp:
            _RULES.clear()
            _RULES[key] = (stamp, load_rules(job.rules_dir))
        _CHECKED.add(key)
    return _RULES[key][1]


def _prepare(job: Job) -> tuple[Rules, Path]:
    """Rules and model, for parsing in this process."""
    load(job.model)
    return _rules(job), job.model


def text_hash(text: str) -> str:
    return hashlib.sha256(text.encode("utf-8", "surrogatepass")).hexdigest()


def process_article(article: Article, name: str, job: Job, ticket: Ticket | None = None) -> DocResult:
    """Everything for one article, as strings: never raises for the article's own faults.

    With `ticket`, the article was parsed by a parser process (see `_ahead`), and its tokens
    come from there; without, it is parsed here (Spark executors)."""
    sha = text_hash(article.text)
    if article.date is None and job.default_date:
        article = replace(article, date=job.default_date)
    try:
        if _too_long(article, job):
            raise ArticleError(article.source, f"too long ({len(article.text)} characters, limit {job.max_chars})")
        if ticket is not None:
            rules = _rules(job)
            parsed = Parsed(article.text, ticket.tokens())
        else:
            rules, model = _prepare(job)
            deadline = time.monotonic() + job.timeout

            def in_time() -> None:
                if time.monotonic() > deadline:
                    raise ArticleError(article.source, too_slow(job.timeout))

            parsed = parse(article.text, model, on_piece=in_time)
        done = process(article, parsed, rules, formats=job.formats, html=job.html,
                       nominal_events=job.nominal_events, text=job.text)
        return DocResult(name, article.doc_id, article.source, sha, done.files, done.rows)
    except KgError:
        raise
    except ArticleError as err:
        return DocResult(name, article.doc_id, article.source, sha, {}, (), err.reason)
    except Exception as err:  # one article's failure never stops the batch
        return DocResult(name, article.doc_id, article.source, sha, {}, (), f"{type(err).__name__}: {err}")


def _too_long(article: Article, job: Job) -> bool:
    return len(article.text) > job.max_chars


def _process_pair(pair: tuple[Article, str, Job]) -> DocResult:
    """One article on a Spark executor. Executors outlive runs, so the rule files are looked at
    for each article (a few stats), not once a run."""
    _CHECKED.discard(str(pair[2].rules_dir))
    return process_article(*pair)


# --- the output folder's bookkeeping ------------------------------------------------------


def fingerprint(job: Job) -> str:
    """Changes whenever a rule, the model, the output options or kg itself change."""
    h = hashlib.sha256(f"kg {__version__}\x1f{job.formats}\x1f{job.html}\x1f{job.max_chars}\x1f{job.default_date}"
                       f"\x1f{job.nominal_events}\x1f{job.timeout}\x1f{job.text}"
                       .encode())
    h.update(code_digest())
    for f in rule_files(job.rules_dir):
        h.update(str(f.relative_to(job.rules_dir) if job.rules_dir.is_dir() else f.name).encode())
        h.update(f.read_bytes())
    st = job.model.stat()
    h.update(_file_digest(str(job.model.resolve()), st.st_size, st.st_mtime_ns, st.st_ino).encode())
    return h.hexdigest()


@lru_cache(maxsize=8)
def _file_digest(path: str, size: int, mtime_ns: int, inode: int) -> str:
    """A file's SHA-256, read once a process while its size, time and inode stay the same (a model
    is megabytes; a scheduled job that calls `run` again should not read it again)."""
    return _sha256_file(Path(path))


def _sha256_file(path: Path) -> str:
    h = hashlib.sha256()
    with open(path, "rb") as f:
        for chunk in iter(lambda: f.read(1 << 20), b""):
            h.update(chunk)
    return h.hexdigest()


def _umask() -> int:
    old = os.umask(0)
    os.umask(old)
    return old


class Folder:
    """The output folder: lock, manifest journal, parts."""

    def __init__(self, out: Path) -> None:
        self.out = out
        self.state = out / STATE_DIR
        self.parts = self.state / PARTS
        try:
            self.parts.mkdir(parents=True, exist_ok=True)
        except OSError as err:
            raise KgError(f"{out}: cannot create output folder ({err.strerror})") from None
        self._lock = open(self.state / LOCK, "a+")  # noqa: SIM115 - held for the whole run
        try:
            fcntl.flock(self._lock, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            self._lock.close()
            raise KgError(f"{out}: another kg run is using this output folder; wait for it to finish") from None
        self._clean_temporaries()
        self.manifest = self._read_manifest()
        self._journal = open(self.state / MANIFEST, "a", encoding="utf-8")  # noqa: SIM115
        self._stamp = self.state / EVENTS_STAMP
        self._stamped = self._read_stamp()  # read once, before this run changes anything
        self._changed = False
        self._touched: set[str] = set()  # documents recorded by this run
        self._table = self._last_table()

    def _clean_temporaries(self) -> None:
        # what a killed run left half-written: never renamed into place, so never read
        for d in (self.out, self.parts, self.state):
            for f in d.glob(".*.tmp"):
                f.unlink(missing_ok=True)

    def _read_manifest(self) -> dict[str, dict[str, object]]:
        entries: dict[str, dict[str, object]] = {}
        path = self.state / MANIFEST
        if not path.exists():
            return entries
        for line in path.read_text(encoding="utf-8", errors="replace").splitlines():
            try:
                e = json.loads(line)
            except ValueError:
                continue  # a line torn by a kill mid-write: that document is simply redone
            if isinstance(e, dict) and isinstance(e.get("name"), str):
                entries[e["name"]] = e
        return entries

    def record(self, entry: dict[str, object]) -> None:
        self._journal.write(json.dumps(entry, ensure_ascii=False, sort_keys=True) + "\n")
        # flushed to the OS, which keeps it through a killed process; no fsync per document (it
        # cost more than parsing): after a power loss the journal is replayed up to its last line
        self._journal.flush()
        self.manifest[str(entry["name"])] = entry
        self._touched.add(str(entry["name"]))

    def _last_table(self) -> tuple[str, list[tuple[str, int]]] | None:
        """The SHA-256 events.jsonl had when it was last rebuilt, and which documents' lines it
        holds, in order: known when the stamp names the layout the manifest still describes (a
        part missing at that rebuild, say, changes the layout). Read before this run changes
        anything; the table's bytes are checked against the SHA-256 when they are spliced."""
        stamp = self._stamped
        if stamp is None:
            return None
        layout = [(name, e.get("events")) for name, e in sorted(self.manifest.items()) if e.get("status") == "ok"]
        if not all(isinstance(k, int) and k >= 0 for _, k in layout) or stamp.get("layout") != _layout_digest(
                layout):  # type: ignore[arg-type]
            return None
        return stamp["sha256"], layout  # type: ignore[return-value]

    def _read_stamp(self) -> dict[str, object] | None:
        """events.current, if it is a stamp: the table's event count and SHA-256 (and layout)."""
        try:
            stamp = json.loads(self._stamp.read_text(encoding="utf-8"))
        except (OSError, ValueError):
            return None
        if not isinstance(stamp, dict) or not isinstance(stamp.get("events"), int) or not isinstance(
                stamp.get("sha256"), str):
            return None
        return stamp

    def changing(self) -> None:
        """Call before anything in the folder changes: from then on (even if this run is killed)
        the events table is not known to match the manifest, and is rebuilt."""
        if not self._changed:
            self._stamp.unlink(missing_ok=True)
            self._changed = True

    def events_if_current(self) -> int | None:
        """The events table's count if nothing changed since it was rebuilt and it is untouched
        (a scheduled rerun with nothing to do then reads one file, not a part per document)."""
        stamp = self._stamped
        if self._changed or stamp is None:
            return None
        try:
            digest = _sha256_file(self.out / EVENTS_FILE)
        except OSError:
            return None
        return int(stamp["events"]) if stamp["sha256"] == digest else None  # type: ignore[call-overload]

    def events_written(self, events: int, digest: str, layout: str) -> None:
        """After the events table and the compacted manifest are in place. The stamp holds no time
        or inode, so a folder still ends byte for byte as after an uninterrupted run."""
        write_atomic(self._stamp, json.dumps({"events": events, "layout": layout, "sha256": digest}) + "\n")

    def compact(self) -> None:
        self._journal.close()
        lines = [json.dumps(self.manifest[k], ensure_ascii=False, sort_keys=True) for k in sorted(self.manifest)]
        write_atomic(self.state / MANIFEST, "".join(x + "\n" for x in lines))

    def close(self) -> None:
        if not self._journal.closed:
            self._journal.close()
        fcntl.flock(self._lock, fcntl.LOCK_UN)
        self._lock.close()


def _up_to_date(folder: Folder, name: str, sha: str, fp: str) -> bool:
    e = folder.manifest.get(name)
    if not e or e.get("status") != "ok" or e.get("sha256") != sha or e.get("fingerprint") != fp:
        return False
    outputs = e.get("outputs")
    return isinstance(outputs, list) and all((folder.out / str(o)).exists() for o in outputs) and (
        folder.parts / f"{name}.jsonl").exists()


def _remove_outputs(folder: Folder, name: str) -> None:
    e = folder.manifest.get(name) or {}
    for o in e.get("outputs") or []:  # type: ignore[attr-defined]
        (folder.out / str(o)).unlink(missing_ok=True)
    (folder.parts / f"{name}.jsonl").unlink(missing_ok=True)


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
    paths = list(paths)
    if total is not None:
        total(count_inputs(paths))
    fp = fingerprint(job)
    _CHECKED.clear()
    folder = Folder(out)
    report = RunReport()
    seen: dict[str, str] = {}

    def note(kind: str, source: str, detail: str, doc_id: str = "") -> None:
        if kind == "failed":
            report.failed.append((source, detail))
        else:
            report.skipped.append(doc_id)
        if on_result:
            on_result(kind, source, detail)

    def todo() -> Iterator[tuple[Article, str, Job]]:
        """Articles that need work, read lazily: memory stays flat however large the input."""
        for item in read_paths(paths):
            if isinstance(item, ArticleError):
                note("failed", item.source, item.reason)
                continue
            name = safe_name(item.doc_id)
            if name in seen:
                note("failed", item.source, f"document id {item.doc_id!r} already used by {seen[name]}")
                continue
            seen[name] = item.source
            if _up_to_date(folder, name, text_hash(item.text), fp):
                note("skipped", item.source, "", item.doc_id)
                continue
            yield item, name, job

    def write(result: DocResult) -> None:
        """One finished document: its outputs, its part of the events table, then its journal line."""
        folder.changing()
        _remove_outputs(folder, result.name)
        entry: dict[str, object] = {"name": result.name, "doc_id": result.doc_id, "source": result.source,
                                    "sha256": result.sha256, "fingerprint": fp}
        if result.error is not None:
            report.failed.append((result.source, result.error))
            folder.record(entry | {"status": "failed", "reason": result.error, "outputs": []})
            if on_result:
                on_result("failed", result.source, result.error)
            return
        names = []
        for ext, data in result.outputs.items():
            write_atomic(out / f"{result.name}.{ext}", data)
            names.append(f"{result.name}.{ext}")
        write_atomic(folder.parts / f"{result.name}.jsonl", "".join(r + "\n" for r in result.rows))
        folder.record(entry | {"status": "ok", "outputs": names, "events": len(result.rows)})
        report.exported.append(result.doc_id)
        if on_result:
            on_result("exported", result.source, str(len(result.rows)))

    try:
        # Written here, in input order, as each comes: on a thread of their own, the writes'
        # system calls each handed the GIL over and back, and cost more than they overlapped.
        for result in _results(todo(), workers, engine):
            write(result)
        if prune:
            for name in sorted(set(folder.manifest) - set(seen)):
                folder.changing()
                _remove_outputs(folder, name)
                del folder.manifest[name]
                report.pruned.append(name)
        current = folder.events_if_current()
        if current is None:
            report.events, digest, layout = _write_events(folder)
        else:
            report.events = current
        folder.compact()
        if current is None:
            folder.events_written(report.events, digest, layout)
        write_atomic(out / REPORT_FILE, report.to_json())
    except OSError as err:
        raise KgError(f"{out}: cannot write ({err.strerror})") from None
    finally:
        folder.close()
    return report


def _layout_digest(layout: Iterable[tuple[str, int]]) -> str:
    return hashlib.sha256("".join(f"{name}\t{n}\n" for name, n in layout).encode()).hexdigest()


def _write_events(folder: Folder) -> tuple[int, str, str]:
    """Rebuild events.jsonl, streaming: the number of events, the file's SHA-256 and its layout.

    Documents this run did not touch keep their lines from the last table where that table is
    known (see Folder._last_table), so a run that changes a few documents of a large folder reads
    one file and their parts, not a part per document. Anything unexpected in the old table, and
    the parts are read instead."""
    fd, tmp = tempfile.mkstemp(dir=folder.out, prefix=f".{EVENTS_FILE}.", suffix=".tmp")
    try:
        os.fchmod(fd, 0o666 & ~_umask())
        with os.fdopen(fd, "wb") as f:
            done = _splice_events(folder, folder._table, f) if folder._table is not None else None
            if done is None:
                f.seek(0)
                f.truncate()
                done = _splice_events(folder, None, f)
        os.replace(tmp, folder.out / EVENTS_FILE)
    finally:
        if os.path.exists(tmp):
            os.unlink(tmp)
    assert done is not None  # from the parts alone it never gives up
    return done


def _splice_events(folder: Folder, old: tuple[str, list[tuple[str, int]]] | None,
                   f: BinaryIO) -> tuple[int, str, str] | None:
    """Write the table into `f`: from the parts, or (`old`: the last table's SHA-256 and layout)
    from the last table for documents this run did not touch. None if the last table is not what
    its stamp says (then `f` holds a partial table)."""
    n = 0
    h = hashlib.sha256()
    layout: list[tuple[str, int]] = []
    before = hashlib.sha256()  # of the old table as read: it must be the stamp's
    previous = old[1] if old is not None else []
    at = 0
    table = open(folder.out / EVENTS_FILE, "rb") if old is not None else None  # noqa: SIM115
    try:
        def take(count: int) -> bytes | None:
            assert table is not None
            lines = [table.readline() for _ in range(count)]
            data = b"".join(lines)
            before.update(data)
            return data if all(x.endswith(b"\n") for x in lines) else None

        for name in sorted(folder.manifest):
            if folder.manifest[name].get("status") != "ok":
                continue
            kept: bytes | None = None
            while at < len(previous) and previous[at][0] <= name:
                data = take(previous[at][1])
                if data is None:
                    return None
                if previous[at][0] == name and name not in folder._touched:
                    kept = data
                at += 1
            if kept is None:
                part = folder.parts / f"{name}.jsonl"
                kept = part.read_bytes() if part.exists() else b""
            n += kept.count(b"\n")
            layout.append((name, kept.count(b"\n")))
            h.update(kept)
            f.write(kept)
        if table is not None:
            while at < len(previous):
                if take(previous[at][1]) is None:
                    return None
                at += 1
            rest = table.read()
            before.update(rest)
            if rest or before.hexdigest() != old[0]:  # type: ignore[index]
                return None
    except OSError:
        if table is None:
            raise
        return None
    finally:
        if table is not None:
            table.close()
    return n, h.hexdigest(), _layout_digest(layout)


AHEAD = 16  # articles read ahead for each parser (given out as parsers get free): none waits for kg
AHEAD_CHARS = 1_000_000  # and at most this much text waiting (at least one article a parser)
BURST = 8  # articles finished in a row, once their answers are in


def _results(todo: Iterator[tuple[Article, str, Job]], workers: int, engine: str) -> Iterator[DocResult]:
    """Results in input order: parsed by `workers` parser processes, or on Spark."""
    if engine == "spark":
        pending = list(todo)
        if pending:
            yield from run_spark(pending, _process_pair)
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
            if not _too_long(article, job):
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
