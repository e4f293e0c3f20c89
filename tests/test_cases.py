"""Golden cases: tests/cases/<name>/article.txt exported and compared with expected.ttl as graphs
(isomorphism, so formatting may change but no statement may). After a deliberate change,
regenerate with `python tests/test_cases.py --update` and review the diff before committing."""

from __future__ import annotations

import sys
from pathlib import Path

import pytest
from rdflib import Graph
from rdflib.compare import graph_diff, isomorphic, to_isomorphic

CASES = Path(__file__).parent / "cases"
NAMES = sorted(p.name for p in CASES.iterdir() if (p / "article.txt").is_file())


def export(case: Path) -> Graph:
    from kg.document import process
    from kg.nlp import parse, resolve_model
    from kg.read import read_text_file
    from kg.rules import default_rules_dir, load_rules

    rules = load_rules(default_rules_dir())
    article = read_text_file(case / "article.txt")
    done = process(article, parse(article.text, resolve_model()), rules, formats=("ttl",))
    return Graph().parse(data=done.files["ttl"], format="turtle")


@pytest.mark.parametrize("name", NAMES)
def test_golden_case(name: str) -> None:
    got = export(CASES / name)
    want = Graph().parse(CASES / name / "expected.ttl", format="turtle")
    if not isomorphic(got, want):
        _, only_got, only_want = graph_diff(to_isomorphic(got), to_isomorphic(want))
        lines = [f"+ {t}" for t in sorted(only_got)][:20] + [f"- {t}" for t in sorted(only_want)][:20]
        pytest.fail(f"{name}: output differs from expected.ttl\n" + "\n".join(lines))


def test_there_are_cases() -> None:
    assert len(NAMES) >= 3


if __name__ == "__main__" and "--update" in sys.argv:
    sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
    for name in NAMES:
        (CASES / name / "expected.ttl").write_text(export(CASES / name).serialize(format="turtle"), encoding="utf-8")
        print(f"updated {name}")
