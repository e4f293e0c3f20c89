"""What a run is made of: the Job every document is processed with, one document's result, the
run's report and the fingerprint that says when a finished document must be redone; and the
per-document function itself (`process_article`), which local runs and Spark executors call."""

from __future__ import annotations

import hashlib
import json
from dataclasses import asdict, dataclass, field, replace
from functools import lru_cache
from pathlib import Path

from .. import __version__
from ..compiled import code_digest, load_rules
from ..document import process
from ..errors import ArticleError, KgError, too_slow
from ..nlp import Parsed, deadline, load, parse
from ..read import Article
from ..rules import Rules, rule_files
from .parser import Ticket


@dataclass(frozen=True)
class Job:
    """What every document of a run is processed with (picklable: sent to Spark executors)."""

    rules_dir: Path
    model: Path
    formats: tuple[str, ...]
    html: bool
    max_chars: int
    default_date: str | None = None  # for articles whose input gives no date (--date)
    nominal_events: bool = True  # event nouns in events.jsonl (flagged nominal); the graph always has them
    timeout: float = 300.0  # seconds one document may take; checked between parsed pieces
    text: bool = True  # False (--no-text): the graph leaves the article's words out


@dataclass(frozen=True)
class DocResult:
    name: str
    doc_id: str
    source: str
    sha256: str
    outputs: dict[str, str]  # extension -> file content
    rows: tuple[str, ...]  # events.jsonl lines
    error: str | None = None


@dataclass
class RunReport:
    exported: list[str] = field(default_factory=list)
    skipped: list[str] = field(default_factory=list)
    failed: list[tuple[str, str]] = field(default_factory=list)  # (source, reason)
    pruned: list[str] = field(default_factory=list)
    events: int = 0

    @property
    def exit_code(self) -> int:
        return 1 if self.failed else 0

    def to_json(self) -> str:
        data = asdict(self) | {"kg": __version__, "exit": self.exit_code}
        data["failed"] = [{"source": s, "reason": r} for s, r in self.failed]
        return json.dumps(data, ensure_ascii=False, indent=1, sort_keys=True) + "\n"


_RULES: dict[str, tuple[tuple[object, ...], Rules]] = {}
_CHECKED: set[str] = set()  # rules whose files were looked at during this run


def _rules(job: Job) -> Rules:
    """The rules, loaded once per process (each Spark executor loads its own), and again when a
    file changed since: a scheduled job that calls `run` again after a rule changed must not keep
    the old rules. Each run looks at the files once (`run` empties _CHECKED)."""
    key = str(job.rules_dir)
    if key not in _CHECKED or key not in _RULES:
        stamp = tuple((str(f), st.st_mtime_ns, st.st_size) for f in rule_files(job.rules_dir) for st in [f.stat()])
        if key not in _RULES or _RULES[key][0] != stamp:
            _RULES.clear()
            _RULES[key] = (stamp, load_rules(job.rules_dir))
        _CHECKED.add(key)
    return _RULES[key][1]


def _prepare(job: Job) -> tuple[Rules, Path]:
    """Rules and model, for parsing in this process."""
    load(job.model)
    return _rules(job), job.model


def text_hash(text: str) -> str:
    return hashlib.sha256(text.encode("utf-8", "surrogatepass")).hexdigest()


def process_article(article: Article, name: str, job: Job, ticket: Ticket | None = None) -> DocResult:
    """Everything for one article, as strings: never raises for the article's own faults.

    With `ticket`, the article was parsed by a parser process (see `_ahead`), and its tokens
    come from there; without, it is parsed here (Spark executors)."""
    sha = text_hash(article.text)
    if article.date is None and job.default_date:
        article = replace(article, date=job.default_date)
    try:
        if too_long(article, job):
            raise ArticleError(article.source, f"too long ({len(article.text)} characters, limit {job.max_chars})")
        if ticket is not None:
            rules = _rules(job)
            parsed = Parsed(article.text, ticket.tokens())
        else:
            rules, model = _prepare(job)
            parsed = parse(article.text, model,
                           on_piece=deadline(job.timeout, lambda: ArticleError(article.source, too_slow(job.timeout))))
        done = process(article, parsed, rules, formats=job.formats, html=job.html,
                       nominal_events=job.nominal_events, text=job.text)
        return DocResult(name, article.doc_id, article.source, sha, done.files, done.rows)
    except KgError:
        raise
    except ArticleError as err:
        return DocResult(name, article.doc_id, article.source, sha, {}, (), err.reason)
    except Exception as err:  # one article's failure never stops the batch
        return DocResult(name, article.doc_id, article.source, sha, {}, (), f"{type(err).__name__}: {err}")


def too_long(article: Article, job: Job) -> bool:
    return len(article.text) > job.max_chars


def process_pair(pair: tuple[Article, str, Job]) -> DocResult:
    """One article on a Spark executor. Executors outlive runs, so the rule files are looked at
    for each article (a few stats), not once a run."""
    _CHECKED.discard(str(pair[2].rules_dir))
    return process_article(*pair)


def new_run() -> None:
    """A run starts: the rule files are looked at again (once) before they are used."""
    _CHECKED.clear()


def fingerprint(job: Job) -> str:
    """Changes whenever a rule, the model, the output options or kg itself change."""
    h = hashlib.sha256(f"kg {__version__}\x1f{job.formats}\x1f{job.html}\x1f{job.max_chars}\x1f{job.default_date}"
                       f"\x1f{job.nominal_events}\x1f{job.timeout}\x1f{job.text}"
                       .encode())
    h.update(code_digest())
    for f in rule_files(job.rules_dir):
        h.update(str(f.relative_to(job.rules_dir) if job.rules_dir.is_dir() else f.name).encode())
        h.update(f.read_bytes())
    st = job.model.stat()
    h.update(_file_digest(str(job.model.resolve()), st.st_size, st.st_mtime_ns, st.st_ino).encode())
    return h.hexdigest()


@lru_cache(maxsize=8)
def _file_digest(path: str, size: int, mtime_ns: int, inode: int) -> str:
    """A file's SHA-256, read once a process while its size, time and inode stay the same (a model
    is megabytes; a scheduled job that calls `run` again should not read it again)."""
    return sha256_file(Path(path))


def sha256_file(path: Path) -> str:
    h = hashlib.sha256()
    with open(path, "rb") as f:
        for chunk in iter(lambda: f.read(1 << 20), b""):
            h.update(chunk)
    return h.hexdigest()


