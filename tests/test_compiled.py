"""Compiled rules kept between runs (kg.compiled): served only for the same files, rebuilt when
an entry is missing, corrupt or not the user's own, and the same rules as a fresh compile."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from kg import compiled
from kg.extract.actions import VerbLexicon, lexicon, noun_lexicon
from kg.rules import Rules, _load, rule_files

from .conftest import ROOT


@pytest.fixture()
def folder(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """A copy of the starter pack, and a cache folder of its own."""
    monkeypatch.setenv("KG_CACHE_DIR", str(tmp_path / "cache"))
    shutil.copytree(ROOT / "mappings", tmp_path / "rules")
    return tmp_path / "rules"


def load(folder: Path) -> tuple[Rules, int]:
    """The rules as a run gets them, and how many times they were compiled from the YAML."""
    built = 0

    def build() -> Rules:
        nonlocal built
        built += 1
        return _load(folder, None)

    return compiled.compiled_rules(folder, rule_files(folder), build), built


def entries(folder: Path) -> list[Path]:
    return sorted((folder.parent / "cache" / "rules").glob("*.pickle"))


def forms(rules: Rules) -> dict[str, list[tuple[str, bool, str, bool, str, bool]]]:
    """Every verb form's readings and every event noun, by action id: what extraction sees."""
    verbs = lexicon(rules)
    sample = [*verbs._past, "يبحث", "سيبحثون", "ليتفقوا", "تبحثان", "يؤيدوه"]
    out = {f: [(x.action.id, x.object_suffix, x.bare, x.future, x.agreement, x.passive) for x in verbs.get(f)]
           for f in sample}
    out |= {f"noun {k}": [(a.id, False, "", False, "", False)] for k, a in noun_lexicon(rules).items()}
    return out


def test_the_second_load_is_served_from_the_cache_and_equals_a_fresh_compile(folder: Path) -> None:
    first, built = load(folder)
    assert built == 1 and len(entries(folder)) == 1
    second, built = load(folder)
    assert built == 0 and second is not first  # read back, not this process's object
    assert isinstance(second.derived["verbs"], VerbLexicon) and lexicon(second) is second.derived["verbs"]
    fresh = _load(folder, None)  # no lexicons kept on it: extraction builds them
    assert forms(second) == forms(fresh)
    assert [e.id for e in second.entities] == [e.id for e in fresh.entities]
    assert {k: v.id for k, v in second.aliases.items()} == {k: v.id for k, v in fresh.aliases.items()}
    assert second.aliases[next(iter(second.aliases))] is next(
        e for e in second.entities if e.id == second.aliases[next(iter(second.aliases))].id)  # one object each


def test_an_edited_rule_is_never_served_stale(folder: Path) -> None:
    load(folder)
    actions = folder / "actions.yaml"
    actions.write_text(actions.read_text(encoding="utf-8").replace("verbs: [اتفق, يتفق]", "verbs: [اتفق]"),
                       encoding="utf-8")
    edited, built = load(folder)
    assert built == 1 and len(entries(folder)) == 2
    agree = next(a for a in edited.actions if a.id == "agree")
    assert agree.verbs == ("اتفق",) and not [f for f in lexicon(edited).get("يتفق") if f.action.id == "agree"]


def test_a_corrupt_entry_is_rebuilt_without_a_word(folder: Path) -> None:
    load(folder)
    entry, = entries(folder)
    entry.write_bytes(entry.read_bytes()[: 1000])  # torn
    rules, built = load(folder)
    assert built == 1 and "verbs" in rules.derived
    assert entry.stat().st_size > 1000  # written again, whole
    assert load(folder)[1] == 0


def test_an_entry_others_may_write_is_not_read(folder: Path) -> None:
    load(folder)
    entry, = entries(folder)
    os.chmod(entry, 0o666)
    assert load(folder)[1] == 1
    assert entry.stat().st_mode & 0o077 == 0  # the rebuilt entry is the user's alone


def test_only_the_newest_entries_are_kept(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("KG_CACHE_DIR", str(tmp_path / "cache"))
    folder = tmp_path / "rules"
    folder.mkdir()
    base = folder / "base.yaml"
    shutil.copy(ROOT / "mappings" / "base.yaml", base)
    text = base.read_text(encoding="utf-8")
    for i in range(compiled.KEEP + 2):
        base.write_text(text + f"\n# edit {i}\n", encoding="utf-8")
        load(folder)
    assert len(entries(folder)) == compiled.KEEP


def test_bad_rules_are_reported_and_never_kept(tmp_path: Path) -> None:
    env = dict(os.environ, KG_CACHE_DIR=str(tmp_path / "cache"))
    r = subprocess.run([sys.executable, "-m", "kg", "rules", "check", str(ROOT / "tests" / "rules_broken")],
                       capture_output=True, text=True, env=env, cwd=ROOT)
    assert r.returncode == 2 and ".yaml:" in r.stderr
    assert not list((tmp_path / "cache").rglob("*.pickle"))
