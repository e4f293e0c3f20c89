"""Issue 6: incremental, crash-safe, parallel batch runs, and the Spark engine."""

from __future__ import annotations

import fcntl
import json
import os
import shutil
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest
from typer.testing import CliRunner

from kg.cli import app

from .conftest import ROOT, pud_sentences

runner = CliRunner()
VOLATILE = {"kg-report.json", "lock"}  # the last run's report, and the lock file


@pytest.fixture(scope="module")
def corpus(tmp_path_factory: pytest.TempPathFactory) -> Path:
    src = tmp_path_factory.mktemp("corpus")
    shutil.copy(ROOT / "seeds" / "000_2fb4171725300b4b.txt", src)
    for sent_id, text in pud_sentences()[:14]:  # one news sentence an article, named by its id (n01…)
        (src / f"{sent_id}.txt").write_text(text + "\n", encoding="utf-8")
    return src


def export(*args: str) -> tuple[int, str]:
    result = runner.invoke(app, ["export", *args])
    return result.exit_code, result.output


def snapshot(folder: Path) -> dict[str, bytes]:
    """Every file's bytes; the manifest's entries (its journal's last line for each document: it is
    rewritten one line an entry only now and then, kg.run.folder.Folder.save), less their input
    stats (kg.run.incremental): they hold times and inodes, and a file read within the second it
    was written has none."""
    files = {str(p.relative_to(folder)): p.read_bytes() for p in sorted(folder.rglob("*"))
             if p.is_file() and p.name not in VOLATILE}
    manifest = str(Path(".kg") / "manifest.jsonl")
    if manifest in files:
        entries = {e["name"]: e for e in map(json.loads, files[manifest].split(b"\n")[:-1])}
        files[manifest] = b"".join(json.dumps({k: v for k, v in e.items() if k != "st"}).encode() + b"\n"
                                   for _, e in sorted(entries.items()))
    return files


@pytest.fixture(scope="module")
def reference(corpus: Path, tmp_path_factory: pytest.TempPathFactory) -> dict[str, bytes]:
    out = tmp_path_factory.mktemp("reference")
    code, output = export(str(corpus), "-o", str(out), "-w", "1")
    assert code == 0, output
    return snapshot(out)


def report(out: Path) -> dict[str, object]:
    data: dict[str, object] = json.loads((out / "kg-report.json").read_text(encoding="utf-8"))
    return data


def test_rerun_skips_unchanged_and_redoes_changed(corpus: Path, tmp_path: Path) -> None:
    src = tmp_path / "src"
    shutil.copytree(corpus, src)
    out = tmp_path / "out"
    assert export(str(src), "-o", str(out), "-w", "1")[0] == 0
    assert export(str(src), "-o", str(out), "-w", "1")[0] == 0
    r = report(out)
    assert r["exported"] == [] and len(r["skipped"]) == 15  # type: ignore[arg-type]
    first = sorted(src.glob("n*.txt"))[0]
    first.write_text(first.read_text(encoding="utf-8") + " وقررت روسيا الرد.", encoding="utf-8")
    export(str(src), "-o", str(out), "-w", "1")
    assert report(out)["exported"] == [first.stem]
    assert "وقررت" in (out / "events.jsonl").read_text(encoding="utf-8")
    # a changed rule re-exports everything
    rules = tmp_path / "rules"
    shutil.copytree(ROOT / "mappings", rules)
    with open(rules / "agents.yaml", "a", encoding="utf-8") as f:
        f.write("  - {id: legion, type: group, label: {ar: فيلق, en: legion}}\n")  # a word no file has
    export(str(src), "-o", str(out), "-w", "1", "--rules", str(rules))
    assert len(report(out)["exported"]) == 15  # type: ignore[arg-type]
    # --prune removes what is gone from the input
    first.unlink()
    export(str(src), "-o", str(out), "-w", "1", "--rules", str(rules), "--prune")
    assert report(out)["pruned"] == [first.stem]
    assert not (out / f"{first.stem}.ttl").exists()
    assert first.stem not in (out / "events.jsonl").read_text(encoding="utf-8")


def test_a_run_that_changes_a_few_documents_reads_only_their_parts(corpus: Path, tmp_path: Path,
                                                                    monkeypatch: pytest.MonkeyPatch) -> None:
    """The other documents keep their lines from the last events table, and the table ends as a
    fresh export of the same input writes it: after a change, an addition, a prune, a failure,
    and a table edited behind kg's back (then every part is read again)."""
    src = tmp_path / "src"
    shutil.copytree(corpus, src)
    out = tmp_path / "out"
    assert export(str(src), "-o", str(out), "-w", "1")[0] == 0
    parts_read: list[str] = []
    real = Path.read_bytes

    def spy(self: Path) -> bytes:
        if self.parent.name == "parts":
            parts_read.append(self.stem)
        return real(self)

    monkeypatch.setattr(Path, "read_bytes", spy)

    def fresh_table() -> bytes:
        again = tmp_path / f"fresh{len(list(tmp_path.glob('fresh*')))}"
        code, output = export(str(src), "-o", str(again), "-w", "1")
        assert code in (0, 1), output
        return (again / "events.jsonl").read_bytes()

    texts = sorted(src.glob("n*.txt"))
    texts[0].write_text(texts[0].read_text(encoding="utf-8") + " وقررت روسيا الرد.", encoding="utf-8")
    shutil.copy(texts[1], src / "zz_added.txt")
    texts[2].unlink()
    texts[3].write_bytes(b"\xc3\x28 not UTF-8")  # fails to read: its lines go
    parts_read.clear()
    export(str(src), "-o", str(out), "-w", "1", "--prune")
    assert sorted(parts_read) == sorted([texts[0].stem, "zz_added"])
    table = (out / "events.jsonl").read_bytes()
    assert "وقررت" in table.decode("utf-8") and texts[2].stem not in table.decode("utf-8")
    assert table == fresh_table()
    # an edited table is not trusted: every part is read, and the table is right again
    (out / "events.jsonl").write_bytes(table.replace(b"\n", b"\n\n", 1))
    texts[4].write_text(texts[4].read_text(encoding="utf-8") + " ورفضت واشنطن ذلك.", encoding="utf-8")
    parts_read.clear()
    assert export(str(src), "-o", str(out), "-w", "1", "--prune")[0] == 1  # texts[3] still fails
    assert set(parts_read) == {p.stem for p in (out / ".kg" / "parts").glob("*.jsonl")}
    assert (out / "events.jsonl").read_bytes() == fresh_table()


def test_two_workers_give_the_same_bytes(corpus: Path, reference: dict[str, bytes], tmp_path: Path) -> None:
    code, output = export(str(corpus), "-o", str(tmp_path), "-w", "2")
    assert code == 0, output
    assert snapshot(tmp_path) == reference


@pytest.mark.parametrize("after", [1, 6, 12])
def test_sigkill_mid_run_then_rerun_equals_an_uninterrupted_run(
    corpus: Path, reference: dict[str, bytes], tmp_path: Path, after: int
) -> None:
    out = tmp_path / "out"
    proc = subprocess.Popen([sys.executable, "-m", "kg", "export", str(corpus), "-o", str(out), "-w", "1"],
                            stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    deadline = time.monotonic() + 120
    while time.monotonic() < deadline and proc.poll() is None:
        if len(list(out.glob("*.ttl"))) >= after:
            break
        time.sleep(0.02)
    killed = proc.poll() is None
    if killed:
        proc.send_signal(signal.SIGKILL)
    proc.wait()
    assert killed, "the run finished before it could be killed: make the corpus larger"
    code, output = export(str(corpus), "-o", str(out), "-w", "1")
    assert code == 0, output
    assert snapshot(out) == reference


def test_broken_files_are_reported_and_the_rest_exported(corpus: Path, tmp_path: Path) -> None:
    src = tmp_path / "src"
    shutil.copytree(corpus, src)
    (src / "bad.txt").write_bytes(b"\xc3\x28 not utf-8")
    (src / "feed.jsonl").write_text('{"id": "x1", "text": "ووصل تيلرسون الى موسكو."}\n{"id": 3}\n', encoding="utf-8")
    out = tmp_path / "out"
    code, output = export(str(src), "-o", str(out), "-w", "2", "--log-json")
    assert code == 1
    logs = [json.loads(x) for x in output.splitlines() if x.startswith("{")]
    failed = {x["source"] for x in logs if x["event"] == "failed"}
    assert failed == {str(src / "bad.txt"), f"{src / 'feed.jsonl'}:2"}
    assert sum(x["event"] == "exported" for x in logs) == 16
    r = report(out)
    assert r["exit"] == 1 and len(r["failed"]) == 2  # type: ignore[arg-type]
    manifest = [json.loads(x) for x in (out / ".kg" / "manifest.jsonl").read_text(encoding="utf-8").splitlines()]
    assert {m["status"] for m in manifest} == {"ok"} and len(manifest) == 16


def test_a_second_run_on_the_same_folder_refuses(corpus: Path, tmp_path: Path) -> None:
    (tmp_path / ".kg").mkdir()
    with open(tmp_path / ".kg" / "lock", "a+") as held:
        fcntl.flock(held, fcntl.LOCK_EX)
        code, output = export(str(corpus), "-o", str(tmp_path))
    assert code == 2 and "another kg run" in output


def test_spark_engine_gives_the_same_bytes(corpus: Path, reference: dict[str, bytes], tmp_path: Path) -> None:
    import pyspark  # noqa: F401 - the extra kg[spark], part of the test extra

    assert shutil.which("java") or os.environ.get("JAVA_HOME"), "Spark needs Java"
    code, output = export(str(corpus), "-o", str(tmp_path), "--engine", "spark")
    assert code == 0, output
    assert snapshot(tmp_path) == reference


def test_fingerprint_follows_the_model_and_rules_within_one_process(tmp_path: Path) -> None:
    """The model's digest is kept per process while the file's size, time and inode stay: a model
    replaced or edited in place still changes the fingerprint."""
    from kg.rules import default_rules_dir
    from kg.run.job import Job, fingerprint

    model = tmp_path / "m.udpipe"
    model.write_bytes(b"one")
    rules = tmp_path / "rules"
    shutil.copytree(default_rules_dir(), rules)
    job = Job(rules_dir=rules, model=model, formats=("ttl",), html=False, max_chars=1000)
    first = fingerprint(job)
    assert fingerprint(job) == first
    model.write_bytes(b"other")
    second = fingerprint(job)
    assert second != first
    replacement = tmp_path / "new.udpipe"
    replacement.write_bytes(b"three")
    os.replace(replacement, model)
    assert fingerprint(job) not in (first, second)
    with (rules / "actions.yaml").open("a", encoding="utf-8") as f:
        f.write("\n# a comment changes the rules' bytes\n")
    assert fingerprint(job) != fingerprint(Job(rules_dir=default_rules_dir(), model=model, formats=("ttl",),
                                                   html=False, max_chars=1000))


def test_a_rerun_with_nothing_to_do_keeps_the_events_table(corpus: Path, tmp_path: Path,
                                                             monkeypatch: pytest.MonkeyPatch) -> None:
    """Nothing changed: events.jsonl is not rebuilt from the parts. An edited table, or a run that
    stopped after changing the folder but before rebuilding, brings the rebuild back."""
    import kg.run.local

    src = tmp_path / "src"
    shutil.copytree(corpus, src)
    out = tmp_path / "out"
    assert export(str(src), "-o", str(out), "-w", "1")[0] == 0
    table = (out / "events.jsonl").read_bytes()
    rebuilds: list[int] = []
    real = kg.run.local.write_events

    def counted(folder: kg.run.local.Folder) -> tuple[int, str, str]:
        rebuilds.append(1)
        return real(folder)

    monkeypatch.setattr(kg.run.local, "write_events", counted)
    assert export(str(src), "-o", str(out), "-w", "1")[0] == 0
    assert rebuilds == [] and report(out)["events"] == table.count(b"\n")
    (out / "events.jsonl").write_bytes(table[: len(table) // 2])  # a user edits the table
    assert export(str(src), "-o", str(out), "-w", "1")[0] == 0
    assert rebuilds == [1] and (out / "events.jsonl").read_bytes() == table
    # a run stopped after journaling a changed article, before the rebuild: the next run has
    # nothing to export, yet the table must show the change
    first = sorted(src.glob("n*.txt"))[0]
    first.write_text(first.read_text(encoding="utf-8") + " وقررت روسيا الرد.", encoding="utf-8")

    def killed(folder: kg.run.local.Folder) -> tuple[int, str, str]:
        raise KeyboardInterrupt

    monkeypatch.setattr(kg.run.local, "write_events", killed)
    runner.invoke(app, ["export", str(src), "-o", str(out), "-w", "1"])
    monkeypatch.setattr(kg.run.local, "write_events", counted)
    assert export(str(src), "-o", str(out), "-w", "1")[0] == 0
    assert report(out)["exported"] == [] and rebuilds == [1, 1]
    assert "وقررت" in (out / "events.jsonl").read_text(encoding="utf-8")


def test_a_parser_process_that_dies_costs_one_article(corpus: Path, reference: dict[str, bytes],
                                                      tmp_path: Path) -> None:
    """-w 1 parses in a child process: killed mid-run, it fails the article it was parsing, a new
    child parses the rest, and a rerun redoes that one article."""
    from kg.run import parser
    from kg.run.local import export as export_folder

    killed: list[int] = []

    def kill_once(kind: str, source: str, detail: str) -> None:
        if not killed:
            proc = next(iter(parser._RUNNING.values()))[0]._proc
            assert proc is not None
            os.kill(proc.pid, signal.SIGKILL)
            killed.append(proc.pid)

    out = tmp_path / "out"
    first = export_folder([corpus], out, workers=1, on_result=kill_once)
    assert killed
    assert len(first.failed) == 1, first.failed
    assert "the UDPipe parser process stopped while parsing it" in first.failed[0][1]
    assert len(first.exported) == len(list(corpus.glob("*.txt"))) - 1
    again = export_folder([corpus], out, workers=1)
    assert len(again.exported) == 1 and not again.failed
    assert snapshot(out) == reference


def test_runs_in_one_process_keep_their_parser_process(corpus: Path, tmp_path: Path) -> None:
    from kg.run import parser
    from kg.run.local import export as export_folder

    src = tmp_path / "src"
    src.mkdir()
    for i, f in enumerate(sorted(corpus.glob("*.txt"))[:2]):
        shutil.copy(f, src / f"{i}.txt")
    export_folder([src / "0.txt"], tmp_path / "a", workers=1)
    pids = [p._proc.pid for ps in parser._RUNNING.values() for p in ps if p._proc is not None]
    export_folder([src / "1.txt"], tmp_path / "b", workers=1)
    assert pids  # one, or more where an earlier run had more workers: those wait, idle
    assert [p._proc.pid for ps in parser._RUNNING.values() for p in ps if p._proc is not None] == pids


def test_a_rule_edited_between_runs_of_one_process_is_used(tmp_path: Path) -> None:
    """Rules are kept in memory between runs of one process, but not past an edit of their files."""
    from kg.rules import default_rules_dir
    from kg.run.local import export as export_folder

    rules = tmp_path / "rules"
    shutil.copytree(default_rules_dir(), rules)
    seed = ROOT / "seeds" / "000_2fb4171725300b4b.txt"
    out = tmp_path / "out"
    export_folder([seed], out, rules_dir=rules, workers=1)
    ttl = out / f"{seed.stem}.ttl"
    assert "wd:Q58217" in ttl.read_text(encoding="utf-8")  # Lavrov, linked
    people = rules / "people.yaml"
    people.write_text(people.read_text(encoding="utf-8").replace("qid: Q58217, ", ""), encoding="utf-8")
    again = export_folder([seed], out, rules_dir=rules, workers=1)
    assert again.exported and "wd:Q58217" not in ttl.read_text(encoding="utf-8")


def test_a_parser_process_that_cannot_start_is_one_line_and_exit_2(tmp_path: Path,
                                                                   monkeypatch: pytest.MonkeyPatch) -> None:
    from kg.run import parser

    parser._close_all()
    monkeypatch.setattr(sys, "executable", str(tmp_path / "no-python"))
    (tmp_path / "a.txt").write_text("موسكو", encoding="utf-8")
    code, output = export(str(tmp_path / "a.txt"), "-o", str(tmp_path / "o"), "-w", "1")
    assert code == 2 and "cannot start kg's parser process" in output and "Traceback" not in output


def test_a_statement_that_is_not_valid_rdf_fails_its_article_only(corpus: Path, tmp_path: Path,
                                                                  monkeypatch: pytest.MonkeyPatch) -> None:
    """Every statement is parsed strictly before a file is written: a term kg made wrong (here a
    relative IRI, put in by hand) fails that article, with nothing of it written, and the batch goes on."""
    import kg.rdf
    from kg.mapping import DocRecord
    from kg.rules import Rules
    from kg.run.local import export as export_folder

    real = kg.rdf.build_triples
    bad = sorted(corpus.glob("*.txt"))[3].stem

    def build(d: DocRecord, rules: Rules, text: bool = True) -> kg.rdf.Triples:
        ts = real(d, rules, text)
        if d.article.doc_id == bad:
            ts.add(kg.rdf._iri(d.iri), kg.rdf.RDFS_.seeAlso, kg.rdf._iri("relative/iri"))
        return ts

    monkeypatch.setattr(kg.rdf, "build_triples", build)
    out = tmp_path / "out"
    done = export_folder([corpus], out, workers=1)
    assert len(done.failed) == 1, done.failed
    assert done.failed[0][0].endswith(f"{bad}.txt")
    assert "kg made a statement that is not valid RDF" in done.failed[0][1]
    assert len(done.exported) == len(list(corpus.glob("*.txt"))) - 1
    assert not (out / f"{bad}.ttl").exists()
    assert not (out / ".kg" / "parts" / f"{bad}.jsonl").exists()
    events = (out / "events.jsonl").read_text(encoding="utf-8")
    assert f'"{bad}"' not in events and events.count("\n") > 0


def test_a_parser_process_that_died_between_runs_costs_no_article(corpus: Path, tmp_path: Path) -> None:
    """A program that calls kg again and again keeps its parser processes; one that died while
    idle (killed, say) is replaced at the next run, and no article is blamed for it."""
    from kg.run import parser
    from kg.run.local import export as export_folder

    texts = sorted(corpus.glob("*.txt"))[:3]
    assert not export_folder([texts[0]], tmp_path / "a", workers=1).failed
    (p,) = [p for ps in parser._RUNNING.values() for p in ps if p._proc is not None][:1]
    assert p._proc is not None
    old = p._proc.pid
    os.kill(old, signal.SIGKILL)
    p._proc.wait()  # gone for sure (its exit status is then kept for reap)
    second = export_folder(texts[1:], tmp_path / "b", workers=1)
    assert not second.failed and len(second.exported) == 2
    assert p._proc is not None and p._proc.pid != old


def test_a_deleted_events_table_and_output_are_made_again(corpus: Path, tmp_path: Path) -> None:
    """A user deletes events.jsonl and a document's Turtle (as .ci/run clears out/): the rerun
    redoes that document and rebuilds the table from the parts; the last table's stamp, which
    names a file no longer there, once made the run fail with "cannot write"."""
    src = tmp_path / "src"
    shutil.copytree(corpus, src)
    out = tmp_path / "out"
    assert export(str(src), "-o", str(out), "-w", "1")[0] == 0
    table = (out / "events.jsonl").read_bytes()
    ttl = sorted(out.glob("*.ttl"))[0]
    before = ttl.read_bytes()
    ttl.unlink()
    (out / "events.jsonl").unlink()
    code, output = export(str(src), "-o", str(out), "-w", "1")
    assert code == 0, output
    assert ttl.read_bytes() == before and (out / "events.jsonl").read_bytes() == table
