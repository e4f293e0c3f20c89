"""Issue 4: the graph's shape, both vocabularies, named graphs, validation, three parsers."""

from __future__ import annotations

import re
import shutil
import subprocess
from pathlib import Path

import pyoxigraph
import pytest
from rdflib import Dataset, Graph, Literal, URIRef
from rdflib.namespace import RDF
from typer.testing import CliRunner

from kg.cli import app
from kg.rdf import NIF, SEM
from kg.validate import validate_graph

from .conftest import ROOT

runner = CliRunner()
DOC = "000_2fb4171725300b4b"


@pytest.fixture(scope="module")
def out(tmp_path_factory: pytest.TempPathFactory) -> Path:
    o = tmp_path_factory.mktemp("graph")
    result = runner.invoke(app, ["export", str(ROOT / "seeds"), "-o", str(o), "-f", "ttl", "-f", "trig", "-f", "nq"])
    assert result.exit_code == 0, result.output
    return o


def test_seed_conforms_to_the_shapes(out: Path) -> None:
    result = runner.invoke(app, ["validate", str(out)])
    assert result.exit_code == 0, result.output


def test_a_broken_graph_does_not_conform_and_says_why(out: Path, tmp_path: Path) -> None:
    g = Graph().parse(out / f"{DOC}.ttl")
    event = next(g.subjects(RDF.type, SEM.Event))
    g.remove((event, SEM.eventType, None))
    phrase = next(g.subjects(RDF.type, NIF.Phrase))
    g.set((phrase, NIF.beginIndex, Literal(10**6)))
    violations = validate_graph(g, "broken")
    assert any(v.focus == str(event) and "eventType" in v.path for v in violations)
    assert any(v.focus == str(phrase) and "beginIndex" in v.path for v in violations)
    bad = tmp_path / "broken.ttl"
    g.serialize(bad, format="turtle")
    result = runner.invoke(app, ["validate", str(bad)])
    assert result.exit_code == 1 and "eventType" in result.output


def test_three_parsers_agree(out: Path) -> None:
    data = (out / f"{DOC}.ttl").read_bytes()
    n = len(Graph().parse(data=data, format="turtle"))
    store = pyoxigraph.Store()
    store.load(data, format=pyoxigraph.RdfFormat.TURTLE)
    assert len(store) == n
    rapper = shutil.which("rapper")
    assert rapper, "rapper (Debian raptor2-utils) is needed: .ci/run installs it"
    r = subprocess.run([rapper, "-i", "turtle", "-c", str(out / f"{DOC}.ttl")], capture_output=True, text=True,
                       timeout=120)
    assert r.returncode == 0, r.stderr
    assert re.search(rf"returned {n} triples", r.stderr), r.stderr


def test_one_named_graph_per_document(out: Path) -> None:
    for fmt in ("trig", "nquads"):
        ds = Dataset().parse(out / f"{DOC}.{'trig' if fmt == 'trig' else 'nq'}", format=fmt)
        names = {c.identifier for c in ds.graphs() if len(c)}
        assert names == {URIRef(f"http://kg.example/id/doc/{DOC}")}
    ttl = Graph().parse(out / f"{DOC}.ttl")
    assert len(ds) == len(ttl)


def test_reruns_give_identical_bytes(out: Path, tmp_path: Path) -> None:
    runner.invoke(app, ["export", str(ROOT / "seeds"), "-o", str(tmp_path), "-f", "ttl", "-f", "trig", "-f", "nq"])
    for ext in ("ttl", "trig", "nq"):
        assert (tmp_path / f"{DOC}.{ext}").read_bytes() == (out / f"{DOC}.{ext}").read_bytes()


def test_every_statement_has_a_reference(out: Path) -> None:
    g = Graph().parse(out / f"{DOC}.ttl")
    q = """PREFIX wikibase: <http://wikiba.se/ontology#> PREFIX prov: <http://www.w3.org/ns/prov#>
           PREFIX pr: <http://www.wikidata.org/prop/reference/>
           SELECT (COUNT(?s) AS ?all) (COUNT(?doc) AS ?referenced) WHERE {
             ?s a wikibase:Statement . OPTIONAL { ?s prov:wasDerivedFrom/pr:P248 ?doc } }"""
    ((total, referenced),) = list(g.query(q))  # type: ignore[misc]
    assert int(total) > 50 and int(total) == int(referenced)


def readme_queries() -> list[str]:
    text = (ROOT / "README.md").read_text(encoding="utf-8").split("## SPARQL cookbook")[0]  # tests/test_cookbook.py
    return re.findall(r"```sparql\n(.*?)```", text, flags=re.S)


def test_readme_queries_return_the_events_both_ways(out: Path) -> None:
    queries = readme_queries()
    assert len(queries) >= 2
    g = Graph().parse(out / f"{DOC}.ttl")
    rows = [list(g.query(q)) for q in queries]
    assert all(rows), "every README query returns rows on the seed"
    uses = ["sem:" in q for q in queries], ["wdt:" in q for q in queries]
    assert any(uses[0]) and any(uses[1])
