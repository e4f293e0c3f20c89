"""Time expressions: found on normalised words, resolved against the article date (no model needed)."""

from __future__ import annotations

import datetime as dt
import unicodedata

import pytest
from hypothesis import given
from hypothesis import strategies as st

from kg.extract import timex
from kg.extract.model import Timex
from kg.extract.timex import find_times
from kg.extract.words import segment

from .conftest import ROOT

DOC = dt.date(2017, 4, 12)  # a Wednesday, ISO week 15
SEED = ROOT / "seeds" / "000_2fb4171725300b4b.txt"


def times(text: str, doc: dt.date | None = DOC) -> list[Timex]:
    found = find_times(segment(text, tokens=()), text, doc)
    for t in found:
        assert text[t.start : t.end] == t.text
    return found


def one(text: str, doc: dt.date | None = DOC) -> tuple[str, str | None, str]:
    found = times(text, doc)
    assert len(found) == 1, found
    return found[0].text, found[0].value, found[0].kind


@pytest.mark.parametrize(
    ("text", "span", "value"),
    [
        # weekdays: the latest on or before the article date; الماضي strictly before; المقبل after
        ("كشف لافروف, يوم الاربعاء, عن حصول تقدم", "يوم الاربعاء", "2017-04-12"),
        ("وصل تيلرسون الى موسكو يوم الثلاثاء، ليبحث", "يوم الثلاثاء", "2017-04-11"),
        ("أعلنت الوزارة الأربعاء أن", "الأربعاء", "2017-04-12"),
        ("التقى الوزيران الخميس", "الخميس", "2017-04-06"),
        ("وقالت الأحد إن", "الأحد", "2017-04-09"),
        ("التقيا يوم السبت", "يوم السبت", "2017-04-08"),
        ("ضربات فجر الجمعة الماضي على المطار", "فجر الجمعة الماضي", "2017-04-07"),
        ("وقع الأربعاء الماضي", "الأربعاء الماضي", "2017-04-05"),  # not the article's own day
        ("يعقد الاجتماع الجمعة المقبل", "الجمعة المقبل", "2017-04-14"),
        ("يعقد الاجتماع الأربعاء القادمة", "الأربعاء القادمة", "2017-04-19"),
        ("وصل صباح الاثنين", "صباح الاثنين", "2017-04-10"),
        ("عاد مساء أمس", "مساء أمس", "2017-04-11"),
        ("فجر يوم الجمعة", "فجر يوم الجمعة", "2017-04-07"),
        # deictic days
        ("وعقد مجلس الامن اليوم جلسة مشاورات", "اليوم", "2017-04-12"),
        ("وقال أمس إن", "أمس", "2017-04-11"),
        ("وقال امس إن", "امس", "2017-04-11"),
        ("ويصل غداً إلى موسكو", "غداً", "2017-04-13"),
        ("وصل أول من أمس", "أول من أمس", "2017-04-10"),
        # weeks, months, years from the article date
        ("هجوم استهدف خان شيخون الاسبوع الماضي, اسفر", "الاسبوع الماضي", "2017-W14"),
        ("على سوريا الأسبوع الماضي\".", "الأسبوع الماضي", "2017-W14"),
        ("يزور هذا الأسبوع", "هذا الأسبوع", "2017-W15"),
        ("يزور الأسبوع المقبل", "الأسبوع المقبل", "2017-W16"),
        ("ألقى أحدهم قنبلة الشهر الماضي.", "الشهر الماضي", "2017-03"),
        ("وقع العام الماضي", "العام الماضي", "2016"),
        ("وقع السنة الماضية", "السنة الماضية", "2016"),
        ("يرتفع هذا العام", "هذا العام", "2017"),
        ("هاجم المشتبه به في شهر نيسان الماضي.", "شهر نيسان الماضي", "2016-04"),
        ("وزار كامشاتكا في أيلول الماضي.", "أيلول الماضي", "2016-09"),
        ("صرف من عمله في تموز.", "تموز", "2016-07"),  # no year: the latest July on or before
        ("في آذار", "آذار", "2017-03"),
        ("في يونيه المقبل", "يونيه المقبل", "2017-06"),
        ("وقع في 3 نيسان", "3 نيسان", "2017-04-03"),
        ("يقع في 20 نيسان المقبل", "20 نيسان المقبل", "2017-04-20"),
        ("منذ 3 سنوات", "منذ 3 سنوات", "2014"),
        ("منذ عامين.", "منذ عامين", "2015"),
        ("قبل أسبوعين", "قبل أسبوعين", "2017-W13"),
    ],
)
def test_relative_expressions_resolve_from_the_article_date(text: str, span: str, value: str) -> None:
    assert one(text) == (span, value, "relative")
    assert one(text, None) == (span, None, "text")  # still found without a date, with no value


@pytest.mark.parametrize(
    ("text", "span", "value", "kind"),
    [
        ("وقع الهجوم في 12 نيسان 2017.", "12 نيسان 2017", "2017-04-12", "date"),
        ("وقع الهجوم في 12 أبريل 2017", "12 أبريل 2017", "2017-04-12", "date"),
        ("وقع في 12 ابريل 2017", "12 ابريل 2017", "2017-04-12", "date"),
        ("وفي 3 كانون الثاني 2016", "3 كانون الثاني 2016", "2016-01-03", "date"),
        ("في 25 تشرين الأول 2015", "25 تشرين الأول 2015", "2015-10-25", "date"),
        ("في 1 أغسطس 2014", "1 أغسطس 2014", "2014-08-01", "date"),
        ("في 30 يوليه 2013", "30 يوليه 2013", "2013-07-30", "date"),
        ("بتاريخ 12/4/2017.", "12/4/2017", "2017-04-12", "date"),
        ("في 2017-04-12 صباحا", "2017-04-12", "2017-04-12", "date"),
        ("في ١٢ نيسان ٢٠١٧", "١٢ نيسان ٢٠١٧", "2017-04-12", "date"),
        ("في ١٢/٤/٢٠١٧", "١٢/٤/٢٠١٧", "2017-04-12", "date"),
        ("في كانون الأول 2016", "كانون الأول 2016", "2016-12", "month"),
        ("في شهر شباط 2015", "شهر شباط 2015", "2015-02", "month"),
        ("في يناير/كانون الثاني 2017", "يناير/كانون الثاني 2017", "2017-01", "month"),
        ("في سبتمبر 2016", "سبتمبر 2016", "2016-09", "month"),
        ("عندما ضمتها عام 2014 بالمعقول", "عام 2014", "2014", "year"),
        ("في العام 2014", "العام 2014", "2014", "year"),
        ("منذ عام 2011", "عام 2011", "2011", "year"),
        ("حتى عام ٢٠٣٥.", "عام ٢٠٣٥", "2035", "year"),
        ("وبعام 2010", "عام 2010", "2010", "year"),
    ],
)
def test_explicit_dates_need_no_article_date(text: str, span: str, value: str, kind: str) -> None:
    assert one(text) == (span, value, kind)
    assert one(text, None) == (span, value, kind)


def test_vague_durations_are_text_only() -> None:
    assert one("وقررت روسيا  منذ ايام توقف العمل") == ("منذ ايام", None, "text")
    assert one("قبل أسابيع") == ("قبل أسابيع", None, "text")
    assert one("قبل عامين من الانتخابات") == ("قبل عامين", None, "text")  # counted from an event, not today


def test_glued_conjunction_and_preposition_stay_out_of_the_span() -> None:
    text = "وأمس وصل, وبالأمس عاد والجمعة الماضية غادر"
    found = times(text)
    assert [(t.text, t.value) for t in found] == [
        ("أمس", "2017-04-11"), ("الأمس", "2017-04-11"), ("الجمعة الماضية", "2017-04-07")]
    assert found[0].start == 1 and found[0].first == found[0].last == 0


def test_two_years_after_a_dual() -> None:
    text = "بفضيحة الرعاية الاتحادية بين عامي 2004 و2006 أن هيئات"
    assert [(t.text, t.value, t.kind) for t in times(text)] == [("عامي 2004", "2004", "year"), ("2006", "2006", "year")]


def test_invalid_dates_are_not_invented() -> None:
    assert one("في 31 شباط 2017") == ("31 شباط 2017", None, "text")
    assert times("النتيجة 31/2/2017") == []
    assert one("في 29 شباط") == ("29 شباط", "2016-02-29", "relative")  # the latest leap day


@pytest.mark.parametrize(
    "text",
    [
        "أشار العديد من المحللين أن هواوي في موقعٍ مثاليٍ للاستفادة من كبوة سامسونغ.",
        "اتفقت موسكو وواشنطن على مواصلة التعاون لمحاولة إيجاد حل سياسي في سوريا.",
        "وسوف يوجه ترودو تلك الدعوة إلى الرئيس الخامس والأربعين للولايات المتحدة بصرف النظر عنمن سيكون.",
        "اشترى سيارة نيسان جديدة",  # a car, not April
        "ولد من أب وأم سوريين",  # آب is also "father"
        "مارس الضغط على الحكومة",  # مارس is also "he practised"
        "بين الاثنين خلاف",  # الاثنين is also "the two"
        "في اليوم التالي عاد",  # a day of the story, not the article's
        "قبل شهر رمضان",
        "يعمل في 2000 موقع",
    ],
)
def test_no_time_expression(text: str) -> None:
    assert times(text) == []
    assert times(text, None) == []


def test_seed_article() -> None:
    text = SEED.read_text(encoding="utf-8")
    found = times(text)
    assert [(t.text, t.value, t.kind) for t in found] == [
        ("يوم الاربعاء", "2017-04-12", "relative"),
        ("الاسبوع الماضي", "2017-W14", "relative"),
        ("اليوم", "2017-04-12", "relative"),
        ("الأسبوع الماضي", "2017-W14", "relative"),
        ("منذ ايام", None, "text"),
        ("فجر الجمعة الماضي", "2017-04-07", "relative"),  # the strike on al-Shayrat, 7 April 2017
        ("يوم الثلاثاء", "2017-04-11", "relative"),
    ]
    words = segment(text, tokens=())
    for t in found:
        assert words[t.first].start <= t.start < t.end == words[t.last].end
    assert [(t.text, t.value) for t in times(text, None)] == [(t.text, None) for t in found]


@pytest.mark.parametrize(
    ("text", "doc", "expected"),
    [
        # /work/shared/eval/dev-texts, with article dates chosen for the test
        ("أخبر شاهد عيان الشرطة أن الضحية هاجم المشتبه به في شهر نيسان الماضي.", dt.date(2016, 10, 5),
         [("شهر نيسان الماضي", "2016-04")]),  # n01006011
        ("قام سيغال التي كانت جدته من مدينة فلاديفوستوك في أقصى شمال روسيا بزياراتٍ متكررة لروسيا خلال السنوات "
         "الأخيرة, وزار كامشاتكا وسخالين في أيلول الماضي.", dt.date(2016, 11, 20),
         [("أيلول الماضي", "2016-09")]),  # n01029011
        ("عام 2010, أصدرت المؤسسة نسخة منضدة ومطبوعة من رواية \"تسيتيلز تراوم\", مزيلةً العوائق من أمام أولئك",
         None, [("عام 2010", "2010")]),  # n01066045
        ("قال مايكل فالون أن تاريخ البدء بقطع الفولاذ سيسهم في تأمين استثمارات جديدة وحفظ مئات الوظائف المهارية "
         "حتى عام 2035.", None, [("عام 2035", "2035")]),  # n01014003
        ("إلى موقع التصوير يوم الثلاثاء.", dt.date(2016, 11, 17), [("يوم الثلاثاء", "2016-11-15")]),  # n01030008
        ("قالت ميليس خلال مقابلة يوم الخميس مع قناة سي بي سي نيوز", dt.date(2016, 11, 17),
         [("يوم الخميس", "2016-11-17")]),  # n01041006: the article's own day
        ("في أوائل شهر تشرين الأول, استخدم الفريق الانتقالي ذات المكان", dt.date(2016, 11, 17),
         [("شهر تشرين الأول", "2016-10")]),  # n01003010
        ("لكن آخر منشور على الإنترنت يعود إلى 2013-2014, أي منذ عامين.", dt.date(2016, 11, 17),
         [("منذ عامين", "2014")]),  # n01043025: the bare range is left alone
    ],
)
def test_dev_sentences(text: str, doc: dt.date | None, expected: list[tuple[str, str]]) -> None:
    assert [(t.text, t.value) for t in times(text, doc)] == expected


_PIECES = ["يوم", "الاربعاء", "الجمعة", "الماضي", "المقبل", "فجر", "اليوم", "امس", "غدا", "الأسبوع", "الشهر",
           "العام", "عام", "منذ", "ايام", "شهر", "نيسان", "كانون", "الثاني", "آب", "في", "وفي", "بالأمس", "12", "٢٠١٧",
           "2017", "31", "/", "-", ",", "،", ".", "\"", "(", "سوريا", "هذا", "قبل", "عامين", "\u064b"]


@given(st.lists(st.sampled_from(_PIECES), max_size=14), st.lists(st.sampled_from([" ", "", "\n"]), min_size=14,
                                                                   max_size=14), st.booleans())
def test_spans_are_exact_ordered_and_trimmed(pieces: list[str], gaps: list[str], dated: bool) -> None:
    text = "".join(p + g for p, g in zip(pieces, gaps, strict=False))
    words = segment(text, tokens=())
    found = find_times(words, text, DOC if dated else None)
    end = 0
    for t in found:
        assert text[t.start : t.end] == t.text and t.text
        # no edge punctuation: letters, digits or marks (tanween) only
        assert unicodedata.category(t.text[0])[0] in "LNM" and unicodedata.category(t.text[-1])[0] in "LNM"
        assert end <= t.start and 0 <= t.first <= t.last < len(words)
        assert (t.value is None) == (t.kind == "text")
        assert dated or t.kind != "relative"
        end = t.end


# every word of every table, in its normalised form, and a few that are not time words
_TABLE_WORDS = sorted({w for k in (*timex._MONTHS, *timex._DEICTIC) for w in k} | timex._PARTS | timex._YEAR_KW
                      | timex._DIRS.keys() | timex._WEEKDAYS.keys() | timex._UNITS.keys() | timex._AGO.keys()
                      | timex._MONTH_CONTEXT | timex._NOT_TODAY | {"يوم", "شهر", "هذا", "هذه", "منذ", "قبل", "/",
                                                                  "", "12", "2017", "3", "2017م", "سوريا", "في"})


def test_words_passed_over_start_no_expression() -> None:
    """find_times runs the parsers only at words `_may_start` accepts: no parser may match elsewhere
    (every table word first, every table word second, a few third words and contexts)."""
    passed_over = [w for w in _TABLE_WORDS if not timex._may_start(w)]
    assert len(passed_over) > 40
    for first in passed_over:
        for second in _TABLE_WORDS:
            for third in ("", "2017", "الماضي", "نيسان", "/"):
                ws = [first, second, third, "2017", *[""] * 12]
                for ctx in (("", ""), ("بين", "عامي"), ("عامي", "2016"), ("", "في")):
                    for doc in (DOC, None):
                        assert all(p(ws, doc, ctx) is None for p in timex._PARSERS), (ws[:3], ctx)
