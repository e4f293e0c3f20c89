"""README's "Use from Python" runs as written: the public API, the shipped model, no network."""

from __future__ import annotations

import doctest
import re
from pathlib import Path

import kg

README = Path(__file__).resolve().parent.parent / "README.md"


def _section() -> str:
    text = README.read_text(encoding="utf-8")
    found = re.search(r"^## Use from Python\n(.*?)^## ", text, re.M | re.S)
    assert found, "README has no 'Use from Python' section"
    return found.group(1)


def test_readme_use_from_python() -> None:
    test = doctest.DocTestParser().get_doctest(_section(), {}, "README:Use from Python", str(README), 0)
    assert test.examples, "the section shows no example"
    runner = doctest.DocTestRunner(optionflags=doctest.ELLIPSIS)
    runner.run(test)
    assert runner.failures == 0


def test_public_api_names() -> None:
    from kg.compiled import load_rules
    from kg.document import analyse
    from kg.run.local import export

    assert (kg.analyse, kg.export, kg.load_rules) == (analyse, export, load_rules)
    assert set(kg.__all__) == {"__version__", "analyse", "export", "load_rules"}
    try:
        kg.nothing_here  # noqa: B018
    except AttributeError as err:
        assert "nothing_here" in str(err)
    else:
        raise AssertionError("an unknown name must raise AttributeError")
