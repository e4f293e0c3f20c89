"""Mapping extraction results to IRIs: linked entities, minted ones, events and mentions.

Minted IRIs depend only on the base IRI, the entity type and the normalised name (named
entities), on the document id too (generic participants: "the protesters" of two articles are
not one group), or on the document id and character offsets (documents, events, mentions): never
on run order, time or process, so a rerun gives the same graph.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass
from functools import lru_cache
from urllib.parse import quote

from .codes import plover
from .extract import Event, Extraction, How, Mention
from .extract.arabic import MINISTRY, NATIONAL_BODIES
from .normalize import analyses, normalize
from .read import Article
from .rules import Entity, Rules


@dataclass(frozen=True, slots=True)
class MentionRecord:
    iri: str  # <doc>#char=s,e
    start: int
    end: int
    text: str
    entity: str  # entity IRI
    entity_label: str
    entity_label_en: str | None
    entity_type: str  # class IRI
    linked: bool  # a Wikidata (or rules-given) IRI, not minted
    rule: str
    nationality: str | None  # country IRI from a demonym (الجيش الأمريكي)
    confidence: float = 1.0
    type_name: str = ""  # the rules' type (country, group, person …; name, thing: not in the rules)
    sector: str | None = None  # CAMEO role code(s) of a generic participant (MIL, GOV)
    country: str | None = None  # IRI of its country: the nationality, the country itself, a capital's
    actor_code: str | None = None  # CAMEO actor code: ISO 3166 alpha-3 and sector (ISRMIL, ISR, MIL)
    # what the rules say of the entity, as (property, value) pairs: P17/P131 an entity IRI, P297/P298/P300
    # a code, sameAs an IRI, candidate the IRI of an entity an ambiguous name may be
    facts: tuple[tuple[str, str], ...] = ()


@dataclass(frozen=True, slots=True)
class TimeRecord:
    iri: str  # the time node: <doc>/time/s-e
    span: MentionRecord  # where it is written
    value: str | None  # ISO 8601 day, month, year or week
    kind: str


@dataclass(frozen=True, slots=True)
class EventRecord:
    iri: str
    action_class: str
    action_label_ar: str
    action_label_en: str | None
    action_id: str
    cameo: str | None
    action: MentionRecord  # the predicate span (its `entity` is the action class)
    actors: tuple[MentionRecord, ...]
    targets: tuple[MentionRecord, ...]
    locations: tuple[MentionRecord, ...]
    negated: bool
    sentence: int
    sentence_span: MentionRecord  # the sentence as a span (its `entity` is unused)
    rule: str
    how: How
    confidence: float
    modality: str = "asserted"
    time: TimeRecord | None = None
    nominal: bool = False
    plover: str | None = None  # the PLOVER category of `cameo` (kg/codes.py)


@dataclass(frozen=True, slots=True)
class DocRecord:
    iri: str
    article: Article
    sha256: str
    mentions: tuple[MentionRecord, ...]
    events: tuple[EventRecord, ...]


def doc_iri(rules: Rules, doc_id: str) -> str:
    return f"{rules.base}doc/{quote(doc_id, safe='')}"


def mint_entity(rules: Rules, type_name: str, name: str, doc: str | None = None) -> str:
    """Same type and normalised name -> same IRI, in every run; within `doc` (its IRI) if given."""
    scope = f"{doc}/" if doc else rules.base
    return f"{scope}{_minted(type_name, name)}"


@lru_cache(maxsize=1 << 14)  # news names the same participants again and again
def _minted(type_name: str, name: str) -> str:
    key = " ".join(normalize(name).split())
    digest = hashlib.sha256(f"{type_name}\x1f{key}".encode("utf-8", "surrogatepass")).hexdigest()[:16]
    return f"entity/{quote(type_name, safe='')}/{digest}"


def national_body(m: Mention) -> tuple[str, str] | None:
    """(agent id, country id) when the mention names a country's own institution: a generic agent
    whose head is a national body (arabic.NATIONAL_BODIES) with its nationality (الجيش الإسرائيلي)."""
    ent, country = m.entity, m.nationality
    if ent is None or not ent.agent or country is None or m.kind != "agent":
        return None
    words = m.text.split()
    heads = {a.stem for a in analyses(normalize(words[0]))} & NATIONAL_BODIES if words else set()
    # a ministry is one body only as a named one (وزارة الخارجية), not as وزارة or الوزارة alone
    if not heads or (heads <= MINISTRY and len(ent.label_ar.split()) < 2):
        return None
    return ent.id, country.id



def _entity_iri(rules: Rules, e: Entity) -> str:
    return e.iri or mint_entity(rules, e.type, e.label_ar)


def _country_of(rules: Rules, m: Mention) -> Entity | None:
    """The participant's country: its demonym's, itself, or the country whose capital it is."""
    ent = m.entity
    if m.nationality is not None:
        return m.nationality
    if ent is None or ent.agent:
        return None
    if ent.type == "country":
        return ent
    return rules.capital_of.get(ent.id)


GEONAMES = "https://sws.geonames.org/"


def entity_facts(rules: Rules, e: Entity) -> tuple[tuple[str, str], ...]:
    """Its country (P17: a place's, a capital's, a country's own), the place containing it (P131),
    ISO codes (P297, P298, a subdivision's P300) and its GeoNames id (owl:sameAs, for a place with no QID)."""
    country = rules.by_id.get(e.country) if e.country else rules.capital_of.get(e.id)
    if country is None and e.type == "country":
        country = e
    inside = rules.by_id.get(e.part_of) if e.part_of else None
    facts = [("P17", _entity_iri(rules, country)) if country is not None else None,
             ("P131", _entity_iri(rules, inside)) if inside is not None else None,
             ("P297", e.iso2) if e.iso2 else None, ("P298", e.iso3) if e.iso3 else None,
             ("P300", e.iso3166_2) if e.iso3166_2 else None,
             ("sameAs", f"{GEONAMES}{e.geonames}/") if e.geonames else None]
    return tuple(f for f in facts if f is not None)


def _actor_code(country: Entity | None, sector: str | None) -> str | None:
    """ISO 3166-1 alpha-3 of the country (the rules' `iso3`, from rigour) and the sector."""
    iso = country.iso3 if country is not None and country.iso3 else ""
    return (iso + (sector or "")) or None


# How far to trust a mention, by where it came from: the rules' names, the rules' generic nouns,
# the parser's PROPN tags, or a noun phrase found by word order alone.
MENTION_CONFIDENCE = {"entity": 0.9, "agent": 0.8, "name": 0.6, "np": 0.5}


def _type_iri(rules: Rules, type_name: str) -> str:
    return rules.types.get(type_name, f"{rules.prefixes['kgo']}{type_name.capitalize()}")


def _mention(rules: Rules, doc: str, m: Mention) -> MentionRecord:
    ent = m.entity
    country = _country_of(rules, m)
    nationality = _entity_iri(rules, m.nationality) if m.nationality is not None else None
    sector = ent.sector if ent is not None else None
    country_iri = _entity_iri(rules, country) if country is not None else None
    code = _actor_code(country, sector)
    if ent is not None and not ent.agent:
        return MentionRecord(
            f"{doc}#char={m.start},{m.end}", m.start, m.end, m.text, _entity_iri(rules, ent), ent.label_ar,
            ent.label_en, _type_iri(rules, ent.type), ent.iri is not None, m.rule, nationality,
            MENTION_CONFIDENCE["entity"], ent.type, sector, country_iri, code, entity_facts(rules, ent),
        )
    # Agents (الجيش الأمريكي) and unknown names are minted from their own words; a generic
    # participant (an agent, or a noun phrase) within its document only. A name several entities
    # share, with no cue to choose (عمان: Oman or Amman), records them as candidates.
    type_name = ent.type if ent is not None else m.type if m.candidates else "name" if m.kind == "name" else "thing"
    label = " ".join((m.ref or m.text).split())
    body = national_body(m)
    if body is not None:  # the Iraqi foreign ministry: one body in every article, whatever the wording
        iri = mint_entity(rules, type_name, f"{body[0]} {body[1]}")
    else:
        iri = mint_entity(rules, type_name, label, None if m.kind == "name" else doc)
    candidates = tuple(("candidate", _entity_iri(rules, c)) for c in m.candidates)
    return MentionRecord(
        f"{doc}#char={m.start},{m.end}", m.start, m.end, m.text, iri, label, None, _type_iri(rules, type_name),
        False, m.rule, nationality, MENTION_CONFIDENCE.get(m.kind, 0.5), type_name, sector, country_iri, code,
        candidates,
    )


def _confidence(e: Event) -> float:
    """A rough prior: word order and tree agreeing beat either alone; no participant is weakest."""
    if not (e.actors or e.targets or e.locations):
        return 0.5
    return 0.8 if How.ORDER | How.TREE in e.how else 0.7  # whatever else filled a role too


def _time(doc: str, text: str, e: Event) -> TimeRecord | None:
    t = e.time
    if t is None:
        return None
    span = MentionRecord(f"{doc}#char={t.start},{t.end}", t.start, t.end, text[t.start : t.end], "", "", None, "",
                         False, "timex", None)
    return TimeRecord(f"{doc}/time/{t.start}-{t.end}", span, t.value, t.kind)


def map_document(article: Article, extraction: Extraction, rules: Rules) -> DocRecord:
    doc = doc_iri(rules, article.doc_id)
    mentions: dict[tuple[int, int], MentionRecord] = {}

    def rec(m: Mention) -> MentionRecord:
        """The role filler; the span's own record (what the text names) is kept once per span.

        They differ for a capital used for its country: the mention names Moscow, the actor is
        Russia (rules `roles.capitals`)."""
        r = _mention(rules, doc, m)
        mentions.setdefault((m.start, m.end), r)
        return r

    for m in extraction.mentions:
        rec(m)
    events = []
    for e in extraction.events:
        a = e.action
        action = MentionRecord(
            f"{doc}#char={e.start},{e.end}", e.start, e.end, e.text, a.iri, a.label_ar, a.label_en, a.iri, True,
            a.source, None,
        )
        events.append(
            EventRecord(
                iri=f"{doc}/event/{e.start}-{e.end}",
                action_class=a.iri,
                action_label_ar=a.label_ar,
                action_label_en=a.label_en,
                action_id=a.id,
                cameo=a.cameo,
                plover=plover(a.cameo),
                action=action,
                actors=tuple(rec(m) for m in e.actors),
                targets=tuple(rec(m) for m in e.targets),
                locations=tuple(rec(m) for m in e.locations),
                negated=e.negated,
                sentence=e.sent,
                sentence_span=MentionRecord(
                    f"{doc}#char={e.sent_start},{e.sent_end}", e.sent_start, e.sent_end,
                    article.text[e.sent_start : e.sent_end], "", "", None, "", False, "", None,
                ),
                rule=a.source,
                how=e.how,
                confidence=_confidence(e),
                modality=e.modality,
                time=_time(doc, article.text, e),
                nominal=e.nominal,
            )
        )
    sha = hashlib.sha256(article.text.encode("utf-8", "surrogatepass")).hexdigest()
    ordered = tuple(sorted(mentions.values(), key=lambda r: (r.start, r.end)))
    return DocRecord(iri=doc, article=article, sha256=sha, mentions=ordered, events=tuple(events))


def event_row(d: DocRecord, e: EventRecord) -> dict[str, object]:
    """One line of events.jsonl, as ../shared/eval/README.md describes (plus extra fields)."""

    def m(r: MentionRecord) -> dict[str, object]:
        row: dict[str, object] = {"text": r.text, "start": r.start, "end": r.end, "uri": r.entity, "type": r.type_name}
        extra = {"sector": r.sector, "country": r.country, "cameo": r.actor_code}
        return row | {k: v for k, v in extra.items() if v is not None}

    return {
        "doc_id": d.article.doc_id,
        "event_id": e.iri,
        "action": {"text": e.action.text, "start": e.action.start, "end": e.action.end, "uri": e.action_class},
        "actor": [m(r) for r in e.actors],
        "target": [m(r) for r in e.targets],
        "location": [m(r) for r in e.locations],
        "negated": e.negated,
        "nominal": e.nominal,
        "modality": e.modality,
        "time": None if e.time is None else {"text": e.time.span.text, "start": e.time.span.start,
                                             "end": e.time.span.end, "value": e.time.value},
        "action_id": e.action_id,
        "action_label": e.action_label_en,
        "cameo": e.cameo,
        "plover": e.plover,
        "sentence": e.sentence,
        "rule": e.rule,
        "confidence": e.confidence,
    }
