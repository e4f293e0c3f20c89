"""Issue 20: a name several entities share (عمان: Oman, Amman) is linked on a cue or not at all.

Each sentence names عمان once; the expected reading is `amman`, `oman`, or None: unlinked, with
both as candidates. A sentence may be read as None where a reader would know (no cue kg uses),
never as the other entity."""

from __future__ import annotations

import pytest

from kg.extract import extract
from kg.extract.mentions import find_mentions
from kg.extract.words import segment
from kg.mapping import map_document
from kg.rdf import build_triples
from kg.read import Article
from kg.rules import Rules

from .conftest import hand_parse

SENTENCES = [
    # a type word or a demonym right before it says which
    ("تظاهر الآلاف في العاصمة الأردنية عمان", "amman"),
    ("وصل الوزير إلى العاصمة الأردنية عمان امس", "amman"),
    ("عقد الاجتماع في العاصمة عمان", "amman"),
    ("خرجت مسيرات في العاصمة عمان يوم الجمعة", "amman"),
    ("زار الرئيس مدينة عمان", "amman"),
    ("تقع مدينة عمان في وسط الأردن", "amman"),
    ("وقع انفجار في المدينة عمان", "amman"),
    ("استقبلت العاصمة عمان الوفد", "amman"),
    ("شهدت عاصمة عمان احتجاجات", "amman"),
    ("اعتصم المعلمون في الأردنية عمان", "amman"),
    ("أعلنت سلطنة عمان موقفها", "oman"),
    ("زار الوزير سلطنة عمان امس", "oman"),
    ("وقعت دولة عمان الاتفاق", "oman"),
    ("رحبت سلطنة عمان بالقرار", "oman"),
    ("توسطت سلطنة عمان بين الطرفين", "oman"),
    ("تقع دولة عمان على بحر العرب", "oman"),
    ("أكدت سلطنة عمان دعمها", "oman"),
    ("قالت دولة عمان إنها ستشارك", "oman"),
    # no cue: unlinked, with candidates
    ("تظاهر الآلاف في عمان", None),
    ("وصل الوزير إلى عمان", None),
    ("قالت عمان إنها ترفض القرار", None),
    ("أعلنت عمان موقفها من الأزمة", None),
    ("زار الرئيس عمان امس", None),
    ("عقدت القمة في عمان", None),
    ("رحبت عمان بالقرار", None),
    ("غادر الوفد عمان متوجها إلى القاهرة", None),
    ("اتفقت عمان وطهران على التعاون", None),
    ("انتقدت عمان الهجوم", None),
    ("تستضيف عمان المؤتمر", None),
    ("بحث الوزير في عمان ملف اللاجئين", None),
    ("وصلت الطائرة إلى مطار في عمان", None),
    ("نفت عمان الاتهامات", None),
    ("دعت عمان إلى الحوار", None),
    ("شارك ممثلون عن عمان في الاجتماع", None),
    ("قتل شخص في عمان", None),
    ("أعلنت الشرطة في عمان اعتقال ثلاثة", None),
    # a demonym of a third country is no cue for either
    ("وصل الوزير الإيراني إلى عمان", None),
    ("التقى السفير الأمريكي في عمان بالوزير", None),
    # a type word that fits neither does not choose
    ("قالت محافظة عمان إنها مستعدة", None),
    # a cue in another sentence does not reach
    ("زار الوزير العاصمة . عمان رحبت", None),
]


def _mentions(text: str, rules: Rules):  # type: ignore[no-untyped-def]
    rows = [(w, 0, "dep", "X") for w in text.split()]
    words = segment(text, hand_parse(text, rows).tokens)
    return [m for m in find_mentions(words, rules) if text[m.start : m.end].endswith("عمان")]


def test_the_set_is_large_enough() -> None:
    assert len(SENTENCES) >= 40
    assert {r for _, r in SENTENCES} == {"amman", "oman", None}


@pytest.mark.parametrize(("text", "reading"), SENTENCES)
def test_a_shared_name_is_linked_right_or_left_unlinked(text: str, reading: str | None, rules: Rules) -> None:
    (m,) = _mentions(text, rules)
    if reading is None:
        assert m.entity is None and {c.id for c in m.candidates} == {"oman", "amman"}
    else:
        assert m.entity is not None and m.entity.id == reading


def test_candidates_go_into_the_graph(rules: Rules) -> None:
    text = "تظاهر الآلاف في عمان"
    rows = [("تظاهر", 0, "ROOT", "VERB"), ("الآلاف", 0, "nsubj", "NOUN"), ("في", 3, "case", "ADP"),
            ("عمان", 0, "obl", "PROPN")]
    article = Article(doc_id="a", text=text, source="x", title=None, url=None, date=None)
    record = map_document(article, extract(hand_parse(text, rows), rules), rules)
    lines = "\n".join(build_triples(record, rules).sorted())
    assert "<http://kg.example/ontology#candidate> <http://www.wikidata.org/entity/Q842>" in lines
    assert "<http://kg.example/ontology#candidate> <http://www.wikidata.org/entity/Q3805>" in lines
    assert "taIdentRef> <http://www.wikidata.org/entity/Q842>" not in lines


# جورجيا: the country (Q230) or the US state (places.yaml), the same way
GEORGIA = [
    ("زار الرئيس دولة جورجيا امس", "georgia"),
    ("أعلنت جمهورية جورجيا موقفها", "georgia"),
    ("تظاهر الآلاف في ولاية جورجيا", "georgia-us-state"),
    ("فاز المرشح في ولاية جورجيا الأمريكية", "georgia-us-state"),
    ("جرت الانتخابات في الولاية الأمريكية جورجيا", "georgia-us-state"),
    ("وصل الوزير إلى جورجيا", None),
    ("قالت جورجيا إنها ترفض القرار", None),
    ("وصل الوزير الروسي إلى جورجيا", None),
]


@pytest.mark.parametrize(("text", "reading"), GEORGIA)
def test_georgia_is_the_country_or_the_us_state_on_a_cue_or_neither(text: str, reading: str | None,
                                                                    rules: Rules) -> None:
    rows = [(w, 0, "dep", "X") for w in text.split()]
    words = segment(text, hand_parse(text, rows).tokens)
    (m,) = [m for m in find_mentions(words, rules) if "جورجيا" in text[m.start : m.end]]
    if reading is None:
        assert m.entity is None and {c.id for c in m.candidates} == {"georgia", "georgia-us-state"}
    else:
        assert m.entity is not None and m.entity.id == reading
