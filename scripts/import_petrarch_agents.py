#!/usr/bin/env python3
"""Generic agents with CAMEO sectors from UniversalPetrarch's Arabic agent dictionaries.

    python scripts/import_petrarch_agents.py ../shared/resources/petrarch-ar/agents.all.ar.txt \
        [--ud ../shared/data/ud/ar_pud-ud-test.conllu] [-o mappings/sectors.yaml]

Reads `KEY [~SECTOR]Arabic phrase` lines (agents.all.ar.txt) and `lemma_joined [~SECTOR]` lines
(agents.all.ar_v3.txt), keeps entries a news text can match (Arabic only, at most three words, no
function words, no verbs or event nouns of the rules), and writes the forms a text uses: with
and without the article, the sound plurals and feminines of participles, nisba adjectives and
فاعل nouns, the ات plural of ة nouns, and broken plurals read from a UD treebank's lemma column
(held-out sentences n02-n05 of PUD are not read). An idafa (قوة أمن) varies its head
(قوات الأمن); an adjective phrase (قوة أمنية) agrees in article and number. Forms the other rule
files already claim are skipped (the hand-written rules win). Prints what was imported and what
was dropped, by reason.
"""

from __future__ import annotations

import argparse
import hashlib
import re
import sys
import tempfile
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path
from shutil import copy

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from kg.extract import arabic  # noqa: E402
from kg.extract.actions import is_event_noun, is_verb_form  # noqa: E402
from kg.normalize import normalize  # noqa: E402
from kg.rules import SECTORS, Rules, load_rules  # noqa: E402

OUT = ROOT / "mappings" / "sectors.yaml"
MAX_WORDS = 3
HELD_OUT = ("n02", "n03", "n04", "n05")  # PUD sentences kept out of anything kg learns from
_DIACRITICS = re.compile("[\u064b-\u0652\u0670\u0640]")
_ARABIC_WORD = re.compile("^[\u0621-\u064a]+$")
_LINE = re.compile(r"^(?P<key>[^\[]*?)\s*(\{[^}]*\})?\s*\[(?P<code>[^\]]*)\](?P<rest>.*)$")
FUNCTION_WORDS = (
    arabic.PREPOSITIONS | arabic.CLAUSE_OPENERS | arabic.NEGATIONS | arabic.PRONOUNS | arabic.QUANTIFIERS
    | arabic.TIME_WORDS | arabic.ADVERBS
    | arabic._set("و أو او أجل اجل غير جانب ضمن لدى الى إلى ذات ذو ال")
)


@dataclass
class Entry:
    key: str  # English key (agents.all.ar.txt) or the lemma (v3)
    sector: str
    phrase: list[str]  # Arabic words as written, diacritics dropped
    where: str
    lemmatised: bool = False  # from agents.all.ar_v3.txt: lemmas joined by _, no article


@dataclass
class Agent:
    id: str
    sector: str
    label_en: str | None
    forms: list[str] = field(default_factory=list)


# --- reading ------------------------------------------------------------------------------


def read_entries(path: Path, drops: Counter[str]) -> list[Entry]:
    out = []
    for n, raw in enumerate(path.read_text(encoding="utf-8").splitlines(), 1):
        line = raw.split("#", 1)[0].strip()
        m = _LINE.match(line)
        if not line or m is None:
            if line:
                drops["unreadable line"] += 1
            continue
        sector = m["code"].replace("~", "").strip()
        key, rest = m["key"].strip(), m["rest"].strip()
        arabic_text = rest if rest else key.replace("_", " ")  # v3: the lemma is the key
        for alt in arabic_text.split("/"):
            words = [_DIACRITICS.sub("", w) for w in alt.replace("_", " ").split()]
            out.append(Entry(key, sector, words, f"{path.name}:{n}", lemmatised=not rest))
    return out


def reject(e: Entry, rules: Rules) -> str | None:
    """Why an entry cannot be a generic agent kg matches, or None."""
    if not e.phrase:
        return "empty"
    if not _valid_sector(e.sector):
        return "unknown sector"
    text = " ".join(e.phrase)
    if re.search(r"[0-9٠-٩]", text):
        return "digits"
    if re.search(r"[A-Za-z]", text):
        return "Latin letters"
    if not all(_ARABIC_WORD.match(w) for w in e.phrase):
        return "not Arabic letters"
    if re.search(r"(^|_)AND(_|$)", e.key):
        return "a coordination (X and Y)"
    if len(e.phrase) > MAX_WORDS:
        return f"more than {MAX_WORDS} words"
    norms = [normalize(w) for w in e.phrase]
    if _bare(norms[0]) in arabic.PLACE_HEADS or norms[0] in arabic.PLACE_HEADS:
        return "a place head (ولاية, منطقة): a place, not a participant"
    if any(w in FUNCTION_WORDS or len(_bare(w)) < 3 for w in norms):
        return "function or short word"
    if any(w.startswith(("لل", "بال", "كال", "وال", "فال")) for w in norms):
        return "a word with a glued preposition or conjunction"
    if len(norms) > 1 and e.lemmatised:
        return "lemmatised phrase (agreement lost; the written one is read)"
    return None


def _action_word(key: tuple[str, ...], rules: Rules) -> bool:
    """A one-word form that spells a verb or an event noun of the rules (طالب 'demanded')."""
    return len(key) == 1 and (is_verb_form(key[0], rules) or is_event_noun(key[0], rules))


def _valid_sector(code: str) -> bool:
    return bool(code) and len(code) % 3 == 0 and all(code[i : i + 3] in SECTORS for i in range(0, len(code), 3))


def _bare(word: str) -> str:
    return word[2:] if word.startswith(("ال", "اﻝ")) and len(word) > 4 else word


def _strip_article(word: str) -> tuple[str, bool]:
    return (word[2:], True) if word.startswith("ال") and len(word) > 4 else (word, False)


# --- forms --------------------------------------------------------------------------------


def broken_plurals(conllu: Path | None) -> dict[str, set[str]]:
    """Singular (as the treebank's lemma, unvocalised) -> plural nouns the treebank spells."""
    table: dict[str, set[str]] = {}
    if conllu is None:
        return table
    use = True
    for line in conllu.read_text(encoding="utf-8").splitlines():
        if line.startswith("# sent_id"):
            use = not line.split("=", 1)[1].strip().startswith(HELD_OUT)
        cols = line.split("\t")
        if not use or len(cols) < 6 or not cols[0].isdigit() or cols[3] != "NOUN" or "Number=Plur" not in cols[5]:
            continue
        form, lemma = _strip_article(_DIACRITICS.sub("", cols[1]))[0], _DIACRITICS.sub("", cols[2])
        if normalize(form).startswith(normalize(lemma)) or (form.startswith("ل") and not lemma.startswith("ل")):
            continue  # a sound plural (derived by rule) or a clitic the treebank left on
        table.setdefault(normalize(lemma), set()).add(form)
    return table


def _agentive(w: str) -> bool:
    """A participle (مسلح, متظاهر), a nisba adjective (عسكري) or a فاعل noun (ناشط)."""
    return (w.startswith("م") and len(w) >= 4) or w.endswith("ي") or (len(w) == 4 and w[1] == "ا")


def singular(w: str) -> str:
    """A sound masculine plural written in the dictionary (مدنيين) back to its singular."""
    if w.endswith(("يين", "يون")) or (w.startswith("م") and len(w) >= 6 and w.endswith(("ين", "ون"))):
        return w[:-2]
    return w


def numbers(w: str, broken: dict[str, set[str]], alone: bool = False) -> list[tuple[str, tuple[str, ...]]]:
    """Numbers and genders of a bare word, each with the endings an adjective after it takes.

    Sound forms by rule, broken plurals from the treebank; a broken plural takes either the
    feminine singular (things, and groups: قوى أمنية) or the masculine plural (people). A word
    `alone` (not a phrase's head) leaves out the forms that mostly modify a noun: the feminine
    singular of participles and nisba adjectives (جماعات مسلحة, المصادر الحكومية) and the
    singular of nisba adjectives (الهجوم الانتحاري); their plurals are people (الانتحاريون)."""
    nisba = w.endswith("ي")
    out: list[tuple[str, tuple[str, ...]]] = [] if alone and nisba else [(w, ("",))]
    out += [(p, ("ة", "ون", "ين")) for p in sorted(broken.get(normalize(w), ()))]
    if w.endswith("ة"):
        out.append((w[:-1] + "ات", ("ة",)))
    elif _agentive(w):
        if not (alone and (nisba or w.startswith("م"))):
            out.append((w + "ة", ("ة",)))
        out += [(w + "ون", ("ون",)), (w + "ين", ("ين",)), (w + "ان", ("ان",)), (w + "ات", ("ات",))]
    return out


def _adjectival(head: str, mod: str) -> bool:
    """A nisba (عسكري), a masculine participle after a masculine noun (طالب محتج), or a feminine
    word after a feminine noun (حركة انفصالية): an adjective, not a genitive noun."""
    if head.endswith("ة"):
        return mod.endswith("ة")
    return mod.endswith("ي") or (mod.startswith("م") and not mod.endswith("ة"))


def _agree(mod: str, ending: str) -> str:
    """An adjective as written (ending "") or with the ending of its noun's number and gender."""
    if not ending:
        return mod
    return (mod[:-1] if mod.endswith("ة") else mod) + ending


def forms(e: Entry, broken: dict[str, set[str]]) -> list[str]:
    words = [_strip_article(w) for w in e.phrase]
    head, head_def = words[0]
    if len(words) == 1:
        head = singular(head)
    heads = numbers(head, broken, alone=len(words) == 1)
    if len(words) == 1:
        bare = [h for h, _ in heads]
        return bare + ["ال" + f for f in bare]
    mods = [w for w, _ in words[1:]]
    defs = [d for _, d in words[1:]]
    if not head_def and all(defs):  # idafa: قوات الأمن
        tail = " ".join("ال" + m for m in mods)
        return [f"{h} {tail}" for h, _ in heads]
    if all(_adjectival(head, m) for m in mods):  # noun and adjectives agree: القوات الأمنية
        out = []
        for h, endings in heads:
            for ending in endings:
                phrase = [h, *(_agree(m, ending) for m in mods)]
                out += [" ".join(phrase), " ".join("ال" + x for x in phrase)]
        return out
    if not head_def and not any(defs):  # indefinite idafa: قوة أمن -> قوة الأمن, قوات أمن
        tails = (" ".join(mods), " ".join("ال" + m for m in mods))
        return [f"{h} {t}" for t in tails for h, _ in heads]
    return [" ".join(e.phrase)]


# --- the whole import ---------------------------------------------------------------------


def _slug(text: str) -> str:
    return re.sub(r"[^a-z0-9]+", "-", text.lower()).strip("-")


def build(entries: list[Entry], rules: Rules, broken: dict[str, set[str]], drops: Counter[str]) -> list[Agent]:
    hand = set(rules.aliases) | {(d,) for d in rules.demonyms}
    claimed: set[tuple[str, ...]] = set()
    titles = {k for k, ent in rules.aliases.items() if ent.title and len(k) == 1}
    agents: dict[tuple[str, str], Agent] = {}
    for e in entries:
        why = reject(e, rules)
        if why:
            drops[why] += 1
            continue
        latin = bool(re.search(r"[A-Za-z]", e.key))
        label_en = re.sub(r"[_!]+", " ", e.key).strip().lower() if latin else None
        name = _slug(label_en) if label_en else "ar-" + hashlib.sha256(normalize(e.key).encode()).hexdigest()[:8]
        if len(e.phrase) > 1 and (normalize(_strip_article(e.phrase[0])[0]),) in titles:
            # وزير الخارجية is the hand-written وزير with its genitive: coreference needs it to be
            # that one office (وزير الخارجية الروسي سيرغي لافروف ... الوزير)
            drops["an office the hand-written titles cover (head + genitive)"] += 1
            continue
        agent = agents.setdefault((name, e.sector), Agent(f"pa-{name}-{e.sector.lower()}", e.sector, label_en))
        keys = [(f, tuple(normalize(f).split())) for f in dict.fromkeys(forms(e, broken))]
        verbs = [k for k in keys if _action_word(k[1], rules)]
        drops["form: spells a verb or event noun of the rules"] += len(verbs)
        keys = [k for k in keys if k not in verbs]
        if not keys or keys[0][1] in hand:
            drops["entry: its word is a hand-written rule's"] += 1
            continue
        fresh = 0
        for f, key in keys:
            if key in hand or key in claimed:
                drops["form: another rule file claims it" if key in hand else "form: an earlier entry has it"] += 1
                continue
            claimed.add(key)
            agent.forms.append(f)
            fresh += 1
        if not fresh:
            drops["entry: every form already claimed"] += 1
    return [a for a in agents.values() if a.forms]


def rules_without_sectors(folder: Path) -> Rules:
    with tempfile.TemporaryDirectory() as tmp:
        for p in folder.glob("*.yaml"):
            if p.name != OUT.name:
                copy(p, tmp)
        return load_rules(Path(tmp))


def render(agents: list[Agent], sources: list[Path], command: str) -> str:
    head = [
        "# GENERATED by scripts/import_petrarch_agents.py: do not edit by hand, rerun it.",
        f"# command: {command}",
        "# source: UniversalPetrarch Arabic agent dictionaries (openeventdata/UniversalPetrarch, branch",
        "#   arabic, commit a0af422): " + ", ".join(p.name for p in sources),
        "#   plural forms: by rule, and broken plurals from the Arabic PUD treebank's lemma column",
        "#   (Universal Dependencies, CC BY-SA 4.0; held-out sentences n02-n05 not read)",
        "# licence: MIT, Copyright (c) 2016 Open Event Data Alliance: licenses/UniversalPetrarch-LICENSE.txt",
        "# sector: CAMEO actor role codes (CAMEO 1.1b3, chapter 3), as the source gives them",
        "agents:",
    ]
    lines = []
    for a in agents:
        label = f"{{ar: {a.forms[0]}" + (f", en: {_quote(a.label_en)}}}" if a.label_en else "}")
        aliases = ", ".join(a.forms[1:])
        lines.append(f"  - {{id: {a.id}, type: group, sector: {a.sector}, label: {label}, aliases: [{aliases}]}}")
    return "\n".join(head + lines) + "\n"


def _quote(text: str) -> str:
    return '"' + text.replace('"', "'") + '"'


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("paths", nargs="+", type=Path)
    ap.add_argument("--ud", type=Path, help="a CoNLL-U treebank with lemmas, for broken plurals")
    ap.add_argument("-o", "--output", type=Path, default=OUT)
    ap.add_argument("--rules", type=Path, default=ROOT / "mappings", help="the other rule files (they win)")
    args = ap.parse_args(argv)
    drops: Counter[str] = Counter()
    entries = [e for p in args.paths for e in read_entries(p, drops)]
    rules = rules_without_sectors(args.rules)
    agents = build(entries, rules, broken_plurals(args.ud), drops)
    command = "python scripts/import_petrarch_agents.py " + " ".join(
        [*(f"../shared/resources/petrarch-ar/{p.name}" for p in args.paths)]
        + ([f"--ud ../shared/data/ud/{args.ud.name}"] if args.ud else [])
    )
    args.output.write_text(render(agents, args.paths, command), encoding="utf-8")
    forms = sum(len(a.forms) for a in agents)
    print(f"read {len(entries)} entries; imported {len(agents)} agents with {forms} forms -> {args.output}")
    for why, n in drops.most_common():
        print(f"  dropped {n:5d}  {why}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
