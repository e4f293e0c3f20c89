"""Mapped records -> an rdflib Graph, and Turtle, TriG or N-Quads.

Each event is said twice, for the two ways users query: as SEM (`sem:Event`, `sem:hasActor` for
every participant, `sem:Role` nodes with their `sem:roleType`, `sem:hasPlace`, `sem:hasTime`) and
the Wikidata way (direct `wdt:` triples plus ranked `p:`/`ps:`/`psv:`/`pq:` statement nodes, each
with a reference to the mention it was read from). Mentions are NIF phrases, and events, entities
and times point to them with `gaf:denotedBy`. No blank nodes: every node has an IRI minted from
the document id, offsets or names.
"""

from __future__ import annotations

import datetime
import hashlib
import re
from collections.abc import Iterator
from dataclasses import dataclass, field
from functools import lru_cache

import pyoxigraph as ox
from rdflib import RDF, RDFS, XSD, Graph, Literal, Namespace, URIRef
from rdflib.namespace import DCTERMS, OWL, PROV, SKOS

from .formats import FORMATS as FORMATS  # kg.run.local reads the names here
from .mapping import DocRecord, EventRecord, MentionRecord, TimeRecord
from .normalize import normalize
from .rules import Rules
from .vocab import KGO_TERMS, ontology_text

SEM = Namespace("http://semanticweb.cs.vu.nl/2009/11/sem/")
NIF = Namespace("http://persistence.uni-leipzig.org/nlp2rdf/ontologies/nif-core#")
ITSRDF = Namespace("http://www.w3.org/2005/11/its/rdf#")
WD = Namespace("http://www.wikidata.org/entity/")
WDT = Namespace("http://www.wikidata.org/prop/direct/")
P = Namespace("http://www.wikidata.org/prop/")
PS = Namespace("http://www.wikidata.org/prop/statement/")
PSV = Namespace("http://www.wikidata.org/prop/statement/value/")
PQ = Namespace("http://www.wikidata.org/prop/qualifier/")
PR = Namespace("http://www.wikidata.org/prop/reference/")
WIKIBASE = Namespace("http://wikiba.se/ontology#")
GAF = Namespace("http://groundedannotationframework.org/gaf#")

PARTICIPANT, TARGET, LOCATION, INSTANCE_OF, POINT_IN_TIME = "P710", "P533", "P276", "P31", "P585"
OBJECT_HAS_ROLE, STATED_IN, REFERENCE_URL, QUOTATION = "P3831", "P248", "P854", "P1683"
DOCUMENT_HEADER = "# kg document: "
_SAFE_URL = re.compile(r"^https?://[^\s<>\"{}|\\^`]+$")


_XSD_STRING = str(XSD.string)
# What an IRI may not hold in N-Triples (and what would end its <...> early)
_IRI_OK = re.compile(r"[^\x00-\x20<>\"{}|^`\\]+")


def _iri(value: str) -> str:
    """An IRI as N-Triples text. The build makes text, not pyoxigraph terms: a Triple made from
    Python costs about 5 µs when its object is a Literal (pyo3 tries the other term kinds first),
    while parsing N-Triples makes every term in Rust. A value that would break the line is an error
    here; anything else wrong with an IRI fails the strict parse in `serialize`, before any file."""
    if not _IRI_OK.fullmatch(value):
        raise ValueError(f"not an IRI: {value!r}")
    return f"<{value}>"


class Terms:
    """IRIs under one namespace, as N-Triples text, each made once (`SEM_.Event`, `WDT_["P710"]`).
    With `closed`, only those names: a misspelt term is an AttributeError, not a new IRI."""

    def __init__(self, base: str, closed: frozenset[str] | None = None) -> None:
        self.base = base
        self._closed = closed
        self._made: dict[str, str] = {}

    def __getitem__(self, name: str) -> str:
        n = self._made.get(name)
        if n is None:
            if self._closed is not None and name not in self._closed:
                raise AttributeError(f"{self.base}{name} is not a term of kg's vocabulary (kg/vocab.py)")
            n = self._made[name] = _iri(self.base + name)
        return n

    def __getattr__(self, name: str) -> str:
        if name.startswith("_"):
            raise AttributeError(name)
        n = self[name]
        setattr(self, name, n)  # the next lookup is a plain attribute: no failed lookup first
        return n


SEM_, NIF_, ITSRDF_, WDT_, P_, PS_, PSV_, PQ_, PR_, WIKIBASE_, GAF_ = (
    Terms(str(ns)) for ns in (SEM, NIF, ITSRDF, WDT, P, PS, PSV, PQ, PR, WIKIBASE, GAF))
RDF_, RDFS_, XSD_, OWL_, PROV_, DCTERMS_, SKOS_ = (
    Terms(str(ns)) for ns in (RDF, RDFS, XSD, OWL, PROV, DCTERMS, SKOS))

# N-Triples string escapes, as oxigraph prints them (so lines sort as its terms would)
_SHORT = {"\\": "\\\\", '"': '\\"', "\n": "\\n", "\r": "\\r", "\t": "\\t", "\b": "\\b", "\f": "\\f"}
_ESCAPE = str.maketrans(_SHORT | {chr(c): f"\\u{c:04X}" for c in [*range(0x20), 0x7F] if chr(c) not in _SHORT})
_PLAIN = re.compile(r"[^\x00-\x1f\x7f\\\"]*")


def _lit(value: str | int | bool, datatype: str | None = None, lang: str | None = None) -> str:
    """A literal as N-Triples text (`datatype` as `_iri` gives it)."""
    if isinstance(value, bool):
        return f'"{"true" if value else "false"}"^^{XSD_.boolean}'
    if isinstance(value, int):
        return f'"{value}"^^{datatype or XSD_.integer}'
    text = value if _PLAIN.fullmatch(value) else value.translate(_ESCAPE)
    if lang:
        return f'"{text}"@{lang}'
    return f'"{text}"^^{datatype}' if datatype else f'"{text}"'


class Triples:
    """What the exporter builds: a set of N-Triples lines, cheap to add to (rdflib terms and
    rdflib's Graph index cost a tenth of an article's time, pyoxigraph terms made from Python a
    twentieth). Sorted, they are the document in N-Triples; pyoxigraph parses that and writes the
    files, and `graph()` gives rdflib users their Graph."""

    def __init__(self, prefixes: dict[str, str]) -> None:
        self.prefixes = prefixes
        self.lines: set[str] = set()

    def add(self, s: str, p: str, o: str) -> None:
        self.lines.add(f"{s} {p} {o} .")

    def __len__(self) -> int:
        return len(self.lines)

    def sorted(self) -> list[str]:
        return sorted(self.lines)  # N-Triples order: the same bytes on every run

    def triples(self) -> Iterator[ox.Triple]:
        """The statements as pyoxigraph triples, in N-Triples order, parsed strictly: a term kg made
        wrong (a relative IRI, a bad language tag) raises SyntaxError as it is reached."""
        # Every statement is checked once, here, as pyoxigraph's writer takes it, and the writer
        # prints only valid terms. (Parsing each written file back checked the same statements
        # again, at more cost than building them.)
        return ox.parse("\n".join(self.sorted()).encode("utf-8"), format=ox.RdfFormat.N_TRIPLES)

    def graph(self) -> Graph:
        g = Graph()
        for prefix, ns in self.prefixes.items():
            g.bind(prefix, Namespace(ns))

        def term(o: ox.NamedNode | ox.BlankNode | ox.Literal | ox.Triple) -> URIRef | Literal:
            if isinstance(o, ox.NamedNode):
                return URIRef(o.value)
            assert isinstance(o, ox.Literal)
            if o.language:
                return Literal(o.value, lang=o.language)
            dt = o.datatype.value
            return Literal(o.value, datatype=None if dt == _XSD_STRING else URIRef(dt))

        try:
            triples = list(self.triples())
        except SyntaxError as err:
            raise _invalid(err) from None
        for t in triples:
            assert isinstance(t.subject, ox.NamedNode)  # kg writes no blank nodes
            g.add((URIRef(t.subject.value), URIRef(t.predicate.value), term(t.object)))
        return g


def _clean(text: str) -> str:
    """Text safe for any RDF syntax: lone surrogates (from bad input) become U+FFFD."""
    return text.encode("utf-8", "replace").decode("utf-8") if not text.isascii() else text


@dataclass
class _Doc:
    """What every part of one document's graph is built with."""

    g: Triples
    kgo: Terms
    doc: str  # the document IRI, as N-Triples
    iri: str  # the same, bare
    url: str | None  # the article's address, as N-Triples, when it is a safe IRI
    text: bool  # False (--no-text): no anchors, context string or quotes
    described: set[tuple[object, ...]] = field(default_factory=set)  # entities whose triples are in


def _entity(c: _Doc, m: MentionRecord) -> str:
    g, kgo = c.g, c.kgo
    ent = _iri(m.entity)
    g.add(ent, GAF_.denotedBy, _iri(m.iri))
    said = (m.entity, m.entity_type, m.entity_label, m.entity_label_en, m.nationality, m.sector, m.actor_code, m.facts)
    if said in c.described:
        return ent  # the same entity, said the same way, by an earlier mention: the same lines
    c.described.add(said)
    g.add(ent, RDF_.type, _iri(m.entity_type))
    g.add(ent, RDFS_.label, _lit(_clean(m.entity_label), lang="ar"))
    # the normalised name: what `kg query -p actor=ادلب` matches, whatever the spelling
    g.add(ent, kgo.key, _lit(_clean(normalize(m.entity_label))))
    if m.entity_label_en:
        g.add(ent, RDFS_.label, _lit(m.entity_label_en, lang="en"))
    if m.nationality:
        g.add(ent, kgo.nationality, _iri(m.nationality))
    if m.sector:
        g.add(ent, kgo.sector, _lit(m.sector))
    if m.actor_code:
        g.add(ent, kgo.actorCode, _lit(m.actor_code))
    for prop, value in m.facts:
        if prop in ("P297", "P298", "P300"):
            g.add(ent, WDT_[prop], _lit(value))
        else:
            g.add(ent, OWL_.sameAs if prop == "sameAs" else kgo.candidate if prop == "candidate" else WDT_[prop],
                  _iri(value))
    return ent


def _span(c: _Doc, m: MentionRecord, kind: str) -> str:
    g = c.g
    node = _iri(m.iri)
    g.add(node, RDF_.type, kind)
    g.add(node, NIF_.beginIndex, _lit(m.start, XSD_.nonNegativeInteger))
    g.add(node, NIF_.endIndex, _lit(m.end, XSD_.nonNegativeInteger))
    if c.text:
        g.add(node, NIF_.anchorOf, _lit(_clean(m.text)))
    g.add(node, NIF_.referenceContext, c.doc)
    return node


def _mention(c: _Doc, m: MentionRecord) -> None:
    node = _span(c, m, NIF_.Phrase)
    c.g.add(node, ITSRDF_.taIdentRef, _entity(c, m))
    c.g.add(node, c.kgo.rule, _lit(_clean(m.rule)))
    c.g.add(node, c.kgo.confidence, _lit(f"{m.confidence:.2f}", XSD_.decimal))


def _reference(c: _Doc, m: MentionRecord) -> str:
    """A statement's reference: stated in this document (P248), at this address (P854), in these
    words (P1683, unless --no-text), at this mention."""
    g = c.g
    ref = _iri(f"{c.iri}/reference/{m.start}-{m.end}")
    g.add(ref, RDF_.type, WIKIBASE_.Reference)
    g.add(ref, PR_[STATED_IN], c.doc)
    if c.url:
        g.add(ref, PR_[REFERENCE_URL], c.url)
    if c.text:
        g.add(ref, PR_[QUOTATION], _lit(_clean(m.text), lang="ar"))
    g.add(ref, c.kgo.mention, _iri(m.iri))
    return ref


def _statement(c: _Doc, ev: str, prop: str, value: str, ref: str, role: str | None = None,
               value_node: str | None = None) -> str:
    """ev wdt:P value, and the same as a ranked statement node with its reference (and role
    qualifier, and full value node)."""
    g = c.g
    g.add(ev, WDT_[prop], value)
    key = hashlib.sha256(f"{prop}\x1f{value}\x1f{role or ''}".encode()).hexdigest()[:12]
    st = f"{ev[:-1]}/statement/{prop}-{key}>"
    g.add(ev, P_[prop], st)
    g.add(st, RDF_.type, WIKIBASE_.Statement)
    g.add(st, RDF_.type, WIKIBASE_.BestRank)  # kg says one thing per statement: each is the best
    g.add(st, WIKIBASE_.rank, WIKIBASE_.NormalRank)
    g.add(st, PS_[prop], value)
    if value_node is not None:
        g.add(st, PSV_[prop], value_node)
    if role is not None:
        g.add(st, PQ_[OBJECT_HAS_ROLE], role)
    g.add(st, PROV_.wasDerivedFrom, ref)
    return st


# Wikidata time precision by the length of an ISO value: day 11, month 10, year 9
_PRECISION = {10: 11, 7: 10, 4: 9}
GREGORIAN = "http://www.wikidata.org/entity/Q1985727"


def _period(value: str) -> tuple[datetime.date, datetime.date] | None:
    """First and last day of a month, year or ISO week; None for a day or what kg cannot read."""
    try:
        if "W" in value:
            year, week = value.split("-W")
            return (datetime.date.fromisocalendar(int(year), int(week), 1),
                    datetime.date.fromisocalendar(int(year), int(week), 7))
        if len(value) == 7:
            first = datetime.date.fromisoformat(value + "-01")
            return first, (first.replace(day=28) + datetime.timedelta(days=4)).replace(day=1) - datetime.timedelta(1)
        if len(value) == 4:
            return datetime.date(int(value), 1, 1), datetime.date(int(value), 12, 31)
    except ValueError:
        return None
    return None


def _day(value: str) -> datetime.date | None:
    try:
        return datetime.date.fromisoformat(value) if len(value) == 10 else None
    except ValueError:
        return None


def _point_in_time(c: _Doc, ev: str, node: str, value: str, ref: str) -> None:
    """wdt:P585 as Wikidata gives it: an xsd:dateTime, and a p:P585 statement whose psv:P585
    value node says how precise it is (a month is its first day at precision 10)."""
    start = _day(value) or (p[0] if (p := _period(value)) is not None and "W" not in value else None)
    if start is None:
        return
    stamp = _lit(f"{start.isoformat()}T00:00:00Z", XSD_.dateTime)
    vnode = f"{node[:-1]}/value>"
    c.g.add(vnode, RDF_.type, WIKIBASE_.TimeValue)
    c.g.add(vnode, WIKIBASE_.timeValue, stamp)
    c.g.add(vnode, WIKIBASE_.timePrecision, _lit(_PRECISION[len(value)]))
    c.g.add(vnode, WIKIBASE_.timeTimezone, _lit(0))
    c.g.add(vnode, WIKIBASE_.timeCalendarModel, _iri(GREGORIAN))
    _statement(c, ev, POINT_IN_TIME, stamp, ref, value_node=vnode)


def _time(c: _Doc, ev: str, t: TimeRecord) -> None:
    """sem:hasTime a time node: a day as sem:hasTimeStamp, a week, month or year as its first and
    last day; days, months and years as wdt:P585 too."""
    g = c.g
    node = _iri(t.iri)
    span = _span(c, t.span, NIF_.Phrase)
    g.add(ev, SEM_.hasTime, node)
    g.add(node, RDF_.type, SEM_.Time)
    g.add(node, RDFS_.label, _lit(_clean(t.span.text), lang="ar"))
    g.add(node, c.kgo.timeMention, span)
    g.add(node, GAF_.denotedBy, span)
    if not t.value:
        return
    if (day := _day(t.value)) is not None:
        g.add(node, SEM_.hasTimeStamp, _lit(day.isoformat(), XSD_.date))
    elif (period := _period(t.value)) is not None:
        g.add(node, SEM_.hasEarliestBeginTimeStamp, _lit(period[0].isoformat(), XSD_.date))
        g.add(node, SEM_.hasLatestEndTimeStamp, _lit(period[1].isoformat(), XSD_.date))
    _point_in_time(c, ev, node, t.value, _reference(c, t.span))


@lru_cache(maxsize=1)
def _declared_classes() -> frozenset[str]:
    """The classes kg/data/ontology.ttl declares (the rules' action classes among them)."""
    ts = ox.parse(ontology_text().encode("utf-8"), format=ox.RdfFormat.TURTLE)
    return frozenset(t.subject.value for t in ts if t.predicate.value == str(RDF.type)
                     and t.object.value == str(OWL.Class) and isinstance(t.subject, ox.NamedNode))


def _action_class(c: _Doc, e: EventRecord) -> str:
    """The event's class. The ontology declares the rules' classes, with their labels; a class it
    does not know (a generic verb, a class of the user's own rules) is declared here, its label
    an alternative one, so documents never disagree on a preferred label."""
    cls = _iri(e.action_class)
    if e.action_class not in _declared_classes():
        c.g.add(cls, RDF_.type, OWL_.Class)
        c.g.add(cls, RDF_.type, SEM_.EventType)
        c.g.add(cls, RDFS_.subClassOf, SEM_.Event)
        c.g.add(cls, SKOS_.altLabel, _lit(_clean(e.action_label_ar), lang="ar"))
        if e.action_label_en:
            c.g.add(cls, SKOS_.altLabel, _lit(e.action_label_en, lang="en"))
    return cls


def _event_core(c: _Doc, ev: str, cls: str, e: EventRecord) -> None:
    g, kgo = c.g, c.kgo
    action = _span(c, e.action, NIF_.Phrase)
    g.add(ev, RDF_.type, SEM_.Event)
    g.add(ev, RDF_.type, cls)
    g.add(ev, SEM_.eventType, cls)
    if e.cameo:
        g.add(ev, kgo.cameo, _lit(e.cameo))
    if e.plover:
        g.add(ev, kgo.plover, _lit(e.plover))
    g.add(ev, RDFS_.label, _lit(_clean(e.action.text), lang="ar"))
    g.add(ev, kgo.sourceDocument, c.doc)
    g.add(ev, kgo.actionMention, action)
    g.add(ev, GAF_.denotedBy, action)
    g.add(ev, kgo.sentenceMention, _span(c, e.sentence_span, NIF_.Sentence))
    g.add(ev, kgo.sentence, _lit(e.sentence, XSD_.nonNegativeInteger))
    g.add(ev, kgo.negated, _lit(e.negated))
    g.add(ev, kgo.modality, kgo[e.modality.capitalize()])
    if e.nominal:
        g.add(ev, kgo.nominal, _lit(True))
    g.add(ev, kgo.rule, _lit(_clean(e.rule)))
    g.add(ev, kgo.confidence, _lit(f"{e.confidence:.2f}", XSD_.decimal))
    _statement(c, ev, INSTANCE_OF, cls, _reference(c, e.action))


def _role(c: _Doc, ev: str, ent: str, m: MentionRecord, kind: str, role_type: str) -> None:
    """SEM's role node: the event's participant (rdf:value) and the role it plays (sem:roleType)."""
    node = f"{ev[:-1]}/role/{kind}/{m.start}-{m.end}>"
    c.g.add(ev, c.kgo.hasRole, node)
    c.g.add(node, RDF_.type, SEM_.Role)
    c.g.add(node, RDF_.value, ent)
    c.g.add(node, SEM_.roleType, role_type)


def _participants(c: _Doc, ev: str, e: EventRecord, named: dict[str, MentionRecord]) -> None:
    """Actors: sem:hasActor and P710 with the P3831 role qualifier; targets: sem:hasActor (SEM has
    one participant property), kgo:hasTarget and P533 (target); places: sem:hasPlace and P276."""
    g, kgo = c.g, c.kgo
    for ms, props, mprop, wd_prop, role in (
        (e.actors, (SEM_.hasActor,), kgo.actorMention, PARTICIPANT, kgo.ActorRole),
        (e.targets, (SEM_.hasActor, kgo.hasTarget), kgo.targetMention, TARGET, kgo.TargetRole),
        (e.locations, (SEM_.hasPlace,), kgo.placeMention, LOCATION, None),
    ):
        for m in ms:
            ent = _entity(c, m)
            for prop in props:
                g.add(ev, prop, ent)
            mention = _iri(m.iri)
            g.add(ev, mprop, mention)
            own = named.get(m.iri)
            if own is not None and own.entity != m.entity:
                g.add(mention, kgo.standsFor, ent)  # موسكو names Moscow, stands for Russia
            if role is not None:
                _role(c, ev, ent, m, "actor" if role == kgo.ActorRole else "target", role)
            qualifier = role if wd_prop == PARTICIPANT else None
            _statement(c, ev, wd_prop, ent, _reference(c, m), qualifier)


def _event(c: _Doc, e: EventRecord, named: dict[str, MentionRecord]) -> None:
    ev = _iri(e.iri)
    _event_core(c, ev, _action_class(c, e), e)
    if e.time is not None:
        _time(c, ev, e.time)
    _participants(c, ev, e, named)


def build_graph(d: DocRecord, rules: Rules, text: bool = True) -> Graph:
    """The document's statements as an rdflib Graph (for library users)."""
    return build_triples(d, rules, text).graph()


_PREFIXES = {
    "sem": SEM, "nif": NIF, "itsrdf": ITSRDF, "wd": WD, "wdt": WDT, "p": P, "ps": PS, "psv": PSV, "pq": PQ,
    "pr": PR, "prov": PROV, "wikibase": WIKIBASE, "dcterms": DCTERMS, "rdf": RDF, "rdfs": RDFS, "xsd": XSD,
    "owl": OWL, "skos": SKOS, "gaf": GAF,
}
_KGO: dict[str, Terms] = {}
_DATE = re.compile(r"\d{4}-\d{2}-\d{2}")
_DATETIME = re.compile(r"\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d+)?(Z|[+-]\d{2}:\d{2})?")


def _date(value: str) -> str | None:
    """The article's date as a typed literal: xsd:date or xsd:dateTime; None if it is neither."""
    for form, kind in ((_DATE, XSD_.date), (_DATETIME, XSD_.dateTime)):
        if form.fullmatch(value):
            try:
                datetime.datetime.fromisoformat(value.replace("Z", "+00:00"))
            except ValueError:
                return None
            return _lit(value, kind)
    return None


def _document(c: _Doc, d: DocRecord) -> None:
    g, kgo, doc, a = c.g, c.kgo, c.doc, d.article
    g.add(doc, RDF_.type, kgo.Document)
    g.add(doc, RDF_.type, NIF_.Context)
    g.add(doc, DCTERMS_.identifier, _lit(_clean(a.doc_id)))
    g.add(doc, kgo.sha256, _lit(d.sha256))
    g.add(doc, kgo.length, _lit(len(a.text), XSD_.nonNegativeInteger))
    if c.text:
        g.add(doc, NIF_.isString, _lit(_clean(a.text)))
    if a.title:
        g.add(doc, DCTERMS_.title, _lit(_clean(a.title), lang="ar"))
    if c.url:
        g.add(doc, DCTERMS_.source, c.url)
    if a.date and (date := _date(a.date)) is not None:
        g.add(doc, DCTERMS_.date, date)


def kgo_terms(base: str) -> Terms:
    """kg's own terms under `base` (the rules' kgo prefix): only those the ontology declares."""
    return _KGO.get(base) or _KGO.setdefault(base, Terms(base, KGO_TERMS))


def build_triples(d: DocRecord, rules: Rules, text: bool = True) -> Triples:
    """The document's statements; `text=False` leaves the article's words out (no nif:anchorOf,
    nif:isString or quotation), for users who may not republish them."""
    base = rules.prefixes["kgo"]
    g = Triples({k: str(v) for k, v in _PREFIXES.items()} | {"kgo": base})
    url = _iri(d.article.url) if d.article.url and _SAFE_URL.match(d.article.url) else None
    c = _Doc(g, kgo_terms(base), _iri(d.iri), d.iri, url, text)
    _document(c, d)
    for m in d.mentions:
        _mention(c, m)
    named = {m.iri: m for m in d.mentions}
    for e in d.events:
        _event(c, e, named)
    return g


def seal(graph_name: str, triples: int, body: bytes) -> bytes:
    """The first line of every kg file: a comment (in all three syntaxes) naming the document's
    graph, with the number of triples and a SHA-256 of that much of the line and the rest of the
    file. `kg load --bulk` hands a file whose seal still holds straight to the bulk loader: kg
    parsed its statements strictly before writing it, and the seal says it has not changed since."""
    head = f"{DOCUMENT_HEADER}<{graph_name}> triples={triples}".encode()
    return head + f" sha256={seal_digest(head, body)}\n".encode() + body


def seal_digest(head: bytes, body: bytes) -> str:
    """The seal's SHA-256: the first line up to `triples=N`, a newline, then the rest of the file."""
    h = hashlib.sha256(head)
    h.update(b"\n")
    h.update(body)
    return h.hexdigest()


def serialize(ts: Triples, graph_name: str, fmt: str) -> str:
    """Turtle (the triples), or TriG / N-Quads with the document's own named graph; sorted, and
    sealed (see `seal`)."""
    try:  # the strict parse of kg's lines happens as the writer takes them
        if fmt == "ttl":
            data = ox.serialize(ts.triples(), format=ox.RdfFormat.TURTLE, prefixes=ts.prefixes)
        else:
            # the same lines, each in the document's graph: N-Quads
            tail = f" {_iri(graph_name)} .\n"
            text = "".join(line[:-2] + tail for line in ts.sorted()).encode("utf-8")
            quads = ox.parse(text, format=ox.RdfFormat.N_QUADS)
            kind = FORMATS[fmt]
            data = ox.serialize(quads, format=kind, prefixes=ts.prefixes if kind == ox.RdfFormat.TRIG else None)
    except SyntaxError as err:
        raise _invalid(err) from None
    return seal(graph_name, len(ts), data or b"").decode("utf-8")


def _invalid(err: SyntaxError) -> ValueError:
    return ValueError(f"kg made a statement that is not valid RDF ({err}); nothing written")
