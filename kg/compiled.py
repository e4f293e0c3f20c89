"""Compiled rules kept between runs: the rules and their verb and noun lexicons, pickled.

Reading and checking the YAML, and deriving every verb form the actions' stems allow, take about
a second at today's rules; every `kg export` and `kg show` needed them before its first article.
So the result is kept in the user's cache folder (`$KG_CACHE_DIR/rules/`, else
`$XDG_CACHE_HOME/kg/rules/`, else `~/.cache/kg/rules/`), under a key made of every rule file's
name and bytes, kg's version and kg's own code: an edited rule, a new kg or an edited extractor
gets a new entry, never an old one. (The model has no part in them.) An entry that does not load
(torn, corrupt, from another Python) is rebuilt without a word; one that is not the user's own, or
that others may write, is not read (a pickle runs code). The newest few entries are kept.
"""

from __future__ import annotations

import contextlib
import gc
import hashlib
import os
import pickle
import sys
from collections.abc import Callable
from functools import lru_cache
from pathlib import Path

from . import __version__
from . import rules as rules_files
from .nlp import cache_dir
from .rules import Rules

FORMAT = 1  # the layout of an entry: bump when what is pickled changes shape
KEEP = 4  # entries kept (a few rule folders, or a rule being edited back and forth)


@lru_cache(maxsize=1)
def code_digest() -> bytes:
    """kg's own code and data, so a changed extractor redoes the work even without a new version.
    Once a process: the code that runs is the code that was imported."""
    h = hashlib.sha256()
    package = Path(__file__).resolve().parent
    for f in sorted(package.rglob("*")):
        if f.suffix in (".py", ".ttl", ".rq") and f.is_file():
            h.update(f.relative_to(package).as_posix().encode())
            h.update(f.read_bytes())
    return h.digest()


def key(folder: Path, files: list[Path]) -> str:
    """The entry's name: every rule file's name (as provenance writes it) and bytes, kg's version
    and code, Python's version and the entry layout."""
    h = hashlib.sha256(f"kg {__version__}\x1f{FORMAT}\x1f{sys.version_info[:2]}\x1f{folder.is_dir()}".encode())
    h.update(code_digest())
    for f in files:
        name = f.relative_to(folder).as_posix() if folder.is_dir() else f.name
        data = f.read_bytes()
        h.update(f"\x1e{name}\x1f{len(data)}\x1f".encode())
        h.update(data)
    return h.hexdigest()


def load_rules(folder: Path) -> Rules:
    """The rules under `folder`, read and validated as `kg.rules.load_rules` does, with their
    lexicons, kept between runs in the user's cache by content."""
    if not folder.exists():
        return rules_files.load_rules(folder)  # says what is wrong
    stamp = tuple((str(p), p.stat().st_mtime_ns, p.stat().st_size) for p in rules_files.rule_files(folder))
    return _cached(folder.resolve(), stamp)


@lru_cache(maxsize=8)
def _cached(folder: Path, stamp: tuple[tuple[str, int, int], ...]) -> Rules:
    """Once per process for the same files (paths, sizes, modification times)."""
    files = rules_files.rule_files(folder)
    if not files:
        return rules_files.load_rules(folder)  # says what is wrong
    rules = compiled_rules(folder, files, lambda: rules_files.load_rules(folder))
    # The rules live as long as the process: without this, every full collection walks their
    # million objects again (0.1-0.2 s each, in the middle of a run) and never frees one.
    gc.freeze()
    return rules


def compiled_rules(folder: Path, files: list[Path], build: Callable[[], Rules]) -> Rules:
    """The rules of `files` (under `folder`) with their lexicons: from the cache, else built by
    `build` (which raises RulesError for bad rules: nothing is kept then) and kept."""
    where = cache_dir().parent / "rules"  # beside the models' folder
    entry = where / f"{key(folder, files)}.pickle"
    rules = _read(entry)
    if rules is None:
        rules = with_lexicons(build())
        _write(where, entry, rules)
    return rules


def with_lexicons(rules: Rules) -> Rules:
    """The rules with their verb and noun lexicons built and kept on them (`Rules.derived`)."""
    from .extract.actions import lexicon, noun_lexicon

    rules.derived["verbs"] = lexicon(rules)
    rules.derived["nouns"] = noun_lexicon(rules)
    return rules


def _read(entry: Path) -> Rules | None:
    try:
        with open(entry, "rb") as f:
            st = os.fstat(f.fileno())
            if st.st_uid != os.getuid() or st.st_mode & 0o022:
                return None
            collecting = gc.isenabled()
            gc.disable()  # a million objects come in at once: a collection midway finds nothing to free
            try:
                rules = pickle.load(f)  # the user's own file, that no one else may write
            finally:
                if collecting:
                    gc.enable()
    except Exception:  # missing, torn, corrupt, from another kg: built again
        return None
    if not isinstance(rules, Rules) or "verbs" not in rules.derived or "nouns" not in rules.derived:
        return None
    with contextlib.suppress(OSError):
        os.utime(entry)  # used now: kept over older entries
    return rules


def _write(where: Path, entry: Path, rules: Rules) -> None:
    """Keep `rules` as `entry` (written aside, then renamed), and drop all but the newest entries.
    A cache that cannot be written (read-only, full) costs the next run time, nothing else."""
    tmp = where / f".{entry.name}.{os.getpid()}.tmp"
    try:
        where.mkdir(mode=0o700, parents=True, exist_ok=True)
        fd = os.open(tmp, os.O_WRONLY | os.O_CREAT | os.O_TRUNC | os.O_CLOEXEC, 0o600)
        with os.fdopen(fd, "wb") as f:
            pickle.dump(rules, f, protocol=pickle.HIGHEST_PROTOCOL)
        os.replace(tmp, entry)
        _prune(where)
    except (OSError, pickle.PicklingError, RecursionError):
        with contextlib.suppress(OSError):
            tmp.unlink()


def _prune(where: Path) -> None:
    entries = sorted(where.glob("*.pickle"), key=lambda p: p.stat().st_mtime_ns, reverse=True)
    for old in entries[KEEP:]:
        with contextlib.suppress(OSError):
            old.unlink()
