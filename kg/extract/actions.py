"""Actions from the rules' verb lexicon, found on normalised surface forms whatever the tag.

The small parser tags verbs it never saw as nouns or names (عرقلت, شنت), so the lexicon decides.
Each action lists past and present stems of the 3rd person masculine singular; the inflected
forms news uses (persons, numbers, object pronouns, the future س and purpose ل) are derived here.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from functools import lru_cache
from typing import NamedTuple

from ..normalize import analyses, normalize
from ..rules import Action, Rules
from . import arabic
from .model import ActionHit, Mention, Word
from .participants import begins_group

PAST_SUBJECT = ("", "ت", "تا", "وا", "ا", "نا", "تم", "تن", "ن")
PRESENT_PREFIX = ("ي", "ت", "ن", "ا")
PRESENT_SUFFIX = ("", "ون", "ان", "ين", "ن", "وا")
OBJECT = ("", *arabic.OBJECT_SUFFIXES)


# Subject agreement a form shows: gender and number of the 3rd person, "" where it says nothing
# useful (1st and 2nd persons, which news quotes).
PAST_AGREEMENT = {"": "ms", "ت": "fs", "تا": "fd", "وا": "mp", "ا": "md", "ن": "fp"}
PRESENT_AGREEMENT = {("ي", ""): "ms", ("ت", ""): "fs", ("ي", "ون"): "mp", ("ي", "ان"): "md", ("ت", "ان"): "fd",
                     ("ي", "ن"): "fp", ("ي", "وا"): "mp"}


@dataclass(frozen=True, slots=True)
class Form:
    action: Action
    object_suffix: bool
    bare: str  # "past": the stem alone or with an object pronoun (بين, بحث); "present": a prefix-only
    # present form (تقدم, توقف); "": clearly a verb. Bare forms may spell nouns.
    future: bool = False  # the form carries the future prefix س
    agreement: str = ""  # "ms", "fs", "mp", … (see PAST_AGREEMENT)
    passive: bool = False  # written as a passive (أصيب, اغتيل, هوجم)


class _Derived(NamedTuple):
    form: str
    obj: bool
    bare: str
    future: bool
    agreement: str
    passive: bool = False


def _past_forms(stem: str) -> set[_Derived]:
    out: set[_Derived] = set()
    bases = [stem]
    if stem.endswith(("ي", "ا")) and len(stem) > 2:
        # defective verbs: أبدى -> أبدت, أبدوا, أبدينا
        bases.append(stem[:-1])
    for base in bases:
        for subj0 in PAST_SUBJECT:
            if base != stem and not subj0:
                continue  # the cut base takes a suffix (بنت, بنوا): بن + ك is بنك "bank", not a verb
            subj = "ي" + subj0 if base != stem and subj0 in ("نا", "تم", "تن", "ن") else subj0
            form = base + subj
            for obj in OBJECT:
                # -وا drops its alef before an object pronoun (أيدوه)
                full = (form[:-1] if obj and form.endswith("وا") else form) + obj
                bare = "past" if subj == "" and base == stem else ""
                out.add(_Derived(full, bool(obj), bare, False, PAST_AGREEMENT.get(subj0, "")))
    if len(stem) == 2:
        # geminate verbs written with two letters (رد, شن): رددنا, رددت
        for subj in ("نا", "ت", "تم"):
            out.add(_Derived(stem + stem[-1] + subj, False, "", False, ""))
    return out


# What follows a present stem's core: (written ending, suffix, object pronoun); -وا drops its alef
# before a pronoun (يؤيدوه).
_ENDINGS = tuple((((suf[:-1] if suf.endswith("وا") else suf) if obj else suf) + obj, suf, obj)
                 for suf in PRESENT_SUFFIX for obj in OBJECT)
_BY_ENDING: dict[str, list[tuple[str, str]]] = {}
for _ending, _suf, _obj in _ENDINGS:
    _BY_ENDING.setdefault(_ending, []).append((_suf, _obj))
PARTICLES = ("", "س", "ل")


def passive_stem(stem: str) -> str | None:
    """The past passive a stem's spelling shows, where unvowelled text shows one: a hollow verb's
    long ا becomes ي (أصاب -> أصيب, اغتال -> اغتيل, قال -> قيل), form III's ا becomes و (هاجم ->
    هوجم). Other passives are spelled as their actives (قتل, اعتقل)."""
    if len(stem) >= 3 and stem[-2] == "ا" and (len(stem) >= 4 or stem[0] != "ا"):
        return stem[:-2] + "ي" + stem[-1]
    if len(stem) == 4 and stem[1] == "ا" and stem[0] not in "او":
        return stem[0] + "و" + stem[2:]
    return None


def _passive_forms(stem: str) -> set[_Derived]:
    """Third-person past passives (أصيب, أصيبت, أصيبوا), without object pronouns. A short one
    (قيل, بيع) may spell a noun, so it counts only where a verb stands (bare "passive")."""
    p = passive_stem(stem)
    if p is None:
        return set()
    bare = "passive" if len(p) <= 3 else ""
    return {_Derived(p + subj, False, bare, False, PAST_AGREEMENT[subj], True) for subj in ("", "ت", "وا", "ا", "تا")}


def _present(particle: str, pre: str, core: str, ending: str, suf: str, obj: str) -> _Derived:
    # تقدم, توقف, نقل: a prefix-only present form spells a noun just as often
    bare = "present" if not particle and not suf and pre != "ي" else ""
    return _Derived(particle + pre + core + ending, bool(obj), bare, particle == "س",
                    PRESENT_AGREEMENT.get((pre, suf), ""))


def _present_forms(stem: str) -> set[_Derived]:
    return {_present(particle, pre, stem[1:], ending, suf, obj)
            for pre in PRESENT_PREFIX for ending, suf, obj in _ENDINGS for particle in PARTICLES}


def _derive(stem: str) -> set[_Derived]:
    return _present_forms(stem) if _is_present(stem) else _past_forms(stem) | _passive_forms(stem)


def _is_present(stem: str) -> bool:
    return stem.startswith("ي") and len(stem) > 2


def _rank(d: _Derived) -> tuple[bool, bool, bool, bool, str]:
    """Among one stem's readings of a form, the clearly verbal and plain ones first (بحثنا: 'we
    discussed' before 'discussed us'); a fixed order whatever the hash seed."""
    return d.bare != "", d.obj, d.agreement == "", d.future, d.agreement


class VerbLexicon:
    """Derived verb form -> the actions it may express.

    Past stems derive a few hundred forms each and are tabled up front. A present stem derives
    nearly a thousand (prefixes, suffixes, pronouns, س/ل), so present forms are analysed the other
    way: a word is split into particle and prefix (its first one or two letters), a core that is
    a listed stem's (يبحث -> بحث), and a known ending. The answers equal a full table's
    (tests/test_lexicon.py checks), at a fraction of its time and memory.
    """

    def __init__(self, actions: Sequence[Action]) -> None:
        self._present: dict[str, list[tuple[int, Action]]] = {}
        past: dict[str, list[tuple[int, Action, _Derived]]] = {}
        order = 0
        for action in actions:
            for stem in action.verbs:
                order += 1
                if _is_present(stem):
                    self._present.setdefault(stem, []).append((order, action))
                    continue
                for d in (*_past_forms(stem), *_passive_forms(stem)):
                    past.setdefault(d.form, []).append((order, action, d))
        self._past = past
        self._interned: dict[tuple[object, ...], Form] = {}
        self._cache: dict[str, tuple[Form, ...]] = {}
        self._longest_core = max((len(s) - 1 for s in self._present), default=0)

    def get(self, form: str) -> tuple[Form, ...]:
        found = self._cache.get(form)
        if found is None:
            if len(self._cache) > 1 << 16:
                self._cache.clear()
            found = self._cache[form] = self._lookup(form)
        return found

    def __contains__(self, form: str) -> bool:
        return bool(self.get(form))

    def _lookup(self, form: str) -> tuple[Form, ...]:
        readings = list(self._past.get(form, ()))
        for i in (1, 2):
            particle, pre = form[: i - 1], form[i - 1 : i]
            if particle not in PARTICLES or pre not in PRESENT_PREFIX:
                continue
            for j in range(i + 2, min(len(form), i + self._longest_core) + 1):
                entries = self._present.get("ي" + form[i:j])
                if not entries:
                    continue
                for suf, obj in _BY_ENDING.get(form[j:], ()):
                    d = _present(particle, pre, form[i:j], form[j:], suf, obj)
                    readings += [(order, action, d) for order, action in entries]
        readings.sort(key=lambda r: (r[2].passive, r[0], _rank(r[2])))  # an active reading wins
        out: list[Form] = []
        for _, action, d in readings:
            key = (action.id, d.obj, d.bare, d.future, d.agreement, d.passive)
            f = self._interned.get(key)
            if f is None:
                f = self._interned[key] = Form(action, d.obj, d.bare, d.future, d.agreement, d.passive)
            if f not in out:
                out.append(f)
        return tuple(out)


@lru_cache(maxsize=8)
def lexicon(rules: Rules) -> VerbLexicon:
    """The rules' verb lexicon (rules hash by identity): the one compiled with them, else built."""
    built = rules.derived.get("verbs")
    return built if isinstance(built, VerbLexicon) else VerbLexicon(rules.actions)


@lru_cache(maxsize=1 << 16)  # once a word: news repeats its words (see normalize)
def _readings(norm: str) -> tuple[tuple[str, str], ...]:
    """(form, glued particle) readings: bare, after و/ف, after an attached ما (ماردت)."""
    out = [(norm, "")]
    for c in ("و", "ف"):
        if norm.startswith(c) and len(norm) > 3:
            out.append((norm[1:], c))
    for base, _ in list(out):
        if base.startswith("ما") and len(base) > 4:
            out.append((base[2:], "ما"))
    return tuple(out)


def is_verb_form(norm: str, rules: Rules) -> bool:
    """Whether any reading of a normalised word is a form in the action lexicon."""
    table = lexicon(rules)
    return any(form in table for form, _ in _readings(norm))


def _clause_start(words: Sequence[Word], i: int) -> bool:
    """Nothing but punctuation, a quote or a clause opener before word i in its clause."""
    if i == 0:
        return True
    prev = words[i - 1]
    return prev.sent != words[i].sent or prev.is_punct or prev.norm in arabic.CLAUSE_OPENERS


class _Starts(set[int]):
    """Words that begin a participant: mentions and names, and, asked only for the word after a
    homograph (most words are never asked), a group by its form (participants.begins_group)."""

    def __init__(self, known: set[int], words: Sequence[Word], rules: Rules) -> None:
        super().__init__(known)
        self.words, self.rules = words, rules

    def __contains__(self, j: object) -> bool:
        if super().__contains__(j):
            return True
        return isinstance(j, int) and 0 <= j < len(self.words) and begins_group(self.words, j, self.rules)


def _next_is_participant(words: Sequence[Word], i: int, starts: set[int]) -> bool:
    j = i + 1
    while j < len(words) and words[j].is_punct and words[j].text not in arabic.QUOTES:
        j += 1
    while j < len(words) and words[j].norm in arabic.QUANTIFIERS:
        j += 1
    return j in starts


def _requires_met(words: Sequence[Word], i: int, needed: tuple[str, ...]) -> bool:
    window = words[i + 1 : i + 9]
    for w in window:
        if w.sent != words[i].sent:
            break
        stems = {w.norm, w.norm[1:] if len(w.norm) > 3 else w.norm, w.norm[2:] if len(w.norm) > 4 else w.norm}
        if stems & set(needed):
            return True
    return False


def find_actions(words: Sequence[Word], mentions: Sequence[Mention], rules: Rules) -> list[ActionHit]:
    table = lexicon(rules)
    inside = {k for m in mentions for k in range(m.first, m.last + 1)}
    # A word the parser tags PROPN counts as a participant too; one that ends like a nisba
    # adjective (جزئي) only when a name follows (كوري شولمان): the small parser tags adjectives
    # PROPN as often as names.
    def name_like(w: Word) -> bool:
        if w.pos != "PROPN" or w.i in inside:
            return False
        if not w.norm.endswith(("ي", "يه")):
            return True
        nxt = words[w.i + 1] if w.i + 1 < len(words) else None
        return nxt is not None and nxt.pos == "PROPN" and not nxt.is_punct

    starts = _Starts({m.first for m in mentions} | {w.i for w in words if name_like(w)}, words, rules)
    ends = {m.last for m in mentions}
    hits: list[ActionHit] = []
    for w in words:
        if w.is_punct or w.i in inside or len(w.norm) < 2:
            continue
        readings = [(form, glued, options) for form, glued in _readings(w.norm) if (options := table.get(form))]
        if not readings:
            continue  # most words: no form of the lexicon, and the checks below are not needed
        if after_preposition(words, w.i):
            continue  # من ضمنهم: a finite verb never follows a preposition
        if not TANWEEN.isdisjoint(w.text):
            continue  # طعناً, صوتاً: a written tanween makes the word a noun
        for form, glued, options in readings:
            if w.text.rstrip("\u064b\u064c\u064d\u064e\u064f\u0650\u0651\u0652").endswith("ة"):
                # ة is a noun's ending (قادة "leaders"); normalised it reads like the pronoun ه (قاده)
                options = tuple(f for f in options if not f.object_suffix)
            chosen = _choose(options, words, w.i, starts, ends, glued, form)
            if chosen is None:
                continue
            hits.append(
                ActionHit(
                    word=w.i,
                    action=chosen.action,
                    form=form,
                    object_suffix=chosen.object_suffix,
                    negated=is_negated(words, w.i),
                    modality=_modality(words, w.i, chosen.future),
                    agreement=chosen.agreement,
                    passive=chosen.passive,
                )
            )
            break
    return hits


TANWEEN = frozenset("\u064b\u064c\u064d")  # the case endings of indefinite nouns (ً ٌ ٍ)

# Prepositions no finite verb can follow (منذ and حتى can: منذ بدأت, حتى يعود).
_BEFORE_NOUNS = arabic.PREPOSITIONS - {normalize(w) for w in ("منذ", "حتى", "بعد", "قبل", "ل", "لـ", "ب", "ك")}


def after_preposition(words: Sequence[Word], i: int) -> bool:
    return i > 0 and words[i - 1].sent == words[i].sent and words[i - 1].norm in _BEFORE_NOUNS


def _killing(f: Form) -> bool:
    """A killing verb right after a participant (ان جنديا عراقيا قتل) is the verb with nothing after
    it: the subject is the one killed (roles read such a clause as a passive)."""
    return (f.action.cameo or "").startswith("18") and not f.object_suffix


def _derived_past(form: str) -> bool:
    """A past of form VII, VIII or X by its shape (انفجر, اغتال, اعتقل, اصطدم, استهدف): their
    verbal nouns take an alef (انفجار, اغتيال), so, unlike form I (قتل "killing"), the past spells
    no noun, and a homograph's past of these forms is a verb wherever it stands."""
    if form.startswith("است"):
        return len(form) >= 6
    if form.startswith("ان"):
        return len(form) >= 5
    return form.startswith("ا") and len(form) >= 4 and form[2] in "تطد"


def _choose(
    options: Sequence[Form], words: Sequence[Word], i: int, starts: set[int], ends: set[int], glued: str,
    form: str = "",
) -> Form | None:
    """The action a form (`form`, as the lexicon spells it) expresses here: one whose `requires`
    is met wins over a plain one."""
    ranked = sorted(options, key=lambda f: (not f.action.requires, f.action.id))
    for f in ranked:
        if f.action.requires and not _requires_met(words, i, f.action.requires):
            continue
        if f.bare in ("present", "passive") or (f.bare and f.action.homograph and not _derived_past(form)):
            # a form that also spells a noun (بين, تقدم, توقف) needs a place where verbs stand
            verbal = (
                words[i].pos == "VERB"
                or _clause_start(words, i)
                or glued in ("و", "ف")
                or (i > 0 and words[i - 1].norm in arabic.PREVERBAL)
                or i - 1 in ends
            )
            if not verbal or (f.action.homograph and not _next_is_participant(words, i, starts)
                              and not (i - 1 in ends and _killing(f))):
                continue
        return f
    return None


FUTURE = frozenset({"سوف", "لن"})
CONDITIONAL = frozenset({"اذا", "لو", "لولا", "كلما"})  # not إن: normalised, it is أن "that"


def _modality(words: Sequence[Word], i: int, future: bool) -> str:
    """Future (ستستغل, سوف, لن) or conditional (إذا/لو/إن shortly before, in the same clause)."""
    for j in range(i - 1, max(-1, i - 4), -1):
        w = words[j]
        if w.sent != words[i].sent or (w.is_punct and w.text not in arabic.QUOTES):
            break
        if w.norm in CONDITIONAL or (w.norm[:1] in ("و", "ف") and w.norm[1:] in CONDITIONAL):
            return "conditional"
    prev = words[i - 1].norm if i > 0 and words[i - 1].sent == words[i].sent else ""
    return "future" if prev in FUTURE or future else "asserted"


def is_negated(words: Sequence[Word], i: int) -> bool:
    j = i - 1
    while j >= 0 and words[j].text in arabic.QUOTES:
        j -= 1
    return j >= 0 and words[j].norm in arabic.NEGATIONS and words[j].sent == words[i].sent



def verbal_nouns(stem: str) -> tuple[str, ...]:
    """The verbal nouns a derived verb's past stem spells by rule (normalised): form X استهدف ->
    استهداف, VII انفجر -> انفجار, VIII اعتقل -> اعتقال (hollow اغتال -> اغتيال, doubled احتج ->
    احتجاج), IV أعدم -> إعدام (hollow أصاب -> إصابة), II فجّر -> تفجير, III هاجم -> مهاجمة. Form I
    verbal nouns follow no rule; the rules list them (`nouns:`)."""
    s = normalize(stem)
    n = len(s)
    if s.startswith("است") and n == 6:
        return (s[:5] + "ا" + s[5],)
    if s[:1] != "ا" or n < 4:
        if n == 3 and not set(s) & set("اويء"):
            return ("ت" + s[:2] + "ي" + s[2],)  # II (a form I stem gives a noun no text uses)
        return (f"م{s}ه",) if n == 4 and s[1] == "ا" and s[0] not in "او" else ()
    if n == 5 and (s[1] == "ن" or s[2] == "ت"):
        return (s[:3] + "يا" + s[4],) if s[3] == "ا" else (s[:4] + "ا" + s[4],)
    if n == 4 and s[2] == "ت":
        return (s + "ا" + s[-1],)
    if n == 4:
        return ("ا" + s[1] + "ا" + s[3] + "ه",) if s[2] == "ا" else ("ا" + s[1:3] + "ا" + s[3],)
    return ()


@lru_cache(maxsize=8)
def noun_lexicon(rules: Rules) -> dict[str, Action]:
    """Event nouns with and without the article -> their action: the rules' own, then the verbal
    nouns of their past stems (which never override a listed noun or a verb's own form). The one
    compiled with the rules, else built."""
    built = rules.derived.get("nouns")
    if isinstance(built, dict):
        return built
    table: dict[str, Action] = {}
    for action in rules.actions:
        for noun in action.nouns:
            bare = noun[2:] if noun.startswith("ال") else noun
            for form in (bare, "ال" + bare):
                table.setdefault(form, action)
    verbs = lexicon(rules)
    for action in rules.actions:
        if action.light or not action.cameo:
            continue
        for stem in action.verbs:
            for noun in () if _is_present(stem) else verbal_nouns(stem):
                # a noun in ة may spell a verb with ه (اصابه); the written ة tells them apart
                if noun.endswith("ه") or noun not in verbs:
                    for form in (noun, "ال" + noun):
                        table.setdefault(form, action)
    return table


def is_event_noun(norm: str, rules: Rules) -> bool:
    table = noun_lexicon(rules)
    return any(a.stem in table for a in analyses(norm))


def find_nominals(
    words: Sequence[Word], mentions: Sequence[Mention], hits: Sequence[ActionHit], rules: Rules
) -> list[ActionHit]:
    """Event nouns (هجوم, الضربات, زيارة) outside mentions and verbs: nominal events."""
    table = noun_lexicon(rules)
    if not table:
        return []
    taken = {k for m in mentions for k in range(m.first, m.last + 1)} | {h.word for h in hits}
    out = []
    for w in words:
        if w.is_punct or w.i in taken:
            continue
        for a in analyses(w.norm):
            action = table.get(a.stem) or _stem_as_noun(a.stem, bool(a.prep), rules)
            if action is not None:
                out.append(ActionHit(word=w.i, action=action, form=a.stem, object_suffix=False,
                                     negated=False, nominal=True))
                break
    return out


def _stem_as_noun(stem: str, after_prep: bool, rules: Rules) -> Action | None:
    """A three-letter verb stem with the article or after a glued preposition is its verbal noun
    (القصف, بخطف, للقتل): a verb takes neither."""
    bare = stem[2:] if stem.startswith("ال") else stem
    if len(bare) != 3 or not (after_prep or bare != stem):
        return None
    for f in lexicon(rules).get(bare):
        if f.bare == "past" and f.action.cameo and not f.action.light and not f.action.requires:
            return f.action
    return None
