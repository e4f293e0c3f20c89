"""The output folder's bookkeeping: lock, manifest, events table.

The output folder keeps its bookkeeping in `.kg/`: a lock, the manifest (an append-only journal,
one JSON line per document outcome, rewritten once it grows a quarter past its entries) and the per-document parts of
the events table. Every file is written under a temporary name and renamed into place; a
document's journal line is appended only after its outputs are in place; `events.jsonl` is rebuilt
from the parts at the end. So a run killed at any moment and run again ends with the same files
as a run never interrupted (but for the manifest: the same entries, though perhaps not yet
rewritten from the journal's lines, whose input stats, kg/run/incremental.py, hold times and
inodes).
"""

from __future__ import annotations

import fcntl
import gc
import hashlib
import json
import os
import tempfile
from collections.abc import Callable, Iterable
from pathlib import Path
from typing import BinaryIO

from ..errors import KgError
from ..files import write_atomic
from .job import sha256_file

STATE_DIR = ".kg"
MANIFEST = "manifest.jsonl"
PARTS = "parts"
LOCK = "lock"
EVENTS_FILE = "events.jsonl"
EVENTS_STAMP = "events.current"  # in STATE_DIR: events.jsonl is what the manifest says it is
REPORT_FILE = "kg-report.json"
_ENTRY = json.JSONEncoder(ensure_ascii=False, sort_keys=True)  # json.dumps(e, ...) makes one each call


def _umask() -> int:
    old = os.umask(0)
    os.umask(old)
    return old


class Folder:
    """The output folder: lock, manifest journal, parts."""

    def __init__(self, out: Path) -> None:
        self.out = out
        self.state = out / STATE_DIR
        self.parts = self.state / PARTS
        try:
            self.parts.mkdir(parents=True, exist_ok=True)
        except OSError as err:
            raise KgError(f"{out}: cannot create output folder ({err.strerror})") from None
        self._lock = open(self.state / LOCK, "a+")  # noqa: SIM115 - held for the whole run
        try:
            fcntl.flock(self._lock, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            self._lock.close()
            raise KgError(f"{out}: another kg run is using this output folder; wait for it to finish") from None
        self._clean_temporaries()
        self.manifest = self._read_manifest()
        self._journal = open(self.state / MANIFEST, "a", encoding="utf-8")  # noqa: SIM115
        if not self._ends_a_line:
            self._journal.write("\n")  # a line torn by a kill stays its own (unread) line
        self._dropped = False  # an entry went (prune): only a rewrite drops its lines
        self._stamp = self.state / EVENTS_STAMP
        self._stamped = self._read_stamp()  # read once, before this run changes anything
        self._changed = False
        self._touched: set[str] = set()  # documents recorded by this run
        self._table = self._last_table()

    def _clean_temporaries(self) -> None:
        # what a killed run left half-written: never renamed into place, so never read
        for d in (self.out, self.parts, self.state):
            for f in d.glob(".*.tmp"):
                f.unlink(missing_ok=True)

    def _read_manifest(self) -> dict[str, dict[str, object]]:
        """The manifest's entries, the last line of each document winning; and how many lines it
        has, whether each is an entry and whether the last is whole (see `save`)."""
        entries: dict[str, dict[str, object]] = {}
        self._lines, self._tidy, self._ends_a_line = 0, True, True
        try:
            text = (self.state / MANIFEST).read_text(encoding="utf-8", errors="replace")
        except FileNotFoundError:
            return entries
        collecting = gc.isenabled()
        gc.disable()  # a dict a document comes in at once: collections midway find nothing to free
        try:
            lines = _journal_lines(text)
            valid = 0
            for e in lines:
                if isinstance(e, dict) and isinstance(e.get("name"), str):
                    entries[e["name"]] = e
                    valid += 1
            self._ends_a_line = not text or text.endswith("\n")
            self._lines, self._tidy = len(lines), self._ends_a_line and valid == len(lines)
        finally:
            gc.freeze()  # and later ones need not look at them (they hold no cycles: refcounts free them)
            if collecting:
                gc.enable()
        return entries

    def record(self, entry: dict[str, object]) -> None:
        self._journal.write(_ENTRY.encode(entry) + "\n")
        # flushed to the OS, which keeps it through a killed process; no fsync per document (it
        # cost more than parsing): after a power loss the journal is replayed up to its last line
        self._journal.flush()
        self._lines += 1
        self.manifest[str(entry["name"])] = entry
        self._touched.add(str(entry["name"]))

    def _last_table(self) -> tuple[str, list[tuple[str, int]]] | None:
        """The SHA-256 events.jsonl had when it was last rebuilt, and which documents' lines it
        holds, in order: known when the stamp names the layout the manifest still describes (a
        part missing at that rebuild, say, changes the layout). Read before this run changes
        anything; the table's bytes are checked against the SHA-256 when they are spliced."""
        stamp = self._stamped
        if stamp is None:
            return None
        layout = [(name, e.get("events")) for name, e in sorted(self.manifest.items()) if e.get("status") == "ok"]
        if not all(isinstance(k, int) and k >= 0 for _, k in layout) or stamp.get("layout") != _layout_digest(
                layout):  # type: ignore[arg-type]
            return None
        return stamp["sha256"], layout  # type: ignore[return-value]

    def _read_stamp(self) -> dict[str, object] | None:
        """events.current, if it is a stamp: the table's event count and SHA-256 (and layout)."""
        try:
            stamp = json.loads(self._stamp.read_text(encoding="utf-8"))
        except (OSError, ValueError):
            return None
        if not isinstance(stamp, dict) or not isinstance(stamp.get("events"), int) or not isinstance(
                stamp.get("sha256"), str):
            return None
        return stamp

    def changing(self) -> None:
        """Call before anything in the folder changes: from then on (even if this run is killed)
        the events table is not known to match the manifest, and is rebuilt."""
        if not self._changed:
            self._stamp.unlink(missing_ok=True)
            self._changed = True

    def events_if_current(self) -> int | None:
        """The events table's count if nothing changed since it was rebuilt and it is untouched
        (a scheduled rerun with nothing to do then reads one file, not a part per document)."""
        stamp = self._stamped
        if self._changed or stamp is None:
            return None
        try:
            digest = sha256_file(self.out / EVENTS_FILE)
        except OSError:
            return None
        return int(stamp["events"]) if stamp["sha256"] == digest else None  # type: ignore[call-overload]

    def events_written(self, events: int, digest: str, layout: str) -> None:
        """After the events table and the manifest's last lines are in place. The stamp holds no time
        or inode, so a folder still ends byte for byte as after an uninterrupted run."""
        write_atomic(self._stamp, json.dumps({"events": events, "layout": layout, "sha256": digest}) + "\n")

    def drop(self, name: str) -> None:
        """A document's entry goes (it is no longer in the input)."""
        del self.manifest[name]
        self._dropped = True

    def save(self, restamped: Iterable[str]) -> None:
        """At the end of a run: the entries `restamped` (their input stats changed since their last
        line) appended to the journal, as every run appends; or the manifest rewritten, one line an
        entry in name order, once the journal holds a quarter more lines than entries (a run that
        changed 1% of a large folder then writes 2% of its lines, not all), or an entry went, or a
        line did not read. A kill mid-append tears the last line only: that entry keeps its line
        before, whose stat does not match, so its file is read again."""
        names = list(dict.fromkeys(restamped))
        if self._dropped or not self._tidy or (self._lines + len(names)) * 4 > len(self.manifest) * 5:
            self._journal.close()
            lines = [_ENTRY.encode(self.manifest[k]) for k in sorted(self.manifest)]
            write_atomic(self.state / MANIFEST, "".join(x + "\n" for x in lines))
            return
        for name in names:
            self._journal.write(_ENTRY.encode(self.manifest[name]) + "\n")
        self._journal.close()

    def close(self) -> None:
        if not self._journal.closed:
            self._journal.close()
        fcntl.flock(self._lock, fcntl.LOCK_UN)
        self._lock.close()


def _journal_lines(text: str) -> list[object]:
    """The manifest's lines, parsed; None for a line that is not one JSON value (torn by a kill
    mid-write: that document is simply redone). Lines end at "\\n" only: an entry's strings may hold
    other line breaks (U+2028, say), which str.splitlines would cut them at."""
    body = text[:-1] if text.endswith("\n") else text
    try:
        # one parse of the whole journal as an array: a parse a line sets its decoder up each time,
        # and costs twice as much. It holds one value a line only if the counts agree.
        values: list[object] = json.loads("[" + body.replace("\n", ",") + "]")
        if len(values) == (body.count("\n") + 1 if body else 0):
            return values
    except ValueError:
        pass
    out: list[object] = []
    for line in body.split("\n"):
        try:
            out.append(json.loads(line))
        except ValueError:
            out.append(None)
    return out


def is_current(e: dict[str, object], fp: str, has_output: Callable[[str], bool],
               has_part: Callable[[str], bool]) -> bool:
    """A document's entry is current: exported with this fingerprint, its outputs and its part of
    the events table in place (`has_output`, `has_part`: whether a file of that name is there)."""
    outputs = e.get("outputs")
    return (e.get("status") == "ok" and e.get("fingerprint") == fp and isinstance(outputs, list)
            and all(has_output(str(o)) for o in outputs) and has_part(f"{e.get('name')}.jsonl"))


def up_to_date(folder: Folder, name: str, sha: str, fp: str) -> bool:
    e = folder.manifest.get(name)
    return e is not None and e.get("sha256") == sha and is_current(
        e, fp, lambda o: (folder.out / o).exists(), lambda part: (folder.parts / part).exists())


def remove_outputs(folder: Folder, name: str) -> None:
    e = folder.manifest.get(name) or {}
    for o in e.get("outputs") or []:  # type: ignore[attr-defined]
        (folder.out / str(o)).unlink(missing_ok=True)
    (folder.parts / f"{name}.jsonl").unlink(missing_ok=True)


def _layout_digest(layout: Iterable[tuple[str, int]]) -> str:
    return hashlib.sha256("".join(f"{name}\t{n}\n" for name, n in layout).encode()).hexdigest()


def write_events(folder: Folder) -> tuple[int, str, str]:
    """Rebuild events.jsonl, streaming: the number of events, the file's SHA-256 and its layout.

    Documents this run did not touch keep their lines from the last table where that table is
    known (see Folder._last_table), so a run that changes a few documents of a large folder reads
    one file and their parts, not a part per document. Anything unexpected in the old table, and
    the parts are read instead."""
    fd, tmp = tempfile.mkstemp(dir=folder.out, prefix=f".{EVENTS_FILE}.", suffix=".tmp")
    try:
        os.fchmod(fd, 0o666 & ~_umask())
        with os.fdopen(fd, "wb") as f:
            done = _splice_events(folder, folder._table, f) if folder._table is not None else None
            if done is None:
                f.seek(0)
                f.truncate()
                done = _splice_events(folder, None, f)
        os.replace(tmp, folder.out / EVENTS_FILE)
    finally:
        if os.path.exists(tmp):
            os.unlink(tmp)
    assert done is not None  # from the parts alone it never gives up
    return done


def _splice_events(folder: Folder, old: tuple[str, list[tuple[str, int]]] | None,
                   f: BinaryIO) -> tuple[int, str, str] | None:
    """Write the table into `f`: from the parts, or (`old`: the last table's SHA-256 and layout)
    from the last table for documents this run did not touch. None if the last table is not what
    its stamp says (then `f` holds a partial table)."""
    n = 0
    h = hashlib.sha256()
    layout: list[tuple[str, int]] = []
    before = hashlib.sha256()  # of the old table as read: it must be the stamp's
    previous = old[1] if old is not None else []
    at = 0
    try:
        table = open(folder.out / EVENTS_FILE, "rb") if old is not None else None  # noqa: SIM115
    except OSError:
        return None  # the table was deleted (or cannot be read) since: rebuilt from the parts
    try:
        def take(count: int) -> bytes | None:
            assert table is not None
            lines = [table.readline() for _ in range(count)]
            data = b"".join(lines)
            before.update(data)
            return data if all(x.endswith(b"\n") for x in lines) else None

        for name in sorted(folder.manifest):
            if folder.manifest[name].get("status") != "ok":
                continue
            kept: bytes | None = None
            while at < len(previous) and previous[at][0] <= name:
                data = take(previous[at][1])
                if data is None:
                    return None
                if previous[at][0] == name and name not in folder._touched:
                    kept = data
                at += 1
            if kept is None:
                part = folder.parts / f"{name}.jsonl"
                kept = part.read_bytes() if part.exists() else b""
            n += kept.count(b"\n")
            layout.append((name, kept.count(b"\n")))
            h.update(kept)
            f.write(kept)
        if table is not None:
            while at < len(previous):
                if take(previous[at][1]) is None:
                    return None
                at += 1
            rest = table.read()
            before.update(rest)
            if rest or before.hexdigest() != old[0]:  # type: ignore[index]
                return None
    except OSError:
        if table is None:
            raise
        return None
    finally:
        if table is not None:
            table.close()
    return n, h.hexdigest(), _layout_digest(layout)


