from __future__ import annotations

import functools
import http.server
import json
import shutil
import threading
from collections.abc import Iterator
from pathlib import Path

import pytest
from typer.testing import CliRunner

from kg import __version__
from kg.cli import app
from kg.nlp import official_model_name, resolve_model

from .conftest import MODEL

runner = CliRunner()


def test_version() -> None:
    result = runner.invoke(app, ["--version"])
    assert result.exit_code == 0 and __version__ in result.output


def test_missing_model_is_exit_2_with_one_line(tmp_path: Path) -> None:
    (tmp_path / "a.txt").write_text("موسكو", encoding="utf-8")
    result = runner.invoke(app, ["export", str(tmp_path), "-o", str(tmp_path / "o"), "--model", str(tmp_path / "x")])
    assert result.exit_code == 2
    assert "no such model file" in result.output and "Traceback" not in result.output


@pytest.mark.parametrize("workers", ["1", "2"])  # 1: the model loads in kg's parser process
def test_corrupt_model_is_exit_2(tmp_path: Path, workers: str) -> None:
    bad = tmp_path / "bad.udpipe"
    bad.write_bytes(b"not a model")
    for name in "ab":
        (tmp_path / f"{name}.txt").write_text("موسكو", encoding="utf-8")
    result = runner.invoke(app, ["export", str(tmp_path), "-o", str(tmp_path / "o"), "--model", str(bad),
                                 "-w", workers])
    assert result.exit_code == 2 and "not a UDPipe model" in result.output


def test_bad_rules_refuse_to_export(tmp_path: Path) -> None:
    (tmp_path / "a.txt").write_text("موسكو", encoding="utf-8")
    rules = Path(__file__).parent / "rules_broken"
    result = runner.invoke(app, ["export", str(tmp_path / "a.txt"), "-o", str(tmp_path / "o"), "--rules", str(rules)])
    assert result.exit_code == 2 and "a_keys.yaml:8:" in result.output
    assert not (tmp_path / "o").exists()


def test_one_bad_article_never_spoils_the_batch(tmp_path: Path) -> None:
    src = tmp_path / "in"
    src.mkdir()
    (src / "good.txt").write_text("وقررت روسيا وقف العمل بالمذكرة.", encoding="utf-8")
    (src / "bad.txt").write_bytes(b"\xff\xfe\xfa")
    (src / "feed.jsonl").write_text(json.dumps({"id": "../../etc/x", "text": "ووصل تيلرسون الى موسكو."}) + "\n{oops\n",
                                    encoding="utf-8")
    out = tmp_path / "out"
    result = runner.invoke(app, ["export", str(src), "-o", str(out)])
    assert result.exit_code == 1
    assert "bad.txt" in result.output and "feed.jsonl:2" in result.output
    assert (out / "good.ttl").is_file()
    written = sorted(p.name for p in out.iterdir() if p.name != ".kg")  # .kg: the run's bookkeeping
    assert all(not n.startswith(".") for n in written)
    assert all(p.resolve().parent == out.resolve() for p in out.iterdir())
    assert "etc_x.ttl" in written  # a crafted id cannot leave the output folder
    rows = [json.loads(x) for x in (out / "events.jsonl").read_text(encoding="utf-8").splitlines()]
    assert {r["doc_id"] for r in rows} == {"good", "../../etc/x"}


@pytest.fixture()
def mirror(tmp_path: Path) -> Iterator[str]:
    """A loopback HTTP server serving a copy of the shipped model under the official file name."""
    root = tmp_path / "mirror"
    root.mkdir()
    shutil.copy(MODEL, root / official_model_name("ar"))
    handler = functools.partial(http.server.SimpleHTTPRequestHandler, directory=str(root))
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{server.server_address[1]}"
    server.shutdown()


def test_model_download_caches_and_is_then_preferred(
    mirror: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("KG_CACHE_DIR", str(tmp_path / "cache"))
    monkeypatch.delenv("KG_UDPIPE_MODEL", raising=False)
    assert resolve_model() == MODEL.resolve() or resolve_model().name == MODEL.name  # shipped model last
    result = runner.invoke(app, ["model", "download", "ar", "--url", mirror])
    assert result.exit_code == 0, result.output
    cached = tmp_path / "cache" / "models" / official_model_name("ar")
    assert cached.is_file()
    assert resolve_model() == cached
    monkeypatch.setenv("KG_UDPIPE_MODEL", str(MODEL))
    assert resolve_model() == MODEL  # the environment beats the cache
    assert resolve_model(MODEL) == MODEL


def test_model_download_failure_is_exit_2(mirror: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("KG_CACHE_DIR", str(tmp_path / "cache"))
    result = runner.invoke(app, ["model", "download", "ar", "--url", mirror + "/missing"])
    assert result.exit_code == 2 and "download failed" in result.output
    assert not any((tmp_path / "cache" / "models").iterdir())  # no partial file left


def test_show_and_export_html(tmp_path: Path) -> None:
    art = tmp_path / "a.txt"
    art.write_text("وقررت روسيا وقف العمل بالمذكرة <script>alert(1)</script>.", encoding="utf-8")
    result = runner.invoke(app, ["show", str(art), "-o", str(tmp_path / "a.html")])
    assert result.exit_code == 0, result.output
    page = (tmp_path / "a.html").read_text(encoding="utf-8")
    assert "<script>alert" not in page and "روسيا" in page
    result = runner.invoke(app, ["export", str(art), "-o", str(tmp_path / "o"), "--html"])
    assert result.exit_code == 0
    assert (tmp_path / "o" / "a.html").is_file() and (tmp_path / "o" / "a.ttl").is_file()
    assert (tmp_path / "o" / "a.ttl").stat().st_mode & 0o044  # readable by others, as plain files are


def test_closed_choices_are_the_librarys_and_said_in_one_wording(tmp_path: Path) -> None:
    from kg.cli.options import Engine, Format, ResultFormat
    from kg.errors import unknown
    from kg.rdf import FORMATS
    from kg.run.local import ENGINES
    from kg.store import RESULTS_FORMATS

    assert [f.value for f in Format] == list(FORMATS) and [e.value for e in Engine] == list(ENGINES)
    assert [f.value for f in ResultFormat] == list(RESULTS_FORMATS)
    (tmp_path / "a.txt").write_text("موسكو", encoding="utf-8")
    for args, what, known in ((["export", str(tmp_path), "-f", "ttl", "-f", "xml"], "--format", FORMATS),
                              (["export", str(tmp_path), "--engine", "dask"], "--engine", ENGINES),
                              (["query", "top-actors", "--format", "xml"], "--format", list(ResultFormat))):
        result = runner.invoke(app, args)
        value = args[-1]
        assert (result.exit_code, result.output) == (2, f"kg: {unknown(what, value, known)}\n"), args
    result = runner.invoke(app, ["export", str(tmp_path), "--engine", "dask", "--log-json"])
    assert result.exit_code == 2 and json.loads(result.output)["reason"] == unknown("--engine", "dask", ENGINES)
    assert not (tmp_path / "out").exists()
    help_text = runner.invoke(app, ["export", "--help"], terminal_width=200).output
    assert "<ttl|trig|nq>" in help_text and "<local|spark>" in help_text


def test_shared_options_have_one_help_text() -> None:
    import typer

    def helps(group: object, option: str, prefix: str = "") -> dict[str, str]:
        found: dict[str, str] = {}
        for name, command in getattr(group, "commands", {}).items():
            found |= helps(command, option, f"{prefix}{name} ")
            for param in getattr(command, "params", []):
                if option in param.opts:
                    found[prefix + name] = param.help or ""
        return found

    kg = typer.main.get_command(app)
    for option, users in (("--model", 3), ("--store", 3), ("--rules", 2)):
        found = helps(kg, option)
        assert len(found) == users and len(set(found.values())) == 1, found
