"""Time expressions in Arabic news, as ISO 8601 values where the article's date allows.

Matching runs on normalised word forms, so spelling variants (أ/ا, ة/ه, Arabic-Indic digits) need
no listing. News reports the past: a bare weekday, day or month (no year) is the latest one on or
before the article date; الماضي makes it strictly before, المقبل/القادم the first one after.
Relative expressions without an article date are still found, as text with no value.
"""

from __future__ import annotations

import datetime as dt
import re
from calendar import monthrange
from collections.abc import Callable, Sequence
from functools import lru_cache
from typing import TypeVar

from ..normalize import Analysis, analyses, normalize, normalize_with_map
from .model import Timex, Word

_Hit = tuple[int, str | None, str]  # words taken, value, kind
_Ctx = tuple[str, str]  # normalised forms of the two words before
_V = TypeVar("_V")


def _set(words: str) -> frozenset[str]:
    return frozenset(normalize(w) for w in words.split())


def _table(groups: str, first: int) -> dict[tuple[str, ...], int]:
    """"a|b c,d" -> {(a,): first, (b, c): first, (d,): first + 1} on normalised forms."""
    return {tuple(normalize(n).split()): k for k, g in enumerate(groups.split(","), first) for n in g.split("|")}


def _lex(words: dict[str, _V]) -> dict[str, _V]:
    return {normalize(k): v for k, v in words.items()}


_WEEKDAYS = {k[0]: v for k, v in _table("الاثنين|الإثنين,الثلاثاء,الأربعاء,الخميس,الجمعة,السبت,الأحد", 0).items()}
# Egyptian/Gulf, Maghreb and Levantine names of each month
_MONTHS = _table(
    "يناير|جانفي|كانون الثاني|كانون ثاني,فبراير|فيفري|شباط,مارس|آذار,أبريل|إبريل|أفريل|نيسان,مايو|ماي|أيار,"
    "يونيو|يونيه|جوان|حزيران,يوليو|يوليه|جويلية|تموز,أغسطس|أوت|آب,سبتمبر|شتنبر|أيلول,أكتوبر|تشرين الأول|تشرين أول,"
    "نوفمبر|نونبر|تشرين الثاني|تشرين ثاني,ديسمبر|دجنبر|كانون الأول|كانون أول",
    1,
)
_DIRS = (
    dict.fromkeys(_set("الماضي الماضية المنصرم المنصرمة الفائت الفائتة"), -1)
    | dict.fromkeys(_set("المقبل المقبلة القادم القادمة"), 1)
    | dict.fromkeys(_set("الحالي الحالية الجاري الجارية"), 0)
)
_PARTS = _set("صباح مساء فجر ظهر ظهيرة عصر ليل ليلة ضحى")
_DEICTIC = {tuple(k.split()): v for k, v in _lex(
    {"أول من أمس": -2, "أول أمس": -2, "بعد غد": 2, "اليوم": 0, "أمس": -1, "الأمس": -1, "غدا": 1}).items()}
_UNITS = _lex({"الأسبوع": "w", "الشهر": "m", "العام": "y", "السنة": "y"})
# (unit, count) after منذ/قبل; count 0 is vague (منذ أيام): found, never resolved
_AGO = _lex({
    "يومين": ("d", 2), "يوما": ("d", 1), "أيام": ("d", 0), "أسبوع": ("w", 1), "أسبوعا": ("w", 1),
    "أسبوعين": ("w", 2), "أسابيع": ("w", 0), "شهر": ("m", 1), "شهرا": ("m", 1), "شهرين": ("m", 2),
    "أشهر": ("m", 0), "شهور": ("m", 0), "عام": ("y", 1), "عاما": ("y", 1), "عامين": ("y", 2),
    "سنة": ("y", 1), "سنتين": ("y", 2), "أعوام": ("y", 0), "سنوات": ("y", 0), "سنين": ("y", 0)})
_YEAR_KW = _set("عام العام سنة السنة عامي العامين سنتي")
_YEAR_DUAL = _set("عامي العامين سنتي")
# A bare month name can be a word too (آب "father", مارس "practised"): it needs one of these before it.
_MONTH_CONTEXT = _set("في منذ خلال حتى مطلع أوائل أواسط منتصف أواخر نهاية بداية قبل بعد شهر")
_NOT_MONDAY = _set("بين كلا هذين هذان")  # الاثنين is also "the two"
_NOT_TODAY = _set("التالي الأول الثاني الأخير العالمي الوطني نفسه ذاته")  # اليوم التالي: a narrative day
_YEAR = re.compile(r"(\d{4})م?")
_DAY = re.compile(r"0?[1-9]|[12]\d|3[01]")
_NUMERIC = re.compile(r"(\d{1,2})([/.-])(\d{1,2})\2(\d{4})(?!\d)|(\d{4})([/.-])(\d{1,2})\6(\d{1,2})(?!\d)")


def _year(s: str) -> int | None:
    m = _YEAR.fullmatch(s)
    return int(m[1]) if m else None


def _rel(n: int, doc: dt.date | None, f: Callable[[dt.date], str | None]) -> _Hit:
    value = f(doc) if doc is not None else None
    return n, value, "relative" if value is not None else "text"


def _shift(doc: dt.date, unit: str, k: int) -> str:
    if unit == "d":
        return (doc + dt.timedelta(days=k)).isoformat()
    if unit == "w":
        y, w, _ = (doc + dt.timedelta(weeks=k)).isocalendar()
        return f"{y:04d}-W{w:02d}"
    if unit == "m":
        y, m = divmod(doc.year * 12 + doc.month - 1 + k, 12)
        return f"{y:04d}-{m + 1:02d}"
    return f"{doc.year + k:04d}"


def _weekday(doc: dt.date, wd: int, d: int) -> str:
    if d > 0:  # the coming one, never the article's own day
        delta = (wd - doc.weekday() - 1) % 7 + 1
    elif d < 0:
        delta = -((doc.weekday() - wd - 1) % 7 + 1)
    else:
        delta = -((doc.weekday() - wd) % 7)
    return (doc + dt.timedelta(days=delta)).isoformat()


def _pick(here: int, cands: dict[int, str], d: int) -> str | None:
    """Latest candidate before `here` (d<0), on or before it (d=0), or the first after it (d>0)."""
    if d > 0:
        after = min((k for k in cands if k > here), default=None)
        return None if after is None else cands[after]
    before = [k for k in cands if k < here + (d == 0)]
    return cands[max(before)] if before else None


def _month_of(doc: dt.date, m: int, d: int) -> str | None:
    cands = {y * 12 + m: f"{y:04d}-{m:02d}" for y in range(doc.year - 1, doc.year + 2)}
    return _pick(doc.year * 12 + doc.month, cands, d)


def _day_of(doc: dt.date, m: int, day: int, d: int) -> str | None:
    days = [dt.date(y, m, day) for y in range(doc.year - 1, doc.year + 2) if day <= monthrange(y, m)[1]]
    cands = {x.toordinal(): x.isoformat() for x in days}
    return _pick(doc.toordinal(), cands, d)


def _month_at(ws: list[str], j: int) -> tuple[int, int] | None:
    """Month named at ws[j]: (month, words), with a twin after a slash (يناير/كانون الثاني)."""
    for n in (2, 1):
        m = _MONTHS.get(tuple(ws[j : j + n]))
        if m:
            twin = _month_at(ws, j + n + 1) if ws[j + n] == "/" else None
            return (m, n + 1 + twin[1]) if twin and twin[0] == m else (m, n)
    return None


def _day(ws: list[str], doc: dt.date | None, ctx: _Ctx) -> _Hit | None:
    p = int(ws[0] in _PARTS)  # فجر الجمعة, مساء أمس: the same day
    k = p + int(ws[p] == "يوم")
    w = ws[k]
    if w in _WEEKDAYS and (k or w != "الاثنين" or ctx[1] not in _NOT_MONDAY):
        d, wd = _DIRS.get(ws[k + 1]), _WEEKDAYS[w]
        return _rel(k + 1 + (d is not None), doc, lambda x: _weekday(x, wd, d or 0))
    if _DAY.fullmatch(w) and (mm := _month_at(ws, k + 1)):
        day, (m, n) = int(w), mm
        j = k + 1 + n
        if (y := _year(ws[j])) is not None:
            try:
                return j + 1, dt.date(y, m, day).isoformat(), "date"
            except ValueError:
                return j + 1, None, "text"
        d = _DIRS.get(ws[j])
        return _rel(j + (d is not None), doc, lambda x: _day_of(x, m, day, d or 0))
    key = next((key for key in _DEICTIC if tuple(ws[k : k + len(key)]) == key), None)
    if key is None or (key == ("اليوم",) and ws[k + 1] in _NOT_TODAY):
        return None
    delta = _DEICTIC[key]
    return _rel(k + len(key), doc, lambda x: _shift(x, "d", delta))


def _month(ws: list[str], doc: dt.date | None, ctx: _Ctx) -> _Hit | None:
    k = int(ws[0] == "شهر")
    if not (mm := _month_at(ws, k)):
        return None
    m, j = mm[0], k + mm[1]
    if (y := _year(ws[j])) is not None:
        return j + 1, f"{y:04d}-{m:02d}", "month"
    d = _DIRS.get(ws[j])
    if not (k or d is not None or _MONTH_CONTEXT & {a.stem for a in analyses(ctx[1])}):
        return None
    return _rel(j + (d is not None), doc, lambda x: _month_of(x, m, d or 0))


def _years(ws: list[str], doc: dt.date | None, ctx: _Ctx) -> _Hit | None:
    if ws[0] in _YEAR_KW and (y := _year(ws[1])) is not None:
        return 2, f"{y:04d}", "year"
    # the second year of بين عامي 2004 و2006
    if ctx[0] in _YEAR_DUAL and _year(ctx[1]) is not None and (y := _year(ws[0])) is not None:
        return 1, f"{y:04d}", "year"
    return None


def _units(ws: list[str], doc: dt.date | None, ctx: _Ctx) -> _Hit | None:
    if ws[0] in ("هذا", "هذه") and ws[1] in _UNITS:
        u, d = _UNITS[ws[1]], 0
    elif ws[0] in _UNITS and ws[1] in _DIRS:
        u, d = _UNITS[ws[0]], _DIRS[ws[1]]
    else:
        return None
    return _rel(2, doc, lambda x: _shift(x, u, d))


def _ago(ws: list[str], doc: dt.date | None, ctx: _Ctx) -> _Hit | None:
    if ws[0] not in ("منذ", "قبل"):
        return None
    j, count = (2, int(ws[1])) if re.fullmatch(r"\d{1,3}", ws[1]) else (1, 0)
    if ws[j] not in _AGO:
        return None
    # منذ عام 2011, قبل شهر رمضان/نيسان: the unit heads a named time, found on its own
    if _year(ws[j + 1]) is not None or _month_at(ws, j + 1) or ws[j + 1] in _WEEKDAYS:
        return None
    u, c = _AGO[ws[j]]
    n, after = count or c, ws[j + 1]
    if c == 1 and not count and after.isalnum():  # قبل شهر رمضان, منذ عام الفيل: a name follows
        return None
    if not n or after in ("من", "على"):  # منذ أيام; قبل عامين من الانتخابات: counted from an event
        return j + 1, None, "text"
    return _rel(j + 1, doc, lambda x: _shift(x, u, -n))


_PARSERS = (_day, _month, _years, _units, _ago)

# Every expression the parsers read starts with one of these words or with a digit, so other
# words (nearly all of them) are passed over without running the parsers.
_FIRST = (_PARTS | _set("يوم شهر هذا هذه منذ قبل") | _YEAR_KW | _WEEKDAYS.keys() | _UNITS.keys()
          | {k[0] for k in _DEICTIC} | {k[0] for k in _MONTHS})


def _may_start(stem: str) -> bool:
    return stem in _FIRST or stem[:1].isdigit()


@lru_cache(maxsize=1 << 16)
def _starts(norm: str) -> tuple[Analysis, ...]:
    """The readings of a word that an expression may start with (most words: none)."""
    return tuple(a for a in analyses(norm) if _may_start(a.stem))


def _numeric(words: Sequence[Word], i: int, text: str, at: int) -> _Hit | None:
    """12/4/2017, 12-4-2017, 2017-04-12 (day first, as Arabic writes it)."""
    m = _NUMERIC.match(text, at)
    if not m:
        return None
    day, month, year = (m[1], m[3], m[4]) if m[1] else (m[8], m[7], m[5])
    try:
        value = dt.date(int(year), int(month), int(day)).isoformat()  # int() reads ٢٠١٧ too
    except ValueError:
        return None
    return sum(1 for w in words[i : i + 12] if w.start < m.end()), value, "date"


def _match(words: Sequence[Word], i: int, text: str, doc: dt.date | None) -> tuple[int, _Hit] | None:
    """Longest expression starting at word i: (start in the text, hit); the bare word wins ties."""
    starts = _starts(words[i].norm)
    if not starts:
        return None
    ctx = (words[i - 2].norm if i > 1 else "", words[i - 1].norm if i else "")
    window = [w.norm for w in words[i + 1 : i + 12]] + [""] * 12
    best: tuple[int, _Hit] | None = None
    for a in starts:
        ws = [a.stem, *window]
        # a glued و/ب stays out of the span (the map is only worth building for such a word)
        at = words[i].start + (normalize_with_map(words[i].text)[1][a.offset] if a.offset else 0)
        for hit in (*(p(ws, doc, ctx) for p in _PARSERS), _numeric(words, i, text, at)):
            if hit and (best is None or hit[0] > best[1][0]):
                best = (at, hit)
    return best


def find_times(words: Sequence[Word], text: str, doc_date: dt.date | None) -> list[Timex]:
    """Time expressions left to right, non-overlapping; `words` from `segment(text, …)`."""
    out: list[Timex] = []
    i = 0
    while i < len(words):
        found = None if words[i].is_punct else _match(words, i, text, doc_date)
        if found is None:
            i += 1
            continue
        start, (n, value, kind) = found
        end = words[i + n - 1].end
        out.append(Timex(start, end, text[start:end], i, i + n - 1, value, kind))
        i += n
    return out
