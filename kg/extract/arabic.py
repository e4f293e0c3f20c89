"""Closed-class Arabic words the extractor reasons with (all normalised).

These are grammar, not mappings: prepositions, particles, clause openers, time words and
quantifiers. Which preposition gives which role is a rule (mappings/base.yaml), not listed here.
"""

from __future__ import annotations

from ..normalize import normalize


def word_set(words: str) -> frozenset[str]:
    """The normalised forms of space-separated words."""
    return frozenset(normalize(w) for w in words.split())


_set = word_set


PREPOSITIONS = _set(
    "في من إلى الى على عن مع ضد حول بشأن خلال بعد قبل منذ عقب بين لدى عند نحو حتى دون فوق تحت أمام وسط "
    "داخل خارج عبر إثر اثر جراء بسبب تجاه إزاء ازاء لـ ل ب ك"
)
NEGATIONS = _set("لا لم لن ما ليس")
# Words that open a new clause: a verb after them has its own frame.
CLAUSE_OPENERS = _set(
    "أن ان إن أنه انه أنها انها أنهم إنه إنها الذي التي الذين اللذين اللتين اللواتي حيث لكن لكنه بل ثم "
    "مما كما لأن لان بينما إذ اذ إذا اذا كي لكي حين عندما بعدما فيما قائلا مضيفا مشيرا لافتا موضحا مؤكدا"
)
# Particles that may stand between a subject and its verb.
PREVERBAL = _set("قد لقد وقد فقد سوف لا لم لن ما")  # وقد, فقد: و or ف + قد
TIME_WORDS = _set(
    "يوم اليوم أمس امس غدا الأسبوع الاسبوع أسبوع الشهر شهر العام عام السنة سنة صباح مساء فجر ليلة ظهر "
    "الاثنين الإثنين الثلاثاء الأربعاء الاربعاء الخميس الجمعة السبت الأحد الاحد الماضي المقبل القادم حاليا "
    "أيام ايام ساعات الساعة مؤخرا لاحقا سابقا آنذاك"
)
QUANTIFIERS = _set("عدة بعض كل جميع كافة معظم أغلب غالبية عدد")
PRONOUNS = _set("هو هي هم هما هن أنا انا نحن أنت انت أنتم انتم ذلك تلك هذا هذه هؤلاء")
# Heads of place phrases that stand between a preposition and the place name (بريف ادلب).
PLACE_HEADS = _set(
    "ريف محافظة مدينة بلدة قرية منطقة ضواحي العاصمة شمال جنوب شرق غرب وسط أطراف اطراف قرب محيط ولاية إقليم اقليم"
)
ADVERBS = _set("أيضا ايضا كذلك بدوره بدورها جدا فقط رسميا")
QUOTES = frozenset('"«»“”\'')
# Object pronouns that can be glued to a verb, longest first.
OBJECT_SUFFIXES = ("هما", "هم", "هن", "كم", "ها", "ني", "نا", "ه", "ك")
# Resumptive "preposition + pronoun" after a verb (تقدمت به): the noun before is not the subject.
RESUMPTIVE = _set("به بها بهم عليه عليها عليهم له لها لهم منه منها فيه فيها عنه عنها إليه اليه إليها اليها")
# "in the name of", "on behalf of": the noun phrase after it belongs to the one before
# (المتحدث باسم الشرطة, متحدث باسم الجيش), not to the verb
NP_LINKS = _set("باسم بإسم نيابة")
# Heads of a country's own institutions, as they stand in its name: a ministry in construct
# (وزارة الخارجية; never alone, see mapping.national_body), the others definite. With the country
# (وزارة الخارجية العراقية, الجيش الإسرائيلي) the phrase names one body, the same in every article.
# Plurals (وزارات, قوات), people (وزير, جنود) and bodies a country has many of (محكمة, سفارة,
# وكالة) are not here.
NATIONAL_BODIES = _set("وزارة الحكومة الجيش الشرطة البرلمان الرئاسة المخابرات الاستخبارات البحرية")
MINISTRY = _set("وزارة")  # the one head that needs its name after it
