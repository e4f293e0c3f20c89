"""`kg validate`: check exported files against the SHACL shapes shipped with kg (pyshacl)."""

from __future__ import annotations

import re
from dataclasses import dataclass
from importlib import resources
from pathlib import Path

import pyoxigraph as ox
from rdflib import BNode, Graph, Literal, URIRef
from rdflib.term import Node

from .errors import KgError
from .formats import READ, format_of, suffixes

_XSD_STRING = "http://www.w3.org/2001/XMLSchema#string"


@dataclass(frozen=True)
class Violation:
    file: str
    focus: str
    path: str
    message: str
    rule: str = ""  # the shape and constraint broken: kgs:Span/MaxCount

    def __str__(self) -> str:
        where = f" {self.path}" if self.path else ""
        rule = f" [{self.rule}]" if self.rule else ""
        return f"{self.file}: {self.focus}{where}: {' '.join(self.message.split())}{rule}"


def shapes() -> Graph:
    return Graph().parse(data=(resources.files("kg") / "data" / "shapes.ttl").read_text("utf-8"), format="turtle")


def _term(t: object) -> Node:
    """A pyoxigraph term as rdflib's (what pyshacl reads)."""
    if isinstance(t, ox.NamedNode):
        return URIRef(t.value)
    if isinstance(t, ox.BlankNode):
        return BNode(t.value)
    assert isinstance(t, ox.Literal), t
    if t.language:
        return Literal(t.value, lang=t.language)
    dt = t.datatype.value
    return Literal(t.value, datatype=None if dt == _XSD_STRING else URIRef(dt))


def _load(path: Path) -> Graph:
    """Every statement of the file, whatever its graph, as one rdflib Graph. pyoxigraph parses
    (strictly, with a one-line message): rdflib's own TriG and N-Quads parsers call its
    deprecated Dataset API, and its syntax errors run over several lines."""
    if not path.exists():
        raise KgError(f"{path}: no such file or folder")
    fmt = format_of(path.name.lower(), READ)
    if fmt is None:
        raise KgError(f"{path}: not an RDF file kg writes (known: {suffixes(READ)})")
    g = Graph()
    try:
        for q in ox.parse(path=str(path), format=fmt):
            g.add((_term(q.subject), _term(q.predicate), _term(q.object)))
    except OSError as err:
        raise KgError(f"{path}: cannot read ({err.strerror})") from None
    except SyntaxError as err:
        raise KgError(f"{path}: does not parse as {fmt.name} ({err.msg.splitlines()[0]})") from None
    return g


def validate_graph(data: Graph, file: str, shape_graph: Graph | None = None) -> list[Violation]:
    from pyshacl import validate
    from rdflib.namespace import SH

    sg = shape_graph or shapes()  # one graph: the report's shapes are its blank nodes
    conforms, report, _ = validate(data, shacl_graph=sg, inference="none", advanced=True)
    if conforms:
        return []
    out = []
    for result in report.subjects(SH.resultSeverity, None):
        focus = report.value(result, SH.focusNode)
        path = report.value(result, SH.resultPath)
        message = report.value(result, SH.resultMessage)
        rule = _rule(sg, report.value(result, SH.sourceShape), report.value(result, SH.sourceConstraintComponent))
        value = report.value(result, SH.value)
        if isinstance(value, URIRef) and (focus, None, value) not in data:  # a node of the document's, at fault
            focus = value
        out.append(Violation(file, str(focus), str(path or ""), str(message or "violates a shape"), rule))
    return sorted(out, key=lambda v: (v.focus, v.path, v.message))


def _rule(sg: Graph, shape: Node | None, component: Node | None) -> str:
    """kgs:Span/MaxCount: the node shape (the one holding a property shape) and the constraint."""
    from rdflib.namespace import SH

    owner = shape if isinstance(shape, URIRef) else next(iter(sg.subjects(SH.property, shape)), None) \
        if shape is not None else None
    name = str(owner).replace(KGS, "kgs:") if owner is not None else "shape"
    kind = str(component or "").rsplit("#", 1)[-1].removesuffix("ConstraintComponent")
    return f"{name}/{kind}" if kind else name


KGS = "http://kg.example/shapes#"


def seal_problem(data: bytes) -> str | None:
    """What is wrong with a kg file's first line (rdf.seal), or None if it holds or the file
    does not claim to be kg's (no `# kg document:` line)."""
    from .rdf import DOCUMENT_HEADER, seal_digest

    first, _, rest = data.partition(b"\n")
    if not first.startswith(DOCUMENT_HEADER.encode()):
        return None
    m = _SEAL.fullmatch(first.decode("utf-8", "replace"))
    if m is None:
        return "the seal line is broken (want: # kg document: <IRI> triples=N sha256=HEX)"
    if seal_digest(first[: first.rindex(b" sha256=")], rest) != m[3]:
        return "the file has changed since kg wrote it: its seal's sha256 does not match"
    return None


_SEAL = re.compile(r"# kg document: <([^<>\s]+)> triples=(\d+) sha256=([0-9a-f]{64})")


def validate_files(paths: list[Path]) -> list[Violation]:
    """Violations in every file (each file is checked on its own); KgError if one does not parse."""
    shape_graph = shapes()
    out: list[Violation] = []
    for p in paths:
        files = sorted(x for x in p.rglob("*") if format_of(x, READ)) if p.is_dir() else [p]
        for f in files:
            g = _load(f)
            problem = seal_problem(f.read_bytes())
            if problem is not None:
                out.append(Violation(str(f), "line 1", "", problem, "kg:seal"))
            elif _claims_count(f) not in (None, len(g)):
                out.append(Violation(str(f), "line 1", "", f"the seal says {_claims_count(f)} triples, the file "
                                     f"holds {len(g)}", "kg:seal"))
            out.extend(validate_graph(g, str(f), shape_graph))
    return out


def _claims_count(path: Path) -> int | None:
    with path.open("rb") as fh:
        m = _SEAL.fullmatch(fh.readline().rstrip(b"\n").decode("utf-8", "replace"))
    return int(m[2]) if m else None
