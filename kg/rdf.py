"""Mapped records -> an rdflib Graph, and Turtle, TriG or N-Quads.

Each event is said twice, for the two ways users query: as SEM (`sem:Event`, `sem:hasActor`,
`sem:hasPlace`, kg's `kgo:hasTarget`) and the Wikidata way (direct `wdt:` triples plus full
`p:`/`ps:`/`pq:` statement nodes with a `prov:wasDerivedFrom` reference). Mentions are NIF
phrases. No blank nodes: every node has an IRI minted from the document id, offsets or names.
"""

from __future__ import annotations

import hashlib
import re
from collections.abc import Iterator

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
    """IRIs under one namespace, as N-Triples text, each made once (`SEM_.Event`, `WDT_["P710"]`)."""

    def __init__(self, base: str) -> None:
        self.base = base
        self._made: dict[str, str] = {}

    def __getitem__(self, name: str) -> str:
        n = self._made.get(name)
        if n is None:
            n = self._made[name] = _iri(self.base + name)
        return n

    def __getattr__(self, name: str) -> str:
        if name.startswith("_"):
            raise AttributeError(name)
        n = self[name]
        setattr(self, name, n)  # the next lookup is a plain attribute: no failed lookup first
        return n


SEM_, NIF_, ITSRDF_, WDT_, P_, PS_, PQ_, PR_, WIKIBASE_ = (
    Terms(str(ns)) for ns in (SEM, NIF, ITSRDF, WDT, P, PS, PQ, PR, WIKIBASE))
RDF_, RDFS_, XSD_, OWL_, PROV_, DCTERMS_ = (Terms(str(ns)) for ns in (RDF, RDFS, XSD, OWL, PROV, DCTERMS))

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


def _entity(g: Triples, kgo: Terms, m: MentionRecord) -> str:
    ent = _iri(m.entity)
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
        if prop in ("P297", "P298"):
            g.add(ent, WDT_[prop], _lit(value))
        else:
            g.add(ent, OWL_.sameAs if prop == "sameAs" else kgo.candidate if prop == "candidate" else WDT_[prop],
                  _iri(value))
    return ent


def _span(g: Triples, doc: str, m: MentionRecord, kind: str) -> str:
    node = _iri(m.iri)
    g.add(node, RDF_.type, kind)
    g.add(node, NIF_.beginIndex, _lit(m.start, XSD_.nonNegativeInteger))
    g.add(node, NIF_.endIndex, _lit(m.end, XSD_.nonNegativeInteger))
    g.add(node, NIF_.anchorOf, _lit(_clean(m.text)))
    g.add(node, NIF_.referenceContext, doc)
    return node


def _mention(g: Triples, kgo: Terms, doc: str, m: MentionRecord) -> None:
    node = _span(g, doc, m, NIF_.Phrase)
    g.add(node, ITSRDF_.taIdentRef, _entity(g, kgo, m))
    g.add(node, kgo.rule, _lit(_clean(m.rule)))
    g.add(node, kgo.confidence, _lit(f"{m.confidence:.2f}", XSD_.decimal))


def _statement(g: Triples, ev: str, prop: str, value: str, ref: str,
               role: str | None = None) -> None:
    """ev wdt:P value, and the same as a statement node with its reference (and role qualifier)."""
    g.add(ev, WDT_[prop], value)
    key = hashlib.sha256(f"{prop}\x1f{value[1:-1]}\x1f{role[1:-1] if role else ''}".encode()).hexdigest()[:12]
    st = f"{ev[:-1]}/statement/{prop}-{key}>"
    g.add(ev, P_[prop], st)
    g.add(st, RDF_.type, WIKIBASE_.Statement)
    g.add(st, PS_[prop], value)
    if role is not None:
        g.add(st, PQ_[OBJECT_HAS_ROLE], role)
    g.add(st, PROV_.wasDerivedFrom, ref)


_TIME_TYPES = {4: XSD_.gYear, 7: XSD_.gYearMonth, 10: XSD_.date}


def _time(g: Triples, kgo: Terms, doc: str, ev: str, t: TimeRecord) -> None:
    """sem:hasTime a time node; its value as sem:hasTimeStamp and, for days, wdt:P585."""
    node = _iri(t.iri)
    g.add(ev, SEM_.hasTime, node)
    g.add(node, RDF_.type, SEM_.Time)
    g.add(node, RDFS_.label, _lit(_clean(t.span.text), lang="ar"))
    g.add(node, kgo.timeMention, _span(g, doc, t.span, NIF_.Phrase))
    if t.value:
        kind = _TIME_TYPES.get(len(t.value)) if "W" not in t.value else None
        stamp = _lit(t.value, kind)
        g.add(node, SEM_.hasTimeStamp, stamp)
        if kind == XSD_.date:
            g.add(ev, WDT_[POINT_IN_TIME], stamp)


def _event(g: Triples, kgo: Terms, doc: str, ref: str, e: EventRecord,
           named: dict[str, MentionRecord]) -> None:
    ev = _iri(e.iri)
    cls = _iri(e.action_class)
    g.add(ev, RDF_.type, SEM_.Event)
    g.add(ev, RDF_.type, cls)
    g.add(ev, SEM_.eventType, cls)
    g.add(cls, RDF_.type, SEM_.EventType)
    g.add(cls, RDF_.type, OWL_.Class)
    g.add(cls, RDFS_.label, _lit(e.action_label_ar, lang="ar"))
    if e.action_label_en:
        g.add(cls, RDFS_.label, _lit(e.action_label_en, lang="en"))
    if e.cameo:
        g.add(cls, kgo.cameo, _lit(e.cameo))
    if e.plover:
        g.add(cls, kgo.plover, _lit(e.plover))
    g.add(ev, RDFS_.label, _lit(_clean(e.action.text), lang="ar"))
    g.add(ev, kgo.sourceDocument, doc)
    g.add(ev, kgo.actionMention, _span(g, doc, e.action, NIF_.Phrase))
    g.add(ev, kgo.sentenceMention, _span(g, doc, e.sentence_span, NIF_.Sentence))
    g.add(ev, kgo.sentence, _lit(e.sentence, XSD_.nonNegativeInteger))
    g.add(ev, kgo.negated, _lit(e.negated))
    g.add(ev, kgo.modality, kgo[e.modality.capitalize()])
    if e.nominal:
        g.add(ev, kgo.nominal, _lit(True))
    if e.time is not None:
        _time(g, kgo, doc, ev, e.time)
    g.add(ev, kgo.rule, _lit(_clean(e.rule)))
    g.add(ev, kgo.confidence, _lit(f"{e.confidence:.2f}", XSD_.decimal))
    _statement(g, ev, INSTANCE_OF, cls, ref)
    for role, prop, mprop, wd_prop, role_node in (
        (e.actors, SEM_.hasActor, kgo.actorMention, PARTICIPANT, kgo.ActorRole),
        (e.targets, kgo.hasTarget, kgo.targetMention, PARTICIPANT, kgo.TargetRole),
        (e.locations, SEM_.hasPlace, kgo.placeMention, LOCATION, None),
    ):
        for m in role:
            ent = _entity(g, kgo, m)
            g.add(ev, prop, ent)
            mention = _iri(m.iri)
            g.add(ev, mprop, mention)
            own = named.get(m.iri)
            if own is not None and own.entity != m.entity:
                g.add(mention, kgo.standsFor, ent)  # موسكو names Moscow, stands for Russia
            _statement(g, ev, wd_prop, ent, ref, role_node)


def build_graph(d: DocRecord, rules: Rules) -> Graph:
    """The document's statements as an rdflib Graph (for library users)."""
    return build_triples(d, rules).graph()


_PREFIXES = {
    "sem": SEM, "nif": NIF, "itsrdf": ITSRDF, "wd": WD, "wdt": WDT, "p": P, "ps": PS, "pq": PQ, "pr": PR,
    "prov": PROV, "wikibase": WIKIBASE, "dcterms": DCTERMS, "rdf": RDF, "rdfs": RDFS, "xsd": XSD, "owl": OWL,
}
_KGO: dict[str, Terms] = {}


def build_triples(d: DocRecord, rules: Rules) -> Triples:
    base = rules.prefixes["kgo"]
    kgo = _KGO.get(base) or _KGO.setdefault(base, Terms(base))
    g = Triples({k: str(v) for k, v in _PREFIXES.items()} | {"kgo": base})
    doc = _iri(d.iri)
    a = d.article
    g.add(doc, RDF_.type, kgo.Document)
    g.add(doc, RDF_.type, NIF_.Context)
    g.add(doc, DCTERMS_.identifier, _lit(_clean(a.doc_id)))
    g.add(doc, kgo.sha256, _lit(d.sha256))
    g.add(doc, kgo.length, _lit(len(a.text), XSD_.nonNegativeInteger))
    if a.title:
        g.add(doc, DCTERMS_.title, _lit(_clean(a.title)))
    if a.url:
        g.add(doc, DCTERMS_.source, _lit(_clean(a.url), XSD_.anyURI))
    if a.date:
        g.add(doc, DCTERMS_.date, _lit(_clean(a.date)))
    # One reference node per document: every statement was stated in this article.
    ref = _iri(f"{d.iri}/reference")
    g.add(ref, RDF_.type, WIKIBASE_.Reference)
    g.add(ref, PR_[STATED_IN], doc)
    if a.url and _SAFE_URL.match(a.url):
        g.add(ref, PR_[REFERENCE_URL], _iri(a.url))
    for m in d.mentions:
        _mention(g, kgo, doc, m)
    named = {m.iri: m for m in d.mentions}
    for e in d.events:
        _event(g, kgo, doc, ref, e, named)
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
            kind = ox.RdfFormat.TRIG if fmt == "trig" else ox.RdfFormat.N_QUADS
            data = ox.serialize(quads, format=kind, prefixes=ts.prefixes if fmt == "trig" else None)
    except SyntaxError as err:
        raise _invalid(err) from None
    return seal(graph_name, len(ts), data or b"").decode("utf-8")


def _invalid(err: SyntaxError) -> ValueError:
    return ValueError(f"kg made a statement that is not valid RDF ({err}); nothing written")
