"""Issue 5: the embedded store, idempotent loads, named queries, and a real SPARQL server."""

from __future__ import annotations

import json
import os
import shutil
import socket
import subprocess
import sys
import time
import urllib.parse
import urllib.request
from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor
from contextlib import contextmanager
from pathlib import Path

import pytest
from typer.testing import CliRunner

from kg.cli import app
from kg.store import embedded as store_module  # its internals, and BULK_CHUNK where load reads it

from .conftest import ROOT

runner = CliRunner()
SEED = "000_2fb4171725300b4b"
OTHER = "وقررت روسيا وقف العمل بالمذكرة. والتقى لافروف نظيره في دمشق."


def kg(*args: str) -> str:
    result = runner.invoke(app, list(args))
    assert result.exit_code == 0, result.output
    return result.output


def csv_rows(*args: str) -> list[list[str]]:
    out = kg("query", *args, "--format", "csv")
    return [line.split(",") for line in out.strip().splitlines()[1:]]


def count(store: Path, graph: str | None = None) -> int:
    # the document graphs (kg load also installs the ontology, in its own graph)
    q = "SELECT (COUNT(*) AS ?n) WHERE { GRAPH ?g { ?s ?p ?o } FILTER(?g != <http://kg.example/ontology>) }" \
        if graph is None else \
        f"SELECT (COUNT(*) AS ?n) WHERE {{ GRAPH <{graph}> {{ ?s ?p ?o }} }}"
    return int(csv_rows(q, "--store", str(store))[0][0])


@pytest.fixture()
def articles(tmp_path: Path) -> Path:
    src = tmp_path / "in"
    src.mkdir()
    shutil.copy(ROOT / "seeds" / f"{SEED}.txt", src)
    (src / "other.txt").write_text(OTHER, encoding="utf-8")
    return src


def test_export_load_and_ask_the_questions(articles: Path, tmp_path: Path) -> None:
    store = tmp_path / "store"
    kg("export", str(articles), "-o", str(tmp_path / "out"), "--load", "--store", str(store))
    us = "http://www.wikidata.org/entity/Q30"
    for who in ("Q159", "Q649", "موسكو", "روسيا"):  # Russia or Moscow, by item or by name
        assert us in {r[1] for r in csv_rows("agreed-with", "-p", f"actor={who}", "--store", str(store))}, who
    blocked = kg("query", "actor-events", "-p", "actor=Q159", "--store", str(store))
    assert "عرقلت" in blocked and "القرار" in blocked
    for place in ("حمص", "ادلب", "إدلب"):
        assert csv_rows("place-events", "-p", f"place={place}", "--store", str(store)), place
    assert "kgo" not in kg("query", "--list")  # names and descriptions, not SPARQL
    assert csv_rows("top-actors", "--store", str(store))[0][0] == "http://www.wikidata.org/entity/Q159"
    sources = csv_rows("sources", "--store", str(store))
    assert sources and all(r[3].startswith("http://kg.example/id/doc/") for r in sources)
    as_json = json.loads(kg("query", "who-met", "--store", str(store), "--format", "json"))
    assert as_json["results"]["bindings"]


def test_parameters_are_bound_not_spliced(articles: Path, tmp_path: Path) -> None:
    store = tmp_path / "store"
    kg("export", str(articles), "-o", str(tmp_path / "out"), "--load", "--store", str(store))
    hostile = 'x" } ; DROP ALL ; SELECT * WHERE { ?s ?p "'
    result = runner.invoke(app, ["query", "actor-events", "-p", f"actor={hostile}", "--store", str(store)])
    assert result.exit_code == 0 and "(0 rows)" in result.output
    assert count(store) > 1000


def test_loading_twice_and_reexporting_one_article(articles: Path, tmp_path: Path) -> None:
    store, out = tmp_path / "store", tmp_path / "out"
    kg("export", str(articles), "-o", str(out), "--load", "--store", str(store))
    other_graph = "http://kg.example/id/doc/other"
    seed_graph = f"http://kg.example/id/doc/{SEED}"
    total, other = count(store), count(store, other_graph)
    kg("load", str(out), "--store", str(store))
    assert count(store) == total
    ask = f"ASK {{ GRAPH <{seed_graph}> {{ ?e a <http://kg.example/ontology#Obstruct> }} }}"
    assert kg("query", ask, "--store", str(store)).strip() == "true"
    # re-export the seed with rules that no longer know "obstruct": its graph is replaced
    rules = tmp_path / "rules"
    shutil.copytree(ROOT / "mappings", rules)
    actions = rules / "actions.yaml"
    actions.write_text("\n".join(line for line in actions.read_text(encoding="utf-8").splitlines()
                                 if "id: obstruct," not in line) + "\n", encoding="utf-8")
    kg("export", str(articles / f"{SEED}.txt"), "-o", str(tmp_path / "out2"), "--rules", str(rules))
    kg("load", str(tmp_path / "out2"), "--store", str(store))
    assert count(store, other_graph) == other
    assert kg("query", ask, "--store", str(store)).strip() == "false"


def test_a_bad_file_is_reported_and_others_load(articles: Path, tmp_path: Path) -> None:
    out = tmp_path / "out"
    kg("export", str(articles), "-o", str(out))
    (out / "broken.ttl").write_text("<a> <b> ", encoding="utf-8")
    result = runner.invoke(app, ["load", str(out), "--store", str(tmp_path / "s")])
    assert result.exit_code == 1 and "broken.ttl" in result.output
    assert count(tmp_path / "s") > 1000


# --- a real SPARQL server ------------------------------------------------------------------


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


@contextmanager
def oxigraph_server(location: Path, *flags: str) -> Iterator[str]:
    """The Oxigraph server (PyPI `oxigraph`, a test dependency) on loopback; its base URL."""
    binary = shutil.which("oxigraph", path=str(Path(sys.executable).parent)) or shutil.which("oxigraph")
    assert binary, "the oxigraph server (pip install oxigraph) is a test dependency"
    port = _free_port()
    proc = subprocess.Popen([binary, "serve", "--location", str(location), "--bind", f"127.0.0.1:{port}", *flags],
                            stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    base = f"http://127.0.0.1:{port}"
    try:
        for _ in range(100):
            try:
                urllib.request.urlopen(f"{base}/query?query=ASK%7B%7D", timeout=1).close()
                break
            except OSError:
                time.sleep(0.1)
        else:
            raise AssertionError("oxigraph server did not start")
        yield base
    finally:
        proc.terminate()
        proc.wait(timeout=10)


@pytest.fixture()
def server(tmp_path: Path) -> Iterator[str]:
    with oxigraph_server(tmp_path / "server") as base:
        yield base


def remote_count(base: str) -> int:
    q = urllib.parse.quote("SELECT (COUNT(*) AS ?n) WHERE { GRAPH ?g { ?s ?p ?o } }")
    req = urllib.request.Request(f"{base}/query?query={q}", headers={"Accept": "application/sparql-results+json"})
    with urllib.request.urlopen(req, timeout=10) as resp:
        return int(json.load(resp)["results"]["bindings"][0]["n"]["value"])


def test_push_to_a_server_is_idempotent(articles: Path, tmp_path: Path, server: str) -> None:
    out = tmp_path / "out"
    kg("export", str(articles), "-o", str(out))
    kg("load", str(out), "--endpoint", f"{server}/store")
    n = remote_count(server)
    assert n > 1000
    kg("load", str(out), "--endpoint", f"{server}/store")
    assert remote_count(server) == n
    # a server without the Graph Store Protocol at that URL: SPARQL Update instead
    kg("load", str(out), "--endpoint", f"{server}/update")
    assert remote_count(server) == n


def test_server_down_is_one_clear_line(articles: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    out = tmp_path / "out"
    kg("export", str(articles), "-o", str(out))
    monkeypatch.setenv("KG_STORE_PASSWORD", "s3cret-pw")
    monkeypatch.setenv("KG_STORE_USER", "me")
    port = _free_port()  # nothing listens here
    result = runner.invoke(app, ["load", str(out), "--endpoint", f"http://me:s3cret-pw@127.0.0.1:{port}/store",
                                 "--timeout", "2"])
    assert result.exit_code == 2
    lines = [x for x in result.output.splitlines() if x.strip()]
    assert len(lines) == 1 and "cannot reach the store" in lines[0]
    assert "s3cret" not in result.output
    assert os.environ["KG_STORE_PASSWORD"] == "s3cret-pw"


def _quads(store: Path) -> set[str]:
    import pyoxigraph as ox

    st = ox.Store.read_only(str(store))
    return {str(q) for q in st}


def test_bulk_load_gives_the_same_store(articles: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    out = tmp_path / "out"
    kg("export", str(articles), "-o", str(out))
    kg("load", str(out), "--store", str(tmp_path / "a"))
    kg("load", str(out), "--store", str(tmp_path / "b"), "--bulk")
    kg("load", str(out), "--store", str(tmp_path / "b"), "--bulk")  # replacing, not duplicating
    monkeypatch.setattr(store_module, "BULK_CHUNK", 1)  # a chunk per document
    kg("load", str(out), "--store", str(tmp_path / "c"), "--bulk")
    assert count(tmp_path / "a") > 1000
    assert _quads(tmp_path / "a") == _quads(tmp_path / "b") == _quads(tmp_path / "c")


_DOC = "# kg document: <http://kg.example/id/doc/{n}>\n@prefix ex: <http://ex.org/> .\n{body}\n"


@pytest.mark.parametrize("bulk", [False, True])
def test_odd_files_load_right(tmp_path: Path, bulk: bool) -> None:
    """Blank nodes stay each document's own, a directive after the triples still counts, a bad
    file is reported and leaves its graph as it was, and the later of two files of one document wins."""
    out = tmp_path / "out"
    out.mkdir()
    for n, body in {
        "1": "ex:a ex:p _:b . _:b ex:q \"one\" .",
        "2": "ex:a ex:p _:b . _:b ex:q \"two\" .",
        "3": "ex:a ex:p [ ex:q \"three\" ] .",
        "4": "ex:a ex:p ex:c .\n@prefix ex: <http://other.org/> .\nex:a ex:p ex:d .",
        "5": "ex:a ex:p \"plain {braces}\" .",
        "6": "ex:a ex:p \"[sic]\" .",
        "7": "ex:a ex:p ex:e .",
    }.items():
        (out / f"d{n}.ttl").write_text(_DOC.format(n=n, body=body), encoding="utf-8")
    args = ["load", str(out), "--store", str(tmp_path / "s"), *(["--bulk"] if bulk else [])]
    kg(*args)
    g = "http://kg.example/id/doc/"
    assert [count(tmp_path / "s", f"{g}{n}") for n in "1234567"] == [2, 2, 2, 2, 1, 1, 1]
    ask = (f"ASK {{ GRAPH <{g}1> {{ ?x <http://ex.org/q> \"one\" }} GRAPH <{g}2> {{ ?y <http://ex.org/q> \"two\" }} "
           "FILTER (?x != ?y) }")
    assert kg("query", ask, "--store", str(tmp_path / "s")).strip() == "true"
    assert kg("query", "ASK { <http://other.org/a> <http://other.org/p> <http://other.org/d> }", "--store",
              str(tmp_path / "s")).strip() == "true"
    # document 5 broken on reload: reported, its old graph kept; document 1 in two files: the later wins
    (out / "d5.ttl").write_text(_DOC.format(n=5, body="ex:a ex:p "), encoding="utf-8")
    (out / "e1.ttl").write_text(_DOC.format(n=1, body="ex:a ex:p ex:z ."), encoding="utf-8")
    result = runner.invoke(app, args)
    assert result.exit_code == 1 and "d5.ttl" in result.output
    assert count(tmp_path / "s", f"{g}5") == 1 and count(tmp_path / "s", f"{g}1") == 1


@pytest.mark.parametrize("sealed", [False, True])
def test_bulk_falls_back_when_a_stream_fails(tmp_path: Path, sealed: bool) -> None:
    """If the bulk loader fails half way, the chunk's graphs are undone and loaded one by one
    (files parsed into a scratch store, and sealed files handed to the loader as they are)."""
    import pyoxigraph as ox

    from kg.rdf import seal

    class Failing:
        def __init__(self, store: ox.Store) -> None:
            self.store = store

        def contains_named_graph(self, g: ox.NamedNode) -> bool:
            return self.store.contains_named_graph(g)

        def remove_graph(self, g: ox.NamedNode) -> None:
            self.store.remove_graph(g)

        def bulk_load(self, data: bytes, format: ox.RdfFormat, lenient: bool) -> None:
            self.store.bulk_load(data, format=format, lenient=lenient)  # half written, then the disk fills up
            raise OSError("No space left on device")

    out = tmp_path / "out"
    out.mkdir()
    for n in "12":
        body = b"@prefix ex: <http://ex.org/> .\nex:a ex:p ex:b .\n"
        data = seal(f"http://kg.example/id/doc/{n}", 1, body) if sealed else \
            _DOC.format(n=n, body="ex:a ex:p ex:b .").encode()
        (out / f"d{n}.ttl").write_bytes(data)
    chunk = [c if isinstance(c := store_module._sealed_file(p), store_module._Checked) else
             store_module._check(p, True, c) for p in sorted(out.iterdir())]
    assert all(c.graph is not None and c.error is None and c.payload for c in chunk)
    assert {c.kind for c in chunk} == {ox.RdfFormat.TRIG if sealed else ox.RdfFormat.N_QUADS}
    st = ox.Store(str(tmp_path / "s"))
    report = store_module.LoadReport()
    with ThreadPoolExecutor(2) as pool:
        assert store_module._bulk(Failing(st), chunk, report, pool) == [c.path for c in chunk]  # type: ignore[arg-type]
        assert len(st) == 0 and report.loaded == []
        assert store_module._bulk(st, chunk, report, pool) == []
    assert len(st) == 2 and report.triples == 2


def test_bulk_trusts_a_file_only_while_its_seal_holds(articles: Path, tmp_path: Path) -> None:
    """kg's files carry a seal (triple count and SHA-256): --bulk loads them without parsing them
    again, and one changed after export is parsed like any other file (here: it no longer
    parses, so it is reported and its graph keeps what the last good load put there)."""
    out = tmp_path / "out"
    kg("export", str(articles), "-o", str(out))
    files = sorted(out.glob("*.ttl"))
    assert all(isinstance(store_module._sealed_file(f), store_module._Checked) for f in files)
    report = store_module.load([out], tmp_path / "s", bulk=True)
    assert report.triples == count(tmp_path / "s") > 1000 and not report.failed
    victim = files[0]
    graph = store_module._check(victim).graph
    assert graph is not None
    before = count(tmp_path / "s", graph.value)
    victim.write_bytes(victim.read_bytes().replace(b" .\n", b" ;\n", 1))  # broken, seal kept
    assert isinstance(store_module._sealed_file(victim), bytes) and store_module._check(victim).error is not None
    again = store_module.load([out], tmp_path / "s", bulk=True)
    assert [f for f, _ in again.failed] == [str(victim)]
    assert count(tmp_path / "s", graph.value) == before


def test_as_trig_keeps_prefixes_outside_the_graph_block() -> None:
    import pyoxigraph as ox

    body = b"@prefix ex: <http://ex.org/> .\nPREFIX ey: <http://ey.org/>\nex:a ex:p ey:b ;\n\tex:q \"}\" .\n"
    quads = list(ox.parse(store_module._as_trig(body, "http://g/1"), format=ox.RdfFormat.TRIG))
    assert {q.graph_name.value for q in quads} == {"http://g/1"} and len(quads) == 2


def test_load_skips_dot_folders_and_files(tmp_path: Path) -> None:
    """Files in subfolders load; kg's own `.kg/`, `.git` and dot files (temporaries) do not."""
    out = tmp_path / "out"
    for rel, n in {"a.ttl": "1", "sub/b.ttl": "2", ".kg/c.ttl": "3", ".git/d.ttl": "4", ".e.ttl.tmp": "5",
                   ".f.ttl": "6", "sub/.hidden/g.ttl": "7"}.items():
        (out / rel).parent.mkdir(parents=True, exist_ok=True)
        (out / rel).write_text(_DOC.format(n=n, body="ex:a ex:p ex:b ."), encoding="utf-8")
    assert [p.relative_to(out).as_posix() for p in store_module.output_files([out])] == ["a.ttl", "sub/b.ttl"]
    kg("load", str(out), "--store", str(tmp_path / "s"), "--bulk")
    assert count(tmp_path / "s") == 2
