"""`kg rules import`: Wikidata query results -> rules -> linked mentions in an export."""

from __future__ import annotations

import gzip
import json
import shutil
from pathlib import Path

import pytest
import yaml
from typer.testing import CliRunner

from kg.cli import app

from .conftest import ROOT

RESULTS = Path(__file__).parent / "data" / "wdqs-results.json"
runner = CliRunner()


def test_import_writes_valid_rules(tmp_path: Path) -> None:
    out = tmp_path / "people.yaml"
    result = runner.invoke(app, ["rules", "import", str(RESULTS), "-o", str(out), "--type", "person"])
    assert result.exit_code == 0, result.output
    data = yaml.safe_load(out.read_text(encoding="utf-8"))
    ids = [e["id"] for e in data["entities"]]
    assert ids == ["q999999901", "q999999903"]  # the item with no Arabic label is left out
    zaid = data["entities"][0]
    assert zaid["qid"] == "Q999999901" and zaid["label"] == {"ar": "زيد المثالي", "en": "Zaid Example"}
    assert zaid["aliases"] == ["زيد", "زيد بن عمرو"]  # Latin aliases dropped


def test_round_trip_links_the_imported_entities(tmp_path: Path) -> None:
    rules = tmp_path / "rules"
    shutil.copytree(ROOT / "mappings", rules)
    result = runner.invoke(app, ["rules", "import", str(RESULTS), "-o", str(rules / "imported.yaml"),
                                 "--type", "person"])
    assert result.exit_code == 0
    assert runner.invoke(app, ["rules", "check", str(rules)]).exit_code == 0
    art = tmp_path / "in" / "a.txt"
    art.parent.mkdir()
    art.write_text("وقال زيد المثالي إن روسيا دانت الهجوم. والتقى عمرو التجريبي زيد في دمشق.", encoding="utf-8")
    out = tmp_path / "out"
    result = runner.invoke(app, ["export", str(art), "-o", str(out), "--rules", str(rules)])
    assert result.exit_code == 0, result.output
    uris = {a["uri"] for line in (out / "events.jsonl").read_text(encoding="utf-8").splitlines()
            for a in json.loads(line)["actor"]}
    assert "http://www.wikidata.org/entity/Q999999901" in uris
    assert "http://www.wikidata.org/entity/Q999999903" in uris


def test_bad_results_file_is_exit_2(tmp_path: Path) -> None:
    bad = tmp_path / "bad.json"
    bad.write_text('{"rows": []}', encoding="utf-8")
    result = runner.invoke(app, ["rules", "import", str(bad), "-o", str(tmp_path / "x.yaml"), "--type", "person"])
    assert result.exit_code == 2 and "not SPARQL 1.1 JSON results" in result.output
    assert not (tmp_path / "x.yaml").exists()


DUMP = Path(__file__).parent / "data" / "wikidata-dump-slice.json"


@pytest.mark.parametrize("packed", [False, True])
def test_a_wikidata_dump_slice_imports_with_types_countries_and_sources(tmp_path: Path, packed: bool) -> None:
    source = DUMP
    if packed:
        source = tmp_path / "slice.json.gz"
        source.write_bytes(gzip.compress(DUMP.read_bytes()))
    out = tmp_path / "dump.yaml"
    result = runner.invoke(app, ["rules", "import", str(source), "-o", str(out), "--type", "thing"])
    assert result.exit_code == 0, result.output
    data = yaml.safe_load(out.read_text(encoding="utf-8"))["entities"]
    by_qid = {e["qid"]: e for e in data}
    assert set(by_qid) == {"Q999999911", "Q999999912", "Q999999913", "Q999999915"}  # no Arabic label: out
    city = by_qid["Q999999911"]
    assert (city["type"], city["country"], city["aliases"]) == ("city", "syria", ["التجربة الكبرى"])
    assert city["source"] == f"Wikidata dump {source.name}"
    assert by_qid["Q999999912"]["type"] == "person" and by_qid["Q999999913"]["type"] == "organization"
    assert by_qid["Q999999915"]["type"] == "thing" and by_qid["Q999999915"]["country"] == "iraq"
