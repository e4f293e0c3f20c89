"""Arabic normalisation and surface-word analysis.

Matching works on normalised forms, but every span kg reports points into the original text, so
the functions here never change offsets: they normalise one word at a time and leave positions to
the caller.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass
from functools import lru_cache

# Harakat, Quranic marks, superscript alef and tatweel carry no identity for matching.
DROP = re.compile("[\u0610-\u061a\u064b-\u065f\u0670\u06d6-\u06ed\u0640\u200b-\u200f\u202a-\u202e\u2066-\u2069\ufeff]")
_MAP = str.maketrans(
    {
        "أ": "ا",
        "إ": "ا",
        "آ": "ا",
        "ٱ": "ا",
        "ة": "ه",
        "ى": "ي",
        "ی": "ي",  # Persian yeh
        "ک": "ك",  # Persian keheh
        "گ": "ك",
        "ؤ": "ء",
        "ئ": "ء",
    }
)
_DIGITS = str.maketrans("٠١٢٣٤٥٦٧٨٩۰۱۲۳۴۵۶۷۸۹", "01234567890123456789")
_FOLD = _MAP | _DIGITS  # one translate instead of two (they share no character)

# A surface word: letters, digits and the marks that live inside Arabic words.
WORD_RE = re.compile("[\\w\u0610-\u061a\u064b-\u065f\u0670\u06d6-\u06ed\u200c\u200d]+")

# Proclitic sequences, longest first: conjunction, then preposition or future marker.
# Each is (surface prefix, what it stands for). `ل` before a word whose article lost its alef
# (للعلاقات = ل + العلاقات) is handled by `analyses`.
CONJ = ("و", "ف")
PREP = ("ب", "ل", "ك")


_SURROGATE = re.compile("[\ud800-\udfff]")


def replace_surrogates(text: str) -> str:
    """Lone surrogates (from bad JSON input) as U+FFFD, one for one: every offset stays."""
    return _SURROGATE.sub("\ufffd", text)


_CACHED = 40  # characters: words and names are cached, whole texts never (memory stays flat)


def normalize(text: str) -> str:
    """Normalised form used for every lexicon lookup (no offsets are kept)."""
    return _normalize_word(text) if len(text) <= _CACHED else _with_map(text)[0]


# Cached: news repeats its words, and every word is looked up many times over (mentions,
# actions, roles, times).
@lru_cache(maxsize=1 << 16)
def _normalize_word(text: str) -> str:
    return _with_map(text)[0]


def normalize_with_map(text: str) -> tuple[str, tuple[int, ...]]:
    """Normalised text and, for each of its characters, the index of the source character.

    Characters are normalised one at a time (NFKC, so presentation forms and ligatures such as
    U+FEFB become plain letters) so that every output character knows where it came from.
    """
    return _map_word(text) if len(text) <= _CACHED else _with_map(text)


@lru_cache(maxsize=1 << 12)
def _map_word(text: str) -> tuple[str, tuple[int, ...]]:
    return _with_map(text)


# Characters each of which normalises to exactly one character with no NFKC change (plain Arabic
# letters and digits, printable ASCII, common whitespace and Arabic punctuation): runs of them take
# the fast way, a `translate` of the whole run with offsets one for one.
_NOT_SIMPLE = re.compile("[^\u0621-\u063a\u0641-\u064a\u0660-\u0669\u06f0-\u06f9\x20-\x7e\n\t\r"
                         "\u060c\u061b\u061f\u00ab\u00bb]")


def _with_map(text: str) -> tuple[str, tuple[int, ...]]:
    out: list[str] = []
    where: list[int] = []
    pos = 0
    for m in _NOT_SIMPLE.finditer(text):
        i = m.start()
        if i > pos:
            out.append(text[pos:i].translate(_FOLD).lower())
            where.extend(range(pos, i))
        ch = text[i]
        pos = i + 1
        if DROP.match(ch):
            continue
        if not ch.isascii():
            ch = unicodedata.normalize("NFKC", ch)
        for c in ch.translate(_FOLD).lower():
            if not DROP.match(c):
                out.append(c)
                where.append(i)
    if pos < len(text):
        out.append(text[pos:].translate(_FOLD).lower())
        where.extend(range(pos, len(text)))
    return "".join(out), tuple(where)


@dataclass(frozen=True, slots=True)
class Analysis:
    """One reading of a surface word: proclitics stripped off a stem."""

    conj: str  # "و", "ف" or ""
    prep: str  # "ب", "ل", "ك" or ""
    stem: str  # normalised; keeps the article "ال" when the word has it
    offset: int  # characters of the *normalised* word taken by the stripped proclitics


@lru_cache(maxsize=1 << 16)
def analyses(norm: str) -> tuple[Analysis, ...]:
    """Every proclitic split of a normalised word, the bare word first.

    Longest-match users pick the first analysis that hits a lexicon; keeping the bare reading first
    means a name that begins like a clitic (لافروف, بريطانيا) is found whole before its split.
    """
    out = [Analysis("", "", norm, 0)]
    for c in ("", *CONJ):
        rest_c = norm[len(c) :] if c and norm.startswith(c) else (norm if not c else None)
        if rest_c is None:
            continue
        for p in ("", *PREP):
            if not c and not p:
                continue
            if p and not rest_c.startswith(p):
                continue
            stem = rest_c[len(p) :]
            if len(stem) < 2:
                continue
            out.append(Analysis(c, p, stem, len(c) + len(p)))
            if p == "ل" and stem.startswith("ل"):
                # ل + ال loses the alef: للعلاقات -> ل + العلاقات
                out.append(Analysis(c, p, "ا" + stem, len(c) + len(p)))
    return tuple(out)
