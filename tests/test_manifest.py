"""The output folder's manifest (kg.run.folder): read as a journal, the last line of a document
winning, and only rewritten when that pays (issue 21: a rerun of a large folder that changed a
little writes a little)."""

from __future__ import annotations

import json
import os
from collections.abc import Sequence
from pathlib import Path

from kg.run.folder import Folder, _journal_lines
from kg.run.local import export

from .conftest import pud_sentences

OLD = 1_600_000_000 * 10**9  # an mtime long before any run: no file is racy


def test_journal_lines_are_read_one_value_a_line() -> None:
    assert _journal_lines("") == [] and _journal_lines('{"a": 1}\n{"b": 2}\n') == [{"a": 1}, {"b": 2}]
    assert _journal_lines('{"a": 1}\n{"b"') == [{"a": 1}, None]  # torn by a kill
    assert _journal_lines('1, 2\n3\n') == [None, 3]  # two values on a line are not one entry
    assert _journal_lines('{"a": 1}\n\n{"b": 2}\n') == [{"a": 1}, None, {"b": 2}]


def test_an_id_with_a_unicode_line_break_keeps_its_entry(tmp_path: Path) -> None:
    """U+2028 in a JSON string is written as it is (ensure_ascii=False): the manifest's line must
    not be cut there, or the document is exported again on every run."""
    src = tmp_path / "src"
    src.mkdir()
    feed = src / "feed.jsonl"
    texts = [text for _, text in pud_sentences()[:2]]
    feed.write_text("".join(json.dumps({"id": i, "text": t}, ensure_ascii=False) + "\n"
                            for i, t in zip(["a\u2028b", "c\x85d"], texts, strict=True)), encoding="utf-8")
    os.utime(feed, ns=(OLD, OLD))
    out = tmp_path / "out"
    assert sorted(export([src], out, workers=1).exported) == ["a\u2028b", "c\x85d"]
    again = export([src], out, workers=1)
    assert again.exported == [] and sorted(again.skipped) == ["a\u2028b", "c\x85d"]


def entry(name: str, n: int = 0) -> dict[str, object]:
    return {"name": name, "doc_id": name, "status": "ok", "events": n, "outputs": [f"{name}.ttl"]}


def lines(out: Path) -> list[bytes]:
    return (out / ".kg" / "manifest.jsonl").read_bytes().split(b"\n")[:-1]


def entries(out: Path) -> dict[str, dict[str, object]]:
    folder = Folder(out)
    try:
        return folder.manifest
    finally:
        folder.close()


def run(out: Path, records: list[dict[str, object]], restamped: Sequence[str] = (), drop: str = "") -> None:
    """One run's bookkeeping: entries recorded, one dropped, then the end-of-run save."""
    folder = Folder(out)
    try:
        for e in records:
            folder.record(e)
        for name in restamped:
            folder.manifest[name]["st"] = [1, 2, 3]
        if drop:
            folder.drop(drop)
        folder.save(restamped)
    finally:
        folder.close()


def test_a_small_change_is_appended_and_a_grown_journal_rewritten(tmp_path: Path) -> None:
    names = [f"d{i:02d}" for i in range(20)]
    run(tmp_path, [entry(n) for n in reversed(names)], names)  # a first run: records, then stamps
    assert lines(tmp_path) == [json.dumps(entries(tmp_path)[n], sort_keys=True).encode() for n in names]
    before = (tmp_path / ".kg" / "manifest.jsonl").read_bytes()
    run(tmp_path, [entry("d05", 3)], ["d05"])  # a rerun that redid one document
    after = (tmp_path / ".kg" / "manifest.jsonl").read_bytes()
    assert after.startswith(before) and len(lines(tmp_path)) == 22
    assert entries(tmp_path)["d05"] == entry("d05", 3) | {"st": [1, 2, 3]} and len(entries(tmp_path)) == 20
    run(tmp_path, [], [])  # nothing changed: nothing written
    assert (tmp_path / ".kg" / "manifest.jsonl").read_bytes() == after
    run(tmp_path, [entry("d07", 1)], ["d07"])
    assert len(lines(tmp_path)) == 24
    run(tmp_path, [entry("d08", 1)], ["d08"])  # 20 entries: past 25 lines the journal is rewritten
    assert len(lines(tmp_path)) == 20 and entries(tmp_path)["d07"]["events"] == 1
    assert lines(tmp_path) == sorted(lines(tmp_path))


def test_a_dropped_entry_rewrites_the_journal(tmp_path: Path) -> None:
    run(tmp_path, [entry(f"d{i}") for i in range(10)])
    run(tmp_path, [], [], drop="d3")
    assert len(lines(tmp_path)) == 9 and "d3" not in entries(tmp_path)


def test_a_line_torn_by_a_kill_mid_append_is_left_and_the_next_run_recovers(tmp_path: Path) -> None:
    """A kill mid-append leaves half a line: the entry's line before it wins; the next run's lines
    are not glued to it, and its end rewrites the journal without it."""
    run(tmp_path, [entry(f"d{i}") for i in range(10)])
    manifest = tmp_path / ".kg" / "manifest.jsonl"
    with manifest.open("ab") as f:
        f.write(json.dumps(entry("d4", 9)).encode()[:20])
    assert entries(tmp_path)["d4"] == entry("d4")
    folder = Folder(tmp_path)
    try:
        folder.record(entry("d6", 2))
    finally:
        folder.close()  # killed before its end: the journal holds the torn line and the record
    assert entries(tmp_path)["d6"] == entry("d6", 2) and entries(tmp_path)["d4"] == entry("d4")
    run(tmp_path, [], [])
    assert len(lines(tmp_path)) == 10 and lines(tmp_path) == sorted(lines(tmp_path))
    assert entries(tmp_path)["d6"] == entry("d6", 2)
