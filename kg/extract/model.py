"""The records extraction produces: surface words, mentions and events (all frozen)."""

from __future__ import annotations

import enum
from dataclasses import dataclass
from typing import NamedTuple

from ..rules import Action, Entity


class Word(NamedTuple):
    """A surface word (or punctuation mark) of the article, with what the parser said of it. A
    named tuple, like nlp.Token: one is made per word, and a tuple is made three times faster."""

    i: int
    text: str
    start: int
    end: int
    norm: str
    pos: str  # UPOS of the parser token that carries the word's content
    split: bool  # the parser split a proclitic off this word (و, ب, ل …)
    sent: int  # sentence number, from punctuation and line breaks
    token: int  # index of that parser token, -1 if none
    is_punct: bool = False  # no letter or digit in it


@dataclass(frozen=True, slots=True)
class Timex:
    """A time expression (kg/extract/timex.py finds and resolves them)."""

    start: int
    end: int
    text: str  # == article[start:end]
    first: int  # first word index covered
    last: int  # last word index covered (inclusive)
    value: str | None  # ISO 8601 day, month, year or week; None when it cannot be resolved
    kind: str  # "date", "week", "month", "year", "relative" (from the article date), "text"


@dataclass(frozen=True, slots=True)
class Mention:
    """A span that names a participant. `entity` is None for names the rules do not know."""

    start: int
    end: int
    text: str
    first: int  # first word index
    last: int  # last word index (inclusive)
    kind: str  # "entity", "agent", "name"
    type: str
    entity: Entity | None
    nationality: Entity | None = None
    prep: str = ""  # normalised proclitic preposition glued to the first word (ب, ل, ك)
    conj: str = ""  # proclitic conjunction glued to the first word (و, ف)
    rule: str = ""
    ref: str = ""  # for names the rules do not know: the name its entity is minted from (coreference)
    candidates: tuple[Entity, ...] = ()  # a name several entities share, left unlinked: who it may be


class How(enum.Flag):
    """Which mechanisms filled an event's roles: word order, the dependency tree, an event noun's
    own frame, and what came from elsewhere (an earlier verb's subject, a light verb's, a purpose
    verb's). Shown as its names joined by + in kg's page (`str`)."""

    ORDER = enum.auto()
    TREE = enum.auto()
    NOMINAL = enum.auto()
    LIGHT_VERB = enum.auto()
    PURPOSE = enum.auto()
    DROPPED_SUBJECT = enum.auto()

    def __str__(self) -> str:
        return "+".join((f.name or "").lower().replace("_", "-") for f in How if f in self)


@dataclass(frozen=True, slots=True)
class ActionHit:
    word: int
    action: Action
    form: str  # the matched verb form (normalised, proclitics stripped)
    object_suffix: bool  # the verb carries an object pronoun (أيدته): its object is known
    negated: bool
    modality: str = "asserted"
    agreement: str = ""  # subject gender and number the verb form shows: "ms", "fs", "mp" …
    nominal: bool = False  # an event noun (هجوم, زيارة), not a verb
    passive: bool = False  # a passive form (أصيب, اغتيل, هوجم): its subject is the one acted on


@dataclass(frozen=True, slots=True)
class Event:
    start: int
    end: int
    text: str
    action: Action
    sent: int
    sent_start: int  # the sentence's span in the article
    sent_end: int
    actors: tuple[Mention, ...]
    targets: tuple[Mention, ...]
    locations: tuple[Mention, ...]
    negated: bool
    how: How  # which mechanisms filled the roles
    modality: str = "asserted"  # "asserted", "future" (س, سوف, لن) or "conditional" (إذا, لو, إن)
    time: Timex | None = None
    nominal: bool = False
