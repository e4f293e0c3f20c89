"""A remote store: any SPARQL 1.1 server, fed through the Graph Store HTTP Protocol (with SPARQL
Update as the fallback). Credentials come from the environment and are never shown."""

from __future__ import annotations

import base64
import os
import time
import urllib.error
import urllib.parse
import urllib.request
from collections.abc import Iterable
from pathlib import Path

import pyoxigraph as ox

from ..errors import KgError
from .documents import DocumentGraph, LoadReport, documents, ontology_triples

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
    for doc in [DocumentGraph(name, "kg/data/ontology.ttl", tuple(onto)), *documents(paths, report)]:
        body = _ntriples(doc.triples)
        sep = "&" if "?" in endpoint else "?"
        url = f"{endpoint}{sep}graph={urllib.parse.quote(doc.name, safe='')}"
        status = _send("PUT", url, body, ox.RdfFormat.N_TRIPLES.media_type, timeout)
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
