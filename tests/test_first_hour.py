"""Issue 23: the rough edges a new user hit in their first hour, one test (or a few) per item."""

from __future__ import annotations

import json
import shutil
import warnings
from pathlib import Path

import pytest
from typer.testing import CliRunner

from kg.cli import app
from kg.footer import strip_footer
from kg.read import read_jsonl, read_text_file

from .conftest import ROOT

runner = CliRunner()
SEED = ROOT / "seeds" / "000_2fb4171725300b4b.txt"
WIDE = {"COLUMNS": "200", "TERM": "dumb"}


def kg(*args: str) -> tuple[int, str]:
    result = runner.invoke(app, list(args), env=WIDE)
    return result.exit_code, result.output


@pytest.fixture(scope="module")
def seed_out(tmp_path_factory: pytest.TempPathFactory) -> Path:
    out = tmp_path_factory.mktemp("seed")
    code, output = kg("export", str(ROOT / "seeds"), "-o", str(out / "out"), "-f", "ttl", "-f", "trig", "-f", "nq",
                      "--load", "--store", str(out / "store"))
    assert code == 0, output
    return out


# 1 and 11: an input with nothing to export is a usage error, not an empty success


@pytest.mark.parametrize("content", [None, "notes.md"])
def test_a_folder_without_articles_is_exit_2_and_writes_nothing(tmp_path: Path, content: str | None) -> None:
    src = tmp_path / "src"
    src.mkdir()
    if content:
        (src / content).write_text("# not an article", encoding="utf-8")
    code, output = kg("export", str(src), "-o", str(tmp_path / "out"))
    assert code == 2 and f"{src}: no articles in this folder" in output and ".txt" in output
    assert not (tmp_path / "out").exists()


def test_a_file_that_is_not_an_article_is_exit_2(tmp_path: Path) -> None:
    code, output = kg("export", str(ROOT / "README.md"), str(SEED), "-o", str(tmp_path / "out"))
    assert code == 2 and "README.md: not an article file (known: .txt, .jsonl, .ndjson)" in output
    assert not (tmp_path / "out").exists()


# 2: --log-json keeps stderr JSON Lines, and the cron example says where messages go


def test_log_json_with_load_writes_only_json_lines(tmp_path: Path) -> None:
    code, output = kg("export", str(SEED), "-o", str(tmp_path / "out"), "--log-json", "--load",
                      "--store", str(tmp_path / "store"))
    assert code == 0, output
    records = [json.loads(line) for line in output.splitlines() if line.strip()]  # each line parses
    assert [r["event"] for r in records] == ["exported", "summary", "loaded"]
    assert records[-1]["documents"] == 1 and records[-1]["triples"] > 100


def test_log_json_reports_a_usage_error_as_json(tmp_path: Path) -> None:
    code, output = kg("export", str(tmp_path / "nope"), "-o", str(tmp_path / "out"), "--log-json")
    assert code == 2
    (record,) = [json.loads(line) for line in output.splitlines() if line.strip()]
    assert record["event"] == "error" and record["exit"] == 2 and "no such file or folder" in record["reason"]


def test_the_cron_example_logs_json_and_does_not_promise_mail() -> None:
    text = (ROOT / "examples" / "cron.txt").read_text(encoding="utf-8")
    command = next(line for line in text.splitlines() if "kg export" in line and not line.startswith("#"))
    assert "--log-json" in command and "--load" in command and "2>>" in command
    assert "cron mails the one-line message" not in text and "nothing to mail" in text


# 3: validate's errors are one line; exit codes are documented; kg's rdflib use is not deprecated


def test_validate_a_file_that_does_not_parse_is_one_line_exit_2(tmp_path: Path) -> None:
    bad = tmp_path / "bad.ttl"
    bad.write_text('@prefix x: <http://a/> .\nx:s x:p "unterminated .\n', encoding="utf-8")
    code, output = kg("validate", str(bad))
    assert code == 2
    assert output.count("\n") == 1 and "line 2" in output
    assert output.startswith(f"kg: {bad}: does not parse as Turtle (")


def test_validate_names_a_missing_path_and_a_file_that_is_not_rdf(tmp_path: Path) -> None:
    assert kg("validate", str(tmp_path / "nope.ttl")) == (2, f"kg: {tmp_path / 'nope.ttl'}: no such file or folder\n")
    code, output = kg("validate", str(ROOT / "README.md"))
    assert code == 2 and "not an RDF file kg writes (known: .ttl, .trig, .nq, .nt)" in output
    code, output = kg("validate", "--help")
    assert "Exit 0" in output and "2: a file that is missing" in output


def test_validate_reads_every_format_without_deprecation_warnings(seed_out: Path) -> None:
    from kg.validate import validate_files

    files = sorted(f for f in (seed_out / "out").iterdir() if f.suffix in (".ttl", ".trig", ".nq"))
    assert {f.suffix for f in files} == {".ttl", ".trig", ".nq"}
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        assert validate_files(files) == []
    assert [w for w in caught if issubclass(w.category, DeprecationWarning)] == []


# 4: a shipped query's parameters are checked


def test_a_missing_query_parameter_is_named(seed_out: Path) -> None:
    code, output = kg("query", "actor-events", "--store", str(seed_out / "store"))
    assert code == 2 and "needs -p actor=VALUE" in output
    code, output = kg("query", "events-between", "-p", "a=Q159", "--store", str(seed_out / "store"))
    assert code == 2 and "-p b=VALUE" in output and "-p a=" not in output
    code, output = kg("query", "actor-events", "-p", "actr=Q159", "--store", str(seed_out / "store"))
    assert code == 2 and "no parameter 'actr' (its parameters: actor)" in output
    code, output = kg("query", "top-actors", "-p", "actor=Q159", "--store", str(seed_out / "store"))
    assert code == 2 and "its parameters: none" in output


def test_a_country_finds_more_than_its_capital_as_the_readme_says(seed_out: Path) -> None:
    def rows(value: str) -> set[str]:
        code, output = kg("query", "agreed-with", "-p", f"actor={value}", "--format", "csv",
                          "--store", str(seed_out / "store"))
        assert code == 0, output
        return {line.split(",")[3] for line in output.splitlines()[1:] if line}  # the events

    russia, moscow = rows("Q159"), rows("موسكو")
    assert moscow and moscow == rows("Q649") and moscow < russia
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    assert "(or: actor=موسكو" not in readme and "only where the article wrote Moscow" in readme


def test_query_parameters_are_read_from_the_first_comment() -> None:
    from kg.store import named_queries, query_parameters

    params = {name: query_parameters(text) for name, (_, text) in named_queries().items()}
    assert params["actor-events"] == ("actor",) and params["events-between"] == ("a", "b")
    assert params["top-actors"] == () and all(p is not None for p in params.values())
    assert query_parameters("SELECT * WHERE { ?s ?p ?o }") is None


# 5: help texts read as a manual


def test_help_shows_labels_not_python_types() -> None:
    for command in (["export"], ["validate"], ["load"], ["query"], ["rules", "check"], []):
        code, output = kg(*command, "--help")
        assert code == 0, output
        for raw in ("<bool>", "<list[", "{paths}", "{files}", "{PATH}"):
            assert raw not in output, (command, raw)
    output = kg("export", "--help")[1]
    assert "PATH..." in output and "pip install 'kg[spark]'" in output
    workers = output[output.index("--workers"):output.index("--prune")]
    assert "the cores available" in workers and "default: 0" not in workers


# 6: a model that is not one is caught by `model which`, and the message says what to do


def test_model_which_checks_the_model(tmp_path: Path) -> None:
    fake = tmp_path / "fake.udpipe"
    fake.write_text("not a model", encoding="utf-8")
    for bad in (fake, ROOT / "kg" / "queries" / "sources.rq"):
        code, output = kg("model", "which", "--model", str(bad))
        assert code == 2 and f"{bad}: not a UDPipe model" in output
        assert "--model" in output and "kg model download ar" in output
    code, output = kg("model", "which")
    assert code == 0 and output.strip().endswith(".udpipe")


# 7: --date says what is wrong with it


def test_a_date_in_the_right_form_that_is_no_day_says_so(tmp_path: Path) -> None:
    code, output = kg("export", str(SEED), "-o", str(tmp_path), "--date", "2025-13-45")
    assert code == 2 and "month must be in 1..12" in output and "write the date as" not in output
    code, output = kg("export", str(SEED), "-o", str(tmp_path), "--date", "2025-02-30")
    assert code == 2 and "day is out of range" in output
    code, output = kg("export", str(SEED), "-o", str(tmp_path), "--date", "12/4/2017")
    assert code == 2 and "write the date as YYYY-MM-DD" in output


# 8: rules check


def test_rules_check_a_missing_path_has_no_line_number(tmp_path: Path) -> None:
    code, output = kg("rules", "check", str(tmp_path / "nope"))
    assert code == 2 and output == f"{tmp_path / 'nope'}: no such rules file or folder\n"


def test_rules_check_verbs_cameo_and_an_empty_type_list(tmp_path: Path) -> None:
    f = tmp_path / "a.yaml"
    f.write_text("entities:\n  - {id: x, type: metropolis, label: {ar: س}}\n"
                 "actions:\n  - {id: meet, class: kgo:Meet, label: {ar: التقى}, verbs: التقى, cameo: 14}\n",
                 encoding="utf-8")
    code, output = kg("rules", "check", str(f))
    assert code == 2
    assert f"{f}:2: unknown type 'metropolis' (no types are defined: add a `types:` section)" in output
    assert f"{f}:4: verbs must be a list" in output and f"{f}:4: cameo 14 must be a quoted string" in output
    f.write_text("types: {city: wd:Q515}\nentities:\n  - {id: x, type: metropolis, label: {ar: س}}\n"
                 "actions:\n  - {id: meet, class: kgo:Meet, label: {ar: التقى}, verbs: [التقى], cameo: '14'}\n",
                 encoding="utf-8")
    code, output = kg("rules", "check", str(f))
    assert code == 2 and output == f"{f}:3: unknown type 'metropolis' (known: city)\n"


# 9: a load of nothing makes no store; the default store is ignored by git


def test_load_of_a_missing_or_empty_path_makes_no_store(tmp_path: Path) -> None:
    store = tmp_path / "st1"
    code, output = kg("load", str(tmp_path / "nope"), "--store", str(store))
    assert code == 2 and "no such file or folder" in output and not store.exists()
    (tmp_path / "empty").mkdir()
    code, output = kg("load", str(tmp_path / "empty"), "--store", str(store))
    assert code == 2 and "no kg output here" in output and not store.exists()
    assert ".kg-store/" in (ROOT / ".gitignore").read_text(encoding="utf-8").splitlines()


# 10: one of a thing is singular


def test_counts_of_one_are_singular(seed_out: Path, tmp_path: Path) -> None:
    code, output = kg("load", str(seed_out / "out" / f"{SEED.stem}.ttl"), "--store", str(tmp_path / "st"))
    assert code == 0 and output.startswith("1 document (") and "triples)" in output
    code, output = kg("query", "SELECT ?x WHERE { VALUES ?x { 1 } }", "--store", str(tmp_path / "st"))
    assert code == 0 and output.endswith("(1 row)\n")
    code, output = kg("query", "SELECT ?x WHERE { VALUES ?x { 1 2 } }", "--store", str(tmp_path / "st"))
    assert output.endswith("(2 rows)\n")


# 12: the footer rule


def test_the_seed_footer_is_cut_and_offsets_stay() -> None:
    raw = SEED.read_text(encoding="utf-8")
    text = read_text_file(SEED).text
    assert text.endswith("إجراءات عقابية.") and "SHARE" not in text and "سيريانيوز" not in text
    assert raw.startswith(text)  # offsets into the rest are the same


@pytest.mark.parametrize(("text", "kept"), [
    ("وصل تيلرسون الى موسكو.\n\nSHARE\n\nclose\n", "وصل تيلرسون الى موسكو."),
    ("وصل تيلرسون الى موسكو.\n\nوقال الوزير: لا جديد.\n", None),  # a sentence is text
    ("وصل تيلرسون الى موسكو.\nSHARE", None),  # no blank line before it: the same paragraph
    ("عنوان قصير\n\nوصل الوزير الى موسكو", None),  # every line short: a text, not a footer
    ("وصل تيلرسون الى موسكو.\n\nخمس كلمات في هذا السطر", None),  # longer than a footer line
    ("", None),
])
def test_the_footer_rule(text: str, kept: str | None) -> None:
    assert strip_footer(text) == (text if kept is None else kept)


def test_a_feed_article_loses_its_footer_too(tmp_path: Path) -> None:
    feed = tmp_path / "feed.jsonl"
    feed.write_text(json.dumps({"id": "a", "text": "رفضت روسيا القرار.\n\nروسيا اليوم\n\nSHARE"}, ensure_ascii=False)
                    + "\n", encoding="utf-8")
    (article,) = list(read_jsonl(feed))
    assert not isinstance(article, Exception) and article.text == "رفضت روسيا القرار."


def test_no_event_or_name_comes_from_a_footer(tmp_path: Path) -> None:
    src = tmp_path / "a.txt"
    shutil.copy(SEED, src)
    with src.open("a", encoding="utf-8") as f:
        f.write("\n\nروسيا وإيران\n\nSHARE\n")
    code, output = kg("export", str(src), "-o", str(tmp_path / "out"))
    assert code == 0, output
    rows = [json.loads(x) for x in (tmp_path / "out" / "events.jsonl").read_text(encoding="utf-8").splitlines()]
    end = len(SEED.read_text(encoding="utf-8").rstrip())
    assert rows and all(m["end"] <= end for r in rows for m in [r["action"], *r["actor"], *r["target"]])
