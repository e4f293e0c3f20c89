"""Extraction on parses written by hand (no model): word order, tree, clitics, negation."""

from __future__ import annotations

from pathlib import Path

from kg.extract import How, extract
from kg.rules import Rules

from .conftest import hand_parse


def roles(ex, i: int = 0) -> dict[str, list[str]]:  # type: ignore[no-untyped-def]
    e = [e for e in ex.events if not e.nominal][i]  # verbs; event nouns have their own tests
    return {"action": [e.text], "actor": [m.text for m in e.actors], "target": [m.text for m in e.targets],
            "location": [m.text for m in e.locations]}


def test_vso_with_coordinated_subject_and_glued_conjunction(rules: Rules) -> None:
    text = "اتفقت موسكو وواشنطن على مواصلة التعاون في سوريا."
    p = hand_parse(text, [("اتفقت", 0, "ROOT", "VERB"), ("موسكو", 0, "nsubj", "PROPN"), ("و", 3, "cc", "CCONJ"),
                          ("واشنطن", 1, "conj", "PROPN"), ("على", 5, "case", "ADP"), ("مواصلة", 0, "obl", "NOUN"),
                          ("التعاون", 5, "nmod", "NOUN"), ("في", 8, "case", "ADP"), ("سوريا", 6, "nmod", "PROPN"),
                          (".", 0, "punct", "PUNCT")])
    ex = extract(p, rules)
    r = roles(ex)
    assert r["actor"] == ["موسكو", "واشنطن"]  # the conjunction و stays out of the span
    assert r["location"] == []  # في سوريا belongs to the abstract noun, not to the verb
    e = ex.events[0]
    assert text[e.actors[1].start : e.actors[1].end] == "واشنطن"


def test_svo_negated_with_preposition_target_and_title_apposition(rules: Rules) -> None:
    text = "موسكو لا تعلق آمالا على الرئيس بشار الأسد"
    p = hand_parse(text, [("موسكو", 2, "nsubj", "PROPN"), ("لا", 2, "advmod", "PART"), ("تعلق", 2, "ROOT", "VERB"),
                          ("آمالا", 2, "obj", "NOUN"), ("على", 5, "case", "ADP"), ("الرئيس", 2, "obl", "NOUN"),
                          ("بشار", 5, "appos", "PROPN"), ("الأسد", 6, "flat", "PROPN")])
    ex = extract(p, rules)
    r = roles(ex)
    assert r["actor"] == ["موسكو"]
    assert r["target"] == ["بشار الأسد"]  # the title yields to the name
    assert ex.events[0].negated


def test_object_suffix_makes_postverbal_noun_the_subject(rules: Rules) -> None:
    text = "أيدته عدة دول غربية"
    p = hand_parse(text, [("أيدت", 0, "ROOT", "VERB"), ("ه", 0, "obj", "PRON"), ("عدة", 0, "nsubj", "NOUN"),
                          ("دول", 2, "nmod", "NOUN"), ("غربية", 3, "amod", "ADJ")])
    r = roles(extract(p, rules))
    assert r["actor"] == ["دول غربية"]
    assert r["target"] == []


def test_place_after_glued_preposition_and_place_head(rules: Rules) -> None:
    text = "هجوم استهدف خان شيخون بريف ادلب"
    p = hand_parse(text, [("هجوم", 1, "nsubj", "NOUN"), ("استهدف", 1, "ROOT", "VERB"), ("خان", 1, "obj", "PROPN"),
                          ("شيخون", 2, "flat", "PROPN"), ("ب", 5, "case", "ADP"), ("ريف", 1, "obl", "NOUN"),
                          ("ادلب", 5, "nmod", "PROPN")])
    r = roles(extract(p, rules))
    assert r["actor"] == []  # the abstract noun before the verb takes the subject slot
    assert r["target"] == ["خان شيخون"]
    assert r["location"] == ["ادلب"]


def test_homograph_needs_a_verb_context(rules: Rules) -> None:
    text = "الخلافات بين البلدين. وبين لافروف أن الوثيقة تركز."
    p = hand_parse(text, [("الخلافات", 0, "ROOT", "NOUN"), ("بين", 2, "case", "ADP"), ("البلدين", 0, "nmod", "NOUN"),
                          (".", 0, "punct", "PUNCT"), ("و", 5, "cc", "CCONJ"), ("بين", 5, "ROOT", "NOUN"),
                          ("لافروف", 5, "nsubj", "PROPN"), ("أن", 9, "mark", "SCONJ"), ("الوثيقة", 9, "nsubj", "NOUN"),
                          ("تركز", 5, "ccomp", "VERB"), (".", 5, "punct", "PUNCT")])
    ex = extract(p, rules)
    assert [e.text for e in ex.events if not e.nominal] == ["وبين"]
    assert roles(ex)["actor"] == ["لافروف"]


def test_name_split_by_the_tokenizer_is_found_on_the_text(rules: Rules) -> None:
    # the parser split لافروف into ل + افروف and tagged تيلرسون as a verb
    text = "وشدد لافروف على التحقيق مع تيلرسون"
    p = hand_parse(text, [("و", 1, "cc", "CCONJ"), ("شدد", 1, "ROOT", "VERB"), ("ل", 3, "case", "ADP"),
                          ("افروف", 1, "obl", "NOUN"), ("على", 5, "case", "ADP"), ("التحقيق", 1, "obl", "NOUN"),
                          ("مع", 7, "case", "ADP"), ("تيلرسون", 5, "acl", "VERB")])
    ex = extract(p, rules)
    assert roles(ex)["actor"] == ["لافروف"]
    assert {m.text for m in ex.mentions} >= {"لافروف", "تيلرسون"}


def test_motion_verb_takes_ila_as_location(rules: Rules) -> None:
    text = "ووصل تيلرسون الى موسكو"
    p = hand_parse(text, [("و", 1, "cc", "CCONJ"), ("وصل", 1, "ROOT", "VERB"), ("تيلرسون", 1, "nsubj", "PROPN"),
                          ("الى", 4, "case", "ADP"), ("موسكو", 1, "obl", "PROPN")])
    r = roles(extract(p, rules))
    assert r["actor"] == ["تيلرسون"] and r["location"] == ["موسكو"] and r["target"] == []


def test_tree_fills_an_actor_word_order_misses(rules: Rules) -> None:
    # a fronted PP hides the subject from word order; the tree's nsubj still names it
    text = "روسيا، في دمشق، قررت"
    p = hand_parse(text, [("روسيا", 5, "nsubj", "PROPN"), ("،", 5, "punct", "PUNCT"), ("في", 3, "case", "ADP"),
                          ("دمشق", 5, "obl", "PROPN"), ("،", 5, "punct", "PUNCT"), ("قررت", 5, "ROOT", "VERB")])
    ex = extract(p, rules)
    assert roles(ex)["actor"] == ["روسيا"]
    assert How.TREE in ex.events[0].how


def test_unknown_name_fills_a_role_and_gets_no_entity(rules: Rules) -> None:
    text = "قال بانفالكار أنه شعر"
    p = hand_parse(text, [("قال", 0, "ROOT", "VERB"), ("بانفالكار", 0, "nsubj", "PROPN"), ("أن", 3, "mark", "SCONJ"),
                          ("ه", 3, "nsubj", "PRON"), ("شعر", 0, "ccomp", "VERB")])
    ex = extract(p, rules)
    (actor,) = ex.events[0].actors
    assert actor.text == "بانفالكار" and actor.entity is None and actor.kind == "name"


def test_relative_pronoun_antecedent_is_the_subject(rules: Rules) -> None:
    text = "وقال غوميري الذي قاد لجنة التحقيق"
    p = hand_parse(text, [("و", 1, "cc", "CCONJ"), ("قال", 1, "ROOT", "VERB"), ("غوميري", 1, "nsubj", "PROPN"),
                          ("الذي", 4, "nsubj", "PRON"), ("قاد", 2, "acl:relcl", "VERB"), ("لجنة", 4, "obj", "NOUN"),
                          ("التحقيق", 5, "nmod", "NOUN")])
    ex = extract(p, rules)
    lead = next(e for e in ex.events if e.text == "قاد")
    assert [m.text for m in lead.actors] == ["غوميري"]


def test_definite_noun_phrase_is_an_actor_but_an_indefinite_object_is_not(rules: Rules) -> None:
    text = "أصدرت المؤسسة نسخة. وحيث شنت ضربات على القاعدة"
    p = hand_parse(text, [("أصدرت", 0, "ROOT", "VERB"), ("المؤسسة", 0, "nsubj", "NOUN"), ("نسخة", 0, "obj", "NOUN"),
                          (".", 0, "punct", "PUNCT"), ("و", 6, "cc", "CCONJ"), ("حيث", 6, "mark", "SCONJ"),
                          ("شنت", 6, "ROOT", "VERB"), ("ضربات", 6, "obj", "NOUN"), ("على", 9, "case", "ADP"),
                          ("القاعدة", 6, "obl", "NOUN")])
    ex = extract(p, rules)
    issue, launch = [e for e in ex.events if not e.nominal]
    assert [m.text for m in issue.actors] == ["المؤسسة"] and issue.actors[0].kind == "np"
    assert launch.actors == () and [m.text for m in launch.targets] == ["القاعدة"]


def test_place_visited_is_a_location(rules: Rules) -> None:
    text = "وزار سوريا في أيلول"
    p = hand_parse(text, [("و", 1, "cc", "CCONJ"), ("زار", 1, "ROOT", "VERB"), ("سوريا", 1, "obj", "PROPN"),
                          ("في", 4, "case", "ADP"), ("أيلول", 1, "obl", "NOUN")])
    r = roles(extract(p, rules))
    assert r["location"] == ["سوريا"] and r["target"] == [] and r["actor"] == []


def test_capital_as_actor_stands_for_its_country_as_the_rules_say(rules: Rules) -> None:
    text = "ووصل تيلرسون الى موسكو. وقررت موسكو الرد."
    p = hand_parse(text, [("و", 1, "cc", "CCONJ"), ("وصل", 1, "ROOT", "VERB"), ("تيلرسون", 1, "nsubj", "PROPN"),
                          ("الى", 4, "case", "ADP"), ("موسكو", 1, "obl", "PROPN"), (".", 1, "punct", "PUNCT"),
                          ("و", 7, "cc", "CCONJ"), ("قررت", 7, "ROOT", "VERB"), ("موسكو", 7, "nsubj", "PROPN"),
                          ("الرد", 7, "obj", "NOUN"), (".", 7, "punct", "PUNCT")])
    arrive, decide = extract(p, rules).events
    assert arrive.locations[0].entity is not None and arrive.locations[0].entity.id == "moscow"
    assert decide.actors[0].entity is not None and decide.actors[0].entity.id == "russia"
    assert decide.actors[0].text == "موسكو"


def test_role_types_from_the_rules(tmp_path: Path) -> None:
    import shutil

    from kg.rules import load_rules

    shutil.copytree(Path(__file__).resolve().parent.parent / "mappings", tmp_path / "r")
    (tmp_path / "r" / "zz.yaml").write_text("roles:\n  capitals: city\n  types:\n    actor: [person]\n",
                                          encoding="utf-8")
    strict = load_rules(tmp_path / "r")
    text = "وقررت موسكو وتيلرسون الرد."
    p = hand_parse(text, [("و", 1, "cc", "CCONJ"), ("قررت", 1, "ROOT", "VERB"), ("موسكو", 1, "nsubj", "PROPN"),
                          ("و", 4, "cc", "CCONJ"), ("تيلرسون", 2, "conj", "PROPN"), ("الرد", 1, "obj", "NOUN"),
                          (".", 1, "punct", "PUNCT")])
    (decide,) = extract(p, strict).events
    assert [m.text for m in decide.actors] == ["تيلرسون"]  # a city may not be an actor under these rules


def test_time_and_modality_of_events(rules: Rules) -> None:
    import datetime

    text = "ووصل تيلرسون الى موسكو يوم الثلاثاء. وقال إن روسيا ستستغل نفوذها. وإذا قررت دمشق ذلك."
    rows = [("و", 1, "cc", "CCONJ"), ("وصل", 1, "ROOT", "VERB"), ("تيلرسون", 1, "nsubj", "PROPN"),
            ("الى", 4, "case", "ADP"), ("موسكو", 1, "obl", "PROPN"), ("يوم", 1, "obl", "NOUN"),
            ("الثلاثاء", 5, "nmod", "PROPN"), (".", 1, "punct", "PUNCT"),
            ("و", 9, "cc", "CCONJ"), ("قال", 9, "ROOT", "VERB"), ("إن", 12, "mark", "SCONJ"),
            ("روسيا", 12, "nsubj", "PROPN"), ("ستستغل", 9, "ccomp", "VERB"), ("نفوذ", 12, "obj", "NOUN"),
            ("ها", 13, "nmod", "PRON"), (".", 9, "punct", "PUNCT"),
            ("و", 18, "cc", "CCONJ"), ("إذا", 18, "mark", "SCONJ"), ("قررت", 18, "ROOT", "VERB"),
            ("دمشق", 18, "nsubj", "PROPN"), ("ذلك", 18, "obj", "PRON"), (".", 18, "punct", "PUNCT")]
    p = hand_parse(text, rows)
    by = {e.text: e for e in extract(p, rules, datetime.date(2017, 4, 12)).events}
    arrive = by["ووصل"]
    assert arrive.time is not None and arrive.time.text == "يوم الثلاثاء" and arrive.time.value == "2017-04-11"
    assert arrive.modality == "asserted"
    assert by["ستستغل"].modality == "future" and by["ستستغل"].time is None
    assert by["قررت"].modality == "conditional"
    undated = {e.text: e for e in extract(p, rules).events}["ووصل"]
    assert undated.time is not None and undated.time.value is None  # found, but no date to resolve it


def test_event_nouns_with_their_arguments(rules: Rules) -> None:
    text = "عقب الضربات الأمريكية على سوريا وزيارة تيلرسون"
    p = hand_parse(text, [("عقب", 1, "case", "ADP"), ("الضربات", 1, "ROOT", "NOUN"), ("الأمريكية", 1, "amod", "ADJ"),
                          ("على", 4, "case", "ADP"), ("سوريا", 1, "nmod", "PROPN"), ("و", 6, "cc", "CCONJ"),
                          ("زيارة", 1, "conj", "NOUN"), ("تيلرسون", 6, "nmod", "PROPN")])
    strikes, visit = extract(p, rules).events
    assert strikes.nominal and strikes.action.id == "launch-strikes"
    assert [m.entity.id for m in strikes.actors if m.entity] == ["united-states"]  # from the demonym
    assert [m.text for m in strikes.targets] == ["سوريا"]
    assert visit.nominal and visit.text == "وزيارة" and [m.text for m in visit.actors] == ["تيلرسون"]


def test_the_phrase_after_bism_belongs_to_the_subject(rules: Rules) -> None:
    """قال متحدث باسم الشرطة لرويترز: the police complete the spokesman; Reuters, told, is the target."""
    text = "وقال متحدث باسم الشرطة لرويترز إن الوضع هادئ."
    p = hand_parse(text, [("و", 1, "cc", "CCONJ"), ("قال", 1, "ROOT", "VERB"), ("متحدث", 1, "nsubj", "NOUN"),
                          ("ب", 4, "case", "ADP"), ("اسم", 2, "nmod", "NOUN"), ("الشرطة", 4, "nmod", "NOUN"),
                          ("ل", 7, "case", "ADP"), ("رويترز", 1, "obl", "PROPN"), ("إن", 10, "mark", "SCONJ"),
                          ("الوضع", 10, "nsubj", "NOUN"), ("هادئ", 1, "ccomp", "ADJ"), (".", 1, "punct", "PUNCT")])
    r = roles(extract(p, rules))
    assert r["actor"] == ["متحدث"]
    assert r["target"] == ["رويترز"]


def test_a_name_after_a_bare_agent_is_its_genitive(rules: Rules) -> None:
    """شرطة بريتيش كولومبيا: the police of British Columbia, one participant, not police and a target."""
    text = "قالت شرطة بريتيش كولومبيا إن التحقيق مستمر."
    p = hand_parse(text, [("قالت", 0, "ROOT", "VERB"), ("شرطة", 0, "nsubj", "NOUN"), ("بريتيش", 1, "nmod", "PROPN"),
                          ("كولومبيا", 2, "flat", "PROPN"), ("إن", 6, "mark", "SCONJ"), ("التحقيق", 6, "nsubj", "NOUN"),
                          ("مستمر", 0, "ccomp", "ADJ"), (".", 0, "punct", "PUNCT")])
    r = roles(extract(p, rules))
    assert r["actor"] == ["شرطة"]
    assert r["target"] == []


def test_a_noun_with_a_name_after_it_is_a_definite_subject(rules: Rules) -> None:
    """مررت ولاية كارولينا الشمالية: ولاية is definite by the name it governs, so it is the subject."""
    text = "مررت ولاية كارولينا الشمالية مشروع قانون."
    p = hand_parse(text, [("مررت", 0, "ROOT", "VERB"), ("ولاية", 0, "nsubj", "NOUN"), ("كارولينا", 1, "nmod", "PROPN"),
                          ("الشمالية", 2, "amod", "ADJ"), ("مشروع", 0, "obj", "NOUN"), ("قانون", 4, "nmod", "NOUN"),
                          (".", 0, "punct", "PUNCT")])
    r = roles(extract(p, rules))
    assert r["actor"] == ["ولاية كارولينا الشمالية"]


def test_a_verb_with_a_glued_wa_takes_no_subject_from_the_clause_before(rules: Rules) -> None:
    """… تاريخا إجراميا ونشرت تفاصيل: the adjective ends the clause before; the police, subject of
    قالت, are the dropped subject of ونشرت."""
    text = "قالت الشرطة إن لديه تاريخا إجراميا ونشرت تفاصيل."
    p = hand_parse(text, [("قالت", 0, "ROOT", "VERB"), ("الشرطة", 0, "nsubj", "NOUN"), ("إن", 3, "mark", "SCONJ"),
                          ("لديه", 0, "ccomp", "ADP"), ("تاريخا", 3, "nsubj", "NOUN"), ("إجراميا", 4, "amod", "ADJ"),
                          ("و", 7, "cc", "CCONJ"), ("نشرت", 0, "conj", "VERB"), ("تفاصيل", 7, "obj", "NOUN"),
                          (".", 0, "punct", "PUNCT")])
    ex = extract(p, rules)
    publish = next(e for e in ex.events if e.action.id == "publish")
    assert [m.text for m in publish.actors] == ["الشرطة"]


def test_a_passive_agent_no_rule_names_is_still_the_actor(rules: Rules) -> None:
    """تعليقات أرسلت من قبل تلاميذ ومدرسين: both noun phrases after من قبل are the agents, و left out."""
    text = "جمعت الجمعية تعليقات أرسلت من قبل تلاميذ ومدرسين."
    p = hand_parse(text, [("جمعت", 0, "ROOT", "VERB"), ("الجمعية", 0, "nsubj", "NOUN"), ("تعليقات", 0, "obj", "NOUN"),
                          ("أرسلت", 2, "acl", "VERB"), ("من", 5, "case", "ADP"), ("قبل", 3, "obl", "NOUN"),
                          ("تلاميذ", 5, "nmod", "NOUN"), ("و", 8, "cc", "CCONJ"), ("مدرسين", 6, "conj", "NOUN"),
                          (".", 0, "punct", "PUNCT")])
    ex = extract(p, rules)
    sent = next(e for e in ex.events if e.action.id == "send")
    assert [text[m.start : m.end] for m in sent.actors] == ["تلاميذ", "مدرسين"]


def test_down_with_chant_is_no_shoot_down(rules: Rules) -> None:
    """يسقط النظام "down with the regime" is a chant; shooting down needs what is shot down."""
    chant = "يسقط النظام"
    p = hand_parse(chant, [("يسقط", 0, "ROOT", "VERB"), ("النظام", 0, "nsubj", "NOUN")])
    assert [e.action.id for e in extract(p, rules).events] == []
    text = "يسقط الجيش طائرة"
    p = hand_parse(text, [("يسقط", 0, "ROOT", "VERB"), ("الجيش", 0, "nsubj", "NOUN"), ("طائرة", 0, "obj", "NOUN")])
    assert [e.action.id for e in extract(p, rules).events] == ["shoot-down"]


def test_how_is_a_set_of_flags_shown_in_the_order_they_were_added() -> None:
    assert str(How.ORDER | How.TREE | How.DROPPED_SUBJECT) == "order+tree+dropped-subject"
    assert str(How.NOMINAL | How.LIGHT_VERB) == "nominal+light-verb" and str(How.ORDER) == "order"
    assert How.TREE in How.ORDER | How.TREE | How.DROPPED_SUBJECT and How.TREE not in How.ORDER
