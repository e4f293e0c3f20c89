"""Which input files a rerun need not open, as make and rsync tell: by their stat.

Each manifest entry of a document read from a file whose read was whole (no failed or repeated
article) keeps that file's stat as `st`: [size, mtime_ns, inode], and for a feed the number of its
articles too. On a rerun a file whose stat is the same, all of whose documents are current (same
fingerprint, outputs in place), is not opened: its documents are skipped as they were. Any other
file is read and its articles' SHA-256 decide, as without the stat; the stat is then refreshed.

A file whose mtime falls in the second it was looked at, or after, is not stamped ("racy git"): it
could be written again within the timestamp's granularity and keep its stat, so it is read next
time. The stamps are set at the end of a run, the entries they change appended to the manifest
(Folder.save): a run killed before leaves files unstamped, which are only read again.
"""

from __future__ import annotations

import os
from dataclasses import dataclass, field

from ..files import safe_name
from ..read import count_feed, file_stem, is_feed
from .folder import Folder, is_current

STAT = "st"  # the manifest entry's field
NS = 1_000_000_000


def file_stat(path: str) -> list[int] | None:
    """[size, mtime_ns, inode], or None if the file cannot be looked at (then it is read, and its
    read says what is wrong)."""
    try:
        st = os.stat(path)
    except OSError:
        return None
    return [st.st_size, st.st_mtime_ns, st.st_ino]


def racy(st: list[int], since_ns: int) -> bool:
    """The file was modified in the second it was looked at (from `since_ns` on), or later: a
    write after the read could leave the same stat."""
    return st[1] // NS >= since_ns // NS


@dataclass(slots=True)
class FileRead:
    """One input file this run opened: its stat from before the read, and the documents it gave."""

    path: str  # as the input names it (kg.read.article_names)
    st: list[int] | None
    since_ns: int  # the time just before the stat
    whole: bool = True  # no article failed to read or repeated another's id
    docs: list[tuple[str, str]] = field(default_factory=list)  # (name, source)


def _line(entry: dict[str, object]) -> int:
    return int(str(entry.get("source", "")).rpartition(":")[2] or 0)


class Unchanged:
    """From the manifest as the run found it: the documents of an input file whose stat is the one
    stamped, when each of them is still current."""

    def __init__(self, folder: Folder, fp: str) -> None:
        self.folder = folder
        self.fp = fp
        self.feeds: dict[str, list[dict[str, object]]] = {}  # feed -> its stamped entries
        for e in folder.manifest.values():
            st = e.get(STAT)
            if isinstance(st, list) and len(st) == 4:
                self.feeds.setdefault(str(e.get("source", "")).rpartition(":")[0], []).append(e)
        # one listing of each folder, not a stat per output: taken before this run writes
        self.present = set(os.listdir(folder.out))
        self.parts = set(os.listdir(folder.parts))

    def _stamped(self, f: str, st: list[int] | None) -> list[dict[str, object]] | None:
        if st is None:
            return None
        if is_feed(f):
            group = [e for e in self.feeds.get(f, ()) if e[STAT][:3] == st]  # type: ignore[index]
            if not group or any(e[STAT] != group[0][STAT] for e in group) or len(
                    group) != group[0][STAT][3]:  # type: ignore[index]
                return None
            return sorted(group, key=_line)
        stem = file_stem(f)
        e = self.folder.manifest.get(safe_name(stem))
        if e is None or e.get(STAT) != st or e.get("source") != f or e.get("doc_id") != stem:
            return None
        return [e]

    def _current(self, e: dict[str, object]) -> bool:
        return is_current(e, self.fp, self.present.__contains__, self.parts.__contains__)

    def docs(self, f: str, st: list[int] | None, seen: dict[str, str]) -> list[tuple[str, str, str]] | None:
        """(source, doc_id, name) of each document of `f`, in reading order, if `f` need not be
        opened; else None."""
        group = self._stamped(f, st)
        if group is None:
            return None
        names = [str(e.get("name")) for e in group]
        if len(set(names)) != len(names) or any(n in seen for n in names) or not all(map(self._current, group)):
            return None
        return [(str(e["source"]), str(e["doc_id"]), name) for e, name in zip(group, names, strict=True)]

    def count(self, f: str) -> int:
        """About how many articles `f` holds (for the progress bar), without opening it if its
        stamp says."""
        if not is_feed(f):
            return 1
        group = self._stamped(f, file_stat(f))
        if group is not None:
            return len(group)
        try:
            return count_feed(f)
        except OSError:
            return 1  # its read says what is wrong

    def stamp(self, reads: list[FileRead]) -> list[str]:
        """After the run's writes: each file read whole and not racily gets its stat on its
        documents' entries (those that are current); every other entry of a read file loses its.
        The names of the entries that changed (the manifest's journal gets them again)."""
        changed: list[str] = []
        for r in reads:
            whole = r.whole and r.st is not None and not racy(r.st, r.since_ns)
            st = (r.st or []) + ([len(r.docs)] if is_feed(r.path) else [])
            for name, source in r.docs:
                e = self.folder.manifest.get(name)
                if e is None:
                    continue
                if whole and e.get("status") == "ok" and e.get("fingerprint") == self.fp:
                    if e.get("source") != source or e.get(STAT) != st:
                        e["source"] = source
                        e[STAT] = st
                        changed.append(name)
                elif e.pop(STAT, None) is not None:
                    changed.append(name)
        return changed
