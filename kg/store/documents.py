"""kg's output files, read: which files a load takes, and the document graphs in each (with kg's
ontology, which goes into every store beside them). Both the embedded store and a remote one
load what this reads."""

from __future__ import annotations

import os
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from pathlib import Path

import pyoxigraph as ox

from ..errors import KgError
from ..formats import WRITTEN, format_of, suffixes

KGO_DOCUMENT = "http://kg.example/ontology#Document"
KGO_SHA256 = "http://kg.example/ontology#sha256"
OWL_ONTOLOGY = "http://www.w3.org/2002/07/owl#Ontology"
RDF_TYPE = "http://www.w3.org/1999/02/22-rdf-syntax-ns#type"


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



def _walk(folder: Path) -> Iterator[Path]:
    """kg output files under `folder`, skipping names that start with a dot: kg's own `.kg/`, its
    temporary files, `.git` (os.walk: rglob spent a tenth of a small load on `.kg/` alone)."""
    for root, dirs, names in os.walk(folder, followlinks=True):
        dirs[:] = [d for d in dirs if not d.startswith(".")]
        yield from (Path(root, n) for n in names if not n.startswith(".") and format_of(n) is not None)


def check_inputs(paths: list[Path]) -> None:
    for p in paths:
        if not p.exists():
            raise KgError(f"{p}: no such file or folder")
        if p.is_dir() and next(_walk(p), None) is None:
            raise KgError(f"{p}: no kg output here ({suffixes()} files)")


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
    for f in sorted(files, key=lambda f: (f.parent, f.stem, WRITTEN.index(fmt) if (fmt := format_of(f)) else 9)):
        seen.setdefault((f.parent, f.stem), f)
    return list(seen.values())


def read_document(path: Path) -> list[DocumentGraph]:
    """The document graphs in one kg output file (Turtle: one, named by its kgo:Document)."""
    fmt = format_of(path)
    if fmt is None:
        raise ValueError(f"not a kg output file (expected {suffixes()})")
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

    from ..vocab import ONTOLOGY_IRI, ontology_text

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


def documents(paths: Iterable[Path], report: LoadReport) -> Iterator[DocumentGraph]:
    for f in output_files(paths):
        try:
            yield from read_document(f)
        except (OSError, SyntaxError, ValueError) as err:
            report.failed.append((str(f), str(err)))
