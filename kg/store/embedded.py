"""The embedded store (pyoxigraph, on disk), and the routes a load takes into it.

A file kg wrote names its document graph on its first line: it is parsed in full into a scratch
store, then replaces that graph (`_fast_load`). With --bulk, a file whose seal still holds goes to
pyoxigraph's bulk loader without a parse, the others after one (`_bulk`). Any other file is read
statement by statement (`documents`) and replaces each graph it holds.
"""

from __future__ import annotations

import os
import re
from collections.abc import Iterable
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from pathlib import Path

import pyoxigraph as ox

from ..errors import KgError
from ..formats import format_of
from .documents import LoadReport, check_inputs, documents, install_ontology, output_files

ENV_STORE = "KG_STORE"


def default_store() -> Path:
    return Path(os.environ.get(ENV_STORE) or ".kg-store")


def open_store(path: Path) -> ox.Store:
    try:
        path.mkdir(parents=True, exist_ok=True)
        return ox.Store(str(path))
    except OSError as err:
        raise KgError(f"{path}: cannot open the store ({err})") from None


_HEADER = re.compile(r"# kg document: <([^<>\s]+)>(?: triples=(\d+) sha256=([0-9a-f]{64}))?")


@dataclass(frozen=True)
class _Checked:
    """A file kg wrote, read and checked: one document's graph, ready to replace it, or the
    reason it cannot. For --bulk, `payload` holds its statements for the bulk loader."""

    path: Path
    data: bytes
    graph: ox.NamedNode | None = None  # None: not one kg document; the general path explains
    triples: int = 0
    payload: bytes = b""
    kind: ox.RdfFormat = ox.RdfFormat.N_QUADS  # of the payload
    error: str | None = None


def _sealed(first: bytes, rest: bytes, digest: str) -> bool:
    """The file's seal still holds (rdf.seal): it is the file kg wrote from statements it parsed
    strictly."""
    from ..rdf import seal_digest

    return seal_digest(first[: first.rindex(b" sha256=")], rest) == digest


def _as_trig(body: bytes, graph: str) -> bytes:
    """kg's Turtle (its prefix lines, then statements) as one TriG graph block."""
    end = 0
    while body.startswith((b"@prefix ", b"PREFIX "), end):
        end = body.index(b"\n", end) + 1
    return b"%s<%s> {\n%s\n}\n" % (body[:end], graph.encode(), body[end:])


def _document(data: bytes) -> tuple[re.Match[str], ox.NamedNode] | None:
    """The first line of a file kg wrote, and the document graph it names; None: not such a file."""
    header = _HEADER.fullmatch(data.partition(b"\n")[0].decode("utf-8", "replace"))
    if header is None:
        return None
    try:
        return header, ox.NamedNode(header[1])
    except ValueError:
        return None  # not a name kg wrote


def _sealed_file(path: Path) -> _Checked | bytes:
    """A kg file whose seal holds, ready for the bulk loader as it is (TriG); else its bytes."""
    data = path.read_bytes()
    fmt = format_of(path)
    doc = _document(data)
    if doc is None or fmt not in (ox.RdfFormat.TURTLE, ox.RdfFormat.TRIG) or not doc[0][3]:
        return data
    header, name = doc
    first, _, rest = data.partition(b"\n")
    if not _sealed(first, rest, header[3]):
        return data
    payload = rest if fmt == ox.RdfFormat.TRIG else _as_trig(rest, header[1])
    return _Checked(path, data, name, int(header[2]), payload, ox.RdfFormat.TRIG)


def _check(path: Path, bulk: bool = False, data: bytes | None = None) -> _Checked:
    """Read a file and parse it in full into a scratch in-memory store (in Rust, without the GIL).
    With `bulk`, its statements come back as N-Quads for the bulk loader."""
    if data is None:
        data = path.read_bytes()
    fmt = format_of(path)
    doc = _document(data)
    if fmt is None or doc is None:
        return _Checked(path, data)
    name = doc[1]
    scratch = ox.Store()
    try:
        if fmt == ox.RdfFormat.TURTLE:
            scratch.load(data, format=fmt, to_graph=name)
        else:
            scratch.load(data, format=fmt)
    except (SyntaxError, ValueError, OSError) as err:
        return _Checked(path, data, name, error=str(err))
    if any(g != name for g in scratch.named_graphs()):
        return _Checked(path, data)
    # written by oxigraph from terms it checked: the bulk loader need not check them again
    payload = (scratch.dump(format=ox.RdfFormat.N_QUADS) or b"") if bulk else b""
    return _Checked(path, data, name, len(scratch), payload)


def _fast_load(store: ox.Store, path: Path, report: LoadReport) -> bool:
    """Load a file kg wrote (its first line names the document graph) without Python parsing: a
    file that does not parse never touches the document's graph. False: not such a file."""
    c = _check(path)
    if c.graph is None:
        return False
    if c.error is not None:
        report.failed.append((str(path), c.error))
        return True
    fmt = format_of(path)
    assert fmt is not None  # _check made a graph of it
    store.remove_graph(c.graph)
    store.load(c.data, format=fmt, to_graph=c.graph) if fmt == ox.RdfFormat.TURTLE else store.load(c.data, format=fmt)
    report.loaded.append(c.graph.value)
    report.triples += c.triples
    return True


BULK_CHUNK = 2048  # documents held in memory at once by --bulk (kg's run ~8 KB of Turtle each)
BULK_STREAMS = 3  # bulk loads at once: 3 beat 2 by ~10% on two cores, more did not help


def _bulk(store: ox.Store, chunk: list[_Checked], report: LoadReport, pool: ThreadPoolExecutor) -> list[Path]:
    """Replace the chunk's graphs with pyoxigraph's bulk loader, several streams at once (it lets
    go of the GIL, and one stream leaves the cores half idle). Returns the files to load one by
    one instead."""
    for c in chunk:
        assert c.graph is not None
        if store.contains_named_graph(c.graph):  # a read: removing costs a write even when absent
            store.remove_graph(c.graph)
    streams = []
    for kind in (ox.RdfFormat.TRIG, ox.RdfFormat.N_QUADS):
        same = [c.payload for c in chunk if c.kind == kind]
        streams += [(kind, b"".join(same[i::BULK_STREAMS])) for i in range(min(BULK_STREAMS, len(same)))]

    def bulk_load(stream: tuple[ox.RdfFormat, bytes]) -> None:
        # lenient: every statement was parsed strictly before (on export, or just now)
        store.bulk_load(stream[1], format=stream[0], lenient=True)

    try:
        list(pool.map(bulk_load, streams))
    except (SyntaxError, ValueError, OSError):
        for c in chunk:  # undo the half-written graphs; one by one says what is wrong
            assert c.graph is not None
            store.remove_graph(c.graph)
        return [c.path for c in chunk]
    report.loaded += [c.graph.value for c in chunk if c.graph is not None]
    report.triples += sum(c.triples for c in chunk)
    return []


def load(paths: Iterable[Path], store_path: Path, bulk: bool = False) -> LoadReport:
    """Load kg output into the embedded store, one document graph at a time, replacing it.

    With `bulk`, files are parsed first (in threads), then written in batches by pyoxigraph's bulk
    loader without a transaction per document: several times faster for many documents, but a
    crash in the middle can leave documents half loaded — run the load again.
    """
    report = LoadReport()
    check_inputs(paths := list(paths))  # before the store is made: a load of nothing makes none
    with ThreadPoolExecutor(BULK_STREAMS) as pool:
        # RocksDB sets a new store up in tens of milliseconds, without the GIL: meanwhile the
        # files are listed (and, for --bulk, read)
        opening = pool.submit(open_store, store_path)
        files = output_files(paths)
        one_by_one: list[Path] = [] if bulk else files
        slow: list[Path] = []
        if bulk:
            for i in range(0, len(files), BULK_CHUNK):
                batch = files[i : i + BULK_CHUNK]
                # sealed files need no parse: read and hashed here (threads would cost more than
                # they save); the others are parsed in threads
                sealed = [_sealed_file(f) for f in batch]
                rest = [(f, d) for f, d in zip(batch, sealed, strict=True) if isinstance(d, bytes)]
                parsed = iter(pool.map(lambda fd: _check(fd[0], True, fd[1]), rest))
                chunk: dict[str, _Checked] = {}  # by graph: a later file of a document replaces an earlier one
                for c in (d if isinstance(d, _Checked) else next(parsed) for d in sealed):
                    if c.graph is None:
                        slow.append(c.path)  # not one kg document: already read, no second check
                    elif c.error is not None:
                        report.failed.append((str(c.path), c.error))
                    else:
                        chunk[c.graph.value] = c
                one_by_one += _bulk(opening.result(), list(chunk.values()), report, pool)
        store = opening.result()
    for f in one_by_one:
        if not _fast_load(store, f, report):
            slow.append(f)
    for doc in documents(slow, report):
        graph = ox.NamedNode(doc.name)
        quads = [ox.Quad(t.subject, t.predicate, t.object, graph) for t in doc.triples]
        # DROP and INSERT in one update would be atomic too, but means printing every triple as
        # SPARQL; the file is parsed in full before the store is touched, so only I/O can fail here.
        store.remove_graph(graph)
        store.extend(quads)
        report.loaded.append(doc.name)
        report.triples += len(quads)
    install_ontology(store)
    store.flush()
    return report
