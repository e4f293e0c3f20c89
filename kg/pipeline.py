"""The export job: articles -> Turtle files and the events table. I/O lives here and in cli."""

from __future__ import annotations

import json
import os
import re
import tempfile
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from pathlib import Path

from .errors import ArticleError, KgError
from .extract import extract
from .mapping import DocRecord, event_row, map_document
from .nlp import load, parse, resolve_model
from .rdf import build_graph, to_turtle
from .read import Article, read_paths
from .rules import Rules, default_rules_dir, load_rules

EVENTS_FILE = "events.jsonl"
_UNSAFE = re.compile(r"[^\w.\-]+")


@dataclass
class Report:
    exported: list[str] = field(default_factory=list)
    failed: list[tuple[str, str]] = field(default_factory=list)  # (source, reason)
    events: int = 0

    @property
    def exit_code(self) -> int:
        return 1 if self.failed else 0


def safe_name(doc_id: str) -> str:
    """A file name for a document id that cannot leave the output folder (no / .. or NUL)."""
    name = _UNSAFE.sub("_", doc_id).strip("._") or "doc"
    return name[:200]


def write_atomic(path: Path, data: str) -> None:
    """Write to a temporary name beside `path`, then rename: readers never see half a file."""
    fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.", suffix=".tmp")
    try:
        with os.fdopen(fd, "w", encoding="utf-8", newline="\n") as f:
            f.write(data)
        os.replace(tmp, path)
    except BaseException:
        if os.path.exists(tmp):
            os.unlink(tmp)
        raise


def process(article: Article, rules: Rules, model: Path) -> DocRecord:
    """One article through every stage: parse, extract, map."""
    return map_document(article, extract(parse(article.text, model), rules), rules)


def export(
    paths: Iterable[Path],
    out_dir: Path,
    model: Path | None = None,
    rules_dir: Path | None = None,
    on_article: Callable[[str], None] | None = None,
    total: Callable[[int], None] | None = None,
) -> Report:
    """Export every article under `paths` to `out_dir`: one `<doc_id>.ttl` each and `events.jsonl`.

    Rules, model and output folder problems raise KgError before any article is touched; a bad
    article is recorded in the report and the others are still written.
    """
    rules = load_rules(rules_dir or default_rules_dir())
    model_path = resolve_model(model)
    load(model_path)
    items = list(read_paths(paths))
    if total is not None:
        total(len(items))
    try:
        out_dir.mkdir(parents=True, exist_ok=True)
    except OSError as err:
        raise KgError(f"{out_dir}: cannot create output folder ({err.strerror})") from None
    report = Report()
    rows: list[str] = []
    seen: dict[str, str] = {}
    for item in items:
        if isinstance(item, ArticleError):
            report.failed.append((item.source, item.reason))
            if on_article:
                on_article(item.source)
            continue
        name = safe_name(item.doc_id)
        if name in seen:
            report.failed.append((item.source, f"document id {item.doc_id!r} already used by {seen[name]}"))
            if on_article:
                on_article(item.source)
            continue
        seen[name] = item.source
        try:
            record = process(item, rules, model_path)
            turtle = to_turtle(build_graph(record, rules))
            write_atomic(out_dir / f"{name}.ttl", turtle)
        except KgError:
            raise
        except OSError as err:
            raise KgError(f"{out_dir}: cannot write ({err.strerror})") from None
        except Exception as err:  # one article's failure never stops the batch
            report.failed.append((item.source, f"{type(err).__name__}: {err}"))
        else:
            report.exported.append(item.doc_id)
            for e in record.events:
                rows.append(json.dumps(event_row(record, e), ensure_ascii=False, sort_keys=True))
            report.events += len(record.events)
        if on_article:
            on_article(item.source)
    write_atomic(out_dir / EVENTS_FILE, "".join(r + "\n" for r in rows))
    return report
