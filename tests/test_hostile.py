"""Issue 9: hostile input and faults. Nothing crashes, nothing malformed, nothing lost."""

from __future__ import annotations

import errno
import json
import os
import shutil
import signal
import subprocess
import sys
import time
from pathlib import Path

import pyoxigraph
import pytest
from rdflib import Graph
from typer.testing import CliRunner

from kg.cli import app

from . import hostile
from .conftest import ROOT

runner = CliRunner()


@pytest.fixture(scope="module")
def hostile_run(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, Path, dict[str, str], str, int]:
    src = tmp_path_factory.mktemp("hostile")
    expect = hostile.make(src)
    out = tmp_path_factory.mktemp("out")
    r = subprocess.run([sys.executable, "-m", "kg", "export", str(src), "-o", str(out), "-w", "2"],
                       capture_output=True, text=True, timeout=900, cwd=ROOT)
    return src, out, expect, r.stdout + r.stderr, r.returncode


def test_every_input_is_exported_or_reported_without_a_traceback(
    hostile_run: tuple[Path, Path, dict[str, str], str, int],
) -> None:
    src, out, expect, output, code = hostile_run
    assert code == 1, output
    assert "Traceback" not in output
    report = json.loads((out / "kg-report.json").read_text(encoding="utf-8"))
    exported = set(report["exported"])
    failed = {f["source"]: f["reason"] for f in report["failed"]}
    for name, what in expect.items():
        if what == "export":
            doc_id = name[:-4] if name.endswith(".txt") else name
            assert doc_id in exported, (name, failed)
        else:
            assert str(src / name) in failed and failed[str(src / name)], name
    assert len(exported) + len(failed) == len(expect)


def test_everything_written_parses_and_keeps_the_offset_contract(
    hostile_run: tuple[Path, Path, dict[str, str], str, int],
) -> None:
    src, out, _, _, _ = hostile_run
    for ttl in out.glob("*.ttl"):
        data = ttl.read_bytes()
        g = Graph().parse(data=data, format="turtle")
        store = pyoxigraph.Store()
        store.load(data, format=pyoxigraph.RdfFormat.TURTLE)
        assert len(store) == len(g) > 0
        assert ttl.resolve().parent == out.resolve()  # ids like ../../escape stay inside
    texts = {p.stem: p.read_bytes().decode("utf-8", "replace") for p in src.glob("*.txt")}
    texts["utf16"] = (src / "utf16.txt").read_bytes().decode("utf-16")
    for line in (src / "feed.jsonl").read_text(encoding="utf-8").splitlines():
        try:
            rec = json.loads(line)
            texts[str(rec["id"])] = rec["text"]
        except (ValueError, KeyError, TypeError):
            continue
    for line in (out / "events.jsonl").read_text(encoding="utf-8").splitlines():
        row = json.loads(line)
        text = texts[row["doc_id"]]
        for m in [row["action"], *row["actor"], *row["target"], *row["location"]]:
            assert text[m["start"] : m["end"]] == m["text"]


def test_a_long_article_is_parsed_in_pieces_with_offsets_kept(tmp_path: Path) -> None:
    sentence = "وقال لافروف إن روسيا ستدعم الحكومة السورية في دمشق. "
    (tmp_path / "long.txt").write_text(sentence * 400, encoding="utf-8")  # ~21,000 characters: 6 pieces
    code, _ = runner.invoke(app, ["export", str(tmp_path / "long.txt"), "-o", str(tmp_path / "o")]).exit_code, 0
    assert code == 0
    rows = [json.loads(x) for x in (tmp_path / "o" / "events.jsonl").read_text(encoding="utf-8").splitlines()]
    text = sentence * 400
    assert len([r for r in rows if r["action"]["text"] == "وقال"]) == 400
    assert all(text[r["action"]["start"] : r["action"]["end"]] == r["action"]["text"] for r in rows)


def test_a_document_over_its_time_limit_is_stopped_and_reported(tmp_path: Path) -> None:
    (tmp_path / "slow.txt").write_text("وقال لافروف إن روسيا ستدعم الحكومة. " * 2000, encoding="utf-8")
    (tmp_path / "fast.txt").write_text(hostile.GOOD, encoding="utf-8")
    result = runner.invoke(app, ["export", str(tmp_path), "-o", str(tmp_path / "o"), "--timeout", "0.5", "-w", "1"])
    assert result.exit_code == 1 and "took longer than 0.5 s" in result.output
    assert (tmp_path / "o" / "fast.ttl").is_file() and not (tmp_path / "o" / "slow.ttl").exists()


def test_disk_full_is_a_clear_error_with_no_partial_file(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    (tmp_path / "a.txt").write_text(hostile.GOOD, encoding="utf-8")
    real = os.replace

    def full(src: str, dst: str) -> None:
        if str(dst).endswith(".ttl"):
            raise OSError(errno.ENOSPC, os.strerror(errno.ENOSPC))
        real(src, dst)

    monkeypatch.setattr(os, "replace", full)
    result = runner.invoke(app, ["export", str(tmp_path / "a.txt"), "-o", str(tmp_path / "o"), "-w", "1"])
    assert result.exit_code == 2 and "No space left on device" in result.output
    assert "Traceback" not in result.output
    assert not [p for p in (tmp_path / "o").glob("*") if p.suffix in (".ttl", ".tmp")]
    monkeypatch.setattr(os, "replace", real)
    assert runner.invoke(app, ["export", str(tmp_path / "a.txt"), "-o", str(tmp_path / "o")]).exit_code == 0


def test_an_output_folder_that_cannot_be_made_is_exit_2(tmp_path: Path) -> None:
    (tmp_path / "a.txt").write_text(hostile.GOOD, encoding="utf-8")
    (tmp_path / "file").write_text("x", encoding="utf-8")
    result = runner.invoke(app, ["export", str(tmp_path / "a.txt"), "-o", str(tmp_path / "file" / "out")])
    assert result.exit_code == 2 and "cannot create output folder" in result.output


def test_sigterm_stops_cleanly_and_a_rerun_recovers(tmp_path: Path) -> None:
    src = tmp_path / "src"
    src.mkdir()
    for i in range(30):
        (src / f"a{i:02d}.txt").write_text(hostile.GOOD + f" {i}", encoding="utf-8")
    ref = tmp_path / "ref"
    assert runner.invoke(app, ["export", str(src), "-o", str(ref), "-w", "1"]).exit_code == 0
    out = tmp_path / "out"
    proc = subprocess.Popen([sys.executable, "-m", "kg", "export", str(src), "-o", str(out), "-w", "1"],
                            stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, cwd=ROOT)
    deadline = time.monotonic() + 120
    while time.monotonic() < deadline and len(list(out.glob("*.ttl"))) < 5 and proc.poll() is None:
        time.sleep(0.02)
    proc.send_signal(signal.SIGTERM)
    _, err = proc.communicate(timeout=120)
    assert proc.returncode == 143, err
    assert "stopped by SIGTERM" in err and "Traceback" not in err
    assert not list(out.glob(".*.tmp"))
    assert runner.invoke(app, ["export", str(src), "-o", str(out), "-w", "1"]).exit_code == 0
    for f in ref.glob("*.ttl"):
        assert (out / f.name).read_bytes() == f.read_bytes()
    assert (out / "events.jsonl").read_bytes() == (ref / "events.jsonl").read_bytes()


def test_malformed_rules_of_every_kind_are_located(tmp_path: Path) -> None:
    rules = tmp_path / "rules"
    shutil.copytree(ROOT / "mappings", rules)
    (rules / "zz-bad.yaml").write_text(
        "entities:\n  - id: x\n    type: 5\n    label: {ar: [1]}\nbomb: &a [1, 2]\nbomb2: [*a, *a]\n",
        encoding="utf-8")
    result = runner.invoke(app, ["rules", "check", str(rules)])
    assert result.exit_code == 2 and "Traceback" not in result.output
    assert "zz-bad.yaml:5:" in result.output  # the anchor, refused before it can expand


@pytest.mark.parametrize("step", ["open", "write", "close", "replace"])
def test_a_signal_during_a_write_leaves_no_temporary_file(tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
                                                          step: str) -> None:
    """Files are written on kg's main thread, where Ctrl-C and SIGTERM raise their exception
    (cli): one that comes right after any step of a write leaves the old file and no temporary."""
    from kg.files import write_atomic

    target = tmp_path / "a.ttl"
    target.write_text("old", encoding="utf-8")
    real = getattr(os, step)

    def then_interrupted(*args: object) -> object:
        real(*args)
        raise KeyboardInterrupt

    monkeypatch.setattr(os, step, then_interrupted)
    with pytest.raises(KeyboardInterrupt):
        write_atomic(target, "new")
    monkeypatch.undo()
    assert [p.name for p in tmp_path.iterdir()] == ["a.ttl"]
    assert target.read_text(encoding="utf-8") == ("new" if step == "replace" else "old")
