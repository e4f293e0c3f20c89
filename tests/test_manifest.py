"""The output folder's manifest (kg.run.folder): read as a journal, the last line of a document
winning, and only rewritten when that pays (issue 21: a rerun of a large folder that changed a
little writes a little)."""

from __future__ import annotations

import json
import os
from pathlib import Path

from kg.run.folder import _journal_lines
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
