"""Querying the embedded store: shipped queries and their parameters, running SPARQL on the
store, and its results as text."""

from __future__ import annotations

import re
from pathlib import Path

import pyoxigraph as ox

from ..errors import KgError
from ..normalize import normalize
from .embedded import open_store


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


RESULTS_FORMATS = ("table", "csv", "tsv", "json")  # what `kg query --format` takes


def format_results(results: object, fmt: str) -> str:
    """SPARQL results as a plain table, or CSV / TSV / JSON (the SPARQL results formats)."""
    if isinstance(results, ox.QueryBoolean):
        return "true\n" if bool(results) else "false\n"
    if not isinstance(results, ox.QuerySolutions):
        triples = list(results)  # type: ignore[call-overload]
        return (ox.serialize(triples, format=ox.RdfFormat.N_TRIPLES) or b"").decode("utf-8")
    if fmt in RESULTS_FORMATS[1:]:  # pyoxigraph's own table: named by their file extensions
        kind = ox.QueryResultsFormat.from_extension(fmt)
        assert kind is not None, fmt
        return (results.serialize(format=kind) or b"").decode("utf-8")
    names = [v.value for v in results.variables]
    rows = [[("" if s[n] is None else str(s[n].value)) for n in names] for s in results]
    widths = [max([len(n), *(len(r[i]) for r in rows)]) for i, n in enumerate(names)]
    line = "  ".join(n.ljust(w) for n, w in zip(names, widths, strict=True))
    body = ["  ".join(c.ljust(w) for c, w in zip(r, widths, strict=True)) for r in rows]
    count = f"({len(rows)} row{'' if len(rows) == 1 else 's'})"
    return "\n".join([line, "  ".join("-" * w for w in widths), *body, count]) + "\n"
