"""Participants no rule names: noun phrases judged by their head word.

News reports most events as done by or to groups it does not name: متظاهرون, سبعة أشخاص,
مسلحين, أوروبيين. A noun phrase in an argument position is a participant when its head says it
is one, by grammar rather than by a list of the words news happens to use:

- a count or quantity before it (سبعة أشخاص, عشرات القتلى, 125 ألف متظاهر, عدد من الطلاب);
- a nisba adjective used as a noun: a demonym (أوروبيين, عراقيا) gives the nationality too;
- the sound masculine plural of a participle or nisba (مسلحون, المتظاهرين, انتحاريون,
  العاطلين): in news these name people;
- one of the few generic nouns for people (شخص, ناس, رجال, أطفال …), a closed class.
"""

from __future__ import annotations

from collections.abc import Sequence

from ..rules import Entity, Rules
from .arabic import word_set
from .model import Word

# Cardinal numbers and quantity nouns that count what follows them.
NUMBERS = word_set(
    "اثنان اثنين اثنتان اثنتين ثلاثة ثلاث أربعة أربع خمسة خمس ستة ست سبعة سبع ثمانية ثماني ثمان تسعة تسع عشرة "
    "عشر عشرين عشرون ثلاثين ثلاثون أربعين أربعون خمسين خمسون ستين ستون سبعين سبعون ثمانين ثمانون تسعين تسعون "
    "مئة مائة مئتي مائتي مئات الف ألف آلاف الاف ألفا آلافا مليون ملايين عشرات العشرات المئات الآلاف الالاف "
    "أحد احد إحدى احدى بضعة بضع"
)
# Words that stand before a count (نحو 80 شخصا, أكثر من 20).
APPROXIMATE = word_set("نحو حوالي حوالى قرابة زهاء أكثر اكثر أقل اقل عدد عددا العديد عديد الكثير")
# The generic nouns for people, singular and plural: grammar of reference, not news vocabulary.
PERSON_NOUNS = word_set(
    "شخص شخصا أشخاص اشخاص الأشخاص ناس الناس رجل رجلا رجال الرجال امرأة امرأه نساء النساء سيدة "
    "طفل طفلا أطفال الأطفال صبي صبية فتاة فتيات شاب شابا شبان شباب الشبان الشباب فرد أفراد الأفراد عنصر عناصر "
    "العناصر عضو أعضاء الأعضاء قتيل قتلى القتلى جريح جرحى الجرحى رهينة رهائن الرهائن أسير أسرى الأسرى "
    "مدني مدنيا مدنيين مدنيون المدنيين المدنيون مواطن مواطنا مواطنين مواطنون المواطنين المواطنون"
)
# Units a count measures (money, time, distance, weight, shares): 42 مليون يورو is an amount, not
# a participant.
UNITS = word_set(
    "يورو دولار دولارا دولارات جنيه جنيها ريال ريالا دينار دينارا درهم درهما ليرة روبل يوان ين فرنك "
    "دقيقة دقائق ثانية ثوان ساعة ساعات يوم يوما أيام ايام أسبوع أسبوعا أسابيع شهر شهرا أشهر شهور سنة سنوات "
    "عام عاما أعوام قرن قرون كيلومتر كيلومترا كيلومترات كلم كم متر مترا أمتار ميل ميلا كيلوغرام كغ غرام طن "
    "أطنان لتر لترا برميل براميل هكتار بالمئة بالمائة المئة المائة نقطة نقاط درجة درجات مرة مرات ضعف أضعاف"
)
# Words ending like a sound plural that are not people (numbers, days, duals of time words).
NOT_PEOPLE = word_set("الاثنين الإثنين اثنين عشرين ثلاثين أربعين خمسين ستين سبعين ثمانين تسعين ملايين سنتين "
                  "يومين شهرين عامين ساعتين قرنين الطرفين البلدين الجانبين")
SOUND_PLURAL = ("ون", "ين")


def is_count(w: Word) -> bool:
    """A number written in digits or words, or a quantity noun (عشرات, آلاف)."""
    n = w.norm
    return w.pos == "NUM" or n.isdigit() or n in NUMBERS or (n.startswith("و") and n[1:] in NUMBERS)


def skip_count(words: Sequence[Word], j: int) -> int:
    """The first word after a count phrase at j (نحو 80, 125 ألف, عدد من, العشرات من), or j."""
    k = j
    while k < len(words) and words[k].sent == words[j].sent and (
        words[k].norm in APPROXIMATE or is_count(words[k]) or (k > j and words[k].norm == "من")
    ):
        k += 1
    return k if k > j and k < len(words) and not words[k].is_punct else j


def demonym_noun(w: Word, rules: Rules) -> Entity | None:
    """The country of a nisba used as a noun (أوروبيين, عراقيا, الفلسطينيون), if it names one."""
    stem = w.norm[2:] if w.norm.startswith("ال") else w.norm
    if stem in rules.demonyms:
        return rules.demonyms[stem]
    for end in ("يين", "يون", "يات", "يا", "يه", "ي"):
        if stem.endswith(end) and stem[: -len(end)] + "ي" in rules.demonyms:
            return rules.demonyms[stem[: -len(end)] + "ي"]
    return None


def _bare(n: str) -> str:
    return n[2:] if n.startswith("ال") and len(n) > 4 else n


def is_people(w: Word) -> bool:
    """A head that names people by its form: a generic person noun, or the sound masculine
    plural of a participle (مسلحون, متظاهرين), a nisba (انتحاريون, سياسيين) or an agent noun
    (العاطلين)."""
    n = w.norm
    if n in PERSON_NOUNS or _bare(n) in PERSON_NOUNS:
        return True
    if n in NOT_PEOPLE or w.pos not in ("NOUN", "ADJ", "X", "PROPN") or w.split:
        return False
    stem = _bare(n)
    if not stem.endswith(SOUND_PLURAL) or len(stem) < 5:
        return False
    base = stem[:-2]
    return base.endswith("ي") or (base.startswith("م") and len(base) >= 4) or (len(base) == 4 and base[1] == "ا")


def begins_group(words: Sequence[Word], j: int, rules: Rules) -> bool:
    """Whether a participant noun phrase of this module's kinds starts at word j."""
    w = words[j]
    if w.is_punct:
        return False
    return skip_count(words, j) > j or demonym_noun(w, rules) is not None or is_people(w)


def is_abstract(w: Word) -> bool:
    """A noun whose form makes it abstract: a verbal noun of a derived verb (تطورات, تعاون,
    استعداد, اعتقال, إعلان, مساعدة) or an abstract nisba noun in -ية (المسؤولية). Such an object is
    what a verb is about, not whom it is aimed at."""
    n = _bare(w.norm)
    for suffix in ("ها", "هم"):  # a possessive pronoun (تحركاتهم) says nothing of the noun
        if n.endswith(suffix) and len(n) - len(suffix) >= 4:
            n = n[: -len(suffix)]
            break
    if len(n) < 4:
        return False
    if n.startswith("ت") or n.startswith("است") or (n.endswith("يه") and len(n) >= 5):
        return True  # تفعيل, تفاعل, تفعل and their plurals; استفعال; -ية
    if n.startswith("ا") and len(n) >= 5 and (n[2] == "ت" or n[1] == "ن" or n[3] == "ا"):
        return True  # افتعال, انفعال, إفعال
    return n.startswith("م") and n.endswith("ه") and len(n) == 6 and n[2] == "ا"  # مفاعلة


def is_unit(w: Word) -> bool:
    """A unit of measure, money or time (يورو, دقيقة, كلم), with or without the article."""
    return w.norm in UNITS or _bare(w.norm) in UNITS


def plural_case(w: Word) -> str:
    """The case ending of a sound masculine plural: "ون" (nominative), "ين" (oblique), or ""."""
    n = w.norm
    return n[-2:] if len(n) > 4 and n.endswith(SOUND_PLURAL) else ""
