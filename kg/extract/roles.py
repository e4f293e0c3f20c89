"""Who did it, to whom, where: filling an action's roles.

Word order first, because the small parser's trees are often incoherent: Arabic news verbs open
their clause (verb–subject–object) or follow their subject (SVO); objects of prepositions take
the role the rules give the preposition. The dependency tree fills what word order leaves empty
(`nsubj` for the actor, `obj` for the target) when its dependent is a participant in the same
sentence. Only participants fill roles: abstract nouns (استعداد, مستوى) and clauses never do,
and a prepositional phrase headed by an abstract noun closes the verb's frame, since what
follows belongs to that noun (على مواصلة التعاون ... في سوريا).
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass, field, replace

from ..nlp import Token
from ..normalize import analyses, normalize
from ..rules import Action, Entity, Rules
from . import arabic
from .mentions import demonym
from .model import ActionHit, Event, How, Mention, Timex, Word
from .participants import demonym_noun, is_abstract, is_people, is_unit, plural_case, skip_count

FRAME_WORDS = 14  # a verb's arguments stand within this many words of it
CONTENT_POS = frozenset({"NOUN", "PROPN", "ADJ", "NUM", "X"})
AGENT_PHRASES = {("من", "قبل"): "actor"}  # passive agent: من قبل
PASSIVE_AGENT = "من قبل"
AIMED = frozenset({normalize("على"), "ضد"})
# verb endings that carry their subject (وا, ون, ن, ا)
PLURAL_AGREEMENT = frozenset({"mp", "fp", "md", "fd"})  # prepositions that name what an act is aimed at
NP_POS = frozenset({"NOUN", "PROPN", "X"})
RELATIVE = frozenset({"الذي", "التي", "الذين", "اللذين", "اللتين", "اللواتي"})
COPULAS = frozenset({"كان", "وكان", "كانت", "وكانت", "اصبح", "واصبح"})


class _Doc:
    """Lookups shared by every action of one document."""

    def __init__(
        self, words: Sequence[Word], mentions: Sequence[Mention], hits: Sequence[ActionHit],
        nominals: Sequence[ActionHit] = (),
    ) -> None:
        self.words = words
        self.event_nouns = {h.word for h in nominals}  # events, never participants
        self.deps: dict[int, str] = {}  # word -> the dependency relation of its parser token
        self.claimed: set[int] = set()  # first words of mentions an earlier verb took as an argument
        self.subjectless: set[int] = set()  # verbs whose clause names no subject at all (pro-drop)
        self.at = {m.first: m for m in mentions}
        self.ending = {m.last: m for m in mentions}
        self.action_words = {h.word for h in hits}
        self.in_time: set[int] = set()  # words of time expressions (ففي 9 يونيو أطلق: no subject)

    def passive_subject(self, j: int) -> bool:
        return self.deps.get(j) == "nsubj:pass"


def _conjuncts(d: _Doc, m: Mention) -> list[Mention]:
    """The mention and those coordinated after it with و (موسكو وواشنطن, المعارضة وعدة دول)."""
    out = [m]
    k = m.last + 1
    while k < len(d.words):
        w = d.words[k]
        if w.norm == "و":
            k += 1
            continue
        if k in d.at and d.at[k].conj == "و":
            out.append(d.at[k])
            k = d.at[k].last + 1
            continue
        if w.norm.startswith("و") and w.norm[1:] in arabic.QUANTIFIERS and k + 1 in d.at:
            out.append(d.at[k + 1])
            k = d.at[k + 1].last + 1
            continue
        people = _people_conjunct(d, k)
        if people is not None:
            out.append(people)  # تلاميذ ومدرسين: people no rule names, coordinated with و
            k = people.last + 1
            continue
        break
    return out


def _people_conjunct(d: _Doc, k: int) -> Mention | None:
    w = d.words[k]
    if len(w.norm) < 5 or w.text[:1] != "و" or k in d.action_words or k in d.event_nouns:
        return None
    if not is_people(w._replace(norm=w.norm[1:], split=False)):  # the parser split the و off
        return None
    last = _np_last(d, k)
    return Mention(start=w.start + 1, end=d.words[last].end, text="", first=k, last=last, kind="np", type="group",
                   entity=None, conj="و", rule="syntax:group")


def _agent_nps(d: _Doc, j: int) -> list[Mention]:
    """Noun phrases at j coordinated with و (تلاميذ ومدرسين), the conjunction left out of the span."""
    out: list[Mention] = []
    np = _np(d, j)
    while np is not None:
        out.append(np)
        k = np.last + 1
        if k >= len(d.words) or k in d.at:
            break
        w = d.words[k]
        if len(w.norm) < 3 or not w.norm.startswith("و") or w.pos not in NP_POS or k in d.action_words:
            break
        if w.text[:1] != "و":
            break  # a mark before the و: the span could not leave the conjunction out
        last = _np_last(d, k)
        np = Mention(start=w.start + 1, end=d.words[last].end, text="", first=k, last=last, kind="np",
                     type="thing", entity=None, conj="و", rule="syntax:noun-phrase")
    return out


def _apposition(d: _Doc, m: Mention) -> tuple[Mention, int]:
    """A title followed by a name stands for the name (وزير الخارجية الروسي سيرغي لافروف)."""
    nxt = d.at.get(m.last + 1)
    if m.entity is not None and m.entity.title and nxt is not None and nxt.type in {"person", "name"} and not nxt.conj:
        return replace(nxt, nationality=nxt.nationality or m.nationality), nxt.last
    return m, m.last


def _preverbal(d: _Doc, v: int, rules: Rules, conjoined: bool = False) -> tuple[list[Mention], bool]:
    """Subject before the verb: (mentions, found-something). A comma may separate a named subject.

    A verb with a glued و/ف (ونشرت) opens a clause of its own: the noun before it ends the clause
    before (… تاريخا اجراميا ونشرت), so it is no subject; a dropped one may come from that clause."""
    words = d.words
    if conjoined:
        return [], False
    j, comma = _word_before(d, v)
    if j < 0 or words[j].sent != words[v].sent or words[j].is_punct:
        return [], False
    if words[j].norm in RELATIVE and j > 0:
        return _antecedent(d, j, rules)
    m = d.ending.get(j)
    if m is not None and comma and m.first > 0:
        before = words[m.first - 1]
        if not (before.is_punct or before.norm in arabic.CLAUSE_OPENERS or before.norm in COPULAS):
            return [], False  # a name ending a phrase (على تخوم مدينة X ,) is not a subject
    if m is not None:
        return _mention_before(d, m, j, rules)
    w = words[j]
    if comma or w.norm in arabic.TIME_WORDS or _opener(w) or w.pos not in CONTENT_POS:
        return [], False
    if j > 0 and _is_prep(words[j - 1]):
        return [], False
    return _noun_before(d, j, rules)


def _word_before(d: _Doc, v: int) -> tuple[int, bool]:
    """The last word before the verb that can end its subject, past quotes, particles, time
    expressions and one comma: (its index, whether a comma was passed)."""
    words, j, comma = d.words, v - 1, False
    while j >= 0 and words[j].sent == words[v].sent:
        w = words[j]
        if w.text in arabic.QUOTES or w.norm in arabic.PREVERBAL or j in d.in_time:
            j -= 1
        elif w.text in ",،" and not comma:
            comma, j = True, j - 1
        else:
            break
    return j, comma


def _antecedent(d: _Doc, j: int, rules: Rules) -> tuple[list[Mention], bool]:
    """غوميري الذي قاد: the antecedent of a relative pronoun is the verb's subject."""
    k = j - 1 if not d.words[j - 1].is_punct else j - 2
    m = d.ending.get(k)
    if m is not None and not m.prep:  # shared with the main clause by design
        return [_apposition(d, m)[0]], True
    group = _group_ending(d, k, rules)  # المواطنين الشيعة الغاضبين، الذين يحتجون
    return ([group], True) if group is not None else ([], False)


def _mention_before(d: _Doc, m: Mention, j: int, rules: Rules) -> tuple[list[Mention], bool]:
    """A named subject before the verb, with the conjuncts before it (موسكو وواشنطن اتفقتا)."""
    first = m
    while first.conj == "و" and first.first - 1 in d.ending:
        first = d.ending[first.first - 1]
    if first.first > 0 and (first.prep or _is_prep(d.words[first.first - 1])):
        return _before_pp(d, first.first - (0 if first.prep else 1), rules)
    if first.first > 0 and _glued_prep(d.words[first.first - 1]) is not None:
        return _before_pp(d, first.first - 1, rules)  # متظاهرون بمدينة العريش قد حطموا
    if m.first in d.claimed:
        return [], False  # already the argument of an earlier verb: not this one's subject
    chain = [x for x in _conjuncts(d, first) if x.last <= j]
    return [_apposition(d, x)[0] for x in chain], True


def _noun_before(d: _Doc, j: int, rules: Rules) -> tuple[list[Mention], bool]:
    """A noun phrase no rule names ending right before the verb: a group, a definite noun
    phrase, or an abstract subject that takes the slot and gives no actor."""
    words = d.words
    start = j
    while start > 0 and words[start].pos == "ADJ" and words[start - 1].pos in CONTENT_POS:
        start -= 1
    if start > 0 and _is_prep(words[start - 1]):
        return [], False  # وفي واقعة منفصلة استهدف: a prepositional phrase, not a subject
    head = words[start]
    for k in (start - 2, start - 1, start):  # a count may stand before the head (ان 20 شخصا قتلوا)
        group = _group(d, k, rules) if k >= 0 and (k == 0 or not _is_prep(words[k - 1])) else None
        if group is not None and group.last == j:
            return [group], True
    if head.norm.startswith("ال") and head.pos in NP_POS and (start == 0 or not _is_prep(words[start - 1])):
        np = _np(d, start)
        if np is not None and np.last == j:
            return [np], True  # a definite noun phrase before its verb (المرأة قتلت)
    return [], True  # an abstract noun subject (هجوم استهدف ...): no actor, but the slot is taken


def _opener(w: Word) -> bool:
    """A clause opener, also with a glued و or ف (وبينما, فيما)."""
    n = w.norm
    return n in arabic.CLAUSE_OPENERS or (len(n) > 3 and n[0] in "وف" and n[1:] in arabic.CLAUSE_OPENERS)


def _before_pp(d: _Doc, p: int, rules: Rules) -> tuple[list[Mention], bool]:
    """The subject before a prepositional phrase that starts at word p and ends right before the
    verb (متظاهرون بمدينة العريش قد حطموا): a participant ending at p - 1, if any."""
    k = p - 1
    if k < 0 or d.words[k].sent != d.words[p].sent or d.words[k].is_punct:
        return [], False
    m = d.ending.get(k)
    if m is not None and (m.prep or m.first in d.claimed):
        return [], False  # وصل لودريان إلى طهران … ليبحث: the phrase is the earlier verb's
    if m is not None:
        return [m], True
    group = _group_ending(d, k, rules)
    return ([group], True) if group is not None else ([], False)


def _nominal_adj(d: _Doc, j: int, v: int) -> bool:
    """A definite word the parser tagged ADJ right after the verb or after a generic participant
    (which took its own adjectives): it heads a noun phrase (اعتقلت الشرطة الصحفي)."""
    w = d.words[j]
    before = d.ending.get(j - 1)
    after_agent = before is not None and before.kind == "agent"
    return w.pos == "ADJ" and w.norm.startswith("ال") and not w.split and (j == v + 1 or after_agent)


def _np(d: _Doc, j: int) -> Mention | None:
    """A noun phrase no rule names, as a participant: its head, a genitive, adjectives, a name."""
    words = d.words
    w = words[j]
    definite_adj = w.pos == "ADJ" and w.norm.startswith("ال")
    if (w.pos not in NP_POS and not definite_adj) or w.split or w.is_punct or j in d.action_words or _closed(w):
        return None
    last = _np_last(d, j)
    if j in d.event_nouns:
        return None  # an event noun (الهجوم) is an event, never a participant
    return Mention(
        start=w.start, end=words[last].end, text="", first=j, last=last, kind="np", type="thing", entity=None,
        rule="syntax:noun-phrase",
    )


def _group(d: _Doc, j: int, rules: Rules) -> Mention | None:
    """A noun phrase at j that names participants by its head (participants.py): counted
    (سبعة أشخاص), a demonym used as a noun (أوروبيين), or a plural of people (المتظاهرون)."""
    words = d.words
    h = skip_count(words, j)
    counted = h > j
    if j in d.in_time or h in d.in_time or (counted and is_unit(words[h])):
        return None  # 24 تشرين, 42 مليون يورو, 45 دقيقة: a date or an amount
    m = d.at.get(h)
    if m is not None:
        # عشرات المتظاهرين, 125 ألف متظاهر: the count joins the participant the rules name
        if not counted or m.prep or m.conj:
            return None
        if m.kind == "name":  # 13 عراقياً: a counted word the parser took for a name is a group
            return replace(m, start=words[j].start, first=j, text="", kind="np", type="group", rule="syntax:group")
        return replace(m, start=words[j].start, first=j, text="")
    w = words[h]
    if w.pos not in CONTENT_POS or w.is_punct or w.split or h in d.action_words or h in d.event_nouns or _closed(w):
        return None
    nationality = demonym_noun(w, rules)
    people = nationality is not None or is_people(w)
    if not (counted or people):
        return None
    # a count of things (خمس قذائف, عدد من الشروط) fills a role like people do, but is no group
    return Mention(start=words[j].start, end=words[_np_last(d, h)].end, text="", first=j, last=_np_last(d, h),
                   kind="np", type="group" if people else "thing", entity=None, nationality=nationality,
                   rule="syntax:group")


def _group_ending(d: _Doc, k: int, rules: Rules) -> Mention | None:
    """A group noun phrase that ends at word k (its head at most three words back)."""
    for start in range(max(0, k - 3), k + 1):
        before = d.words[start - 1] if start > 0 else None
        if before is not None and _is_prep(before) and before.norm != "من":
            continue  # (مجموعات من المواطنين: a partitive من keeps the group the subject)
        if before is not None and before.sent == d.words[k].sent and before.pos in ("NOUN", "ADJ", "PROPN") \
                and (before.pos == "ADJ" or before.norm.startswith("ال")) and not _is_prep(before):
            continue  # وزير الخارجية الفرنسي: after a definite word it qualifies (صفوف العلمانيين does not)
        group = _group(d, start, rules)
        if group is None or group.last > k:
            continue
        rest = d.words[group.last + 1 : k + 1]
        # المواطنين الشيعة الغاضبين: definite words after a definite head qualify it
        if all(x.norm.startswith("ال") and x.pos in CONTENT_POS and not x.split for x in rest):
            return replace(group, last=k, end=d.words[k].end) if rest else group
    return None


def _np_last(d: _Doc, j: int) -> int:
    """Where the noun phrase headed at j ends: adjectives, names, a genitive after a bare head."""
    words = d.words
    w = words[j]
    last = j
    for k in range(j + 1, min(j + 4, len(words))):
        x = words[k]
        if x.is_punct or x.split or k in d.action_words or _closed(x) or x.norm.startswith("و"):
            break
        m = d.at.get(k)
        if m is not None and m.kind != "name":
            if k == j + 1 and not m.prep and not m.conj and not w.norm.startswith("ال") and is_people(w):
                last = m.last  # عناصر الشرطة الأفغانية: a genitive the rules name completes a group's head
            break
        # a genitive only after a head without the article (خبراء الأمن, not المؤسسة نسخة) and
        # without the ن of a sound plural (مسلحون مدرسة: the construct state would be مسلحو)
        construct = not w.norm.startswith("ال") and not (len(w.norm) > 4 and w.norm.endswith(("ون", "ين")))
        if {plural_case(words[last]), plural_case(x)} == {"ون", "ين"}:
            break  # مفجرون انتحاريون سياسيين: an adjective agrees in case, so ين after ون is a new phrase
        if x.pos == "ADJ" or x.pos == "PROPN" or (x.pos == "NOUN" and k == j + 1 and construct):
            last = k
            if m is not None:
                last = max(last, m.last)
            continue
        break
    return last


def _object_follows(d: _Doc, k: int) -> bool:
    """Another noun phrase right after the first one (استهدف مفجر انتحاري مركزا): then the first
    is the subject even when indefinite."""
    while k < len(d.words) and (d.words[k].norm in arabic.TIME_WORDS or d.words[k].norm in arabic.ADVERBS):
        k += 1
    if k >= len(d.words) or k in d.action_words or k in d.event_nouns:
        return False
    w = d.words[k]
    return not w.is_punct and not w.split and w.pos in NP_POS and not _closed(w) and not _is_prep(w)


def _definite(d: _Doc, np: Mention) -> bool:
    """Definite by article, by a definite genitive (خبراء الأمن, ولاية كارولينا), or a name:
    indefinite nouns after a verb are mostly its object with the subject dropped (شنت ضربات)."""
    head = d.words[np.first]
    if head.norm.startswith("ال") or head.pos == "PROPN":
        return True
    nxt = d.words[np.first + 1] if np.first + 1 < len(d.words) else None
    return nxt is not None and np.last > np.first and (
        (nxt.norm.startswith("ال") and nxt.pos in NP_POS) or nxt.pos == "PROPN")


def _past_genitive(d: _Doc, m: Mention, j: int) -> int:
    """After a generic participant in the construct state (شرطة بريتيش كولومبيا, رئيس روسيا: a
    head without the article), the name right after it is its genitive, not another participant:
    where the verb's phrases go on."""
    head = d.words[m.last]
    nxt = d.at.get(j)
    if m.kind != "agent" or m.last != m.first or head.norm.startswith("ال"):
        return j
    end = m.last
    # one name, or a name the gazetteer cut in two (بريتيش + كولومبيا)
    while nxt is not None and not nxt.prep and not nxt.conj and nxt.kind != "agent" and nxt.first == end + 1 \
            and not d.words[nxt.first].split:
        end = nxt.last
        nxt = d.at.get(end + 1)
    return max(j, end + 1)


def _closed(w: Word) -> bool:
    n = w.norm
    return (
        n in arabic.PREPOSITIONS or n in arabic.CLAUSE_OPENERS or n in arabic.NEGATIONS or n in arabic.TIME_WORDS
        or n in arabic.PRONOUNS or n in arabic.QUANTIFIERS or n in arabic.ADVERBS or n in arabic.PREVERBAL
    )


def _is_prep(w: Word) -> bool:
    n = w.norm
    return n in arabic.PREPOSITIONS or (len(n) > 2 and n[0] in "وف" and n[1:] in arabic.PREPOSITIONS)


def _preposition(d: _Doc, j: int) -> tuple[str, int] | None:
    """A preposition at word j and where its object starts: a free one (على), من قبل (a passive's
    agent), ب/ل glued to a place head (بريف), or glued to the mention it introduces (بحمص)."""
    words = d.words
    w = words[j]
    m = d.at.get(j)
    if m is not None:
        return (m.prep, j) if m.prep else None
    if j + 1 < len(words) and (w.norm, words[j + 1].norm) in AGENT_PHRASES:
        return PASSIVE_AGENT, j + 2
    if skip_count(words, j) > j:
        return None  # نحو 200 متظاهر: "about", not "towards"
    if _is_prep(w):
        return w.norm, j + 1
    glued = _glued_prep(w)
    return (glued[0], j + 1) if glued is not None else None


def _object_of(d: _Doc, j: int) -> tuple[Mention | None, int]:
    """The mention a preposition governs, over a place head between them (بريف ادلب)."""
    if j < len(d.words) and j not in d.at and d.words[j].norm in arabic.PLACE_HEADS:
        j += 1
    return d.at.get(j), j


def _glued_prep(w: Word) -> tuple[str, str] | None:
    """(preposition, stem) when the word is ب/ل/ك glued to a place head (بريف, بمحافظة)."""
    for a in analyses(w.norm):
        if a.prep and a.stem in arabic.PLACE_HEADS:
            return a.prep, a.stem
    return None


def _fits(rules: Rules, role: str, m: Mention) -> bool:
    allowed = rules.role_types.get(role)
    return allowed is None or m.type in allowed


FORCE = ("18", "19", "20")  # CAMEO assault, fight, mass violence: their targets are places


def _as_participant(rules: Rules, m: Mention, role: str = "actor", action: Action | None = None) -> Mention:
    """A capital as actor or target stands for its country's government, if the rules say so;
    not as the target of force (الهجوم على دمشق hits the city)."""
    if m.entity is None or rules.capitals_as != "country" or m.entity.id not in rules.capital_of:
        return m
    if role == "target" and action is not None and (action.cameo or "").startswith(FORCE):
        return m
    country = rules.capital_of[m.entity.id]
    return replace(m, entity=country, type=country.type, rule=f"{m.rule} (capital of {country.id})")


PHYSICAL = ("14", "15", "17", *FORCE)  # CAMEO protest, force posture, coercion and force


def _takes_objects(hit: ActionHit) -> bool:
    """Whether a common noun that is not people is a target as this verb's object: for physical
    acts (فجروا الطريق, أحرقوا سيارة). Other verbs' objects are mostly what is said, discussed or
    decided (أكد ضرورة, بحث الأزمة), which are never targets."""
    return not hit.action.light and (hit.action.cameo or "").startswith(PHYSICAL)


def _intransitive(hit: ActionHit) -> bool:
    """Demonstrating, rallying, striking (CAMEO 14 but blockades 144 and riots 145) take no object."""
    code = hit.action.cameo or ""
    return code.startswith("14") and not code.startswith(("144", "145"))


def _casualties(d: _Doc, hit: ActionHit, j: int, saw_subject: bool) -> bool:
    """قتل 20 شخصا, أصيب ثلاثة: a force verb opening its clause and followed by a count reads as
    a passive in news (the vowels that would say so are not written); the count is the target."""
    return not saw_subject and (hit.action.cameo or "").startswith(FORCE) and skip_count(d.words, j) > j


def _pp_participant(d: _Doc, hit: ActionHit, rules: Rules, prep: str, j: int) -> Mention | None:
    """The object of a preposition no rule names: people (على المصلين, ل 20 شخصا), and after
    على, ضد and مع a concrete noun phrase (ألقى قنبلة على مقر الحزب); abstract ones close the frame
    (اتفقت على مواصلة التعاون)."""
    if _role_of(rules, hit, prep) != "target":
        return None
    group = _group(d, j, rules)
    if group is not None or not (prep in AIMED or prep == "مع") or not _takes_objects(hit) or is_abstract(d.words[j]):
        return group
    return _np(d, j)


def _agent_of_event_noun(d: _Doc, rules: Rules, j: int) -> Mention | None:
    """Who did the event an action is aimed at: احتجوا ضد الغارات الإسرائيلية, ردت على هجمات
    إسرائيل: the nationality adjective or the named genitive right after the event noun at j."""
    k = j + 1
    if k >= len(d.words) or d.words[k].sent != d.words[j].sent:
        return None
    w = d.words[k]
    country = demonym(rules, w)
    if country is not None:
        return _demonym_mention(w, country)
    m = d.at.get(k)
    return m if m is not None and m.kind == "entity" and not m.prep else None


def _demonym_mention(w: Word, country: Entity) -> Mention:
    """The country a nationality adjective names (الإسرائيلية), as a mention of that one word."""
    return Mention(start=w.start, end=w.end, text="", first=w.i, last=w.i, kind="entity", type=country.type,
                   entity=country, rule=f"{country.source} (demonym)")


def _role_of(rules: Rules, hit: ActionHit, prep: str) -> str | None:
    if hit.action.motion and prep in rules.motion_prepositions:
        return "location"
    return rules.prepositions.get(prep)


@dataclass(slots=True)
class _Frame:
    """One verb's frame while it is read left to right: the roles found and the slots filled."""

    d: _Doc
    hit: ActionHit
    rules: Rules
    j: int  # the word being read
    limit: int
    roles: dict[str, list[Mention]] = field(default_factory=lambda: {"actor": [], "target": [], "location": []})
    subject_done: bool = False
    object_done: bool = False
    saw_subject: bool = False  # any subject, participant or not: then nothing was dropped
    passive_read: bool = False  # the noun after the verb was read as the one acted on
    pre_subject: bool = False  # the actor stands before the verb
    by_agent: list[Mention] = field(default_factory=list)  # actors named by من قبل (a passive's agent)
    aimed: list[Mention] = field(default_factory=list)  # targets named by على or ضد

    @property
    def v(self) -> int:
        return self.hit.word


NEXT, STOP = "next", "stop"  # what a step says: go on at f.j, or the frame ends here


def frame(d: _Doc, hit: ActionHit, rules: Rules) -> dict[str, list[Mention]]:
    """The roles of one verb: the subject before it, then its phrases after it, one step each."""
    f = _open_frame(d, hit, rules)
    while f.j < f.limit and d.words[f.j].sent == d.words[f.v].sent:
        verdict = next((r for step in _STEPS if (r := step(f)) is not None), None)
        if verdict == STOP:
            break
        if verdict is None:
            f.j += 1
    _close_frame(f)
    return f.roles


def _open_frame(d: _Doc, hit: ActionHit, rules: Rules) -> _Frame:
    words, v = d.words, hit.word
    f = _Frame(d, hit, rules, j=v + 1, limit=min(len(words), v + 1 + FRAME_WORDS), object_done=hit.object_suffix)
    resumptive = v + 1 < len(words) and words[v + 1].norm in arabic.RESUMPTIVE
    if not hit.object_suffix and not resumptive:
        norm = words[v].norm
        pre, found = _preverbal(d, v, rules, conjoined=norm[:1] in ("و", "ف") and norm[1:] == hit.form)
        f.roles["actor"].extend(pre)
        f.subject_done = f.saw_subject = found
        f.pre_subject = bool(pre)
    if hit.agreement in PLURAL_AGREEMENT and not hit.nominal:
        # اغلقوا الشوارع: a verb before its subject is singular, so a plural ending is the subject
        # itself (a pronoun) and the noun after it is the object
        f.subject_done = True
    return f


def _step_skip(f: _Frame) -> str | None:
    """Quotes, clause openers and other verbs end the frame; punctuation, time and adverbs are passed."""
    d, w, j = f.d, f.d.words[f.j], f.j
    if w.text in arabic.QUOTES or w.text in ":؛;" or j in d.action_words or w.norm in arabic.CLAUSE_OPENERS:
        return STOP
    if w.is_punct or w.norm in arabic.TIME_WORDS or w.norm in arabic.ADVERBS or w.norm in arabic.PREVERBAL \
            or (j in d.in_time and not _is_prep(w)):  # (منذ ايام still closes the frame)
        f.j += 1
        return NEXT
    if w.norm in arabic.RESUMPTIVE or w.norm in arabic.QUANTIFIERS:
        f.j += 1
        return NEXT
    return None


def _step_preposition(f: _Frame) -> str | None:
    """A prepositional phrase: its object takes the preposition's role (من قبل: the actor)."""
    d, hit, v = f.d, f.hit, f.v
    pp = _preposition(d, f.j)
    if pp is None:
        return None
    at = f.j
    prep, f.j = pp
    if prep == PASSIVE_AGENT and f.subject_done and at > v + 1 and not f.passive_read \
            and (at - 1 in d.event_nouns or any(h in d.event_nouns for h in range(v + 1, at))):
        return STOP  # من قبل after an event noun is that noun's agent (ادانات من قبل موسكو)
    m, f.j = _object_of(d, f.j)
    if m is None and prep in AIMED and f.j in d.event_nouns:
        # aimed at an event (ضد الغارات الإسرائيلية): at whoever did it; the rest is the noun's own
        agent = _agent_of_event_noun(d, f.rules, f.j) if _role_of(f.rules, hit, prep) == "target" else None
        if agent is not None:
            _take_object_of_preposition(f, prep, agent)
        return STOP
    if m is None and prep != PASSIVE_AGENT and f.j < len(d.words):
        m = _pp_participant(d, hit, f.rules, prep, f.j)
    if m is None and prep == PASSIVE_AGENT and f.j < len(d.words):
        # أرسلت من قبل تلاميذ ومدرسين: a passive's agent is a participant even when no rule names it
        agents = _agent_nps(d, f.j)
        f.roles["actor"].extend(agents)
        f.by_agent.extend(agents)
        if agents:
            f.subject_done = f.saw_subject = True
            f.j = agents[-1].last + 1
            return NEXT
    if m is None:
        return STOP  # an abstract prepositional phrase: what follows is its own
    _take_object_of_preposition(f, prep, m)
    return NEXT


def _take_object_of_preposition(f: _Frame, prep: str, m: Mention) -> None:
    role = "actor" if prep == PASSIVE_AGENT else _role_of(f.rules, f.hit, prep)
    chain = _conjuncts(f.d, m)
    if prep == PASSIVE_AGENT:
        f.by_agent.extend(chain)
    f.subject_done = True  # in verb-subject order the subject comes before the verb's phrases
    if role is not None and not _fits(f.rules, role, m):
        role = None
    if role is not None:
        for x in chain:
            f.roles[role].append(_apposition(f.d, x)[0])
            if role == "target" and prep in AIMED:
                f.aimed.append(f.roles[role][-1])
    f.j = max(_apposition(f.d, x)[1] for x in chain) + 1


def _step_mention(f: _Frame) -> str | None:
    """A participant the rules or the parser name: the place of a visit, else the next open slot."""
    d = f.d
    m = d.at.get(f.j)
    if m is None:
        return None
    if f.hit.action.motion and _fits(f.rules, "location", m) and not m.prep:
        f.roles["location"].extend(_conjuncts(d, m))  # زار كامشاتكا: the place visited is where
        f.j = max(x.last for x in _conjuncts(d, m)) + 1
        return NEXT
    chain = _conjuncts(d, m)
    slot = "actor" if not (f.subject_done or f.passive_read) else ("target" if not f.object_done else None)
    f.saw_subject = f.saw_subject or slot == "actor"
    if slot is not None:
        f.roles[slot].extend(_apposition(d, x)[0] for x in chain)
        f.subject_done = f.subject_done or slot == "actor"
        f.object_done = f.object_done or slot == "target"
    f.j = _past_genitive(d, chain[-1], max(_apposition(d, x)[1] for x in chain) + 1)
    return NEXT


def _step_np_link(f: _Frame) -> str | None:
    """المتحدث باسم الشرطة: the phrase after باسم completes the one before; go on after it."""
    d, words = f.d, f.d.words
    if words[f.j].norm not in arabic.NP_LINKS or f.j <= f.v + 1:
        return None
    f.j += 1
    if f.j < f.limit and words[f.j].norm == "عن":
        f.j += 1  # نيابة عن
    if f.j >= f.limit:
        return STOP
    after = d.at.get(f.j)
    f.j = (max(x.last for x in _conjuncts(d, after)) if after is not None else _np_last(d, f.j)) + 1
    return NEXT


def _step_word(f: _Frame) -> str | None:
    """A glued preposition on an abstract noun ends the frame (باستخدام); an adjective is passed
    (but سياسيين can stand for people, and a definite one right after the verb for a noun)."""
    w = f.d.words[f.j]
    if w.split:
        return STOP
    if w.pos == "ADJ" and _group(f.d, f.j, f.rules) is None and not _nominal_adj(f.d, f.j, f.v):
        f.j += 1
        return NEXT
    return None


def _step_noun(f: _Frame) -> str | None:
    """A noun phrase no rule names: the one acted on of a passive, the subject, or the object."""
    d, hit, j, w = f.d, f.hit, f.j, f.d.words[f.j]
    if not (w.pos in CONTENT_POS or skip_count(d.words, j) > j):
        return STOP if w.pos == "VERB" else None
    if f.subject_done and f.object_done:
        return STOP  # a third noun phrase: what follows modifies it, not the verb
    group = _group(d, j, f.rules)
    if not f.subject_done and (d.passive_subject(j) or hit.passive or _casualties(d, hit, j, f.saw_subject)):
        # a passive (اعتقل الصحفي, اغتيل, قتل 20 شخصا): that noun is the one acted on, and the
        # agent may follow with من قبل
        np = group or _np(d, j)
        f.object_done = f.saw_subject = f.passive_read = True
        if np is not None:
            f.roles["target"].append(np)
        f.j = (np.last if np is not None else _np_last(d, j)) + 1
        return NEXT
    if not f.subject_done:
        verdict, target = _subject_or_object(f, group)
        if verdict is not None:
            return verdict
    else:
        f.object_done = True
        target = group or (_np(d, j) if _takes_objects(hit) and not is_abstract(w) else None)
    if j in d.event_nouns and not hit.action.requires:
        return STOP  # دانت الهجوم على دمشق: what follows an event noun is the noun's (شن ضربات على … is not)
    f.j = (target.last if target is not None else _np_last(d, j)) + 1
    if target is not None:
        f.roles["target"].append(target)
    return NEXT


def _subject_or_object(f: _Frame, group: Mention | None) -> tuple[str | None, Mention | None]:
    """The first noun phrase after the verb: its subject (definite, people, or followed by the
    object), the subject of a protest verb whatever it is, else its object with the subject dropped
    (شنت ضربات)."""
    d, hit, j = f.d, f.hit, f.j
    f.subject_done = True
    np = group or _np(d, j)
    if np is not None and (group is not None or hit.object_suffix or _definite(d, np)
                           or _object_follows(d, np.last + 1)):
        # (the object pronoun of نفذه took the object: an indefinite noun is the subject)
        f.saw_subject = True
        f.roles["actor"].append(np)
        f.j = np.last + 1
        return NEXT, None
    if _intransitive(hit):
        f.saw_subject = True  # احتشدت مجموعات: a protest verb has no object to take
        if np is not None:
            f.roles["actor"].append(np)
        f.j = (np.last if np is not None else _np_last(d, j)) + 1
        return NEXT, None
    f.object_done = True
    return None, np if _takes_objects(hit) and not is_abstract(d.words[j]) else None


_STEPS = (_step_skip, _step_preposition, _step_mention, _step_np_link, _step_word, _step_noun)


def _close_frame(f: _Frame) -> None:
    """What the whole clause decides: the means against what على names, and the passive."""
    roles = f.roles
    if f.aimed:
        # ألقى قنبلة على مقر: where على names what it is aimed at, the direct object is the means
        roles["target"] = [m for m in roles["target"] if m.kind != "np" or m.type == "group" or m in f.aimed]
    killing = (f.hit.action.cameo or "").startswith("18")
    if f.hit.passive or f.by_agent or (f.pre_subject and not f.object_done and killing):
        # أصيب جنديان; واعتقل الصحفي من قبل الشرطة; ان شخصا قتل (a killing verb with a subject
        # and no object reads as a passive): the subject is the one acted on, من قبل gives the actor
        patients = [m for m in roles["actor"] if m not in f.by_agent]
        roles["target"] = [*patients, *roles["target"]]
        roles["actor"] = [m for m in roles["actor"] if m in f.by_agent]
        f.saw_subject = True
    if not f.saw_subject and not roles["actor"]:
        f.d.subjectless.add(f.v)


NOMINAL_WORDS = 7  # an event noun's arguments follow it closely


def nominal_frame(d: _Doc, hit: ActionHit, rules: Rules) -> dict[str, list[Mention]]:
    """Arguments of an event noun: a nationality adjective is the actor (الضربات الأمريكية), the
    genitive is the actor or, for a place, the location (زيارة تيلرسون, هجوم خان شيخون), and
    prepositions give their roles (على سوريا, في حمص)."""
    words = d.words
    n = hit.word
    roles: dict[str, list[Mention]] = {"actor": [], "target": [], "location": []}
    j = n + 1
    while j < min(len(words), n + 1 + NOMINAL_WORDS) and words[j].sent == words[n].sent:
        w = words[j]
        if w.is_punct or w.norm in arabic.CLAUSE_OPENERS or j in d.action_words:
            break
        country = demonym(rules, w)
        if country is not None:
            roles["actor"].append(_demonym_mention(w, country))
            j += 1
            continue
        m = d.at.get(j) if j != n + 1 else (_group(d, j, rules) or d.at.get(j))
        if m is not None and m.kind == "agent" and m.first == m.last and w.pos == "ADJ":
            m = None  # هجوم مسلح: an adjective the rules also know as a participant (مسلح) qualifies the noun
        if m is not None and not m.prep and j == n + 1:
            genitive = "location" if m.type in rules.role_types.get("location", frozenset()) else _genitive(hit)
            roles[genitive].extend(_conjuncts(d, m))
            j = m.last + 1
            continue
        pp = _preposition(d, j)
        if pp is not None:
            prep, j = pp
            m, j = _object_of(d, j)
            if m is None and prep != PASSIVE_AGENT and j < len(words):
                m = _pp_participant(d, hit, rules, prep, j)
            if m is None:
                break
            role: str | None = "actor" if prep == PASSIVE_AGENT else rules.prepositions.get(prep)
            if role is not None and _fits(rules, role, m):
                roles[role].extend(_conjuncts(d, m))
            j = max(x.last for x in _conjuncts(d, m)) + 1
            continue
        if w.pos == "ADJ":
            j += 1
            continue
        break
    return roles


def _genitive(hit: ActionHit) -> str:
    """The role of an event noun's genitive: the one acted on for killing, wounding, abduction
    and arrest (مقتل سبعة أشخاص, اغتيال الوزير, اعتقال الصحفي), else the one who acts (زيارة
    تيلرسون, هجوم المسلحين)."""
    return "target" if (hit.action.cameo or "").startswith(("17", "18")) else "actor"


def _feminine(m: Mention) -> bool:
    """Grammatical gender of a participant, as a verb that refers back to it would show it."""
    name = normalize(m.entity.label_ar if m.entity is not None and m.kind == "entity" else m.text)
    if m.type in ("country", "city"):
        # روسيا, فرنسا, الولايات المتحدة are feminine; العراق, الأردن, السودان are not
        return name.endswith(("ا", "ه")) or not name.startswith("ال")
    return name.endswith("ه")


def _agrees(agreement: str, actors: Sequence[Mention]) -> bool:
    """Whether a verb form can refer back to these actors (a dropped subject)."""
    if not agreement or not actors:
        return False
    gender, number = agreement[0], agreement[1]
    if len(actors) == 2:
        return number in ("d", "p")
    if len(actors) > 2:
        return number == "p" or agreement == "fs"
    if actors[0].type == "group" and number == "p":
        return True  # المسلحون … واعتقلوا: a group is referred back to in the plural
    return number == "s" and (gender == "f") == _feminine(actors[0])


def _dropped_subjects(
    d: _Doc, hits: Sequence[ActionHit], found: list[dict[str, list[Mention]]], hows: list[How]
) -> None:
    """A verb with no subject takes the actors of the verb before it in the sentence, if it agrees
    with them (ردت واشنطن … حيث شنت; وصل تيلرسون … ليبحث)."""
    for k, hit in enumerate(hits):
        if hit.word not in d.subjectless or found[k]["actor"]:
            continue
        sent = d.words[hit.word].sent
        for j in range(k - 1, -1, -1):
            if d.words[hits[j].word].sent != sent:
                break
            # the nearest earlier verb whose subject agrees (وقال الوزير إن بلاده ستدعم …، وأكد)
            if found[j]["actor"] and _agrees(hit.agreement, found[j]["actor"]):
                found[k]["actor"] = list(found[j]["actor"])
                hows[k] |= How.DROPPED_SUBJECT
                break


RESUMED_GAP = 3  # words between an event noun and a verb that refers back to it (هجوم مسلح نفذه)


def _light_verbs(
    d: _Doc, hits: Sequence[ActionHit], nominals: Sequence[ActionHit], found: list[dict[str, list[Mention]]],
    hows: list[How],
) -> None:
    """تمكن الجيش من السيطرة, شارك آلاف في مظاهرة, هجوم نفذه متطرف: the subject of a light or
    support verb acts in the event noun it governs, or in the one its object pronoun refers to."""
    offset = len(hits)
    for k, hit in enumerate(hits):
        if not (hit.action.light or hit.action.support) or not found[k]["actor"]:
            continue
        n = _resumed_noun(d, hit, nominals)
        if n is None:
            n = _governed_noun(d, hit, max([hit.word, *(m.last for m in found[k]["actor"])]), nominals)
        if n is not None and not found[offset + n]["actor"]:
            found[offset + n]["actor"] = list(found[k]["actor"])
            hows[offset + n] |= How.LIGHT_VERB


def _purpose_nouns(
    d: _Doc, hits: Sequence[ActionHit], nominals: Sequence[ActionHit], found: list[dict[str, list[Mention]]],
    hows: list[How],
) -> None:
    """تجمع 40 متظاهرا … للاحتجاج: an event noun of purpose (ل + verbal noun) is done by the
    subject of the verb before it in the sentence."""
    offset = len(hits)
    for n, noun in enumerate(nominals):
        roles = found[offset + n]
        w = d.words[noun.word]
        if roles["actor"] or not any(a.prep == "ل" for a in analyses(w.norm) if a.stem.endswith(noun.form)):
            continue
        before = [k for k, h in enumerate(hits) if h.word < noun.word and d.words[h.word].sent == w.sent]
        if before and found[before[-1]]["actor"]:
            roles["actor"] = list(found[before[-1]]["actor"])
            hows[offset + n] |= How.PURPOSE


def _governed_noun(d: _Doc, hit: ActionHit, after: int, nominals: Sequence[ActionHit]) -> int | None:
    """The first event noun after the verb's subject in its clause, with no verb between (تمكن
    الجيش من السيطرة, قام سيغال التي … بزيارات, خرج المئات … في تظاهرة)."""
    for n, noun in enumerate(nominals):
        if after < noun.word <= after + FRAME_WORDS and d.words[noun.word].sent == d.words[hit.word].sent:
            between = range(hit.word + 1, noun.word)
            return None if any(k in d.action_words for k in between) else n
    return None


def _resumed_noun(d: _Doc, hit: ActionHit, nominals: Sequence[ActionHit]) -> int | None:
    """هجوم مسلح نفذه متطرف, تظاهرة نظمتها حركة: a verb whose object pronoun follows an event noun
    closely is that noun's relative clause."""
    if not hit.object_suffix:
        return None
    for n, noun in enumerate(nominals):
        if hit.word - RESUMED_GAP <= noun.word < hit.word and d.words[noun.word].sent == d.words[hit.word].sent:
            return n
    return None


# The verb's dependents that fill a role: a passive subject (قُتل 4 جنود: nsubj:pass) is what the
# verb was done to, not who did it
_TREE_ROLES: tuple[tuple[str, Callable[[str], bool]], ...] = (
    ("actor", lambda dep: dep.split(":")[0] == "nsubj" and not dep.endswith(":pass")),
    ("target", lambda dep: dep == "nsubj:pass" or dep.split(":")[0] == "obj"),
)


def _from_tree(
    d: _Doc, hit: ActionHit, kids: dict[int, list[Token]], tok_word: dict[int, int], roles: dict[str, list[Mention]]
) -> bool:
    """Fill an empty actor or target from the verb's nsubj/obj (among `kids`, each head's
    dependents in token order), where the tree is coherent."""
    host = d.words[hit.word].token
    if host < 0 or host not in kids:
        return False
    used = False
    by_word: dict[int, Mention] | None = None  # the mentions as they stand now (frames add some)
    for role, fits in _TREE_ROLES:
        if roles[role] or (role == "target" and hit.object_suffix):
            continue
        for t in kids[host]:
            if t.i == host or not fits(t.dep):
                continue
            wi = tok_word.get(t.i)
            if wi is None or d.words[wi].sent != d.words[hit.word].sent or wi in d.action_words:
                continue
            if by_word is None:
                by_word = {k: m for m in d.at.values() for k in range(m.first, m.last + 1)}
            m = by_word.get(wi)
            if m is None or m.prep:
                continue
            if any(m.start < x.end and x.start < m.end for lst in roles.values() for x in lst):
                continue  # already in a role, or part of one (4 جنود: جنود), maybe with a title's nationality
            roles[role].append(_apposition(d, m)[0])
            used = True
            break
    return used


def _time_of(words: Sequence[Word], hit: ActionHit, hits: Sequence[ActionHit], times: Sequence[Timex]) -> Timex | None:
    """The time expression of the verb's clause: between the actions around it, nearest first."""
    v = hit.word
    sent = words[v].sent
    before = max((h.word for h in hits if h.word < v and words[h.word].sent == sent), default=-1)
    after = min((h.word for h in hits if h.word > v and words[h.word].sent == sent), default=len(words))
    near = [t for t in times if words[t.first].sent == sent and before < t.first and t.last < after
            # a time before the verb belongs to it only within its clause (not across حيث, أن …)
            and (t.first > v or not any(w.norm in arabic.CLAUSE_OPENERS for w in words[t.last + 1 : v]))]
    return min(near, key=lambda t: (abs(t.first - v), t.first), default=None)


def fill_roles(
    words: Sequence[Word],
    mentions: Sequence[Mention],
    hits: Sequence[ActionHit],
    rules: Rules,
    tokens: Sequence[Token] = (),
    text: str = "",
    times: Sequence[Timex] = (),
    nominals: Sequence[ActionHit] = (),
) -> list[Event]:
    d = _Doc(words, mentions, hits, nominals)
    d.in_time = {k for t in times for k in range(t.first, t.last + 1)}
    tok_word = {w.token: w.i for w in words if w.token >= 0}
    kids: dict[int, list[Token]] = {}
    for t in tokens:
        kids.setdefault(t.head, []).append(t)
    d.deps = {w.i: tokens[w.token].dep for w in words if 0 <= w.token < len(tokens)}
    spans: dict[int, tuple[int, int]] = {}
    for w in words:
        s0, e0 = spans.get(w.sent, (w.start, w.end))
        spans[w.sent] = (min(s0, w.start), max(e0, w.end))
    found: list[dict[str, list[Mention]]] = []
    hows: list[How] = []
    for hit in hits:
        roles = frame(d, hit, rules)
        how = How.ORDER
        if tokens and _from_tree(d, hit, kids, tok_word, roles):
            how |= How.TREE
        d.claimed.update(m.first for lst in roles.values() for m in lst)
        found.append(roles)
        hows.append(how)
    _dropped_subjects(d, hits, found, hows)
    for hit in nominals:
        found.append(nominal_frame(d, hit, rules))
        hows.append(How.NOMINAL)
    _light_verbs(d, hits, nominals, found, hows)
    _purpose_nouns(d, hits, nominals, found, hows)
    events = [_event(hit, roles, how, rules, words, text, spans, _time_of(words, hit, hits, times))
              for hit, roles, how in zip([*hits, *nominals], found, hows, strict=True)
              if not hit.action.light]  # a light verb is no event: its subject went to the event it governs
    return sorted(events, key=lambda e: e.start)


def _event(
    hit: ActionHit, roles: dict[str, list[Mention]], how: How, rules: Rules, words: Sequence[Word], text: str,
    spans: dict[int, tuple[int, int]], time: Timex | None,
) -> Event:
    """The event of one action, its participants fitted to their roles (a capital for its country)."""
    for role in ("actor", "target"):
        roles[role] = [_as_participant(rules, m, role, hit.action) for m in roles[role] if _fits(rules, role, m)]
    roles["location"] = [m for m in roles["location"] if _fits(rules, "location", m)]
    if text:
        for lst in roles.values():
            lst[:] = [m if m.text else replace(m, text=text[m.start : m.end]) for m in lst]
    w = words[hit.word]
    return Event(
        start=w.start, end=w.end, text=text[w.start : w.end] if text else w.text, action=hit.action, sent=w.sent,
        sent_start=spans[w.sent][0], sent_end=spans[w.sent][1], actors=tuple(_dedupe(roles["actor"])),
        targets=tuple(_dedupe(roles["target"])), locations=tuple(_dedupe(roles["location"])), negated=hit.negated,
        how=how, modality=hit.modality, time=time, nominal=hit.nominal,
    )


def _dedupe(ms: list[Mention]) -> list[Mention]:
    seen: set[tuple[int, int]] = set()
    out = []
    for m in ms:
        if (m.start, m.end) not in seen:
            seen.add((m.start, m.end))
            out.append(m)
    return out
