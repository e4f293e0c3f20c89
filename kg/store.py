"""Loading kg output into a triple store and querying it.

Every document lives in its own named graph (its document IRI). Loading a document replaces
that graph, so loading twice never duplicates and a re-exported article leaves nothing stale.
The embedded store is pyoxigraph, on disk; a remote store is any SPARQL 1.1 server, fed through
the Graph Store HTTP Protocol (with SPARQL Update as the fallback).
"""

from __future__ import annotations

import base64
import os
import re
import time
import urllib.error
import urllib.parse
import urllib.request
from collections.abc import Iterable, Iterator
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from pathlib import Path

import pyoxigraph as ox

from .errors import KgError
from .normalize import normalize

KGO_DOCUMENT = "http://kg.example/ontology#Document"
KGO_SHA256 = "http://kg.example/ontology#sha256"
OWL_ONTOLOGY = "http://www.w3.org/2002/07/owl#Ontology"
RDF_TYPE = "http://www.w3.org/1999/02/22-rdf-syntax-ns#type"
_SUFFIX = {".ttl": ox.RdfFormat.TURTLE, ".trig": ox.RdfFormat.TRIG, ".nq": ox.RdfFormat.N_QUADS}
ENV_STORE = "KG_STORE"


@dataclass(frozen=True)
class DocumentGraph:
    """One document's statements, ready to replace its named graph."""

    name: str
    source: str
    triples: tuple[ox.Triple, ...]


@dataclass
class LoadReport:
    loaded: list[str] = field(default_factory=list)  # graph names
    failed: list[tuple[str, str]] = field(default_factory=list)
    triples: int = 0


def default_store() -> Path:
    return Path(os.environ.get(ENV_STORE) or ".kg-store")


def _walk(folder: Path) -> Iterator[Path]:
    """kg output files under `folder`, skipping names that start with a dot: kg's own `.kg/`, its
    temporary files, `.git` (os.walk: rglob spent a tenth of a small load on `.kg/` alone)."""
    for root, dirs, names in os.walk(folder, followlinks=True):
        dirs[:] = [d for d in dirs if not d.startswith(".")]
        yield from (Path(root, n) for n in names if not n.startswith(".") and os.path.splitext(n)[1] in _SUFFIX)


def _check_inputs(paths: list[Path]) -> None:
    for p in paths:
        if not p.exists():
            raise KgError(f"{p}: no such file or folder")
        if p.is_dir() and next(_walk(p), None) is None:
            raise KgError(f"{p}: no kg output here ({', '.join(_SUFFIX)} files)")


def output_files(paths: Iterable[Path]) -> list[Path]:
    files: list[Path] = []
    for p in paths:
        if p.is_dir():
            files.extend(_walk(p))
        elif p.is_file():
            files.append(p)
        else:
            raise KgError(f"{p}: no such file or folder")
    # one document may be exported in several formats: load each document once, Turtle first
    seen: dict[tuple[Path, str], Path] = {}
    for f in sorted(files, key=lambda f: (f.parent, f.stem, list(_SUFFIX).index(f.suffix) if f.suffix in _SUFFIX
                                          else 9)):
        seen.setdefault((f.parent, f.stem), f)
    return list(seen.values())


def read_document(path: Path) -> list[DocumentGraph]:
    """The document graphs in one kg output file (Turtle: one, named by its kgo:Document)."""
    fmt = _SUFFIX.get(path.suffix)
    if fmt is None:
        raise ValueError(f"not a kg output file (expected {', '.join(_SUFFIX)})")
    data = path.read_bytes()
    graphs: dict[str, list[ox.Triple]] = {}
    if fmt == ox.RdfFormat.TURTLE:
        triples = [ox.Triple(q.subject, q.predicate, q.object) for q in ox.parse(data, format=fmt)]
        docs = {t.subject.value for t in triples
                if isinstance(t.subject, ox.NamedNode) and t.predicate.value == RDF_TYPE
                and isinstance(t.object, ox.NamedNode) and t.object.value == KGO_DOCUMENT}
        if not docs and (onto := _ontology_name(triples)) is not None:
            docs = {onto}  # an ontology (kg's own, or a user's): into the graph it names
        if len(docs) != 1:
            raise ValueError(f"holds {len(docs)} kg documents (a Turtle file from kg holds one)")
        graphs[docs.pop()] = triples
    else:
        for q in ox.parse(data, format=fmt):
            if not isinstance(q.graph_name, ox.NamedNode):
                raise ValueError("a statement outside a named graph (kg writes every document in its own)")
            graphs.setdefault(q.graph_name.value, []).append(ox.Triple(q.subject, q.predicate, q.object))
    return [DocumentGraph(name, str(path), tuple(ts)) for name, ts in sorted(graphs.items())]


def _ontology_name(triples: list[ox.Triple]) -> str | None:
    """The IRI of the one owl:Ontology the triples declare, if they declare exactly one."""
    names = {t.subject.value for t in triples if t.predicate.value == RDF_TYPE and isinstance(t.subject, ox.NamedNode)
             and isinstance(t.object, ox.NamedNode) and t.object.value == OWL_ONTOLOGY}
    return names.pop() if len(names) == 1 else None


def ontology_triples() -> tuple[str, list[ox.Triple]]:
    """kg's ontology (kg/data/ontology.ttl) with a stamp of its version: (graph name, triples)."""
    import hashlib

    from .vocab import ONTOLOGY_IRI, ontology_text

    text = ontology_text().encode("utf-8")
    stamp = ox.Triple(ox.NamedNode(ONTOLOGY_IRI), ox.NamedNode(KGO_SHA256),
                      ox.Literal(hashlib.sha256(text).hexdigest()))
    parsed = [ox.Triple(q.subject, q.predicate, q.object) for q in ox.parse(text, format=ox.RdfFormat.TURTLE)]
    return ONTOLOGY_IRI, [*parsed, stamp]


def install_ontology(store: ox.Store) -> bool:
    """Put kg's ontology in its own named graph, so labels and class hierarchies can be queried:
    once, and again only when kg ships a different one. True if it was (re)installed."""
    name, triples = ontology_triples()
    graph = ox.NamedNode(name)
    stamp = triples[-1]
    if ox.Quad(stamp.subject, stamp.predicate, stamp.object, graph) in store:
        return False
    store.remove_graph(graph)
    store.extend([ox.Quad(t.subject, t.predicate, t.object, graph) for t in triples])
    return True


def _documents(paths: Iterable[Path], report: LoadReport) -> Iterator[DocumentGraph]:
    for f in output_files(paths):
        try:
            yield from read_document(f)
        except (OSError, SyntaxError, ValueError) as err:
            report.failed.append((str(f), str(err)))


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
    from .rdf import seal_digest

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
    fmt = _SUFFIX.get(path.suffix)
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
    fmt = _SUFFIX.get(path.suffix)
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
    fmt = _SUFFIX[path.suffix]
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
    _check_inputs(paths := list(paths))  # before the store is made: a load of nothing makes none
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
    for doc in _documents(slow, report):
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


# --- querying -----------------------------------------------------------------------------


def parse_term(value: str) -> ox.NamedNode | ox.Literal:
    """A parameter value: Q123 -> a Wikidata item, <iri> or http(s)://… -> an IRI, else a string."""
    v = value.strip()
    if len(v) > 1 and v[0] == "Q" and v[1:].isdigit():
        return ox.NamedNode(f"http://www.wikidata.org/entity/{v}")
    if v.startswith("<") and v.endswith(">"):
        return ox.NamedNode(v[1:-1])
    if v.startswith(("http://", "https://")):
        return ox.NamedNode(v)
    # names are matched on kg's normalised key (kgo:key), so any spelling of a name works
    return ox.Literal(" ".join(normalize(v).split()))


_SERVICE = re.compile(r"\bSERVICE\b", re.IGNORECASE)
# what may hold the word without being the keyword: IRIs, strings, comments
_NOT_KEYWORD = re.compile(r"<[^<>\s]*>|\"\"\"[\s\S]*?\"\"\"|'\'\'[\s\S]*?'\'\'"
                          r"|\"(?:[^\"\\\n]|\\.)*\"|'(?:[^'\\\n]|\\.)*'|#[^\n]*")


def uses_service(sparql: str) -> bool:
    """The query has a SERVICE clause (which makes the store call out over HTTP)."""
    return bool(_SERVICE.search(_NOT_KEYWORD.sub(" ", sparql)))


def run_query(store_path: Path, sparql: str, params: dict[str, str] | None = None,
              allow_service: bool = False) -> object:
    """Run SPARQL on the store (all named graphs as the default graph); parameters are bound as
    terms, never pasted into the query text. A SERVICE clause is refused unless `allow_service`.
    Solutions are read in full here, so any error the query meets is a KgError."""
    if uses_service(sparql) and not allow_service:
        raise KgError("query: SERVICE calls another server over the network; give --allow-service to let it")
    check_parameters(sparql, params or {})
    if not store_path.exists():
        raise KgError(f"{store_path}: no store here (run `kg load OUT --store {store_path}` first)")
    store = open_store(store_path)
    subs: dict[ox.Variable, ox.NamedNode | ox.BlankNode | ox.Literal | ox.Triple] = {
        ox.Variable(k): parse_term(v) for k, v in (params or {}).items()
    }
    try:
        return store.query(sparql, use_default_graph_as_union=True, substitutions=subs or None)
    except QUERY_ERRORS as err:
        problem = _query_error(err)
    del store  # the error's traceback keeps this frame: not the store (and its lock) with it
    raise problem


# What a query can raise, when it is parsed or as its results are read (a SERVICE that fails)
QUERY_ERRORS = (SyntaxError, RuntimeError, ValueError, OSError)


def _query_error(err: Exception) -> KgError:
    # SEP-0007 substitution binds only variables the query projects: name them in SELECT
    return KgError(f"query: {' '.join(str(err).split())}")


def query_text(store_path: Path, sparql: str, params: dict[str, str] | None = None, fmt: str = "table",
               allow_service: bool = False) -> str:
    """The query's results as text (`format_results`); every error one KgError line."""
    results = run_query(store_path, sparql, params, allow_service)
    try:
        return format_results(results, fmt)
    except QUERY_ERRORS as err:
        problem = _query_error(err)
    del results  # they hold the store open; the error's traceback keeps this frame
    raise problem


# --- a remote store -----------------------------------------------------------------------

RETRIES = 3


def _auth() -> dict[str, str]:
    """Credentials from the environment; never printed or logged."""
    token = os.environ.get("KG_STORE_TOKEN")
    if token:
        return {"Authorization": f"Bearer {token}"}
    user, password = os.environ.get("KG_STORE_USER"), os.environ.get("KG_STORE_PASSWORD")
    if user:
        raw = f"{user}:{password or ''}".encode()
        return {"Authorization": "Basic " + base64.b64encode(raw).decode()}
    return {}


def _safe(url: str) -> str:
    """The URL as it may be shown: without user:password."""
    parts = urllib.parse.urlsplit(url)
    netloc = parts.hostname or ""
    if parts.port:
        netloc += f":{parts.port}"
    return urllib.parse.urlunsplit((parts.scheme, netloc, parts.path, "", ""))


def _send(method: str, url: str, body: bytes, content_type: str, timeout: float) -> int:
    """One HTTP request with retries (backoff 0.5, 1, 2 s) on connection errors and 5xx."""
    headers = {"Content-Type": content_type, **_auth()}
    delay = 0.5
    for attempt in range(RETRIES):
        req = urllib.request.Request(url, data=body, method=method, headers=headers)
        try:
            with urllib.request.urlopen(req, timeout=timeout) as resp:
                return int(resp.status)
        except urllib.error.HTTPError as err:
            if err.code < 500 or attempt == RETRIES - 1:
                return int(err.code)
        except (urllib.error.URLError, OSError) as err:
            if attempt == RETRIES - 1:
                reason = getattr(err, "reason", err)
                raise KgError(f"{_safe(url)}: cannot reach the store ({reason})") from None
        time.sleep(delay)
        delay *= 2
    raise AssertionError("unreachable")


def _ntriples(triples: Iterable[ox.Triple]) -> bytes:
    return ox.serialize(triples, format=ox.RdfFormat.N_TRIPLES) or b""


def push(paths: Iterable[Path], endpoint: str, timeout: float = 30.0) -> LoadReport:
    """Replace each document's named graph on a SPARQL 1.1 server.

    Graph Store HTTP Protocol first (`PUT endpoint?graph=IRI`); where the server does not offer
    it (404, 405, 415), a SPARQL Update `DROP SILENT GRAPH …; INSERT DATA {…}` to the same URL.
    """
    report = LoadReport()
    name, onto = ontology_triples()
    for doc in [DocumentGraph(name, "kg/data/ontology.ttl", tuple(onto)), *_documents(paths, report)]:
        body = _ntriples(doc.triples)
        sep = "&" if "?" in endpoint else "?"
        url = f"{endpoint}{sep}graph={urllib.parse.quote(doc.name, safe='')}"
        status = _send("PUT", url, body, "application/n-triples", timeout)
        if status in (404, 405, 415, 501):
            update = (f"DROP SILENT GRAPH <{doc.name}> ;\nINSERT DATA {{ GRAPH <{doc.name}> {{\n"
                      + body.decode("utf-8") + "}}")
            status = _send("POST", endpoint, update.encode("utf-8"), "application/sparql-update", timeout)
        if status in (401, 403):
            raise KgError(f"{_safe(endpoint)}: the store refused the credentials (HTTP {status}); "
                          "set KG_STORE_USER/KG_STORE_PASSWORD or KG_STORE_TOKEN")
        if not 200 <= status < 300:
            report.failed.append((doc.source, f"{_safe(endpoint)} answered HTTP {status}"))
            continue
        report.loaded.append(doc.name)
        report.triples += len(doc.triples)
    return report


# --- named queries ------------------------------------------------------------------------


def named_queries() -> dict[str, tuple[str, str]]:
    """Queries shipped with kg: name -> (one-line description, SPARQL text)."""
    from importlib import resources

    out: dict[str, tuple[str, str]] = {}
    for f in sorted(resources.files("kg").joinpath("queries").iterdir(), key=lambda f: f.name):
        if f.name.endswith(".rq"):
            text = f.read_text(encoding="utf-8")
            first = text.splitlines()[0].lstrip("# ").strip() if text else ""
            out[f.name[:-3]] = (first, text)
    return out


_PARAMETERS = re.compile(r"(No parameters|Parameters: ([A-Za-z_][A-Za-z0-9_]*(?:, [A-Za-z_][A-Za-z0-9_]*)*))")


def query_parameters(sparql: str) -> tuple[str, ...] | None:
    """The parameters a query's first comment names (`# … Parameters: a, b.` or `No parameters`,
    as every shipped query does); None if it says nothing."""
    first = sparql.lstrip().splitlines()[0] if sparql.strip() else ""
    m = _PARAMETERS.search(first) if first.startswith("#") else None
    if m is None:
        return None
    return tuple(m.group(2).split(", ")) if m.group(2) else ()


def check_parameters(sparql: str, params: dict[str, str]) -> None:
    """KgError for a parameter the query does not use, or one its comment names that is missing
    (else the query runs with it unbound, and matches nothing)."""
    wanted = query_parameters(sparql)
    for name in params:
        if not re.search(rf"[?$]{name}\b", sparql) or (wanted is not None and name not in wanted):
            known = ", ".join(wanted) if wanted else "none"
            raise KgError(f"query has no parameter {name!r} (its parameters: {known})")
    missing = [n for n in wanted or () if n not in params]
    if missing:
        raise KgError(f"query needs {' '.join(f'-p {n}=VALUE' for n in missing)} (a Q-id, an IRI, or a name)")


def resolve_query(query: str) -> str:
    """A shipped query's name, a `.rq` file, or SPARQL text."""
    named = named_queries()
    if query in named:
        return named[query][1]
    if query.endswith(".rq"):
        try:
            return Path(query).read_text(encoding="utf-8")
        except OSError as err:
            raise KgError(f"{query}: cannot read ({err.strerror})") from None
    if not any(k in query.upper() for k in ("SELECT", "ASK", "CONSTRUCT", "DESCRIBE")):
        raise KgError(f"{query!r} is not a shipped query ({', '.join(named)}), a .rq file or SPARQL")
    return query


def format_results(results: object, fmt: str) -> str:
    """SPARQL results as a plain table, or CSV / TSV / JSON (the SPARQL results formats)."""
    if isinstance(results, ox.QueryBoolean):
        return "true\n" if bool(results) else "false\n"
    if not isinstance(results, ox.QuerySolutions):
        triples = list(results)  # type: ignore[call-overload]
        return (ox.serialize(triples, format=ox.RdfFormat.N_TRIPLES) or b"").decode("utf-8")
    if fmt in ("csv", "tsv", "json"):
        kind = {"csv": ox.QueryResultsFormat.CSV, "tsv": ox.QueryResultsFormat.TSV,
                "json": ox.QueryResultsFormat.JSON}[fmt]
        return (results.serialize(format=kind) or b"").decode("utf-8")
    names = [v.value for v in results.variables]
    rows = [[("" if s[n] is None else str(s[n].value)) for n in names] for s in results]
    widths = [max([len(n), *(len(r[i]) for r in rows)]) for i, n in enumerate(names)]
    line = "  ".join(n.ljust(w) for n, w in zip(names, widths, strict=True))
    body = ["  ".join(c.ljust(w) for c, w in zip(r, widths, strict=True)) for r in rows]
    count = f"({len(rows)} row{'' if len(rows) == 1 else 's'})"
    return "\n".join([line, "  ".join("-" * w for w in widths), *body, count]) + "\n"

