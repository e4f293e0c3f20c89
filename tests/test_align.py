from __future__ import annotations

from kg.nlp import align


def spans(text: str, forms: list[str]) -> list[str]:
    return [text[s:e] for s, e in align(text, forms)]


def test_plain_tokens() -> None:
    assert spans("اتفقت موسكو وواشنطن", ["اتفقت", "موسكو", "و", "واشنطن"]) == ["اتفقت", "موسكو", "و", "واشنطن"]


def test_multiword_token_with_restored_article() -> None:
    # UDPipe splits للعلاقات into ل + العلاقات: the second form has an alef the text lacks
    text = "دراسة للعلاقات بين"
    assert spans(text, ["دراسة", "ل", "العلاقات", "بين"]) == ["دراسة", "ل", "لعلاقات", "بين"]


def test_clitic_pronoun_and_diacritics() -> None:
    text = "مباحثاتِنا مع تيلرسونَ"
    assert spans(text, ["مباحثات", "نا", "مع", "تيلرسون"]) == ["مباحثاتِ", "نا", "مع", "تيلرسونَ"]


def test_collapsed_whitespace_and_tatweel() -> None:
    text = "روسيا  عرقلت   القرار لـ الأسد"
    assert spans(text, ["روسيا", "عرقلت", "القرار", "ل", "ـ", "الأسد"])[:4] == ["روسيا", "عرقلت", "القرار", "لـ"]


def test_unfindable_form_gets_empty_span_not_a_wrong_one() -> None:
    text = "موسكو"
    (s, e), = align(text, ["xyz"])
    assert s == e


# --- the verbatim fast path finds what the normalised comparison finds ---------------------------

from hypothesis import given, settings  # noqa: E402
from hypothesis import strategies as st  # noqa: E402

from kg.nlp import align_normalised  # noqa: E402

# letters, hamza forms, marks, tatweel, a ligature, zero-width and bidi marks, odd spaces, ASCII
_CHARS = ("ابتثجحدرسشعلمنهويةىأإآؤئءلا" + "\u064b\u064e\u0651\u0652\u0640\ufefb\u200c\u200f"
          + " \n\t\u00a0\u2009" + "Ab1.،«»")


@st.composite
def text_and_forms(draw: st.DrawFn) -> tuple[str, list[str]]:
    text = draw(st.text(alphabet=_CHARS, max_size=60))
    forms: list[str] = []
    for word in text.split():
        cut = draw(st.integers(0, len(word)))
        for piece in (word[:cut], word[cut:]):
            kind = draw(st.sampled_from(["same", "same", "alef", "drop", "junk"]))
            if kind == "alef":
                piece = "ا" + piece  # ل + العلاقات: a letter the text lacks
            elif kind == "drop" and piece:
                piece = piece[:-1]
            elif kind == "junk":
                piece = draw(st.text(alphabet=_CHARS, max_size=4))
            forms.append(piece)
    return text, forms


@settings(max_examples=600, deadline=None)
@given(text_and_forms())
def test_align_equals_the_normalised_comparison(case: tuple[str, list[str]]) -> None:
    text, forms = case
    assert align(text, forms) == align_normalised(text, forms)


def test_align_falls_back_and_comes_back() -> None:
    # a restored alef sends the cursor into the normalised text; the next forms are verbatim again
    text = "دراسة للعلاقات بين موسكو وواشنطن"
    forms = ["دراسة", "ل", "العلاقات", "بين", "موسكو", "و", "واشنطن"]
    assert align(text, forms) == align_normalised(text, forms)
    assert spans(text, forms) == ["دراسة", "ل", "لعلاقات", "بين", "موسكو", "و", "واشنطن"]


def test_align_keeps_the_cursor_inside_a_ligature() -> None:
    # ﻻ normalises to two letters; a form that ends after the first must leave the cursor between
    # them, not at the ligature's start
    for text, forms in [("ﻻل", ["ل", "ال"]), ("ﻻل بين", ["ل", "ال", "بين"])]:
        assert align(text, forms) == align_normalised(text, forms)
