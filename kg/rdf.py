"""Mapped records -> an rdflib Graph, and Turtle, TriG or N-Quads.

Each event is said twice, for the two ways users query: as SEM (`sem:Event`, `sem:hasActor`,
`sem:hasPlace`, kg's `kgo:hasTarget`) and the Wikidata way (direct `wdt:` triples plus full
`p:`/`ps:`/`pq:` statement nodes with a `prov:wasDerivedFrom` reference). Mentions are NIF
phrases. No blank nodes: every node has an IRI minted from the document id, offsets or names.
"""

from __future__ import annotations

import hashlib
import re

import pyoxigraph as ox
from rdflib import RDF, RDFS, XSD, Graph, Literal, Namespace, URIRef
from rdflib.namespace import DCTERMS, OWL, PROV

from .mapping import DocRecord, EventRecord, MentionRecord, TimeRecord
from .normalize import normalize
from .rules import Rules

SEM = Namespace("http://semanticweb.cs.vu.nl/2009/11/sem/")
NIF = Namespace("http://persistence.uni-leipzig.org/nlp2rdf/ontologies/nif-core#")
ITSRDF = Namespace("http://www.w3.org/2005/11/its/rdf#")
WD = Namespace("http://www.wikidata.org/entity/")
WDT = Namespace("http://www.wikidata.org/prop/direct/")
P = Namespace("http://www.wikidata.org/prop/")
PS = Namespace("http://www.wikidata.org/prop/statement/")
PQ = Namespace("http://www.wikidata.org/prop/qualifier/")
PR = Namespace("http://www.wikidata.org/prop/reference/")
WIKIBASE = Namespace("http://wikiba.se/ontology#")

PARTICIPANT, LOCATION, INSTANCE_OF, POINT_IN_TIME = "P710", "P276", "P31", "P585"
OBJECT_HAS_ROLE, STATED_IN, REFERENCE_URL = "P3831", "P248", "P854"
FORMATS = {"ttl": "turtle", "trig": "trig", "nq": "nquads"}
DOCUMENT_HEADER = "# kg document: "
_SAFE_URL = re.compile(r"^https?://[^\s<>\"{}|\\^`]+$")


class Triples:
    """What the exporter builds: a set of triples, cheap to add to (rdflib's Graph indexes every
    add, which made graph building a tenth of an article's time). `graph()` gives rdflib users
    their Graph; the files are written by pyoxigraph."""

    def __init__(self, prefixes: dict[str, str]) -> None:
        self.prefixes = prefixes
        self.items: set[tuple[URIRef, URIRef, URIRef | Literal]] = set()

    def add(self, t: tuple[URIRef, URIRef, URIRef | Literal]) -> None:
        self.items.add(t)

    def __len__(self) -> int:
        return len(self.items)

    def sorted(self) -> list[ox.Triple]:
        nodes: dict[str, ox.NamedNode] = {}

        def node(u: URIRef) -> ox.NamedNode:
            n = nodes.get(u)
            if n is None:
                n = nodes[u] = ox.NamedNode(str(u))
            return n

        def term(o: URIRef | Literal) -> ox.NamedNode | ox.Literal:
            if isinstance(o, URIRef):
                return node(o)
            if o.language:
                return ox.Literal(str(o), language=o.language)
            return ox.Literal(str(o), datatype=node(o.datatype) if o.datatype else None)

        out = [ox.Triple(node(s), node(p), term(o)) for s, p, o in self.items]
        out.sort(key=str)  # N-Triples order: the same bytes on every run
        return out

    def graph(self) -> Graph:
        g = Graph()
        for prefix, ns in self.prefixes.items():
            g.bind(prefix, Namespace(ns))
        for t in self.items:
            g.add(t)
        return g


def _clean(text: str) -> str:
    """Text safe for any RDF syntax: lone surrogates (from bad input) become U+FFFD."""
    return text.encode("utf-8", "replace").decode("utf-8") if not text.isascii() else text


def _entity(g: Triples, kgo: Namespace, m: MentionRecord) -> URIRef:
    ent = URIRef(m.entity)
    g.add((ent, RDF.type, URIRef(m.entity_type)))
    g.add((ent, RDFS.label, Literal(_clean(m.entity_label), lang="ar")))
    # the normalised name: what `kg query -p actor=ادلب` matches, whatever the spelling
    g.add((ent, kgo.key, Literal(_clean(normalize(m.entity_label)))))
    if m.entity_label_en:
        g.add((ent, RDFS.label, Literal(m.entity_label_en, lang="en")))
    if m.nationality:
        g.add((ent, kgo.nationality, URIRef(m.nationality)))
    return ent


def _span(g: Triples, kgo: Namespace, doc: URIRef, m: MentionRecord, kind: URIRef) -> URIRef:
    node = URIRef(m.iri)
    g.add((node, RDF.type, kind))
    g.add((node, NIF.beginIndex, Literal(m.start, datatype=XSD.nonNegativeInteger)))
    g.add((node, NIF.endIndex, Literal(m.end, datatype=XSD.nonNegativeInteger)))
    g.add((node, NIF.anchorOf, Literal(_clean(m.text))))
    g.add((node, NIF.referenceContext, doc))
    return node


def _mention(g: Triples, kgo: Namespace, doc: URIRef, m: MentionRecord) -> URIRef:
    node = _span(g, kgo, doc, m, NIF.Phrase)
    g.add((node, ITSRDF.taIdentRef, _entity(g, kgo, m)))
    g.add((node, kgo.rule, Literal(_clean(m.rule))))
    g.add((node, kgo.confidence, Literal(f"{m.confidence:.2f}", datatype=XSD.decimal)))
    return node


def _statement(g: Triples, ev: URIRef, prop: str, value: URIRef, ref: URIRef, role: URIRef | None = None) -> None:
    """ev wdt:P value, and the same as a statement node with its reference (and role qualifier)."""
    g.add((ev, WDT[prop], value))
    key = hashlib.sha256(f"{prop}\x1f{value}\x1f{role or ''}".encode()).hexdigest()[:12]
    st = URIRef(f"{ev}/statement/{prop}-{key}")
    g.add((ev, P[prop], st))
    g.add((st, RDF.type, WIKIBASE.Statement))
    g.add((st, PS[prop], value))
    if role is not None:
        g.add((st, PQ[OBJECT_HAS_ROLE], role))
    g.add((st, PROV.wasDerivedFrom, ref))


_TIME_TYPES = {4: XSD.gYear, 7: XSD.gYearMonth, 10: XSD.date}


def _time(g: Triples, kgo: Namespace, doc: URIRef, ref: URIRef, ev: URIRef, t: TimeRecord) -> None:
    """sem:hasTime a time node; its value as sem:hasTimeStamp and, for days, wdt:P585."""
    node = URIRef(t.iri)
    g.add((ev, SEM.hasTime, node))
    g.add((node, RDF.type, SEM.Time))
    g.add((node, RDFS.label, Literal(_clean(t.span.text), lang="ar")))
    g.add((node, kgo.timeMention, _span(g, kgo, doc, t.span, NIF.Phrase)))
    if t.value:
        kind = _TIME_TYPES.get(len(t.value)) if "W" not in t.value else None
        stamp = Literal(t.value, datatype=kind) if kind else Literal(t.value)
        g.add((node, SEM.hasTimeStamp, stamp))
        if kind == XSD.date:
            g.add((ev, WDT[POINT_IN_TIME], stamp))


def _event(
    g: Triples, kgo: Namespace, doc: URIRef, ref: URIRef, e: EventRecord, named: dict[str, MentionRecord]
) -> None:
    ev = URIRef(e.iri)
    cls = URIRef(e.action_class)
    g.add((ev, RDF.type, SEM.Event))
    g.add((ev, RDF.type, cls))
    g.add((ev, SEM.eventType, cls))
    g.add((cls, RDF.type, SEM.EventType))
    g.add((cls, RDF.type, OWL.Class))
    g.add((cls, RDFS.label, Literal(e.action_label_ar, lang="ar")))
    if e.action_label_en:
        g.add((cls, RDFS.label, Literal(e.action_label_en, lang="en")))
    if e.cameo:
        g.add((cls, kgo.cameo, Literal(e.cameo)))
    g.add((ev, RDFS.label, Literal(_clean(e.action.text), lang="ar")))
    g.add((ev, kgo.sourceDocument, doc))
    g.add((ev, kgo.actionMention, _span(g, kgo, doc, e.action, NIF.Phrase)))
    g.add((ev, kgo.sentenceMention, _span(g, kgo, doc, e.sentence_span, NIF.Sentence)))
    g.add((ev, kgo.sentence, Literal(e.sentence, datatype=XSD.nonNegativeInteger)))
    g.add((ev, kgo.negated, Literal(e.negated)))
    g.add((ev, kgo.modality, kgo[e.modality.capitalize()]))
    if e.nominal:
        g.add((ev, kgo.nominal, Literal(True)))
    if e.time is not None:
        _time(g, kgo, doc, ref, ev, e.time)
    g.add((ev, kgo.rule, Literal(_clean(e.rule))))
    g.add((ev, kgo.confidence, Literal(f"{e.confidence:.2f}", datatype=XSD.decimal)))
    _statement(g, ev, INSTANCE_OF, cls, ref)
    for role, prop, mprop, wd_prop, role_node in (
        (e.actors, SEM.hasActor, kgo.actorMention, PARTICIPANT, kgo.ActorRole),
        (e.targets, kgo.hasTarget, kgo.targetMention, PARTICIPANT, kgo.TargetRole),
        (e.locations, SEM.hasPlace, kgo.placeMention, LOCATION, None),
    ):
        for m in role:
            ent = _entity(g, kgo, m)
            g.add((ev, prop, ent))
            g.add((ev, mprop, URIRef(m.iri)))
            own = named.get(m.iri)
            if own is not None and own.entity != m.entity:
                g.add((URIRef(m.iri), kgo.standsFor, ent))  # موسكو names Moscow, stands for Russia
            _statement(g, ev, wd_prop, ent, ref, role_node)


def build_graph(d: DocRecord, rules: Rules) -> Graph:
    """The document's statements as an rdflib Graph (for library users)."""
    return build_triples(d, rules).graph()


def build_triples(d: DocRecord, rules: Rules) -> Triples:
    kgo = Namespace(rules.prefixes["kgo"])
    prefixes = {
        "sem": SEM, "nif": NIF, "itsrdf": ITSRDF, "wd": WD, "wdt": WDT, "p": P, "ps": PS, "pq": PQ, "pr": PR,
        "prov": PROV, "wikibase": WIKIBASE, "kgo": kgo, "dcterms": DCTERMS,
        "rdf": str(RDF), "rdfs": str(RDFS), "xsd": str(XSD), "owl": str(OWL),
    }
    g = Triples({k: str(v) for k, v in prefixes.items()})
    doc = URIRef(d.iri)
    a = d.article
    g.add((doc, RDF.type, kgo.Document))
    g.add((doc, RDF.type, NIF.Context))
    g.add((doc, DCTERMS.identifier, Literal(_clean(a.doc_id))))
    g.add((doc, kgo.sha256, Literal(d.sha256)))
    g.add((doc, kgo.length, Literal(len(a.text), datatype=XSD.nonNegativeInteger)))
    if a.title:
        g.add((doc, DCTERMS.title, Literal(_clean(a.title))))
    if a.url:
        g.add((doc, DCTERMS.source, Literal(_clean(a.url), datatype=XSD.anyURI)))
    if a.date:
        g.add((doc, DCTERMS.date, Literal(_clean(a.date))))
    # One reference node per document: every statement was stated in this article.
    ref = URIRef(f"{d.iri}/reference")
    g.add((ref, RDF.type, WIKIBASE.Reference))
    g.add((ref, PR[STATED_IN], doc))
    if a.url and _SAFE_URL.match(a.url):
        g.add((ref, PR[REFERENCE_URL], URIRef(a.url)))
    for m in d.mentions:
        _mention(g, kgo, doc, m)
    named = {m.iri: m for m in d.mentions}
    for e in d.events:
        _event(g, kgo, doc, ref, e, named)
    return g


def serialize(ts: Triples, graph_name: str, fmt: str) -> str:
    """Turtle (the triples), or TriG / N-Quads with the document's own named graph; sorted."""
    triples = ts.sorted()
    # The first line names the document's graph, so `kg load` can replace it without a parse in
    # Python first (a comment in all three syntaxes).
    header = f"{DOCUMENT_HEADER}<{graph_name}>\n"
    if fmt == "ttl":
        data = ox.serialize(triples, format=ox.RdfFormat.TURTLE, prefixes=ts.prefixes)
        return header + (data or b"").decode("utf-8")
    name = ox.NamedNode(graph_name)
    quads = [ox.Quad(t.subject, t.predicate, t.object, name) for t in triples]
    kind = ox.RdfFormat.TRIG if fmt == "trig" else ox.RdfFormat.N_QUADS
    data = ox.serialize(quads, format=kind, prefixes=ts.prefixes if fmt == "trig" else None)
    return header + (data or b"").decode("utf-8")


