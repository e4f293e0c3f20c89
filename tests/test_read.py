from __future__ import annotations

import json
from pathlib import Path

import pytest

from kg.errors import ArticleError, KgError
from kg.read import Article, read_paths


def test_txt_bom_and_folders(tmp_path: Path) -> None:
    (tmp_path / "a").mkdir()
    (tmp_path / "a" / "one.txt").write_bytes("\ufeffنص".encode())
    (tmp_path / "two.txt").write_text("موسكو", encoding="utf-8")
    (tmp_path / "skip.bin").write_bytes(b"\x00")
    got = list(read_paths([tmp_path]))
    assert [a.doc_id for a in got if isinstance(a, Article)] == ["one", "two"]
    assert got[0].text == "نص"  # type: ignore[union-attr]


def test_bad_utf8_is_the_article_error(tmp_path: Path) -> None:
    (tmp_path / "bad.txt").write_bytes(b"\xc3\x28\xa0")
    (tmp_path / "odd.txt").write_bytes(b"\xff\xfe\x00")  # a UTF-16 BOM, then half a character
    bad, odd = list(read_paths([tmp_path]))
    assert isinstance(bad, ArticleError) and "not UTF-8" in bad.reason
    assert isinstance(odd, ArticleError) and "not valid UTF-16" in odd.reason


def test_utf16_with_bom_is_read(tmp_path: Path) -> None:
    (tmp_path / "w.txt").write_bytes("\ufeffروسيا".encode("utf-16-le"))
    (tmp_path / "b.txt").write_bytes("\ufeffموسكو".encode("utf-16-be"))
    texts = sorted(a.text for a in read_paths([tmp_path]) if isinstance(a, Article))
    assert texts == ["روسيا", "موسكو"]


def test_jsonl_good_and_bad_lines(tmp_path: Path) -> None:
    f = tmp_path / "feed.jsonl"
    lines = [
        json.dumps({"id": "a1", "text": "نص", "url": "http://x/1", "date": "2017-04-12", "title": "t"}),
        "{not json",
        json.dumps({"id": "a2"}),
        json.dumps({"id": 7, "text": "ok"}),
        json.dumps({"id": "a3", "text": "x", "url": 5}),
    ]
    f.write_text("\n".join(lines) + "\n", encoding="utf-8")
    got = list(read_paths([f]))
    good = [g for g in got if isinstance(g, Article)]
    bad = [g for g in got if isinstance(g, ArticleError)]
    assert [a.doc_id for a in good] == ["a1", "7"]
    assert good[0].url == "http://x/1" and good[0].date == "2017-04-12"
    assert [b.source for b in bad] == [f"{f}:2", f"{f}:3", f"{f}:5"]


def test_missing_path_is_a_usage_error(tmp_path: Path) -> None:
    with pytest.raises(KgError):
        list(read_paths([tmp_path / "nope"]))
