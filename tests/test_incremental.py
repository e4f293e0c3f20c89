"""Issue 21: a rerun looks at its inputs' stat first and opens only the files that changed (or
that it cannot be sure of); the text's SHA-256 still decides what is exported again."""

from __future__ import annotations

import builtins
import json
import os
import time
import types
from collections.abc import Iterator
from pathlib import Path

import pytest
from typer.testing import CliRunner

from kg.cli import app
from kg.run.incremental import racy
from kg.run.local import export as export_folder

from .conftest import pud_sentences

runner = CliRunner()
OLD = 1_600_000_000 * 10**9  # an mtime long before any run: no file is racy


def make_inputs(src: Path) -> list[str]:
    """Four articles in text files and three in a feed, all last written long ago; their ids."""
    src.mkdir()
    sentences = pud_sentences()[:7]
    for sent_id, text in sentences[:4]:
        (src / f"{sent_id}.txt").write_text(text + "\n", encoding="utf-8")
    feed = src / "feed.jsonl"
    feed.write_text("".join(json.dumps({"id": f"f{i}", "text": text}, ensure_ascii=False) + "\n"
                            for i, (_, text) in enumerate(sentences[4:])), encoding="utf-8")
    for f in src.iterdir():
        os.utime(f, ns=(OLD, OLD))
    return [s for s, _ in sentences[:4]] + ["f0", "f1", "f2"]


@pytest.fixture
def opened(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[list[str]]:
    """The names of the input files (under tmp_path/src) that anything opens, in order."""
    seen: list[str] = []
    src = str(tmp_path / "src")
    real_open, real_path_open = builtins.open, Path.open

    def note(file: object) -> None:
        if isinstance(file, str | Path) and str(file).startswith(src):
            seen.append(Path(file).name)

    def spy_open(file: object, *args: object, **kwargs: object) -> object:
        note(file)
        return real_open(file, *args, **kwargs)  # type: ignore[call-overload]

    def spy_path_open(self: Path, *args: object, **kwargs: object) -> object:
        note(self)
        return real_path_open(self, *args, **kwargs)  # type: ignore[call-overload]

    monkeypatch.setattr(builtins, "open", spy_open)
    monkeypatch.setattr(Path, "open", spy_path_open)
    yield seen


def export(src: Path, out: Path, *args: str) -> dict[str, object]:
    result = runner.invoke(app, ["export", str(src), "-o", str(out), "-w", "1", *args])
    assert result.exit_code in (0, 1), result.output
    data: dict[str, object] = json.loads((out / "kg-report.json").read_text(encoding="utf-8"))
    return data


def manifest(out: Path) -> dict[str, dict[str, object]]:
    lines = (out / ".kg" / "manifest.jsonl").read_text(encoding="utf-8").splitlines()
    return {e["name"]: e for e in map(json.loads, lines)}


def test_a_rerun_with_nothing_changed_opens_no_input_file(tmp_path: Path, opened: list[str]) -> None:
    """Nor does its progress bar count the feed's lines. A file that failed to read, and a feed
    with a bad line, are read again each time: their failures are said again."""
    src, out = tmp_path / "src", tmp_path / "out"
    ids = make_inputs(src)
    (src / "bad.txt").write_bytes(b"\xc3\x28 not UTF-8")
    (src / "mixed.jsonl").write_text('{"id": "m1", "text": "ووصل تيلرسون الى موسكو."}\n{"id": 3}\n',
                                     encoding="utf-8")
    for f in ("bad.txt", "mixed.jsonl"):
        os.utime(src / f, ns=(OLD, OLD))
    first = export(src, out)
    assert sorted(first["exported"]) == sorted([*ids, "m1"])  # type: ignore[arg-type]
    assert set(opened) >= {f.name for f in src.iterdir()}  # the spy sees every read
    opened.clear()
    again = export(src, out)
    assert again["exported"] == [] and sorted(again["skipped"]) == sorted([*ids, "m1"])  # type: ignore[arg-type]
    assert again["failed"] == first["failed"] and len(first["failed"]) == 2  # type: ignore[arg-type]
    assert sorted(set(opened)) == ["bad.txt", "mixed.jsonl"]
    entry = manifest(out)[ids[0]]
    assert entry["st"] == [(src / f"{ids[0]}.txt").stat().st_size, OLD, (src / f"{ids[0]}.txt").stat().st_ino]
    assert manifest(out)["f0"]["st"][3] == 3 and "st" not in manifest(out)["m1"]  # type: ignore[index]


def test_a_touched_file_with_the_same_text_is_read_not_exported(tmp_path: Path, opened: list[str]) -> None:
    src, out = tmp_path / "src", tmp_path / "out"
    ids = make_inputs(src)
    export(src, out)
    touched = src / f"{ids[1]}.txt"
    os.utime(touched, ns=(OLD + 10**9, OLD + 10**9))
    opened.clear()
    r = export(src, out)
    assert r["exported"] == [] and opened == [touched.name]
    assert manifest(out)[ids[1]]["st"][1] == OLD + 10**9  # type: ignore[index]  # the stat is refreshed
    opened.clear()
    export(src, out)
    assert opened == []


def test_an_edit_in_the_second_the_last_run_looked_is_hashed_again(tmp_path: Path, opened: list[str],
                                                                   monkeypatch: pytest.MonkeyPatch) -> None:
    """A file written in the second the run looks at it is not stamped: edited again within that
    second, same size, its stat stays the same, yet the next run reads it and exports the edit.
    A file written long before, edited behind kg's back with its stat put back, is trusted."""
    import kg.run.local

    src, out = tmp_path / "src", tmp_path / "out"
    ids = make_inputs(src)
    racy_file, old_file = src / f"{ids[0]}.txt", src / f"{ids[1]}.txt"
    second = (time.time_ns() // 10**9 - 5) * 10**9
    os.utime(racy_file, ns=(second + 100_000_000, second + 100_000_000))  # written at .1 s
    with monkeypatch.context() as m:
        m.setattr(kg.run.local, "time", types.SimpleNamespace(time_ns=lambda: second + 900_000_000))
        export(src, out)  # looked at in the same second, at .9 s
    assert "st" not in manifest(out)[ids[0]] and "st" in manifest(out)[ids[1]]

    def edit(f: Path) -> None:  # same size, same inode, same mtime
        st = f.stat()
        data = f.read_bytes()
        f.write_bytes(data[:-1] + b"!")
        os.utime(f, ns=(st.st_atime_ns, st.st_mtime_ns))
        assert [f.stat().st_size, f.stat().st_mtime_ns, f.stat().st_ino] == [st.st_size, st.st_mtime_ns, st.st_ino]

    edit(racy_file)
    edit(old_file)
    opened.clear()
    r = export(src, out)
    assert r["exported"] == [ids[0]] and opened == [racy_file.name]


def test_racy_is_the_same_second_or_later() -> None:
    second = 1_700_000_000 * 10**9
    assert racy([1, second + 999_999_999, 1], second)
    assert racy([1, second, 1], second + 999_999_999)
    assert racy([1, second + 5 * 10**9, 1], second)
    assert not racy([1, second - 1, 1], second)


def test_an_edited_feed_is_read_and_its_articles_hashed(tmp_path: Path, opened: list[str]) -> None:
    """Only the changed article is exported again; an article gone from the feed is pruned."""
    src, out = tmp_path / "src", tmp_path / "out"
    make_inputs(src)
    export(src, out)
    feed = src / "feed.jsonl"
    lines = feed.read_text(encoding="utf-8").splitlines()
    record = json.loads(lines[1])
    record["text"] += " وقررت روسيا الرد."
    feed.write_text(lines[0] + "\n" + json.dumps(record, ensure_ascii=False) + "\n", encoding="utf-8")
    os.utime(feed, ns=(OLD + 10**9, OLD + 10**9))
    opened.clear()
    r = export(src, out, "--prune")
    assert r["exported"] == ["f1"] and r["pruned"] == ["f2"] and set(opened) == {"feed.jsonl"}  # counted, then read
    assert "f2" not in manifest(out) and manifest(out)["f0"]["st"][3] == 2  # type: ignore[index]
    assert "وقررت" in (out / "events.jsonl").read_text(encoding="utf-8")
    opened.clear()
    assert export(src, out)["exported"] == [] and opened == []


def test_prune_still_removes_a_deleted_input(tmp_path: Path, opened: list[str]) -> None:
    src, out = tmp_path / "src", tmp_path / "out"
    ids = make_inputs(src)
    export(src, out)
    (src / f"{ids[2]}.txt").unlink()
    opened.clear()
    r = export(src, out, "--prune")
    assert r["pruned"] == [ids[2]] and opened == [] and len(r["skipped"]) == 6  # type: ignore[arg-type]
    assert not (out / f"{ids[2]}.ttl").exists() and ids[2] not in manifest(out)


def test_a_changed_fingerprint_or_a_missing_output_still_redoes_an_unopened_file(tmp_path: Path) -> None:
    src, out = tmp_path / "src", tmp_path / "out"
    ids = make_inputs(src)
    export_folder([src], out, workers=1)
    (out / f"{ids[3]}.ttl").unlink()
    assert export_folder([src], out, workers=1).exported == [ids[3]]
    assert len(export_folder([src], out, workers=1, formats=("ttl", "nq")).exported) == 7
