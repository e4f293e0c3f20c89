"""The RDF formats kg writes, named by their file extensions (what `kg export --format` takes):
pyoxigraph's own format table, narrowed to these three. kg's writer (`kg.rdf`) and its loader
(`kg.store`) both read it here, so neither keeps a table of its own (and the store need not
import rdflib)."""

from __future__ import annotations

import os
from pathlib import Path

import pyoxigraph as ox

# in the order a document exported in several formats is loaded: Turtle first
WRITTEN = (ox.RdfFormat.TURTLE, ox.RdfFormat.TRIG, ox.RdfFormat.N_QUADS)
FORMATS = {f.file_extension: f for f in WRITTEN}  # ttl, trig, nq
READ = (*WRITTEN, ox.RdfFormat.N_TRIPLES)  # what `kg validate` reads: kg's files, and other tools' N-Triples


def format_of(path: Path | str, among: tuple[ox.RdfFormat, ...] = WRITTEN) -> ox.RdfFormat | None:
    """The format of `among` this file name's extension names (pyoxigraph's table, by each
    format's own extension only, as kg writes it: `.TTL` or `.turtle` is not kg output); None:
    not one of them."""
    suffix = os.path.splitext(path)[1][1:]  # not Path: a folder's walk asks this of every file
    fmt = ox.RdfFormat.from_extension(suffix) if suffix else None
    return fmt if fmt in among and fmt.file_extension == suffix else None


def suffixes(among: tuple[ox.RdfFormat, ...] = WRITTEN) -> str:
    """Their extensions, for a message: `.ttl, .trig, .nq`."""
    return ", ".join(f".{f.file_extension}" for f in among)
