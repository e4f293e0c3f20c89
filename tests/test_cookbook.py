"""Issue 24: the README's SPARQL cookbook, on the seed's export, in the embedded store and on an
Oxigraph server; and what a server needs for kg's queries (a union default graph)."""

from __future__ import annotations

import json
import re
import urllib.parse
import urllib.request
from collections.abc import Iterator
from pathlib import Path

import pyoxigraph as ox
import pytest
from typer.testing import CliRunner

from kg.cli import app
from kg.store import named_queries, run_query

from .conftest import ROOT
from .test_store import oxigraph_server

runner = CliRunner()
DATE = "2017-04-12"  # the seed's day: الجمعة الماضي is 7 April 2017, the day of the Shayrat strike
DOC = "http://kg.example/id/doc/000_2fb4171725300b4b"
# rows of each question, the Wikidata way and the SEM way
EXPECTED = [(2, 2), (11, 11), (14, 14), (1, 1), (1, 1), (44, 44), (35, 35), (10, 10), (2, 4)]

Row = tuple[str | None, ...]


def cookbook() -> list[tuple[str, str]]:
    text = (ROOT / "README.md").read_text(encoding="utf-8").split("## SPARQL cookbook", 1)[1].split("\n## ", 1)[0]
    queries = re.findall(r"```sparql\n(.*?)```", text, flags=re.S)
    assert len(queries) % 2 == 0
    return list(zip(queries[::2], queries[1::2], strict=True))


@pytest.fixture(scope="module")
def exported(tmp_path_factory: pytest.TempPathFactory) -> Path:
    tmp = tmp_path_factory.mktemp("cookbook")
    r = runner.invoke(app, ["export", str(ROOT / "seeds"), "-o", str(tmp / "out"), "--date", DATE,
                            "--load", "--store", str(tmp / "store")])
    assert r.exit_code == 0, r.output
    return tmp


def embedded(store: Path, q: str) -> list[Row]:
    res = run_query(store, q)
    assert isinstance(res, ox.QuerySolutions)
    names = [v.value for v in res.variables]
    return sorted(tuple(None if s[n] is None else s[n].value for n in names) for s in res)


def remote(base: str, q: str) -> list[Row]:
    req = urllib.request.Request(f"{base}/query", data=urllib.parse.urlencode({"query": q}).encode(),
                                 headers={"Accept": "application/sparql-results+json",
                                          "Content-Type": "application/x-www-form-urlencoded"})
    with urllib.request.urlopen(req, timeout=30) as resp:
        data = json.load(resp)
    names = data["head"]["vars"]
    return sorted(tuple(b.get(n, {}).get("value") for n in names) for b in data["results"]["bindings"])


def test_the_cookbook_has_eight_to_ten_questions_both_ways() -> None:
    pairs = cookbook()
    assert 8 <= len(pairs) <= 10 and len(pairs) == len(EXPECTED)
    for wikidata, sem in pairs:
        assert "wdt:" in wikidata or "p:P" in wikidata, wikidata
        assert "sem:" in sem, sem


def test_cookbook_rows_in_the_embedded_store(exported: Path) -> None:
    for i, ((wikidata, sem), (n_wd, n_sem)) in enumerate(zip(cookbook(), EXPECTED, strict=True), 1):
        a, b = embedded(exported / "store", wikidata), embedded(exported / "store", sem)
        assert (len(a), len(b)) == (n_wd, n_sem), f"question {i}"
        if n_wd == n_sem:
            assert a == b, f"question {i}: the two ways disagree"
        else:
            assert set(a) < set(b), f"question {i}: the SEM way sees more, and all the Wikidata way sees"


def test_cookbook_answers_what_the_issue_asked(exported: Path) -> None:
    store = exported / "store"
    (first, _), _, _, (count, _), *_ = cookbook()
    on_7_april = embedded(store, first)
    assert {verb for _, verb in on_7_april} == {"ضربات", "استهدفت"}  # the strikes on Shayrat
    ((participations, events),) = embedded(store, count)
    targets = embedded(store, "PREFIX wdt: <http://www.wikidata.org/prop/direct/> SELECT ?e ?t { ?e wdt:P533 ?t }")
    assert int(participations) > len(targets) >= 15 and int(events) > 30  # every target is a participant


@pytest.fixture()
def union_server(tmp_path: Path) -> Iterator[str]:
    with oxigraph_server(tmp_path / "server", "--union-default-graph") as base:
        yield base


def test_cookbook_rows_on_an_oxigraph_server(exported: Path, union_server: str) -> None:
    r = runner.invoke(app, ["load", str(exported / "out"), "--endpoint", f"{union_server}/store"])
    assert r.exit_code == 0, r.output
    for i, (wikidata, sem) in enumerate(cookbook(), 1):
        for q in (wikidata, sem):
            assert remote(union_server, q) == embedded(exported / "store", q), f"question {i}"


@pytest.fixture()
def plain_server(tmp_path: Path) -> Iterator[str]:
    with oxigraph_server(tmp_path / "plain") as base:
        yield base


def test_a_server_without_a_union_default_graph_finds_nothing(exported: Path, plain_server: str) -> None:
    """What the README says a server needs: the same load, a plain Oxigraph server, no rows."""
    server = plain_server
    r = runner.invoke(app, ["load", str(exported / "out"), "--endpoint", f"{server}/store"])
    assert r.exit_code == 0, r.output
    top = named_queries()["top-actors"][1]
    assert embedded(exported / "store", top) and remote(server, top) == []
    graphs = remote(server, "SELECT DISTINCT ?g WHERE { GRAPH ?g { ?s ?p ?o } }")
    assert {g for (g,) in graphs} == {DOC, "http://kg.example/ontology"}  # the ontology is pushed too
    assert "--union-default-graph" in (ROOT / "README.md").read_text(encoding="utf-8")

