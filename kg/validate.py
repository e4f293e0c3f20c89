"""`kg validate`: check exported files against the SHACL shapes shipped with kg (pyshacl)."""

from __future__ import annotations

from dataclasses import dataclass
from importlib import resources
from pathlib import Path

from rdflib import Dataset, Graph

from .errors import KgError

_FORMATS = {".ttl": "turtle", ".trig": "trig", ".nq": "nquads", ".nt": "nt"}


@dataclass(frozen=True)
class Violation:
    file: str
    focus: str
    path: str
    message: str

    def __str__(self) -> str:
        where = f" {self.path}" if self.path else ""
        return f"{self.file}: {self.focus}{where}: {self.message}"


def shapes() -> Graph:
    return Graph().parse(data=(resources.files("kg") / "data" / "shapes.ttl").read_text("utf-8"), format="turtle")


def _load(path: Path) -> Graph:
    fmt = _FORMATS.get(path.suffix.lower())
    if fmt is None:
        raise KgError(f"{path}: unknown RDF file type (known: {', '.join(_FORMATS)})")
    try:
        if fmt in ("trig", "nquads"):
            ds = Dataset()
            ds.parse(path, format=fmt)
            g = Graph()
            for s, p, o, _ in ds.quads((None, None, None, None)):
                g.add((s, p, o))
            return g
        return Graph().parse(path, format=fmt)
    except OSError as err:
        raise KgError(f"{path}: cannot read ({err.strerror})") from None
    except Exception as err:  # rdflib raises several parser exception types
        raise KgError(f"{path}: does not parse as {fmt} ({err})") from None


def validate_graph(data: Graph, file: str, shape_graph: Graph | None = None) -> list[Violation]:
    from pyshacl import validate
    from rdflib.namespace import SH

    conforms, report, _ = validate(data, shacl_graph=shape_graph or shapes(), inference="none", advanced=True)
    if conforms:
        return []
    out = []
    for result in report.subjects(SH.resultSeverity, None):
        focus = report.value(result, SH.focusNode)
        path = report.value(result, SH.resultPath)
        message = report.value(result, SH.resultMessage)
        out.append(Violation(file, str(focus), str(path or ""), str(message or "violates a shape")))
    return sorted(out, key=lambda v: (v.focus, v.path, v.message))


def validate_files(paths: list[Path]) -> list[Violation]:
    """Violations in every file (each file is checked on its own); KgError if one does not parse."""
    shape_graph = shapes()
    out: list[Violation] = []
    for p in paths:
        files = sorted(x for x in p.rglob("*") if x.suffix in _FORMATS) if p.is_dir() else [p]
        for f in files:
            out.extend(validate_graph(_load(f), str(f), shape_graph))
    return out
