"""The verb lexicon analyses present forms in reverse; it must answer exactly as a full table of
every derived form would."""

from __future__ import annotations

import os
import subprocess
import sys
from dataclasses import replace

from hypothesis import given
from hypothesis import strategies as st

from kg.extract.actions import VerbLexicon, _derive
from kg.rules import Action, Rules


def _full_table(actions: tuple[Action, ...]) -> dict[str, set[tuple[str, bool, str, bool, str]]]:
    """The forward way: every form of every stem."""
    table: dict[str, set[tuple[str, bool, str, bool, str]]] = {}
    for a in actions:
        for stem in a.verbs:
            for d in _derive(stem):
                table.setdefault(d.form, set()).add((a.id, d.obj, d.bare, d.future, d.agreement))
    return table


def _answers(lex: VerbLexicon, form: str) -> set[tuple[str, bool, str, bool, str]]:
    return {(f.action.id, f.object_suffix, f.bare, f.future, f.agreement) for f in lex.get(form)}


def _near_misses(form: str) -> list[str]:
    return [form[1:], form[:-1], "ي" + form, form + "ه", "س" + form, form[:1] + "ت" + form[1:]]


def test_shipped_verbs_answer_as_the_full_table(rules: Rules) -> None:
    table = _full_table(rules.actions)
    lex = VerbLexicon(rules.actions)
    assert len(table) > 50_000
    for form, expected in table.items():
        assert _answers(lex, form) == expected, form
    for form in list(table)[::50]:
        for other in _near_misses(form):
            assert _answers(lex, other) == table.get(other, set()), other


_LETTERS = st.sampled_from(list("يابتنوهلسكمعرحدء"))


@given(st.lists(st.text(_LETTERS, min_size=1, max_size=6), min_size=1, max_size=4))
def test_any_stems_answer_as_the_full_table(rules: Rules, stems: list[str]) -> None:
    """Stems made of the letters the affixes use (defective, geminate, ي-initial, short)."""
    actions = tuple(replace(rules.actions[0], id=f"a{i}", verbs=(s,)) for i, s in enumerate(stems))
    table = _full_table(actions)
    lex = VerbLexicon(actions)
    for form, expected in table.items():
        assert _answers(lex, form) == expected, form
        for other in _near_misses(form):
            assert _answers(lex, other) == table.get(other, set()), other


def test_readings_come_in_a_fixed_order(rules: Rules) -> None:
    """بحثنا is 'we discussed' and 'discussed us': the plain reading first, whatever the hash seed."""
    action = replace(rules.actions[0], id="discuss", verbs=("بحث",))
    forms = VerbLexicon((action,)).get("بحثنا")
    assert [(f.object_suffix, f.bare) for f in forms] == [(False, ""), (True, "past")]
    code = ("from kg.extract.actions import lexicon; from kg.rules import load_rules, default_rules_dir; "
            "lex = lexicon(load_rules(default_rules_dir())); "
            "print([[(f.action.id, f.object_suffix, f.bare, f.agreement) for f in lex.get(w)] "
            "for w in ('بحثنا', 'اتفقنا', 'ستبحثان', 'لنبحث', 'قصفتها')])")
    seen = {subprocess.run([sys.executable, "-c", code], env={**os.environ, "PYTHONHASHSEED": seed}, check=True,
                           capture_output=True, text=True).stdout for seed in ("1", "2", "3")}
    assert len(seen) == 1 and "[]" not in next(iter(seen))
