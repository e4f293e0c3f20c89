"""Verbs outside the lexicon: an event all the same where a participant is explicit.

The lexicon codes the actions it knows; news uses many more. A word the parser tags VERB that no
rule lists becomes an event of the generic class `kgo:verb/<lemma>` (no CAMEO code, the lemma as
its label) when its clause names an actor or target (extract() drops the others). Copulas,
states, mental states and changes of quantity are not events (../shared/eval/GUIDELINES.md), nor
is a word right after a preposition or an article: those spell nouns.
"""

from __future__ import annotations

from collections.abc import Sequence
from functools import lru_cache

from ..nlp import Token
from ..normalize import normalize
from ..rules import Action, Rules
from . import arabic
from .actions import after_preposition, is_negated
from .arabic import word_set
from .model import ActionHit, Mention, Word

# Lemmas of verbs that are not events: copulas and their sisters, modal and mental verbs (and
# those of judging: اعتبر), verbs of happening, of result (أسفر عن, أدى إلى) and of quantity.
# Grammar, not news vocabulary.
NOT_EVENTS = word_set(
    "كان يكون أصبح يصبح صار يصير ظل يظل بات يبيت أضحى أمسى مازال زال يزال ليس دام "
    "اعتقد يعتقد عرف يعرف فهم يفهم ظن يظن شعر يشعر أحب يحب أراد يريد رغب يرغب أمل يأمل "
    "تمنى يتمنى خشي يخشى توقع يتوقع علم يعلم رأى يرى بدا يبدو اعتبر يعتبر عد يعد "
    "أسفر يسفر أدى يؤدي نتج ينتج ترتب يترتب "
    "أمكن يمكن ينبغي وجب يجب استطاع يستطيع كاد يكاد "
    "وقع يقع حدث يحدث جرى يجري تم يتم جاء يجيء يأتي أتى حصل يحصل "
    "زاد يزيد ارتفع يرتفع انخفض ينخفض تراجع يتراجع بلغ يبلغ تجاوز يتجاوز نقص ينقص قل يقل كثر يكثر "
    "بقي يبقى عاش يعيش مات يموت توفي يتوفى ولد يولد"
)


UNKNOWN_VERB = "verb"  # the action id of every verb outside the lexicon


@lru_cache(maxsize=256)
def generic_action(kgo: str, lemma: str) -> Action:
    """The generic action class of a verb outside the lexicon (the same lemma, the same class)."""
    return Action(id=UNKNOWN_VERB, iri=f"{kgo}verb/{lemma}", label_ar=lemma, label_en=None, cameo=None, verbs=(lemma,),
                  homograph=False, motion=False, requires=(), source="parser:VERB")


def _lemma(w: Word, tokens: Sequence[Token]) -> str:
    lemma = normalize(tokens[w.token].lemma) if 0 <= w.token < len(tokens) else ""
    if lemma.isalpha() and len(lemma) >= 2:
        return lemma
    return w.norm[1:] if w.norm[:1] in "وف" and len(w.norm) > 4 else w.norm  # no lemma: the word, less و/ف


def find_unknown_verbs(
    words: Sequence[Word], mentions: Sequence[Mention], hits: Sequence[ActionHit], rules: Rules,
    tokens: Sequence[Token],
) -> list[ActionHit]:
    """Words the parser tags VERB that no rule knows and that may be events."""
    taken = {k for m in mentions for k in range(m.first, m.last + 1)} | {h.word for h in hits}
    kgo = rules.prefixes["kgo"]
    out = []
    for w in words:
        if w.pos != "VERB" or w.i in taken or w.is_punct or len(w.norm) < 3 or w.norm.startswith("ال"):
            continue
        # (a lexicon verb whose `requires` was not met is still a verb: it may be a generic event)
        if after_preposition(words, w.i) or w.norm in arabic.CLAUSE_OPENERS:
            continue
        lemma = _lemma(w, tokens)
        if lemma in NOT_EVENTS or w.norm in NOT_EVENTS or (w.norm[:1] in "وف" and w.norm[1:] in NOT_EVENTS):
            continue
        out.append(ActionHit(word=w.i, action=generic_action(kgo, lemma), form=w.norm, object_suffix=False,
                             negated=is_negated(words, w.i)))
    return out

