"""One document through kg's stages, in the one order they run in, written once here.

    Article (+ its parse) -> extract -> map_document (DocRecord) -> triples, events rows, HTML

A batch run (`kg.run.job.process_article`, locally or on a Spark executor), `kg show` and the golden
tests all call `process` (or `analyse` for the records alone); nothing here reads or writes files.
"""

from __future__ import annotations

import datetime
import json
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from pathlib import Path

from . import rdf
from .extract import Extraction, extract
from .mapping import DocRecord, event_row, map_document
from .nlp import Parsed, parse
from .read import Article
from .rules import Rules


@dataclass(frozen=True)
class Outputs:
    """Everything one document gives, as strings: what a run writes, and what made it."""

    extraction: Extraction
    record: DocRecord
    files: dict[str, str]  # extension (ttl, trig, nq, html) -> file content
    rows: tuple[str, ...]  # events.jsonl lines


def article_date(article: Article) -> datetime.date | None:
    """The article's date from its metadata (ISO 8601, the date part), if it has a usable one."""
    if not article.date:
        return None
    try:
        return datetime.date.fromisoformat(article.date.strip()[:10])
    except ValueError:
        return None


def analyse_parsed(article: Article, parsed: Parsed, rules: Rules) -> tuple[Extraction, DocRecord]:
    """A parsed article through the stages after parsing: extract, map."""
    extraction = extract(parsed, rules, article_date(article))
    return extraction, map_document(article, extraction, rules)


def analyse(
    article: Article, rules: Rules, model: Path, on_piece: Callable[[], None] | None = None
) -> tuple[Extraction, DocRecord]:
    """One article through every stage up to its records: parse, extract, map."""
    return analyse_parsed(article, parse(article.text, model, on_piece), rules)


def process(
    article: Article,
    parsed: Parsed,
    rules: Rules,
    formats: Iterable[str] = ("ttl",),
    html: bool = False,
    nominal_events: bool = True,
    text: bool = True,
) -> Outputs:
    """A parsed article through every stage after parsing, to its outputs: the graph in each of
    `formats`, the HTML view if `html`, and its events-table rows (event nouns too if
    `nominal_events`). `text=False` leaves the article's words out of the graph."""
    extraction, record = analyse_parsed(article, parsed, rules)
    files: dict[str, str] = {}
    formats = tuple(formats)
    if formats:  # kg show wants the page alone
        graph = rdf.build_triples(record, rules, text=text)
        files = {f: rdf.serialize(graph, record.iri, f) for f in formats}
    if html:
        from .show import render_html  # only for --html and kg show

        files["html"] = render_html(record, extraction, rules)
    rows = tuple(json.dumps(event_row(record, e), ensure_ascii=False, sort_keys=True) for e in record.events
                 if nominal_events or not e.nominal)
    return Outputs(extraction, record, files, rows)
