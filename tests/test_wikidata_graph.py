"""Issue 24: the graph Wikidata and NewsReader users expect. Each test is one defect the issue
found in the seed's export: time, roles, vocabulary, provenance, checks and queries."""

from __future__ import annotations

import json
import re
from pathlib import Path

import pyoxigraph as ox
import pytest
from rdflib import Graph, Literal, Namespace, URIRef
from rdflib.namespace import OWL, RDF, RDFS, SKOS
from typer.testing import CliRunner

from kg.cli import app
from kg.rdf import GAF, NIF, PR, PS, SEM, WDT, WIKIBASE, kgo_terms
from kg.validate import validate_files, validate_graph
from kg.vocab import GENERATED, KGO_TERMS, ONTOLOGY_IRI, action_classes, ontology_text

from .conftest import ROOT

runner = CliRunner()
SEED = "000_2fb4171725300b4b"
KGO = Namespace("http://kg.example/ontology#")
P = Namespace("http://www.wikidata.org/prop/")
PSV = Namespace("http://www.wikidata.org/prop/statement/value/")
PROV = Namespace("http://www.w3.org/ns/prov#")
DCTERMS = Namespace("http://purl.org/dc/terms/")
XSD = Namespace("http://www.w3.org/2001/XMLSchema#")  # rdflib's closed XSD warns when pytest inspects it
ARTICLE = {"id": "feed-1", "text": "وقررت روسيا وقف العمل بالمذكرة الأسبوع الماضي. والتقى لافروف نظيره في دمشق.",
           "date": "2017-04-12", "title": "روسيا تقرر", "url": "https://example.org/news/1"}


def export(tmp: Path, *extra: str) -> Path:
    r = runner.invoke(app, ["export", str(ROOT / "seeds"), "-o", str(tmp), "--date", "2017-04-12", *extra])
    assert r.exit_code == 0, r.output
    return tmp / f"{SEED}.ttl"


@pytest.fixture(scope="module")
def seed(tmp_path_factory: pytest.TempPathFactory) -> Graph:
    return Graph().parse(export(tmp_path_factory.mktemp("seed")))


@pytest.fixture(scope="module")
def feed(tmp_path_factory: pytest.TempPathFactory) -> Graph:
    tmp = tmp_path_factory.mktemp("feed")
    (tmp / "in.jsonl").write_text(json.dumps(ARTICLE, ensure_ascii=False) + "\n", encoding="utf-8")
    r = runner.invoke(app, ["export", str(tmp / "in.jsonl"), "-o", str(tmp / "out")])
    assert r.exit_code == 0, r.output
    return Graph().parse(tmp / "out" / "feed-1.ttl")


# --- time ---------------------------------------------------------------------------------


def test_the_seed_conforms(seed: Graph) -> None:
    assert validate_graph(seed, "seed") == []


def test_a_wdqs_datetime_range_finds_the_events_of_7_april(seed: Graph) -> None:
    q = """PREFIX wdt: <http://www.wikidata.org/prop/direct/> PREFIX xsd: <http://www.w3.org/2001/XMLSchema#>
           SELECT ?e WHERE { ?e wdt:P585 ?t FILTER(?t >= "2017-04-07T00:00:00Z"^^xsd:dateTime
                                                 && ?t < "2017-04-08T00:00:00Z"^^xsd:dateTime) }"""
    assert len(list(seed.query(q))) == 2
    assert {o.datatype for o in seed.objects(None, WDT.P585)} == {XSD.dateTime}


def test_a_point_in_time_is_a_full_statement_with_precision_and_reference(seed: Graph) -> None:
    statements = list(seed.objects(None, P.P585))
    assert len(statements) == len(set(seed.subjects(WDT.P585, None))) > 5
    for st in statements:
        value = seed.value(st, PSV.P585)
        assert seed.value(value, WIKIBASE.timeValue) == seed.value(st, PS.P585)
        assert seed.value(value, WIKIBASE.timePrecision) == Literal(11)
        assert seed.value(seed.value(st, PROV.wasDerivedFrom), PR.P248) == URIRef(f"http://kg.example/id/doc/{SEED}")


def test_last_week_is_a_pair_of_dates_not_a_string(seed: Graph) -> None:
    assert not [o for o in seed.objects() if isinstance(o, Literal) and "W14" in str(o)]
    begins = set(seed.objects(None, SEM.hasEarliestBeginTimeStamp))
    ends = set(seed.objects(None, SEM.hasLatestEndTimeStamp))
    assert begins == {Literal("2017-04-03", datatype=XSD.date)} and ends == {Literal("2017-04-09", datatype=XSD.date)}
    assert {o.datatype for o in seed.objects(None, SEM.hasTimeStamp)} == {XSD.date}


def test_document_metadata_is_typed(feed: Graph) -> None:
    doc = next(feed.subjects(RDF.type, KGO.Document))
    assert feed.value(doc, DCTERMS.date) == Literal("2017-04-12", datatype=XSD.date)
    assert feed.value(doc, DCTERMS.title) == Literal("روسيا تقرر", lang="ar")
    assert feed.value(doc, DCTERMS.source) == URIRef("https://example.org/news/1")
    assert validate_graph(feed, "feed") == []


# --- roles --------------------------------------------------------------------------------


def test_targets_are_sem_actors_and_wikidata_targets(seed: Graph) -> None:
    targets = set(seed.subject_objects(KGO.hasTarget))
    assert len(targets) >= 15
    assert targets <= set(seed.subject_objects(SEM.hasActor))
    assert targets == set(seed.subject_objects(WDT.P533))
    assert not targets & set(seed.subject_objects(WDT.P710))  # P710 is the actors only
    for st in seed.objects(None, P.P710):
        assert seed.value(st, URIRef("http://www.wikidata.org/prop/qualifier/P3831")) == KGO.ActorRole


def test_sem_role_nodes_give_each_participant_its_role(seed: Graph) -> None:
    roles = {(seed.value(r, RDF.value), seed.value(r, SEM.roleType)) for r in seed.subjects(RDF.type, SEM.Role)}
    assert {t for _, t in roles} == {KGO.ActorRole, KGO.TargetRole}
    for ev, target in seed.subject_objects(KGO.hasTarget):
        assert any(seed.value(r, RDF.value) == target and seed.value(r, SEM.roleType) == KGO.TargetRole
                   for r in seed.objects(ev, KGO.hasRole))


def test_every_statement_is_ranked_and_best(seed: Graph) -> None:
    statements = set(seed.subjects(RDF.type, WIKIBASE.Statement))
    assert len(statements) > 100
    assert statements == set(seed.subjects(RDF.type, WIKIBASE.BestRank))
    assert statements == set(seed.subjects(WIKIBASE.rank, WIKIBASE.NormalRank))


# --- one vocabulary -----------------------------------------------------------------------


def ontology() -> Graph:
    return Graph().parse(data=ontology_text(), format="turtle")


def test_the_ontology_declares_every_kgo_term_the_output_uses(seed: Graph, feed: Graph) -> None:
    onto = ontology()
    declared = {s for s in onto.subjects() if str(s).startswith(str(KGO))}
    used = {t for g in (seed, feed) for triple in g for t in triple
            if isinstance(t, URIRef) and str(t).startswith(str(KGO)) and "#verb/" not in str(t)}
    assert used and used <= declared, sorted(used - declared)
    entity_classes = {o for o in seed.objects(None, RDF.type) if str(o).startswith(str(KGO)) and "#verb/" not in o}
    assert {KGO.Place, KGO.Group, KGO.Name} <= entity_classes <= declared
    for term in declared - {URIRef(ONTOLOGY_IRI)}:
        labels = [(lbl.language) for lbl in onto.objects(term, SKOS.prefLabel)]
        assert sorted(labels) == ["ar", "en"], term


def test_action_classes_are_events_and_documents_do_not_label_them(seed: Graph) -> None:
    onto = ontology()
    classes = set(seed.objects(None, SEM.eventType))
    lexicon = {c for c in classes if "#verb/" not in str(c)}
    assert lexicon and all((c, RDFS.subClassOf, SEM.Event) in onto for c in lexicon)
    assert not any((c, p, None) in seed for c in lexicon for p in (RDFS.label, SKOS.prefLabel, SKOS.altLabel))
    say = list(onto.objects(KGO.Say, SKOS.prefLabel))
    assert sorted(str(x) for x in say) == ["say", "قال"] and len(list(onto.objects(KGO.Say, SKOS.altLabel))) >= 4
    for c in classes - lexicon:  # a generic verb: declared in the document, a sub-class of sem:Event
        assert (c, RDFS.subClassOf, SEM.Event) in seed and (c, RDF.type, OWL.Class) in seed


def test_the_generated_ontology_section_is_up_to_date(rules) -> None:  # type: ignore[no-untyped-def]
    section = action_classes([(a.iri, a.label_ar, a.label_en) for a in rules.actions], rules.prefixes["kgo"])
    assert ontology_text().endswith(section), "run python scripts/make_ontology.py"
    assert ontology_text().count(GENERATED) == 1


def test_the_kgo_namespace_is_closed() -> None:
    onto = ontology()
    hand_written = {str(s)[len(str(KGO)):] for s in onto.subjects() if str(s).startswith(str(KGO))
                    and (s, RDFS.subClassOf, SEM.Event) not in onto}
    assert hand_written == set(KGO_TERMS)
    kgo = kgo_terms(str(KGO))
    assert kgo.hasTarget == f"<{KGO}hasTarget>"
    with pytest.raises(AttributeError, match="not a term of kg's vocabulary"):
        _ = kgo.hasTraget


def test_kg_load_installs_the_ontology_once_and_replaces_it_on_upgrade(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    from kg import store as store_module

    ttl = export(tmp_path / "out")
    store = tmp_path / "s"
    assert runner.invoke(app, ["load", str(ttl.parent), "--store", str(store)]).exit_code == 0
    ask = ("PREFIX skos: <http://www.w3.org/2004/02/skos/core#> ASK { GRAPH <http://kg.example/ontology> "
           "{ <http://kg.example/ontology#TargetRole> skos:prefLabel \"%s\"@en } }")
    out = runner.invoke(app, ["query", ask % "target", "--store", str(store)]).output
    assert out.strip() == "true"
    st = ox.Store(str(store))
    assert not store_module.install_ontology(st)  # already there: not written again
    monkeypatch.setattr("kg.vocab.ontology_text", lambda: ontology_text().replace('"target"@en', '"aim"@en'))
    assert store_module.install_ontology(st)  # a new ontology replaces the old one, nothing left of it
    old = ox.Literal("target", language="en")
    assert not list(st.quads_for_pattern(None, None, old, ox.NamedNode(ONTOLOGY_IRI)))
    del st
    # and the ontology file loads on its own, into its graph
    r = runner.invoke(app, ["load", str(ROOT / "kg" / "data" / "ontology.ttl"), "--store", str(tmp_path / "o")])
    assert r.exit_code == 0 and "0 failed" in r.output, r.output


# --- provenance ---------------------------------------------------------------------------


def test_gaf_denoted_by_from_events_entities_and_times(seed: Graph) -> None:
    for cls in (SEM.Event, SEM.Time):
        for node in seed.subjects(RDF.type, cls):
            assert (seed.value(node, GAF.denotedBy), RDF.type, NIF.Phrase) in seed, node
    for entity in set(seed.objects(None, URIRef("http://www.w3.org/2005/11/its/rdf#taIdentRef"))):
        assert seed.value(entity, GAF.denotedBy) is not None, entity


def test_each_statement_points_to_its_mention_and_quotes_it(seed: Graph) -> None:
    for st in seed.subjects(RDF.type, WIKIBASE.Statement):
        ref = seed.value(st, PROV.wasDerivedFrom)
        mention = seed.value(ref, KGO.mention)
        assert seed.value(ref, PR.P1683) == Literal(str(seed.value(mention, NIF.anchorOf)), lang="ar"), st


def test_the_context_has_its_text_and_no_text_leaves_it_out(seed: Graph, tmp_path: Path) -> None:
    doc = URIRef(f"http://kg.example/id/doc/{SEED}")
    text = (ROOT / "seeds" / f"{SEED}.txt").read_text(encoding="utf-8").rstrip("\n")
    assert str(seed.value(doc, NIF.isString)).startswith(text[:200])
    bare = export(tmp_path / "bare", "--no-text")
    g = Graph().parse(bare)
    assert not list(g.triples((None, NIF.anchorOf, None))) and not list(g.triples((None, NIF.isString, None)))
    assert not list(g.triples((None, PR.P1683, None)))
    assert text[100:140] not in bare.read_text(encoding="utf-8")
    assert len(list(g.triples((None, NIF.endIndex, None)))) == len(list(seed.triples((None, NIF.endIndex, None))))
    assert validate_files([bare]) == []
    phrase = next(g.subjects(RDF.type, NIF.Phrase))  # offsets still validate without the text
    g.set((phrase, NIF.endIndex, Literal(10**6, datatype=XSD.nonNegativeInteger)))
    assert any("beyond the end" in v.message for v in validate_graph(g, "bare"))


# --- checks -------------------------------------------------------------------------------


def _broken(seed: Graph, edit: str) -> list[str]:
    g = Graph()
    for t in seed:
        g.add(t)
    event = sorted(g.subjects(RDF.type, SEM.Event))[0]
    phrase = g.value(event, KGO.actionMention)
    st = sorted(g.subjects(RDF.type, WIKIBASE.Statement))[0]
    if edit == "string participant":
        g.add((event, WDT.P710, Literal("Russia")))
    elif edit == "string time":
        g.add((event, WDT.P585, Literal("last friday")))
    elif edit == "no ps":
        for p, o in list(g.predicate_objects(st)):
            if str(p).startswith(str(PS)):
                g.remove((st, p, o))
    elif edit == "beyond the document":
        g.set((phrase, NIF.endIndex, Literal(10**6, datatype=XSD.nonNegativeInteger)))
    elif edit == "off its fragment":
        begin = int(g.value(phrase, NIF.beginIndex))
        g.set((phrase, NIF.beginIndex, Literal(begin - 1, datatype=XSD.nonNegativeInteger)))
    elif edit == "unlabelled entity":
        ent = next(iter(g.objects(event, SEM.hasActor)))
        g.remove((ent, RDFS.label, None))
    elif edit == "no reference":
        g.remove((st, PROV.wasDerivedFrom, None))
    node = {"no ps": st, "no reference": st, "beyond the document": phrase, "off its fragment": phrase}.get(edit, event)
    lines = [str(v) for v in validate_graph(g, "broken")]
    named = {line.split(" ")[1].rstrip(":") for line in lines}  # each line names the node at fault
    assert str(node) in named or edit == "unlabelled entity", lines
    return lines


@pytest.mark.parametrize("edit, rule", [
    ("string participant", "kgs:Event/NodeKind"), ("string time", "kgs:Event/Datatype"),
    ("no ps", "kgs:Document/SPARQL"),
    ("beyond the document", "kgs:Document/SPARQL"), ("off its fragment", "kgs:Document/SPARQL"),
    ("unlabelled entity", "kgs:Entity/MinCount"), ("no reference", "kgs:Statement/MinCount"),
])
def test_the_shapes_catch_what_matters(seed: Graph, edit: str, rule: str) -> None:
    lines = _broken(seed, edit)
    assert lines and all("\n" not in line for line in lines)
    assert any(line.endswith(f"[{rule}]") for line in lines), lines


def test_a_broken_seal_line_is_a_violation(tmp_path: Path) -> None:
    ttl = export(tmp_path / "out")
    assert validate_files([ttl]) == []
    data = ttl.read_bytes()
    first, _, rest = data.partition(b"\n")
    for bad in (first[:-10] + b"\n" + rest, first + b"\n" + rest.replace(b"\xd8\xb1\xd9\x88", b"\xd8\xb1\xd8\xa7", 1),
                re.sub(rb"triples=\d+", b"triples=1", first) + b"\n" + rest):
        ttl.write_bytes(bad)
        r = runner.invoke(app, ["validate", str(ttl)])
        assert r.exit_code == 1 and "[kg:seal]" in r.output, r.output


# --- queries ------------------------------------------------------------------------------


@pytest.fixture(scope="module")
def store(tmp_path_factory: pytest.TempPathFactory) -> Path:
    tmp = tmp_path_factory.mktemp("q")
    export(tmp / "out")
    assert runner.invoke(app, ["load", str(tmp / "out"), "--store", str(tmp / "s")]).exit_code == 0
    return tmp / "s"


def test_service_is_refused_unless_allowed(store: Path) -> None:
    from .test_store import _free_port

    q = f"SELECT * WHERE {{ SERVICE <http://127.0.0.1:{_free_port()}/sparql> {{ ?s ?p ?o }} }}"
    r = runner.invoke(app, ["query", q, "--store", str(store)])
    assert r.exit_code == 2 and r.output.count("\n") == 1 and "--allow-service" in r.output, r.output
    r = runner.invoke(app, ["query", q, "--store", str(store), "--allow-service"])  # nothing listens there
    assert r.exit_code == 2 and r.output.count("\n") == 1 and r.output.startswith("kg: query:"), r.output
    assert r.exception is None or isinstance(r.exception, SystemExit)
    # the word in a string, an IRI or a comment is not the keyword
    ok = 'SELECT ?x WHERE { BIND("SERVICE" AS ?x) } # SERVICE <http://x/>'
    assert runner.invoke(app, ["query", ok, "--store", str(store)]).exit_code == 0


@pytest.mark.parametrize("q", ["SELECT WHERE", "SELECT * WHERE { ?s ?p }", "SELECT (1/0 AS ?x) ?y WHERE { ?y ?y ?y"])
def test_any_query_error_is_one_line_and_exit_2(store: Path, q: str) -> None:
    r = runner.invoke(app, ["query", q, "--store", str(store)])
    assert r.exit_code == 2 and r.output.count("\n") == 1 and r.output.startswith("kg: query:"), r.output
