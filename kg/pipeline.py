"""The export job: articles -> Turtle files and the events table. I/O lives here and in cli."""

from __future__ import annotations

import contextlib
import datetime
import re
from collections.abc import Callable, Iterable
from pathlib import Path

from .batch import Job, RunReport, run
from .compiled import load_rules
from .document import process
from .errors import ArticleError, KgError
from .files import safe_name, write_atomic
from .nlp import parse, resolve_model
from .parser import start_early
from .rdf import FORMATS
from .read import check_paths, read_paths
from .rules import default_rules_dir


def show(path: Path, out: Path | None, model: Path | None = None, rules_dir: Path | None = None) -> Path:
    """Render one article (a .txt file, or the first article of a JSON Lines file) as HTML."""
    rules = load_rules(rules_dir or default_rules_dir())
    model_path = resolve_model(model)
    first = next(iter(read_paths([path])), None)
    if first is None:
        raise KgError(f"{path}: no article found")
    if isinstance(first, ArticleError):
        raise KgError(str(first))
    done = process(first, parse(first.text, model_path), rules, formats=(), html=True)
    target = out or Path(f"{safe_name(first.doc_id)}.html")
    write_atomic(target, done.files["html"])
    return target


def export(
    paths: Iterable[Path],
    out_dir: Path,
    model: Path | None = None,
    rules_dir: Path | None = None,
    on_result: Callable[[str, str, str], None] | None = None,
    total: Callable[[int], None] | None = None,
    formats: Iterable[str] = ("ttl",),
    html: bool = False,
    workers: int = 1,
    prune: bool = False,
    engine: str = "local",
    max_chars: int = 1_000_000,
    default_date: str | None = None,
    nominal_events: bool = True,
    timeout: float = 300.0,
    text: bool = True,
) -> RunReport:
    """Export every article under `paths` to `out_dir`: one `<doc_id>.ttl` each and `events.jsonl`.

    Rules, model and output-folder problems raise KgError before any article is touched; a bad
    article is recorded in the report and the others are still written. Documents whose text,
    rules, model and options are unchanged since the last run into `out_dir` are skipped.
    """
    fmts = tuple(dict.fromkeys(formats))
    unknown = [f for f in fmts if f not in FORMATS]
    if unknown or not fmts:
        raise KgError(f"unknown output format {', '.join(unknown) or '(none)'} (choose from {', '.join(FORMATS)})")
    if engine not in ("local", "spark"):
        raise KgError(f"unknown engine {engine!r} (choose from local, spark)")
    paths = list(paths)
    check_paths(paths)  # a path with no articles is a usage error, not an empty success
    rules_path = rules_dir or default_rules_dir()
    if engine == "local":  # the model loads in the parser process while the rules load here
        with contextlib.suppress(KgError):  # said below, in order
            start_early(resolve_model(model))
    load_rules(rules_path)  # every rules problem, before any article is read
    model_path = resolve_model(model)  # loaded (and checked) only when a document needs parsing
    if default_date is not None:
        try:
            datetime.date.fromisoformat(default_date)
        except ValueError as err:
            if re.fullmatch(r"\d{4}-\d{2}-\d{2}", default_date):  # the form is right, the date is not
                raise KgError(f"--date {default_date!r}: no such day ({err})") from None
            raise KgError(f"--date {default_date!r}: write the date as YYYY-MM-DD") from None
    job = Job(rules_dir=rules_path, model=model_path, formats=fmts, html=html, max_chars=max_chars,
              default_date=default_date, nominal_events=nominal_events, timeout=timeout, text=text)
    return run(paths, out_dir, job, workers=workers, prune=prune, engine=engine, on_result=on_result, total=total)
