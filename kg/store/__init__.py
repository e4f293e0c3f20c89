"""Loading kg output into a triple store and querying it.

Every document lives in its own named graph (its document IRI). Loading a document replaces
that graph, so loading twice never duplicates and a re-exported article leaves nothing stale.
The embedded store is pyoxigraph, on disk; a remote store is any SPARQL 1.1 server, fed through
the Graph Store HTTP Protocol (with SPARQL Update as the fallback).

`documents` reads kg's output files, `embedded` loads them into the embedded store, `remote`
pushes them to a server, `query` runs SPARQL on the embedded store; their public names are all
here.
"""

from __future__ import annotations

from .documents import (
    KGO_DOCUMENT,
    KGO_SHA256,
    OWL_ONTOLOGY,
    RDF_TYPE,
    DocumentGraph,
    LoadReport,
    check_inputs,
    documents,
    install_ontology,
    ontology_triples,
    output_files,
    read_document,
)
from .embedded import BULK_CHUNK, BULK_STREAMS, ENV_STORE, default_store, load, open_store
from .query import (
    QUERY_ERRORS,
    RESULTS_FORMATS,
    check_parameters,
    format_results,
    named_queries,
    parse_term,
    query_parameters,
    query_text,
    resolve_query,
    run_query,
    uses_service,
)
from .remote import RETRIES, push

__all__ = [
    "BULK_CHUNK", "BULK_STREAMS", "ENV_STORE", "KGO_DOCUMENT", "KGO_SHA256", "OWL_ONTOLOGY", "QUERY_ERRORS",
    "RDF_TYPE", "RESULTS_FORMATS", "RETRIES", "DocumentGraph", "LoadReport", "check_inputs", "check_parameters",
    "default_store", "documents", "format_results", "install_ontology", "load", "named_queries", "ontology_triples",
    "open_store", "output_files", "parse_term", "push", "query_parameters", "query_text", "read_document",
    "resolve_query", "run_query", "uses_service",
]
