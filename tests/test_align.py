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
