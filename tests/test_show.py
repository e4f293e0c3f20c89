"""The annotated HTML view (kg/show.py): structure, links, escaping of hostile text, a real browser."""

from __future__ import annotations

import shutil
import subprocess
from dataclasses import replace
from html.parser import HTMLParser
from pathlib import Path

import pytest

from kg.extract import Extraction, Word, extract
from kg.mapping import DocRecord, EventRecord, MentionRecord, map_document
from kg.nlp import parse
from kg.read import Article
from kg.rules import Rules
from kg.show import render_html, unmatched_candidates

from .conftest import MODEL, ROOT

SEED = ROOT / "seeds" / "000_2fb4171725300b4b.txt"
WD = "http://www.wikidata.org/entity/"
Seed = tuple[DocRecord, Extraction, str]  # the seed's record, its extraction and its page
VOID = {"meta", "br", "img", "input", "link", "hr", "wbr", "area", "base", "col", "embed", "source", "track"}


class Page(HTMLParser):
    """Walks the page once: every start tag with its attributes, the tag balance, and the article's
    visible text (tips left out), so tests check what a browser would build."""

    def __init__(self, html: str) -> None:
        super().__init__(convert_charrefs=True)
        self.tags: list[tuple[str, dict[str, str | None]]] = []
        self.stack: list[str] = []
        self.errors: list[str] = []
        self.text: list[str] = []
        self.article: list[str] = []
        self._article_depth = self._tip_depth = 0
        self.feed(html)
        self.close()

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        a = dict(attrs)
        self.tags.append((tag, a))
        if tag in VOID:
            return
        self.stack.append(tag)
        classes = (a.get("class") or "").split()
        if "article" in classes and not self._article_depth:
            self._article_depth = len(self.stack)
        if "tip" in classes and not self._tip_depth:
            self._tip_depth = len(self.stack)

    def handle_startendtag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.tags.append((tag, dict(attrs)))

    def handle_endtag(self, tag: str) -> None:
        if tag in VOID:
            return
        if not self.stack or self.stack[-1] != tag:
            self.errors.append(f"</{tag}> closes <{self.stack[-1] if self.stack else None}>")
            return
        if len(self.stack) == self._tip_depth:
            self._tip_depth = 0
        if len(self.stack) == self._article_depth:
            self._article_depth = 0
        self.stack.pop()

    def handle_data(self, data: str) -> None:
        self.text.append(data)
        if self._article_depth and not self._tip_depth:
            self.article.append(data)

    def starts(self, tag: str) -> list[dict[str, str | None]]:
        return [a for t, a in self.tags if t == tag]


def _build(text: str, rules: Rules, doc_id: str = "doc", parse_text: str | None = None) -> tuple[DocRecord, Extraction]:
    """What the pipeline does (kg.document.process), keeping the extraction the page also needs."""
    extraction = extract(parse(parse_text or text, MODEL), rules)
    return map_document(Article(doc_id=doc_id, text=text, source="test"), extraction, rules), extraction


@pytest.fixture(scope="module")
def seed(rules: Rules) -> Seed:
    record, extraction = _build(SEED.read_text(encoding="utf-8"), rules, SEED.stem)
    return record, extraction, render_html(record, extraction, rules)


def test_seed_page_is_well_formed(seed: Seed) -> None:
    _, _, html = seed
    page = Page(html)
    assert page.errors == [] and page.stack == [], (page.errors, page.stack)
    assert html.startswith("<!DOCTYPE html>")
    assert [t for t, _ in page.tags].count("html") == 1
    (article,) = [a for a in page.starts("div") if a.get("class") == "article"]
    assert article["dir"] == "rtl" and article["lang"] == "ar"
    assert len(page.starts("svg")) == 1
    # Self-contained: nothing is fetched and nothing runs.
    assert not page.starts("script") and not page.starts("link") and not page.starts("img")
    assert not any(k.startswith("on") for _, a in page.tags for k in a)
    assert all((a.get("href") or "").startswith("https://www.wikidata.org/wiki/Q") for a in page.starts("a"))


def test_article_text_survives_markup(seed: Seed) -> None:
    """Outside the tips, the article's visible text is the article, character for character: spans
    are cut at the right offsets and nothing is lost or doubled between them."""
    record, _, html = seed
    assert "".join(Page(html).article) == record.article.text


def test_one_row_per_event(seed: Seed) -> None:
    record, _, html = seed
    assert len(record.events) >= 20
    rows = [a["data-event"] for a in Page(html).starts("tr") if "data-event" in a]
    assert rows == [e.iri for e in record.events]


def test_every_mention_is_marked_with_its_iri(seed: Seed) -> None:
    record, _, html = seed
    page = Page(html)
    marks = [a for a in page.starts("span") if "m" in (a.get("class") or "").split() and "tabindex" in a]
    assert [(a["data-iri"], a["tabindex"]) for a in marks] == [(m.entity, "0") for m in record.mentions if m.text]
    cells = {a["data-iri"] for a in page.starts("span") if "chip" in (a.get("class") or "")}
    roles = {m.entity for e in record.events for m in (*e.actors, *e.targets, *e.locations)}
    assert cells == roles
    assert all(m.entity in html for m in record.mentions)
    actions = [a for a in page.starts("span") if (a.get("class") or "").split()[:1] == ["a"] and "tabindex" in a]
    assert len(actions) == len(record.events)


def test_wikidata_iris_link_to_wikidata(seed: Seed) -> None:
    record, _, html = seed
    linked = {m.entity for m in record.mentions if m.entity.startswith(WD)}
    assert len(linked) >= 10
    hrefs = {a["href"] for a in Page(html).starts("a")}
    assert {"https://www.wikidata.org/wiki/" + iri.removeprefix(WD) for iri in linked} <= hrefs
    minted = next(m for m in record.mentions if not m.entity.startswith(WD))
    assert minted.entity in html and not any(minted.entity in (h or "") for h in hrefs)


def test_tips_say_rule_and_role(seed: Seed) -> None:
    record, _, html = seed
    text = "".join(Page(html).text)
    event = next(e for e in record.events if e.actors)
    assert f"actor of {event.action.text}" in text
    assert all(f"rule: {m.rule}" in text for m in record.mentions if m.text)


def test_page_is_deterministic(rules: Rules, seed: Seed) -> None:
    record, extraction, html = seed
    assert render_html(record, extraction, rules) == html


def test_hostile_article_cannot_inject_markup(rules: Rules) -> None:
    text = (
        "أدانت روسيا <script>alert(1)</script> الهجوم على سوريا \"><img src=x onerror=alert(1)> "
        "وقالت فرنسا إن \u202eالقرار\u202c & 'x' \u2066خطأ\u2069 \ud800 مرفوض."
    )
    # The parser cannot take a lone surrogate; U+FFFD has the same length, so the offsets hold.
    record, extraction = _build(text, rules, '<b id="x">\u202e', parse_text=text.replace("\ud800", "\ufffd"))
    assert record.mentions and record.events, "the hostile article should still yield marks"
    html = render_html(record, extraction, rules)
    html.encode("utf-8")  # no lone surrogate left: strict UTF-8 encodes it
    page = Page(html)
    assert page.errors == []
    assert not page.starts("script") and not page.starts("img")
    assert not any(a.get("id") == "x" for _, a in page.tags)
    assert not any(k.startswith("on") for _, a in page.tags for k in a)
    for ch in "\u202a\u202b\u202c\u202d\u202e\u2066\u2067\u2068\u2069":
        assert ch not in html
    visible = "".join(page.article)
    assert "<script>alert(1)</script>" in visible and '"><img src=x onerror=alert(1)>' in visible
    assert "⟨U+202E⟩القرار⟨U+202C⟩" in visible and "⟨U+2066⟩" in visible and "\ufffd" in visible
    assert "& 'x'" in visible
    # In text each placeholder is an isolated LTR run; in <title> (no markup there) it is plain text.
    assert sum(a.get("class") == "ctl" and a.get("dir") == "ltr" for a in page.starts("bdi")) >= 4
    assert "<title>kg: &lt;b id=&quot;x&quot;&gt;⟨U+202E⟩</title>" in html


# Hand-made records are real seed records with the fields that matter replaced, so fields added to
# the records later keep working values.


def _mention(seed: Seed, text: str, start: int, entity: str, rule: str, linked: bool) -> MentionRecord:
    return replace(seed[0].mentions[0], iri=f"d#char={start},{start + len(text)}", start=start,
                   end=start + len(text), text=text, entity=entity, entity_label=text, entity_label_en=None,
                   entity_type="http://kg.example/ontology#Name", linked=linked, rule=rule, nationality=None)


def _event(seed: Seed, action: MentionRecord, actors: tuple[MentionRecord, ...],
           targets: tuple[MentionRecord, ...] = (), negated: bool = False) -> EventRecord:
    return replace(seed[0].events[0], iri=f"d/event/{action.start}-{action.end}", action_class=action.entity,
                   action_label_ar="قال", action_label_en="say", action_id="say", cameo=None, action=action,
                   actors=actors, targets=targets, locations=(), negated=negated, rule=action.rule)


def _doc(seed: Seed, text: str, mentions: tuple[MentionRecord, ...], events: tuple[EventRecord, ...]) -> DocRecord:
    return replace(seed[0], iri="d", article=Article("d", text, "test"), mentions=mentions, events=events)


def _word(seed: Seed, i: int, text: str, start: int, pos: str) -> Word:
    return seed[1].words[0]._replace(i=i, text=text, start=start, end=start + len(text), norm=text, pos=pos)


def test_unmatched_candidates_by_hand(rules: Rules, seed: Seed) -> None:
    """Names: unlinked parser names and PROPN words in no mark; verbs: VERB words that are no action."""
    text = "قال زيد إن عمرو وروسيا ذهبت زيد قال"
    said = _mention(seed, "قال", 0, "http://kg.example/ontology#Say", "actions.yaml:1", True)
    zaid = _mention(seed, "زيد", 4, "http://kg.example/id/entity/name/1", "parser:PROPN", False)
    russia = _mention(seed, "روسيا", 17, WD + "Q159", "countries.yaml:1", True)
    record = _doc(seed, text, (zaid, russia), (_event(seed, said, (zaid,)),))
    words = tuple(_word(seed, i, w, start, pos) for i, (w, start, pos) in enumerate([
        ("قال", 0, "VERB"), ("زيد", 4, "PROPN"), ("إن", 8, "SCONJ"), ("عمرو", 11, "PROPN"),
        ("وروسيا", 16, "PROPN"), ("ذهبت", 23, "VERB"), ("زيد", 28, "PROPN"), ("قال", 32, "VERB")]))
    extraction = Extraction(words=words, mentions=(), events=())
    assert unmatched_candidates(record, extraction) == (["زيد", "عمرو"], ["ذهبت", "قال"])
    page = Page(render_html(record, extraction, rules))
    assert page.errors == []
    assert "".join(page.article) == text
    items = [d for d in page.text if d in {"زيد", "عمرو", "ذهبت", "قال"}]
    assert items[-4:] == ["زيد", "عمرو", "ذهبت", "قال"]


def test_overlapping_and_empty_spans_keep_the_text(rules: Rules, seed: Seed) -> None:
    """Marks never nest: a span overlapping an earlier one is left unmarked, an empty one (an implied
    participant) is listed in the table only; either way the article reads the same."""
    text = "روسيا الاتحادية قالت"
    first = _mention(seed, "روسيا", 0, WD + "Q159", "countries.yaml:1", True)
    overlapping = _mention(seed, "يا الاتحادية", 3, "http://kg.example/id/entity/x/1", "agents.yaml:1", False)
    implied = _mention(seed, "", 16, "http://kg.example/id/entity/thing/2", "syntax:implied", False)
    said = _mention(seed, "ية قالت", 13, "http://kg.example/ontology#Say", "actions.yaml:1", True)
    event = _event(seed, said, (implied,), (first,), negated=True)
    record = _doc(seed, text, (first, overlapping, implied), (event,))
    html = render_html(record, Extraction(words=(), mentions=(), events=()), rules)
    page = Page(html)
    assert page.errors == [] and "".join(page.article) == text
    marks = [a.get("data-iri") or a.get("data-event-ref") for a in page.starts("span") if "tabindex" in a]
    assert marks == [first.entity, event.iri]  # the second mention is dropped, so the action no longer clashes
    chips = [a["data-iri"] for a in page.starts("span") if "chip" in (a.get("class") or "")]
    assert chips == [implied.entity, first.entity]


def test_seed_candidates_are_unmatched(seed: Seed) -> None:
    record, extraction, html = seed
    names, verbs = unmatched_candidates(record, extraction)
    assert names == sorted(set(names)) and verbs == sorted(set(verbs)) and names and verbs
    assert not set(names) & {m.text for m in record.mentions if m.linked}
    actions = {(e.action.start, e.action.end) for e in record.events}
    free_verbs = {w.text for w in extraction.words if w.pos == "VERB" and (w.start, w.end) not in actions}
    assert set(verbs) <= free_verbs
    tail = html[html.index("Unmatched candidates"):]
    assert all(f"<bdi>{n}</bdi>" in tail for n in names + verbs)


def test_chromium_renders_the_seed(seed: Seed, tmp_path: Path) -> None:
    """A real browser builds the page: the dumped DOM still has every event row."""
    record, _, html = seed
    chromium = shutil.which("chromium") or "/usr/bin/chromium"
    if not Path(chromium).exists():
        pytest.fail("chromium not found: install it (Debian: apt-get install -y chromium) to run this test")
    page = tmp_path / "seed.html"
    page.write_text(html, encoding="utf-8")
    cmd = [chromium, "--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
           "--disable-background-networking", "--disable-component-update", "--disable-sync",
           f"--user-data-dir={tmp_path / 'profile'}", "--dump-dom", page.as_uri()]
    done = subprocess.run(cmd, capture_output=True, text=True, timeout=60, check=False)
    assert done.returncode == 0, done.stderr[-2000:]
    dom = Page(done.stdout)
    rows = [a["data-event"] for a in dom.starts("tr") if "data-event" in a]
    assert rows == [e.iri for e in record.events]
    assert not dom.starts("script")
    assert "".join(dom.article) == record.article.text
