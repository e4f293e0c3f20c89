"""Mapped records -> an rdflib Graph (SEM events, NIF mentions), and Turtle.

No blank nodes: every node has an IRI minted from the document id, offsets or names.
"""

from __future__ import annotations

from rdflib import RDF, RDFS, XSD, Graph, Literal, Namespace, URIRef
from rdflib.namespace import DCTERMS, OWL

from .mapping import DocRecord, MentionRecord
from .rules import Rules

SEM = Namespace("http://semanticweb.cs.vu.nl/2009/11/sem/")
NIF = Namespace("http://persistence.uni-leipzig.org/nlp2rdf/ontologies/nif-core#")
ITSRDF = Namespace("http://www.w3.org/2005/11/its/rdf#")
WD = Namespace("http://www.wikidata.org/entity/")


def _clean(text: str) -> str:
    """Text safe for any RDF syntax: lone surrogates (from bad input) become U+FFFD."""
    return text.encode("utf-8", "replace").decode("utf-8") if not text.isascii() else text


def _mention(g: Graph, kgo: Namespace, doc: URIRef, m: MentionRecord, with_entity: bool = True) -> URIRef:
    node = URIRef(m.iri)
    g.add((node, RDF.type, NIF.Phrase))
    g.add((node, NIF.beginIndex, Literal(m.start, datatype=XSD.nonNegativeInteger)))
    g.add((node, NIF.endIndex, Literal(m.end, datatype=XSD.nonNegativeInteger)))
    g.add((node, NIF.anchorOf, Literal(_clean(m.text))))
    g.add((node, NIF.referenceContext, doc))
    if m.rule:
        g.add((node, kgo.rule, Literal(_clean(m.rule))))
    if with_entity:
        g.add((node, ITSRDF.taIdentRef, _entity(g, kgo, m)))
    return node


def _entity(g: Graph, kgo: Namespace, m: MentionRecord) -> URIRef:
    ent = URIRef(m.entity)
    g.add((ent, RDF.type, URIRef(m.entity_type)))
    g.add((ent, RDFS.label, Literal(_clean(m.entity_label), lang="ar")))
    if m.entity_label_en:
        g.add((ent, RDFS.label, Literal(m.entity_label_en, lang="en")))
    if m.nationality:
        g.add((ent, kgo.nationality, URIRef(m.nationality)))
    return ent


def build_graph(d: DocRecord, rules: Rules) -> Graph:
    kgo = Namespace(rules.prefixes["kgo"])
    g = Graph()
    for prefix, ns in (
        ("sem", SEM), ("nif", NIF), ("itsrdf", ITSRDF), ("wd", WD), ("kgo", kgo), ("dcterms", DCTERMS),
    ):
        g.bind(prefix, ns)
    g.bind("kg", Namespace(rules.base))
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
    for m in d.mentions:
        _mention(g, kgo, doc, m)
    for e in d.events:
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
        g.add((ev, kgo.actionMention, _mention(g, kgo, doc, e.action, with_entity=False)))
        g.add((ev, kgo.sentence, Literal(e.sentence, datatype=XSD.nonNegativeInteger)))
        g.add((ev, kgo.negated, Literal(e.negated)))
        g.add((ev, kgo.rule, Literal(_clean(e.rule))))
        g.add((ev, kgo.confidence, Literal(f"{e.confidence:.2f}", datatype=XSD.decimal)))
        for role, prop, mprop in (
            (e.actors, SEM.hasActor, kgo.actorMention),
            (e.targets, kgo.hasTarget, kgo.targetMention),
            (e.locations, SEM.hasPlace, kgo.placeMention),
        ):
            for m in role:
                g.add((ev, prop, _entity(g, kgo, m)))
                g.add((ev, mprop, URIRef(m.iri)))
    return g


def to_turtle(g: Graph) -> str:
    return g.serialize(format="turtle")
