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
from .extract import Extraction, extract
from .mapping import DocRecord, event_row, map_document
from .nlp import load, parse, resolve_model
from .rdf import FORMATS, build_graph, serialize
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


def _umask() -> int:
    old = os.umask(0)
    os.umask(old)
    return old


_MODE = 0o666 & ~_umask()  # what a plain open() would give: temporary files start at 0600


def write_atomic(path: Path, data: str) -> None:
    """Write to a temporary name beside `path`, then rename: readers never see half a file."""
    fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.", suffix=".tmp")
    try:
        os.fchmod(fd, _MODE)
        with os.fdopen(fd, "w", encoding="utf-8", newline="\n") as f:
            f.write(data)
        os.replace(tmp, path)
    except BaseException:
        if os.path.exists(tmp):
            os.unlink(tmp)
        raise


def check_parses(data: str, fmt: str, where: str) -> None:
    """Parse output back before it is written (pyoxigraph: fast, and independent of rdflib)."""
    import pyoxigraph

    kind = {"ttl": pyoxigraph.RdfFormat.TURTLE, "trig": pyoxigraph.RdfFormat.TRIG,
            "nq": pyoxigraph.RdfFormat.N_QUADS}[fmt]
    try:
        for _ in pyoxigraph.parse(data.encode("utf-8"), format=kind):
            pass
    except SyntaxError as err:
        raise RuntimeError(f"{where}: kg wrote {fmt} that does not parse ({err}); nothing written") from None


def analyse(article: Article, rules: Rules, model: Path) -> tuple[Extraction, DocRecord]:
    """One article through every stage: parse, extract, map."""
    extraction = extract(parse(article.text, model), rules)
    return extraction, map_document(article, extraction, rules)


def process(article: Article, rules: Rules, model: Path) -> DocRecord:
    return analyse(article, rules, model)[1]


def show(path: Path, out: Path | None, model: Path | None = None, rules_dir: Path | None = None) -> Path:
    """Render one article (a .txt file, or the first article of a JSON Lines file) as HTML."""
    from .show import render_html

    rules = load_rules(rules_dir or default_rules_dir())
    model_path = resolve_model(model)
    first = next(iter(read_paths([path])), None)
    if first is None:
        raise KgError(f"{path}: no article found")
    if isinstance(first, ArticleError):
        raise KgError(str(first))
    extraction, record = analyse(first, rules, model_path)
    target = out or Path(f"{safe_name(first.doc_id)}.html")
    write_atomic(target, render_html(record, extraction, rules))
    return target


def export(
    paths: Iterable[Path],
    out_dir: Path,
    model: Path | None = None,
    rules_dir: Path | None = None,
    on_article: Callable[[str], None] | None = None,
    total: Callable[[int], None] | None = None,
    formats: Iterable[str] = ("ttl",),
    html: bool = False,
) -> Report:
    """Export every article under `paths` to `out_dir`: one `<doc_id>.ttl` each and `events.jsonl`.

    Rules, model and output folder problems raise KgError before any article is touched; a bad
    article is recorded in the report and the others are still written.
    """
    fmts = list(dict.fromkeys(formats))
    unknown = [f for f in fmts if f not in FORMATS]
    if unknown or not fmts:
        raise KgError(f"unknown output format {', '.join(unknown) or '(none)'} (choose from {', '.join(FORMATS)})")
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
            extraction, record = analyse(item, rules, model_path)
            graph = build_graph(record, rules)
            outputs = {f: serialize(graph, record.iri, f) for f in fmts}
            if html:
                from .show import render_html

                outputs["html"] = render_html(record, extraction, rules)
            for f, data in outputs.items():
                if f != "html":
                    check_parses(data, f, item.source)
            for f, data in outputs.items():
                write_atomic(out_dir / f"{name}.{f}", data)
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
