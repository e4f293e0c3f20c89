"""Extraction: parsed article -> mentions and events (pure functions, no I/O)."""

from __future__ import annotations

import datetime
from dataclasses import dataclass

from ..nlp import Parsed
from ..rules import Rules
from .actions import find_actions, find_nominals
from .coref import resolve
from .mentions import find_mentions, title_names, unknown_names, with_text
from .model import ActionHit, Event, How, Mention, Timex, Word
from .roles import fill_roles
from .timex import find_times
from .verbs import UNKNOWN_VERB, find_unknown_verbs
from .words import segment

__all__ = ["ActionHit", "Event", "Extraction", "How", "Mention", "Word", "extract"]


@dataclass(frozen=True, slots=True)
class Extraction:
    words: tuple[Word, ...]
    mentions: tuple[Mention, ...]
    events: tuple[Event, ...]
    times: tuple[Timex, ...] = ()


def _explicit(m: Mention) -> bool:
    return m.kind in ("entity", "name") or (m.kind == "np" and m.type == "group")


def extract(parsed: Parsed, rules: Rules, doc_date: datetime.date | None = None) -> Extraction:
    """Mentions from the gazetteer and the parser's names, actions from the lexicon, then roles;
    time expressions resolved against the article's date where it is known."""
    text = parsed.text
    words = segment(text, parsed.tokens)
    known = find_mentions(words, rules)
    times = find_times(words, text, doc_date)
    in_time = {k for t in times for k in range(t.first, t.last + 1)}
    # a word of a time expression is no verb (فجر الجمعة is dawn, not فجّر "blew up")
    hits = [h for h in find_actions(words, known, rules) if h.word not in in_time]
    taken = {k for m in known for k in range(m.first, m.last + 1)} | {h.word for h in hits}
    titled = title_names(words, known, taken, rules)
    taken |= {k for m in titled for k in range(m.first, m.last + 1)}
    names = [*titled, *unknown_names(words, taken)]
    candidates = sorted((with_text(m, text) for m in [*known, *names]), key=lambda m: m.start)
    nominals = find_nominals(words, candidates, hits, rules)
    others = find_unknown_verbs(words, candidates, [*hits, *nominals], rules, parsed.tokens)
    verbs = sorted([*hits, *others], key=lambda h: h.word)
    events = fill_roles(words, candidates, verbs, rules, parsed.tokens, text, times, nominals)
    # a verb outside the lexicon is an event only with an explicit participant: a name or a group
    # by its form (not any noun phrase, الوقت, الفولاذ, nor a generic noun the rules type, العمل)
    events = [e for e in events if e.action.id != UNKNOWN_VERB or any(_explicit(m) for m in (*e.actors, *e.targets))]
    # The parser's PROPN tags are right four times in five: an unknown name is kept only where it
    # fills a role; every gazetteer mention is kept.
    candidates, events = resolve(candidates, events)
    used = {(m.start, m.end) for e in events for m in (*e.actors, *e.targets, *e.locations)}
    mentions = [m for m in candidates if m.kind != "name" or (m.start, m.end) in used]
    return Extraction(words=words, mentions=tuple(mentions), events=tuple(events), times=tuple(times))
