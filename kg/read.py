"""Reading articles: `.txt` files, folders of them, and JSON Lines feeds."""

from __future__ import annotations

import itertools
import json
import os
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from pathlib import Path

from .errors import ArticleError, KgError
from .footer import strip_footer

TEXT_SUFFIXES = {".txt"}
JSONL_SUFFIXES = {".jsonl", ".ndjson"}


@dataclass(frozen=True, slots=True)
class Article:
    """One article as read: `text` is exactly what offsets point into (the input less a trailing
    footer, kg/footer.py)."""

    doc_id: str
    text: str
    source: str  # file, or file:line for JSON Lines
    title: str | None = None
    url: str | None = None
    date: str | None = None


def decode(data: bytes, source: str) -> str:
    """UTF-8 with one leading BOM dropped (or UTF-16 that starts with its BOM, as Windows tools
    write it); anything else is the article's error."""
    if data.startswith((b"\xff\xfe", b"\xfe\xff")):
        try:
            return data.decode("utf-16")
        except UnicodeDecodeError as err:
            raise ArticleError(source, f"not valid UTF-16 (byte {err.start}: {err.reason})") from None
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError as err:
        raise ArticleError(source, f"not UTF-8 (byte {err.start}: {err.reason})") from None
    return text[1:] if text.startswith("\ufeff") else text


def read_text_file(path: Path) -> Article:
    try:
        data = path.read_bytes()
    except OSError as err:
        raise ArticleError(str(path), f"cannot read ({err.strerror})") from None
    return Article(doc_id=path.stem, text=strip_footer(decode(data, str(path))), source=str(path))


def _optional_str(record: dict[str, object], key: str, where: str) -> str | None:
    value = record.get(key)
    if value is None:
        return None
    if not isinstance(value, str):
        raise ArticleError(where, f"field {key!r} must be a string, not {type(value).__name__}")
    return value


def read_jsonl(path: Path) -> Iterator[Article | ArticleError]:
    """One article a line: `id`, `text`, and optional `date`, `url`, `title`."""
    try:
        data = path.read_bytes()
    except OSError as err:
        yield ArticleError(str(path), f"cannot read ({err.strerror})")
        return
    if data.startswith(b"\xef\xbb\xbf"):
        data = data[3:]
    for n, raw in enumerate(data.split(b"\n"), 1):
        where = f"{path}:{n}"
        if not raw.strip():
            continue
        try:
            record = json.loads(decode(raw, where))
            if not isinstance(record, dict):
                raise ArticleError(where, "a line must be a JSON object with 'id' and 'text'")
            doc_id, text = record.get("id"), record.get("text")
            if isinstance(doc_id, int) and not isinstance(doc_id, bool):
                doc_id = str(doc_id)
            if not isinstance(doc_id, str) or not doc_id:
                raise ArticleError(where, "missing or non-string 'id'")
            if not isinstance(text, str):
                raise ArticleError(where, "missing or non-string 'text'")
            yield Article(
                doc_id=doc_id,
                text=strip_footer(text),
                source=where,
                title=_optional_str(record, "title", where),
                url=_optional_str(record, "url", where),
                date=_optional_str(record, "date", where),
            )
        except ArticleError as err:
            yield err
        except ValueError as err:
            yield ArticleError(where, f"not valid JSON ({err})")


ARTICLE_KINDS = ".txt, .jsonl, .ndjson"


def article_files(path: Path) -> list[Path]:
    """The article files a path names; KgError for one that names none (a usage error)."""
    return [Path(name) for name in article_names(path)]


def article_names(path: Path, first: bool = False) -> list[str]:
    """The article files a path names, spelt as their Paths' str (a Path each would cost more than
    the file's stat, in a folder of 100,000); with `first`, only the first found. KgError for a
    path that names none (a usage error)."""
    if path.is_dir():
        below = _files_below(path, TEXT_SUFFIXES | JSONL_SUFFIXES)
        found = list(itertools.islice(below, 1)) if first else sorted(below)
        if not found:
            raise KgError(f"{path}: no articles in this folder or below ({ARTICLE_KINDS} files)")
        base = str(path)
        return ["/".join(parts) if base == "." else os.path.join(base, *parts) for parts in found]
    if path.is_file():
        if path.suffix.lower() not in TEXT_SUFFIXES | JSONL_SUFFIXES:
            raise KgError(f"{path}: not an article file (known: {ARTICLE_KINDS})")
        return [str(path)]
    raise KgError(f"{path}: no such file or folder")


def _files_below(folder: Path, suffixes: set[str], above: tuple[str, ...] = ()) -> Iterator[tuple[str, ...]]:
    """The files below `folder` (their parts from it) with one of `suffixes`: what sorted
    `rglob("*")` less its non-files gives, in its order once sorted (by parts), without a stat per
    file. Symlinks to folders are not followed, as rglob does not; a folder that may not be read
    is left out, as rglob does."""
    try:
        with os.scandir(folder) as entries:
            listed = list(entries)
    except PermissionError:
        return
    for entry in listed:
        name = entry.name
        if entry.is_dir() and not entry.is_symlink():
            yield from _files_below(Path(entry.path), suffixes, (*above, name))
        elif _suffix(name).lower() in suffixes and entry.is_file():
            yield (*above, name)


def _suffix(name: str) -> str:
    """Path(name).suffix, without making a Path."""
    i = name.rfind(".")
    return name[i:] if 0 < i < len(name) - 1 else ""


def file_stem(name: str) -> str:
    """Path(name).stem, without making a Path: a text file's document id."""
    base = os.path.basename(name)
    return base[: len(base) - len(_suffix(base))]


def check_paths(paths: Iterable[Path]) -> None:
    """Raise KgError, before anything is read or written, if a path names no article file."""
    for p in paths:
        article_names(p, first=True)


def is_feed(name: str | Path) -> bool:
    """A JSON Lines feed (many articles in one file), not one article's text."""
    return _suffix(os.path.basename(name)).lower() in JSONL_SUFFIXES


def input_names(paths: Iterable[Path]) -> list[str]:
    """Every article file `paths` name (see article_names), in reading order."""
    return [f for p in paths for f in article_names(p)]


def read_file(path: Path) -> Iterator[Article | ArticleError]:
    """The articles of one article file: a feed's, or a text file's one."""
    if is_feed(path):
        yield from read_jsonl(path)
        return
    try:
        yield read_text_file(path)
    except ArticleError as err:
        yield err


def read_paths(paths: Iterable[Path]) -> Iterator[Article | ArticleError]:
    """Articles from files and folders (recursively, in sorted order).

    Failures are yielded, not raised, so one bad article never stops a batch. A path that does not
    exist is a usage error and raises before anything is read.
    """
    for name in input_names(paths):
        yield from read_file(Path(name))


def count_feed(path: str | Path) -> int:
    """How many articles a feed has, about: its lines that are not blank."""
    with open(path, "rb") as h:
        return sum(1 for line in h if line.strip())


def count_inputs(paths: Iterable[Path]) -> int:
    """About how many articles there are (for the progress bar): files, and lines of feeds."""
    return sum(count_feed(f) if is_feed(f) else 1 for f in input_names(paths))
