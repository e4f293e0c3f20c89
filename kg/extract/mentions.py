"""Entity mentions from the rules' gazetteer, found on the surface words (clitic-aware).

Longest match wins; the bare reading of a word is tried before its proclitic splits, so a name
that begins like a clitic (لافروف, بريطانيا) is found whole. A mention's span leaves out the
conjunction or preposition glued to its first word (وواشنطن -> واشنطن).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import replace
from functools import lru_cache

from ..normalize import analyses, normalize_with_map
from ..rules import Entity, Rules
from . import arabic
from .actions import is_event_noun, is_verb_form
from .model import Mention, Word
from .participants import is_abstract, is_count, plural_case

MAX_NAME_WORDS = 3


def _char_offset(word: Word, norm_offset: int) -> int:
    """Original index in `word` of the character at `norm_offset` of its normalised form."""
    if norm_offset == 0:
        return word.start
    _, where = normalize_with_map(word.text)
    return word.start + (where[norm_offset] if norm_offset < len(where) else len(word.text))


def demonym(rules: Rules, word: Word) -> Entity | None:
    for a in analyses(word.norm):
        if a.conj or a.prep:
            continue
        if a.stem in rules.demonyms:
            return rules.demonyms[a.stem]
    return None


def _match(words: Sequence[Word], i: int, rules: Rules, longest: int,
           firsts: frozenset[str] | None = None) -> tuple[int, Entity, int, str, str] | None:
    """Longest alias starting at word i: (length, entity, normalised offset, conj, prep)."""
    w = words[i]
    if w.is_punct:
        return None
    best: tuple[int, Entity, int, str, str] | None = None
    if firsts is None:
        firsts = _first_words(rules)
    for a in analyses(w.norm):
        if a.stem not in firsts:
            continue
        for length in range(min(longest, len(words) - i), 0, -1):
            if best is not None and length <= best[0]:
                break
            rest = words[i + 1 : i + length]
            if any(x.is_punct for x in rest):
                continue
            ent = rules.aliases.get((a.stem, *(x.norm for x in rest)))
            if ent is not None:
                best = (length, ent, a.offset, a.conj, a.prep)
                break
    return best


@lru_cache(maxsize=8)
def _first_words(rules: Rules) -> frozenset[str]:
    """The first word of every alias: most words start none, and are passed over at once."""
    return frozenset(k[0] for k in rules.aliases)


@lru_cache(maxsize=8)
def _shared_firsts(rules: Rules) -> frozenset[str]:
    return frozenset(k[0] for k in rules.shared)


# Words that say what a shared name is, right before it (العاصمة عمان, سلطنة عمان, مدينة حمص)
TYPE_CUES = {"مدينه": "city", "المدينه": "city", "عاصمه": "city", "العاصمه": "city",
             "دوله": "country", "سلطنه": "country", "مملكه": "country", "جمهوريه": "country"}


def _shared(words: Sequence[Word], i: int, rules: Rules) -> tuple[int, tuple[Entity, ...], int, str, str] | None:
    """The longest shared name (عمان: Oman or Amman) starting at word i."""
    if not rules.shared or words[i].is_punct:
        return None
    firsts = _shared_firsts(rules)
    for a in analyses(words[i].norm):
        if a.stem not in firsts:
            continue
        for length in range(min(MAX_NAME_WORDS, len(words) - i), 0, -1):
            rest = words[i + 1 : i + length]
            cands = rules.shared.get((a.stem, *(x.norm for x in rest)))
            if cands is not None and not any(x.is_punct for x in rest):
                return length, cands, a.offset, a.conj, a.prep
    return None


def _choose(words: Sequence[Word], i: int, cands: tuple[Entity, ...], rules: Rules) -> Entity | None:
    """The one candidate the words just before a shared name allow: a type word (العاصمة: a city)
    and a demonym (العاصمة الأردنية عمان: Jordan's). None where no cue, or no single one, decides."""
    left = [w for w in words[max(0, i - 2) : i] if not w.is_punct and w.sent == words[i].sent]
    kinds = {TYPE_CUES[w.norm] for w in left if w.norm in TYPE_CUES}
    nations = {d.id for w in left if (d := demonym(rules, w)) is not None}
    if not kinds and not nations:
        return None

    def country(c: Entity) -> str | None:
        home = rules.capital_of.get(c.id)
        return c.country or (home.id if home is not None else c.id if c.type == "country" else None)

    fits = [c for c in cands if (not kinds or c.type in kinds) and (not nations or country(c) in nations)]
    return fits[0] if len(fits) == 1 else None


@lru_cache(maxsize=8)
def _longest(rules: Rules) -> int:
    return max((len(k) for k in rules.aliases), default=1)


def find_mentions(words: Sequence[Word], rules: Rules) -> list[Mention]:
    """Gazetteer mentions (named entities and generic agents), left to right, non-overlapping."""
    longest, firsts = _longest(rules), _first_words(rules)
    out: list[Mention] = []
    i = 0
    while i < len(words):
        best = _match(words, i, rules, longest, firsts)
        shared = _shared(words, i, rules)
        if shared is not None and (best is None or shared[0] >= best[0]):
            out.append(_shared_mention(words, i, shared, rules))
            i = out[-1].last + 1
            continue
        if best is None:
            i += 1
            continue
        length, ent, offset, conj, prep = best
        last = i + length - 1
        m = Mention(
            start=_char_offset(words[i], offset),
            end=words[last].end,
            text="",
            first=i,
            last=last,
            kind="agent" if ent.agent else "entity",
            type=ent.type,
            entity=ent,
            prep=prep,
            conj=conj,
            rule=ent.source,
        )
        if ent.agent:
            m = _extend_agent(m, words, rules, longest)
        out.append(m)
        i = m.last + 1
    return out


def _shared_mention(words: Sequence[Word], i: int, hit: tuple[int, tuple[Entity, ...], int, str, str],
                    rules: Rules) -> Mention:
    """A shared name: the entity a cue chooses, else an unlinked name with its candidates."""
    length, cands, offset, conj, prep = hit
    last = i + length - 1
    ent = _choose(words, i, cands, rules)
    start = _char_offset(words[i], offset)
    if ent is not None:
        return Mention(start=start, end=words[last].end, text="", first=i, last=last, kind="entity", type=ent.type,
                       entity=ent, prep=prep, conj=conj, rule=ent.source)
    kind = "place" if all(c.type in rules.role_types["location"] for c in cands) else "name"
    return Mention(start=start, end=words[last].end, text="", first=i, last=last, kind="name", type=kind,
                   entity=None, prep=prep, conj=conj, rule=f"shared:{cands[0].source}", candidates=cands)


def _extend_agent(m: Mention, words: Sequence[Word], rules: Rules, longest: int) -> Mention:
    """An agent takes the words that qualify it: demonyms, adjectives, a genitive noun.

    وزير الخارجية الروسي, الجيش الأمريكي, دول غربية, وكالات انباء: the span grows over up to two
    words that are not function words, names, punctuation or words with a glued proclitic; a
    genitive noun only right after the head.
    """
    last = m.last
    nationality = None
    for j in range(m.last + 1, min(m.last + 4, len(words))):
        w = words[j]
        dem = demonym(rules, w)
        if dem is not None:
            nationality = nationality or dem
            last = j
            continue
        case = plural_case(w)
        if case and case == plural_case(words[last]) and _match(words, j, rules, longest) is not None:
            last = j  # مفجرون انتحاريون: a sound plural in the same case is an adjective of the head
            continue
        if _match(words, j, rules, longest) is not None or _shared(words, j, rules) is not None:
            break  # دولة عمان: the name is a mention of its own (and دولة its cue)
        if is_verb_form(w.norm, rules) or is_event_noun(w.norm, rules) or is_count(w):
            break  # a count begins a phrase of its own (تجمع آلاف المتظاهرين)
        if w.pos in ("NOUN", "X") and (j != m.last + 1 or nationality is not None or _no_construct(words[m.last])):
            break
        if j > m.last + 2 or w.is_punct or w.split or w.norm in arabic.PREPOSITIONS or w.norm in arabic.TIME_WORDS:
            break
        if w.norm in arabic.CLAUSE_OPENERS or w.norm in arabic.NEGATIONS or w.norm.startswith("و"):
            break
        if w.pos not in {"ADJ", "NOUN", "X"}:
            break
        last = j
    return replace(m, last=last, end=words[last].end, nationality=nationality)


def _no_construct(head: Word) -> bool:
    """A head that takes no genitive: one with the article (المسلحون القرية is two phrases), or a
    sound plural keeping its ن (مسلحون مدرسة; the construct state would be مسلحو)."""
    return head.norm.startswith("ال") or (len(head.norm) > 4 and head.norm.endswith(("ون", "ين")))


def title_names(words: Sequence[Word], known: Sequence[Mention], taken: set[int], rules: Rules) -> list[Mention]:
    """رئيس الوزراء العراقي محمد شياع السوداني: the words right after an office are a name,
    whatever the parser's tags (it tags unseen names NOUN or VERB). The run stops at what a name
    is not: a function word, a count, punctuation, a lexicon verb or event noun, a word ending in ة
    (أكد الرئيس أهمية) or a verbal noun; a word with the article only closes a run of two."""
    out: list[Mention] = []
    for m in known:
        if m.entity is None or not m.entity.title:
            continue
        run: list[int] = []
        k = m.last + 1
        while k < len(words) and len(run) < MAX_NAME_WORDS and k not in taken and _name_word(words[k], rules, run):
            run.append(k)
            if words[k].norm.startswith("ال"):
                break
            k += 1
        if run:
            first, last = words[run[0]], words[run[-1]]
            out.append(Mention(start=first.start, end=last.end, text="", first=run[0], last=run[-1], kind="name",
                               type="name", entity=None, rule="syntax:title-name"))
    return out


def _name_word(w: Word, rules: Rules, run: list[int]) -> bool:
    n = w.norm
    if w.is_punct or w.split or _function(w) or len(n) < 3 or n.startswith("و"):
        return False
    if n.startswith("ال") and len(run) < 2:
        return False
    if w.pos != "PROPN" and (n.endswith(("ه", "ات")) or is_verb_form(n, rules) or is_event_noun(n, rules)):
        return False
    return w.pos in ("PROPN", "NOUN", "X", "VERB", "ADJ") and not is_abstract(w)


def unknown_names(words: Sequence[Word], taken: set[int]) -> list[Mention]:
    """Runs of words the parser tagged PROPN that no rule matched: names kg mints IRIs for."""
    out: list[Mention] = []
    i = 0
    while i < len(words):
        w = words[i]
        if i in taken or w.pos != "PROPN" or w.is_punct or w.split or _function(w) or len(w.norm) < 3:
            i += 1
            continue
        j = i
        while (
            j + 1 < len(words)
            and j + 1 - i < MAX_NAME_WORDS
            and j + 1 not in taken
            and words[j + 1].pos == "PROPN"
            and not words[j + 1].is_punct
            and not _function(words[j + 1])
            and not words[j + 1].norm.startswith("و")
        ):
            j += 1
        out.append(
            Mention(
                start=w.start, end=words[j].end, text="", first=i, last=j, kind="name", type="name",
                entity=None, rule="parser:PROPN",
            )
        )
        i = j + 1
    return out


def _function(w: Word) -> bool:
    n = w.norm
    if any(a.prep and a.stem in arabic.PLACE_HEADS for a in analyses(n)):
        return True  # بريف, بمحافظة: a preposition and a place head, not a name
    return (
        is_count(w)  # الاف, عشرات: a count, whatever the parser's tag
        or n in arabic.PREPOSITIONS
        or n in arabic.CLAUSE_OPENERS
        or n in arabic.NEGATIONS
        or n in arabic.TIME_WORDS
        or n in arabic.PRONOUNS
        or n in arabic.QUANTIFIERS
        or n in arabic.ADVERBS
    )


def with_text(m: Mention, text: str) -> Mention:
    surface = text[m.start : m.end]
    return m if m.text == surface else replace(m, text=surface)
