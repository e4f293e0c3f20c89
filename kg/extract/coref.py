"""Within-document coreference: every mention of one entity carries one identity.

- A later short name joins an earlier full one the rules do not know (كوري شولمان … شولمان).
- A description resolves when the article allows: a title or counterpart with a demonym and no
  name of its own (نظيره الروسي, الوزير الأمريكي) is the person the article introduced with that
  office's nationality (وزير الخارجية الروسي سيرغي لافروف -> Lavrov); a bare office (الوزير) is
  the last person introduced with that office; بلاده is the country of the last person
  introduced with a nationality.
Names the rules link are one entity already; they also lend their nationality to descriptions.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import replace

from ..normalize import normalize
from .model import Event, Mention


def _key(m: Mention) -> str:
    return " ".join(normalize(m.text).split())


def _nationalities(mentions: Sequence[Mention]) -> dict[str, Mention]:
    """Country entity id -> the person the article introduced with it (title + demonym + name)."""
    out: dict[str, Mention] = {}
    by_first = {m.first: m for m in mentions}
    for m in mentions:
        if m.entity is None or not m.entity.title or m.nationality is None:
            continue
        person = by_first.get(m.last + 1)
        if person is not None and person.type in ("person", "name"):
            out.setdefault(m.nationality.id, person)
    return out


def _introductions(mentions: Sequence[Mention]) -> list[tuple[Mention, Mention]]:
    """(title, person) pairs where the article introduces someone (وزير الخارجية الروسي سيرغي لافروف)."""
    by_first = {m.first: m for m in mentions}
    out = []
    for m in mentions:
        person = by_first.get(m.last + 1)
        if m.entity is not None and m.entity.title and person is not None and person.type in ("person", "name"):
            out.append((m, person))
    return out


OWN_COUNTRY = "own-country"  # the agent of بلاده / بلادها: the country of whoever was last introduced


def _identity(m: Mention, kind: str, other: Mention | None) -> Mention:
    """The mention with its referent's identity; its own span, role and clitics stay."""
    if kind == "name" and other is not None:
        return replace(m, ref=other.ref or other.text, rule=f"{m.rule} (coreference)")
    if kind == "person" and other is not None:
        return replace(other, start=m.start, end=m.end, text=m.text, first=m.first, last=m.last,
                       prep=m.prep, conj=m.conj, rule=f"{m.rule} (coreference: {other.text})")
    if kind == "country" and other is not None and other.nationality is not None:
        country = other.nationality
        return replace(m, entity=country, type=country.type, kind="entity",
                       rule=f"{m.rule} (coreference: {country.label_ar})")
    return m


def resolve(mentions: Sequence[Mention], events: Sequence[Event]) -> tuple[list[Mention], list[Event]]:
    names: list[tuple[list[str], Mention]] = []  # earlier unknown names, as word lists
    people = _nationalities(mentions)
    intros = _introductions(mentions)
    decided: dict[tuple[int, int], tuple[str, Mention | None]] = {}

    def decide(m: Mention) -> tuple[str, Mention | None]:
        """What a span refers to, decided once per span (in text order)."""
        span = (m.start, m.end)
        if span in decided:
            return decided[span]
        choice: tuple[str, Mention | None] = ("", None)
        if m.kind == "name":
            words = _key(m).split()
            for full_words, full in names:
                if len(words) < len(full_words) and full_words[-len(words):] == words:
                    choice = ("name", full)
                    break
            else:
                names.append((words, m))
        elif m.entity is not None and m.entity.title and m.nationality is not None:
            person = people.get(m.nationality.id)
            if person is not None and person.last + 1 != m.first and person.first != m.last + 1:
                choice = ("person", person)
        elif m.entity is not None and m.entity.title and all(t is not m for t, _ in intros):
            # a bare office (الوزير): the last person the article introduced with that office
            earlier = [p for t, p in intros if t.entity is m.entity and p.last < m.first]
            if earlier:
                choice = ("person", earlier[-1])
        elif m.entity is not None and m.entity.id == OWN_COUNTRY:
            # بلاده: the country of the last person introduced with a nationality
            earlier = [t for t, p in intros if t.nationality is not None and p.last < m.first]
            if earlier:
                choice = ("country", earlier[-1])
        decided[span] = choice
        return choice

    def one(m: Mention) -> Mention:
        return _identity(m, *decide(m))

    def event(e: Event) -> Event:
        roles = tuple(m for role in (e.actors, e.targets, e.locations) for m in role)
        changed = [one(m) for m in roles]
        if all(a is b for a, b in zip(roles, changed, strict=True)):
            return e  # most events: nothing to resolve, and replace() is slow
        a, t = len(e.actors), len(e.targets)
        return replace(e, actors=tuple(changed[:a]), targets=tuple(changed[a : a + t]),
                       locations=tuple(changed[a + t :]))

    resolved = [one(m) for m in sorted(mentions, key=lambda m: m.start)]
    return resolved, [event(e) for e in events]
