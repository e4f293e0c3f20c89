"""Generic participants typed by sector: the rules' `sector`, demonym plurals, the importer of
UniversalPetrarch's agent dictionary, and the type/sector/country/CAMEO code kg writes."""

from __future__ import annotations

import importlib.util
import json
import sys
from collections import Counter
from pathlib import Path

import pytest
from rdflib import Literal, URIRef

from kg.errors import RulesError
from kg.extract import extract
from kg.extract.mentions import find_mentions
from kg.mapping import event_row, map_document
from kg.rdf import build_graph
from kg.read import Article
from kg.rules import Rules, demonym_forms, load_rules
from kg.validate import validate_graph

from .conftest import ROOT, hand_parse

DATA = Path(__file__).parent / "data"
WD = "http://www.wikidata.org/entity/"
KGO = "http://kg.example/ontology#"


def _importer():  # the script is not a package module: load it from its file
    path = ROOT / "scripts" / "import_petrarch_agents.py"
    spec = importlib.util.spec_from_file_location("import_petrarch_agents", path)
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    sys.modules[spec.name] = module  # its dataclasses look their module up
    spec.loader.exec_module(module)
    return module


# --- rules --------------------------------------------------------------------------------


def test_an_unknown_sector_is_reported_with_its_line() -> None:
    with pytest.raises(RulesError) as info:
        load_rules(ROOT / "tests" / "rules_broken" / "f_sector.yaml")
    (problem,) = [p for p in info.value.problems if "unknown sector" in p]
    assert "f_sector.yaml:4: unknown sector 'MILX' (known: COP, GOV," in problem and "UAF" in problem


def test_hand_agents_carry_their_sectors(rules: Rules) -> None:
    by_id = {e.id: e for e in rules.entities}
    assert by_id["army"].sector == "MIL" and by_id["police"].sector == "COP"
    assert by_id["militants"].sector == "UAF" and by_id["rebels"].sector == "REB"
    assert by_id["state"].sector is None


def test_demonyms_have_their_plural_and_dual_forms() -> None:
    forms = set(demonym_forms("روسي"))
    assert {"روسي", "روسيه", "الروسي", "الروسيه"} <= forms
    assert {"روسيون", "روسيين", "روسيان", "روسيات", "الروسيين"} <= forms
    assert "روسون" not in forms


@pytest.mark.parametrize(
    ("text", "tags", "span", "country"),
    [
        ("اعتقلت الشرطة العراقية رجلا", "VERB NOUN ADJ NOUN", "الشرطة العراقية", "iraq"),
        ("هاجم مسلحين إسرائيليين القرية", "VERB NOUN ADJ NOUN", "مسلحين إسرائيليين", "israel"),
        ("انتشرت قوات الأمن العراقية", "VERB NOUN NOUN ADJ", "قوات الأمن العراقية", "iraq"),
        ("قال الجيش الإسرائيلي", "VERB NOUN ADJ", "الجيش الإسرائيلي", "israel"),
    ],
)
def test_a_demonym_gives_the_participant_its_country(
    rules: Rules, text: str, tags: str, span: str, country: str
) -> None:
    rows = [(w, 0, "dep", t) for w, t in zip(text.split(), tags.split(), strict=True)]
    ex = extract(hand_parse(text, rows), rules)
    (m,) = [m for m in find_mentions(ex.words, rules) if text[m.start : m.end] == span]
    assert m.nationality is not None and m.nationality.id == country


# --- the importer ---------------------------------------------------------------------------


def test_importer_derives_the_forms_a_text_uses() -> None:
    imp = _importer()
    rules = imp.rules_without_sectors(ROOT / "mappings")  # what the hand-written rules claim
    drops: Counter[str] = Counter()
    entries = imp.read_entries(DATA / "petrarch-agents-sample.txt", drops)
    broken = imp.broken_plurals(DATA / "plurals-sample.conllu")
    assert broken == {"طالب": {"طلاب"}}  # the n02 sentence is held out: no الطوالب
    agents = {a.id: a for a in imp.build(entries, rules, broken, drops)}
    demo = agents["pa-demonstrator-opp"]
    assert {"متظاهرون", "المتظاهرين", "متظاهرين", "المتظاهر"} <= set(demo.forms) and demo.sector == "OPP"
    assert {"قوات الأمن", "قوة الأمن", "قوات أمن"} <= set(agents["pa-security-force-mil"].forms)
    assert {"الحركات الانفصالية", "حركات انفصالية"} <= set(agents["pa-separatist-movement-reb"].forms)
    student = set(agents["pa-student-edu"].forms)
    assert {"طلاب", "الطلاب"} <= student and "طالب" not in student  # طالب also spells "demanded"
    civilians = set(agents["pa-civilian-cvl"].forms)
    assert "المدنيين" in civilians and "مدنيينون" not in civilians
    bombers = set(agents["pa-suicide-bomber-reb"].forms)
    assert "الانتحاريون" in bombers and "الانتحاري" not in bombers  # الهجوم الانتحاري is an adjective
    assert drops["more than 3 words"] == 1 and drops["function or short word"] == 1
    assert drops["a coordination (X and Y)"] == 1 and drops["digits"] == 1 and drops["unknown sector"] == 1
    assert drops["a word with a glued preposition or conjunction"] == 1
    assert drops["entry: its word is a hand-written rule's"] == 1  # جيش: the hand-written army wins
    assert not any(a.id == "pa-army-hand-mil" for a in agents.values())


def test_importer_writes_rules_kg_loads(tmp_path: Path) -> None:
    imp = _importer()
    for p in (ROOT / "mappings").glob("*.yaml"):
        if p.name != "sectors.yaml":
            (tmp_path / p.name).write_bytes(p.read_bytes())
    out = tmp_path / "sectors.yaml"
    assert imp.main([str(DATA / "petrarch-agents-sample.txt"), "--rules", str(tmp_path), "-o", str(out)]) == 0
    text = out.read_text(encoding="utf-8")
    assert text.startswith("# GENERATED") and "licenses/UniversalPetrarch-LICENSE.txt" in text
    loaded = load_rules(tmp_path)
    demo = next(e for e in loaded.entities if e.id == "pa-demonstrator-opp")
    assert demo.sector == "OPP" and demo.agent


# --- output ---------------------------------------------------------------------------------


def test_country_codes_come_with_the_country(rules: Rules) -> None:
    codes = {e.iri: e.iso3 for e in rules.entities if e.type == "country"}
    assert codes[WD + "Q801"] == "ISR" and codes[WD + "Q796"] == "IRQ" and codes[WD + "Q219060"] == "PSE"
    assert len(codes) >= 190 and all(codes.values())


def _record(rules: Rules, doc_id: str, text: str, rows: list[tuple[str, int, str, str]]):
    article = Article(doc_id=doc_id, text=text, source="x", title=None, url=None, date=None)
    return map_document(article, extract(hand_parse(text, rows), rules), rules)


ATTACK = "هاجمت الشرطة العراقية المتظاهرين في بغداد"
ATTACK_ROWS = [("هاجمت", 0, "ROOT", "VERB"), ("الشرطة", 0, "nsubj", "NOUN"), ("العراقية", 1, "amod", "ADJ"),
               ("المتظاهرين", 0, "obj", "NOUN"), ("في", 5, "case", "ADP"), ("بغداد", 0, "obl", "PROPN")]


def test_participants_carry_type_sector_country_and_cameo_code(rules: Rules) -> None:
    d = _record(rules, "a", ATTACK, ATTACK_ROWS)
    (row,) = [event_row(d, e) for e in d.events]
    (actor,), (target,), (place,) = row["actor"], row["target"], row["location"]  # type: ignore[misc]
    assert actor["text"] == "الشرطة العراقية" and actor["type"] == "group" and actor["sector"] == "COP"
    assert actor["country"] == WD + "Q796" and actor["cameo"] == "IRQCOP"
    assert target["sector"] == "OPP" and target["cameo"] == "OPP" and "country" not in target
    assert place["type"] == "city" and place["country"] == WD + "Q796" and place["cameo"] == "IRQ"
    assert "sector" not in place
    json.dumps(row, ensure_ascii=False)


def test_generic_participants_are_one_per_document_names_are_global(rules: Rules) -> None:
    a, b = _record(rules, "a", ATTACK, ATTACK_ROWS), _record(rules, "b", ATTACK, ATTACK_ROWS)
    (ea,), (eb,) = a.events, b.events
    # "the protesters" of two articles are not one group
    assert ea.targets[0].entity != eb.targets[0].entity and ea.targets[0].entity.startswith(a.iri + "/entity/")
    assert ea.locations[0].entity == eb.locations[0].entity  # Baghdad is Baghdad in every article


def test_a_countrys_own_institution_is_one_body_in_every_article(rules: Rules) -> None:
    """الشرطة العراقية names the Iraqi police, in any article; a plural group with a nationality,
    or an institution a country has many of, stays its article's own."""
    a, b = _record(rules, "a", ATTACK, ATTACK_ROWS), _record(rules, "b", ATTACK, ATTACK_ROWS)
    police_a, police_b = a.events[0].actors[0], b.events[0].actors[0]
    assert police_a.entity == police_b.entity and not police_a.entity.startswith(a.iri)
    assert police_a.country == WD + "Q796" and police_a.actor_code == "IRQCOP"
    other = _record(rules, "c", "هاجمت الشرطة السورية المتظاهرين في بغداد", ATTACK_ROWS)
    assert other.events[0].actors[0].entity != police_a.entity  # Syria's police is another body


def test_the_graph_states_sector_and_actor_code_and_validates(rules: Rules) -> None:
    d = _record(rules, "a", ATTACK, ATTACK_ROWS)
    g = build_graph(d, rules)
    police = URIRef(d.events[0].actors[0].entity)
    assert (police, URIRef(KGO + "sector"), Literal("COP")) in g
    assert (police, URIRef(KGO + "actorCode"), Literal("IRQCOP")) in g
    assert (police, URIRef(KGO + "nationality"), URIRef(WD + "Q796")) in g
    assert validate_graph(g, "a.ttl") == []


def test_which_agents_name_a_national_body(rules: Rules) -> None:
    from kg.extract import Mention
    from kg.mapping import national_body

    iraq = rules.by_id["iraq"]

    def agent(text: str, agent_id: str) -> Mention:
        return Mention(0, len(text), text, 0, len(text.split()) - 1, "agent", "group", rules.by_id[agent_id],
                       nationality=iraq)

    assert national_body(agent("وزارة الخارجية العراقية", "pa-foreign-minist-gov")) == ("pa-foreign-minist-gov", "iraq")
    assert national_body(agent("والشرطة العراقية", "police")) == ("police", "iraq")  # a glued و
    assert national_body(agent("الوزارة العراقية", "ministry")) is None  # which ministry?
    assert national_body(agent("قوات الأمن العراقية", "pa-security-force-mil")) is None  # a plural group
    no_country = Mention(0, 6, "الشرطة", 0, 0, "agent", "group", rules.by_id["police"])
    assert national_body(no_country) is None


def test_no_imported_one_word_agent_spells_a_verb_or_event_noun(rules: Rules) -> None:
    """The importer drops a one-word form that spells a verb or event noun of the rules (تجمع
    "gathered", حشد "mobilised"); the shipped sectors.yaml must be rerun when the actions grow, or
    the agent hides the verb (every وتجمع المتظاهرون lost its rally event so)."""
    from kg.extract.actions import is_event_noun, is_verb_form

    stale = sorted(k[0] for k, e in rules.aliases.items()
                   if len(k) == 1 and e.source.startswith("sectors.yaml") and (
                       is_verb_form(k[0], rules) or is_event_noun(k[0], rules)))
    assert stale == []
