from __future__ import annotations

from pathlib import Path

import pytest
from typer.testing import CliRunner

from kg.cli import app
from kg.errors import RulesError
from kg.rules import demonym_forms, load_rules

BROKEN = Path(__file__).parent / "rules_broken"


def problems() -> list[str]:
    with pytest.raises(RulesError) as info:
        load_rules(BROKEN)
    return info.value.problems


def has(line: str, *words: str) -> bool:
    return any(p.startswith(str(BROKEN / line)) and all(w in p for w in words) for p in problems())


def test_every_problem_is_reported_with_its_line() -> None:
    assert has("a_keys.yaml:8:", "unknown key 'colour'", "allowed:")
    assert has("a_keys.yaml:9:", "Bad Id")
    assert has("a_keys.yaml:10:", "unknown type 'planet'", "known:")
    assert has("a_keys.yaml:11:", "Q followed by digits")
    assert has("a_keys.yaml:12:", "label needs 'ar'")
    assert has("a_keys.yaml:15:", "unknown prefix 'nope'")
    assert has("a_keys.yaml:19:", "not an IRI")
    assert has("a_keys.yaml:22:", "cameo")
    assert has("b_dupes.yaml:7:", "alias 'روسيا'", "a_keys.yaml:4")
    assert has("c_syntax.yaml:", "YAML syntax error")
    assert has("d_unsafe.yaml:1:", "anchors and aliases are not allowed")
    assert has("e_tag.yaml:1:", "not allowed")


def test_starter_pack_is_valid(rules: object) -> None:
    assert rules is not None


def test_cli_check_exits_2_without_traceback() -> None:
    result = CliRunner().invoke(app, ["rules", "check", str(BROKEN)])
    assert result.exit_code == 2
    assert "Traceback" not in result.output
    assert "a_keys.yaml:8:" in result.output


def test_cli_check_ok_on_starter_pack() -> None:
    result = CliRunner().invoke(app, ["rules", "check"])
    assert result.exit_code == 0, result.output
    assert "ok" in result.output


def test_demonym_forms() -> None:
    assert {"روسي", "روسيه", "الروسي", "الروسيه"} <= set(demonym_forms("روسي"))


def test_a_closed_choice_in_the_rules_is_worded_as_every_other(tmp_path: Path) -> None:
    (tmp_path / "r.yaml").write_text("roles:\n  capitals: towns\n", encoding="utf-8")
    with pytest.raises(RulesError) as info:
        load_rules(tmp_path)
    (problem,) = [p for p in info.value.problems if "capitals" in p]
    assert problem.startswith(f"{tmp_path / 'r.yaml'}:2:") and "unknown roles.capitals 'towns' (known: " in problem
