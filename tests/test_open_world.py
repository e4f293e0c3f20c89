"""Open-world extraction: participants no rule names, passives, and casualty counts. Sentences
written for these tests (not from any evaluation set), on hand-built parses so that each
mechanism is tested apart from the parser's mistakes."""

from __future__ import annotations

from kg.extract import Event, extract
from kg.extract.actions import VerbLexicon, passive_stem
from kg.extract.model import Word
from kg.extract.participants import demonym_noun, is_abstract, is_people, skip_count
from kg.rules import Rules

from .conftest import hand_parse


def _events(rules: Rules, rows: list[tuple[str, str]]) -> dict[str, Event]:
    """A flat hand parse: (form, UPOS) per word, every word attached to the first."""
    text = " ".join(form for form, _ in rows)
    parsed = hand_parse(text, [(form, 0, "root" if i == 0 else "dep", pos) for i, (form, pos) in enumerate(rows)])
    return {e.text: e for e in extract(parsed, rules).events}


def _who(ms: tuple[object, ...]) -> list[str]:
    return [m.text for m in ms]  # type: ignore[attr-defined]


def _word(text: str, pos: str = "NOUN") -> Word:
    from kg.normalize import normalize

    return Word(0, text, 0, len(text), normalize(text), pos, False, 0, 0)


def test_people_by_form() -> None:
    assert all(is_people(_word(w)) for w in ("المتظاهرون", "مسلحين", "انتحاريون", "العاطلين", "الأشخاص"))
    assert not any(is_people(_word(w)) for w in ("الاثنين", "سنتين", "البرلمان", "الطريق", "ملايين"))


def test_demonym_used_as_a_noun(rules: Rules) -> None:
    for w in ("أمريكيين", "عراقيا", "الفلسطينيون", "الإسرائيليين"):
        assert demonym_noun(_word(w), rules) is not None, w
    assert demonym_noun(_word("سياسيين"), rules) is None


def test_abstract_nouns_by_form() -> None:
    assert all(is_abstract(_word(w)) for w in ("تطورات", "استعداد", "الاعتقال", "مساعدة", "المسؤولية"))
    assert not any(is_abstract(_word(w)) for w in ("سيارة", "الطريق", "مدرسة", "قنبلة", "محطة"))


def test_counts_are_skipped_to_their_noun() -> None:
    words = [_word(w, "NUM" if w.isdigit() else "NOUN") for w in ("نحو", "80", "شخصا")]
    words = [w._replace(i=i) for i, w in enumerate(words)]
    assert skip_count(words, 0) == 2
    assert skip_count(words[2:], 0) == 0


def test_passive_spellings() -> None:
    assert passive_stem("أصاب".replace("أ", "ا")) == "اصيب"
    assert passive_stem("اغتال") == "اغتيل"
    assert passive_stem("هاجم") == "هوجم"
    assert passive_stem("واصل") is None  # would spell ووصل, "and he arrived"
    assert passive_stem("قتل") is None  # spelled as its active


def test_passive_forms_are_found_and_flagged(rules: Rules) -> None:
    lex = VerbLexicon(rules.actions)
    assert any(f.passive and f.action.id == "injure" for f in lex.get("اصيب"))
    assert any(f.passive and f.action.id == "attack" for f in lex.get("هوجمت"))
    assert not any(f.passive for f in lex.get("اصاب"))


def test_a_passive_subject_is_the_target(rules: Rules) -> None:
    ev = _events(rules, [("وأصيب", "VERB"), ("ثلاثة", "NUM"), ("جنود", "NOUN"), (".", "PUNCT")])
    e = ev["وأصيب"]
    assert _who(e.targets) == ["ثلاثة جنود"] and not e.actors


def test_a_count_after_a_killing_verb_is_its_victims(rules: Rules) -> None:
    ev = _events(rules, [("قتل", "VERB"), ("20", "NUM"), ("شخصا", "NOUN"), ("في", "ADP"), ("انفجار", "NOUN"),
                         (".", "PUNCT")])
    e = ev["قتل"]
    assert _who(e.targets) == ["20 شخصا"] and not e.actors


def test_people_after_a_verb_are_its_subject_and_a_thing_its_target(rules: Rules) -> None:
    ev = _events(rules, [("وهاجم", "VERB"), ("مسلحون", "NOUN"), ("مدرسة", "NOUN"), ("للبنات", "NOUN"),
                         (".", "PUNCT")])
    e = ev["وهاجم"]
    assert _who(e.actors) == ["مسلحون"] and _who(e.targets)[0].startswith("مدرسة")


def test_people_after_ala_are_the_target(rules: Rules) -> None:
    ev = _events(rules, [("وهاجم", "VERB"), ("الجيش", "NOUN"), ("على", "ADP"), ("المتظاهرين", "NOUN"),
                         (".", "PUNCT")])
    assert _who(ev["وهاجم"].actors) == ["الجيش"] and _who(ev["وهاجم"].targets) == ["المتظاهرين"]


def test_topics_of_talks_are_not_targets(rules: Rules) -> None:
    ev = _events(rules, [("وبحث", "VERB"), ("الوزير", "NOUN"), ("تطورات", "NOUN"), ("الأزمة", "NOUN"),
                         (".", "PUNCT")])
    assert not ev["وبحث"].targets


def test_verbal_nouns_of_derived_forms() -> None:
    from kg.extract.actions import verbal_nouns

    expected = {"استهدف": "استهداف", "انفجر": "انفجار", "اعتقل": "اعتقال", "اغتال": "اغتيال", "احتج": "احتجاج",
                "أعدم": "اعدام", "أصاب": "اصابه", "فجر": "تفجير", "هاجم": "مهاجمه"}
    for verb, noun in expected.items():
        assert noun in verbal_nouns(verb), verb
    assert verbal_nouns("قال") == ()


def test_no_verb_from_a_cut_defective_base_or_a_ta_marbuta(rules: Rules) -> None:
    lex = VerbLexicon(rules.actions)
    assert not lex.get("بنك")  # بنى + ك would be بناك
    ev = _events(rules, [("وطالبت", "VERB"), ("المعارضة", "NOUN"), ("قادة", "NOUN"), ("الجيش", "NOUN"),
                         (".", "PUNCT")])
    assert "قادة" not in ev


def test_no_verb_right_after_a_preposition(rules: Rules) -> None:
    ev = _events(rules, [("وصل", "VERB"), ("الوزير", "NOUN"), ("مع", "ADP"), ("وفد", "NOUN"), ("من", "ADP"),
                         ("ضمنهم", "NOUN"), (".", "PUNCT")])
    assert "ضمنهم" not in ev


def test_sound_plurals_in_two_cases_are_two_phrases(rules: Rules) -> None:
    ev = _events(rules, [("هاجم", "VERB"), ("مفجرون", "NOUN"), ("انتحاريون", "ADJ"), ("سياسيين", "ADJ"),
                         (".", "PUNCT")])
    assert _who(ev["هاجم"].actors) == ["مفجرون انتحاريون"] and _who(ev["هاجم"].targets) == ["سياسيين"]


def test_a_chant_is_not_a_shooting_down(rules: Rules) -> None:
    ev = _events(rules, [("وهتف", "VERB"), ("المتظاهرون", "NOUN"), ("يسقط", "VERB"), ("الرئيس", "NOUN"),
                         (".", "PUNCT")])
    assert "يسقط" not in ev


def test_a_support_verb_lends_its_subject_to_the_event_noun(rules: Rules) -> None:
    ev = _events(rules, [("وشارك", "VERB"), ("آلاف", "NUM"), ("الطلاب", "NOUN"), ("في", "ADP"), ("مظاهرة", "NOUN"),
                         (".", "PUNCT")])
    assert _who(ev["مظاهرة"].actors) == ["آلاف الطلاب"] and ev["مظاهرة"].nominal


def test_a_verb_that_refers_back_to_an_event_noun_gives_its_actor(rules: Rules) -> None:
    ev = _events(rules, [("في", "ADP"), ("هجوم", "NOUN"), ("مسلح", "ADJ"), ("نفذه", "VERB"), ("متطرف", "NOUN"),
                         ("ضد", "ADP"), ("مستشفى", "NOUN"), (".", "PUNCT")])
    assert "نفذه" not in ev  # a light verb is no event itself
    assert _who(ev["هجوم"].actors) == ["متطرف"]


def test_qama_bi_and_a_verb_stem_as_its_noun(rules: Rules) -> None:
    ev = _events(rules, [("وقام", "VERB"), ("مسلحون", "NOUN"), ("بخطف", "NOUN"), ("مهندس", "NOUN"), (".", "PUNCT")])
    assert "وقام" not in ev
    assert ev["بخطف"].action.id == "kidnap" and _who(ev["بخطف"].actors) == ["مسلحون"]


def test_an_indefinite_subject_before_the_object(rules: Rules) -> None:
    ev = _events(rules, [("وفي", "ADP"), ("واقعة", "NOUN"), ("منفصلة", "ADJ"), ("استهدف", "VERB"), ("مفجر", "NOUN"),
                         ("انتحاري", "ADJ"), ("مركزا", "NOUN"), ("للشرطة", "NOUN"), (".", "PUNCT")])
    e = ev["استهدف"]
    assert _who(e.actors) == ["مفجر انتحاري"] and _who(e.targets)[0].startswith("مركزا")


def test_a_count_the_parser_took_for_a_name_is_the_victims(rules: Rules) -> None:
    ev = _events(rules, [("قتل", "VERB"), ("13", "NUM"), ("عراقيا", "PROPN"), ("في", "ADP"), ("انفجار", "NOUN"),
                         (".", "PUNCT")])
    assert _who(ev["قتل"].targets) == ["13 عراقيا"] and not ev["قتل"].actors


def test_a_group_before_a_relative_pronoun_is_its_clause_subject(rules: Rules) -> None:
    ev = _events(rules, [("مجموعات", "NOUN"), ("من", "ADP"), ("المواطنين", "NOUN"), ("الغاضبين", "ADJ"), ("،", "PUNCT"),
                         ("الذين", "PRON"), ("يحتجون", "VERB"), ("على", "ADP"), ("القرار", "NOUN"), (".", "PUNCT")])
    assert _who(ev["يحتجون"].actors) == ["المواطنين الغاضبين"]


def test_a_purpose_noun_is_done_by_the_subject_before_it(rules: Rules) -> None:
    ev = _events(rules, [("ونزل", "VERB"), ("آلاف", "NUM"), ("العمال", "NOUN"), ("إلى", "ADP"), ("الشوارع", "NOUN"),
                         ("للاحتجاج", "NOUN"), ("على", "ADP"), ("الأجور", "NOUN"), (".", "PUNCT")])
    assert _who(ev["للاحتجاج"].actors) == ["آلاف العمال"]


def test_a_verb_outside_the_lexicon_with_a_named_participant_is_a_generic_event(rules: Rules) -> None:
    ev = _events(rules, [("وصافح", "VERB"), ("الرئيس", "NOUN"), ("روسيا", "PROPN"), (".", "PUNCT")])
    e = ev.get("وصافح")
    assert e is not None and e.action.cameo is None and "#verb/" in e.action.iri
    assert [m.text for m in e.targets] == ["روسيا"]


def test_copulas_mental_verbs_and_verbs_without_participants_are_no_events(rules: Rules) -> None:
    ev = _events(rules, [("واعتبر", "VERB"), ("روسيا", "PROPN"), ("الخطة", "NOUN"), ("خطأ", "NOUN"), (".", "PUNCT")])
    assert "واعتبر" not in ev
    ev = _events(rules, [("وتراكم", "VERB"), ("الوقت", "NOUN"), (".", "PUNCT")])
    assert "وتراكم" not in ev


def test_a_plural_verb_ending_is_the_subject_and_the_noun_after_it_the_object(rules: Rules) -> None:
    ev = _events(rules, [("واقتحم", "VERB"), ("المسلحون", "NOUN"), ("القرية", "NOUN"), ("واعتقلوا", "VERB"),
                         ("السكان", "NOUN"), (".", "PUNCT")])
    e = ev["واعتقلوا"]
    assert _who(e.targets) == ["السكان"] and _who(e.actors) == ["المسلحون"]  # the subject from the verb before


def test_a_subject_before_a_place_phrase(rules: Rules) -> None:
    ev = _events(rules, [("وكان", "AUX"), ("متظاهرون", "NOUN"), ("بمدينة", "NOUN"), ("حلب", "PROPN"), ("قد", "PART"),
                         ("اقتحموا", "VERB"), ("المقر", "NOUN"), (".", "PUNCT")])
    assert _who(ev["اقتحموا"].actors) == ["متظاهرون"]


def test_a_clause_opener_with_wa_is_no_subject(rules: Rules) -> None:
    ev = _events(rules, [("وبينما", "SCONJ"), ("احتج", "VERB"), ("نحو", "ADP"), ("مائتي", "NUM"), ("شخص", "NOUN"),
                         (".", "PUNCT")])
    assert _who(ev["احتج"].actors) == ["نحو مائتي شخص"] and not ev["احتج"].targets


def test_a_count_the_parser_took_for_a_name_starts_a_group(rules: Rules) -> None:
    ev = _events(rules, [("ويعتصم", "VERB"), ("آلاف", "PROPN"), ("المتظاهرين", "PROPN"), ("في", "ADP"),
                         ("بانكوك", "PROPN"), (".", "PUNCT")])
    assert _who(ev["ويعتصم"].actors) == ["آلاف المتظاهرين"] and not ev["ويعتصم"].targets


def test_a_date_before_the_verb_is_no_subject(rules: Rules) -> None:
    ev = _events(rules, [("ففي", "ADP"), ("9", "NUM"), ("يونيو", "PROPN"), ("أطلق", "VERB"), ("مسلحون", "NOUN"),
                         ("النار", "NOUN"), ("على", "ADP"), ("المقر", "NOUN"), (".", "PUNCT")])
    e = ev["أطلق"]
    assert e.action.id == "shoot" and _who(e.actors) == ["مسلحون"] and _who(e.targets) == ["المقر"]


def test_victims_counted_with_a_genitive_the_rules_name(rules: Rules) -> None:
    ev = _events(rules, [("قتل", "VERB"), ("سبعة", "NUM"), ("من", "ADP"), ("عناصر", "NOUN"), ("الشرطة", "NOUN"),
                         (".", "PUNCT")])
    assert _who(ev["قتل"].targets) == ["سبعة من عناصر الشرطة"] and not ev["قتل"].actors


def test_the_words_after_an_office_are_a_name_whatever_their_tags(rules: Rules) -> None:
    ev = _events(rules, [("وقال", "VERB"), ("رئيس", "NOUN"), ("الوزراء", "NOUN"), ("العراقي", "ADJ"), ("محمد", "NOUN"),
                         ("شياع", "NOUN"), ("السوداني", "ADJ"), ("إن", "SCONJ"), ("الحكومة", "NOUN"),
                         ("ستدعم", "VERB"), ("الجيش", "NOUN"), (".", "PUNCT")])
    e = ev["وقال"]
    assert _who(e.actors) == ["محمد شياع السوداني"] and not e.targets
    assert e.actors[0].nationality is not None and e.actors[0].nationality.id == "iraq"


def test_no_name_from_a_common_noun_after_an_office(rules: Rules) -> None:
    ev = _events(rules, [("وأكد", "VERB"), ("الرئيس", "NOUN"), ("أهمية", "NOUN"), ("الحوار", "NOUN"), (".", "PUNCT")])
    assert _who(ev["وأكد"].actors) == ["الرئيس"]


def test_a_definite_word_tagged_adj_after_the_verb_is_its_object(rules: Rules) -> None:
    ev = _events(rules, [("وأعلنت", "VERB"), ("المنظمة", "NOUN"), ("أن", "SCONJ"), ("الشرطة", "NOUN"),
                         ("اعتقلت", "VERB"), ("الصحفي", "ADJ"), (".", "PUNCT")])
    assert _who(ev["اعتقلت"].targets) == ["الصحفي"] and _who(ev["اعتقلت"].actors) == ["الشرطة"]


def test_an_amount_is_no_participant(rules: Rules) -> None:
    ev = _events(rules, [("وصافح", "VERB"), ("الوزير", "NOUN"), ("42", "NUM"), ("مليون", "NUM"), ("يورو", "NOUN"),
                         (".", "PUNCT")])
    assert "وصافح" not in ev  # a generic verb needs a name or a group: an amount is neither


def test_a_written_tanween_makes_a_noun(rules: Rules) -> None:
    ev = _events(rules, [("قدمت", "VERB"), ("المنظمتان", "NOUN"), ("طعناً", "VERB"), ("رفضته", "VERB"),
                         ("المحكمة", "NOUN"), (".", "PUNCT")])
    assert "طعناً" not in ev
