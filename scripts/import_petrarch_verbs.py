"""Turn UniversalPetrarch's Arabic verb dictionary into kg action rules.

Run by a developer, not at run time:

    python scripts/import_petrarch_verbs.py CAMEO.ar.0.5.txt -o mappings/cameo-verbs.yaml \
        [--pud ar_pud-ud-test.conllu] [--hand mappings/actions.yaml]

The dictionary (openeventdata/UniversalPetrarch, branch `arabic`, MIT licence, notice in
`licenses/LICENSE-petrarch.txt`) was made by translating and lemmatising English dictionaries, so
it is imported by rule, and every drop is counted and printed:

- a member verb keeps its own `[code]`; the block's code goes only to the block's heading verb
  (blocks merge translated synonyms: هاجم "attack" sits uncoded in `--- قاوم [124] ---`
  "resist"), so other uncoded members get codes only from their patterns; and a member's code
  gives a plain action only where it is in the CAMEO root of its block's heading (وقف "cut"
  `[0871]` in an uncoded block, اعتبر "view" `[1121]`: codes of an English sense the
  translation lost);
- a stem must be one word of Arabic letters, at least 3 letters once normalised, and not start
  with ي (kg reads such a stem as a present one);
- a stem the hand lexicon lists, or any of whose derived forms the hand lexicon already reads,
  is left to the hand lexicon (its codes were checked by hand);
- a stem whose base codes fall in two CAMEO roots (اطلق: release, fire, launch) is ambiguous and
  gets no plain action, only its object refinements;
- a stem the PUD treebank (sentences outside n02-n05, which are held out) tags mostly as a
  particle, pronoun or conjunction is dropped; one it tags mostly as a noun or adjective, and
  every three-letter stem (its bare form spells the verbal noun: قتل "killing"), is
  `homograph: true`; so is one of whose inflected forms PUD has at least three times, mostly
  not as a verb, bare or after a glued و/ف (عدى: عدة "several"; وعد: و+عدة);
- a pattern refines the code only where its object is one plain word (`- * (على قافلة) [190]`:
  قافلة); synsets (&X), phrases ({…}), longer patterns and a preposition alone (`- * (على)`:
  kg's `requires` looks eight words ahead, where some على nearly always is) are dropped;
  a refinement that gives the plain action's own code is redundant and dropped, and so is one
  whose word is in more than ten of the PUD sentences used (يوم, حكومة: anywhere in a clause);

Only refinements (verb + object word -> code) are imported by default: the verb-level codes,
even after the block-root rule, are mostly those of a sense the translation lost (طلق "fire"
-> 085 ease sanctions, تراجع "withdraw" -> 195 air strike, انتقل "move" -> 061); `--plain`
imports them too, for inspection.

Present stems come from the form of the verb (see `present_stem`); Form I (and Form II written
without its shadda, which looks the same) has a vowel the spelling does not show, so only its
past stem is imported, which kg's derivation uses for every past form.
"""

from __future__ import annotations

import argparse
import hashlib
import re
import sys
from collections import Counter, defaultdict
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from kg.codes import plover  # noqa: E402
from kg.extract.actions import VerbLexicon, _past_forms  # noqa: E402
from kg.normalize import normalize  # noqa: E402
from kg.rules import load_rules  # noqa: E402

HEADING_RE = re.compile(r"^---\s*(.+?)\s*\[([0-9]+|---)\]\s*---\s*$")
PATTERN_RE = re.compile(r"^-\s*(.*?)\s*\[([0-9]+|---)\]\s*(?:#\s*(.*))?$")
MEMBER_RE = re.compile(r"^(.+?)\s*(?:\[([0-9]+|---)\])?\s*(?:#\s*(.*))?$")
HARAKAT_RE = re.compile("[\u064b-\u0652\u0670\u0640]")
ARABIC_WORD_RE = re.compile("^[\u0621-\u064a]+$")
PREPOSITIONS = frozenset(normalize(p) for p in (
    "في", "على", "من", "إلى", "الى", "ل", "ب", "عن", "مع", "ضد", "نحو", "حول", "خلال", "أثناء", "بعد", "قبل",
    "تحت", "فوق", "عند", "لدى", "بين", "أمام", "خلف", "جانب", "بواسطة", "ك",
))
CLOSED_CLASS = frozenset({"ADP", "PRON", "CCONJ", "SCONJ", "PART", "DET", "AUX", "NUM", "ADV", "INTJ"})
NOMINAL = frozenset({"NOUN", "ADJ", "PROPN", "X"})
HELD_OUT = re.compile(r"^n0[2-5]")
GENERIC_SENTENCES = 10  # of the ~750 PUD sentences used


@dataclass
class Member:
    text: str
    code: str | None
    gloss: str
    line: int


@dataclass
class Pattern:
    text: str
    code: str | None
    verbs: list[str] | None  # the member verbs the pattern is for; None: all
    line: int


@dataclass
class Block:
    lemma: str
    code: str | None
    line: int
    members: list[Member] = field(default_factory=list)
    patterns: list[Pattern] = field(default_factory=list)


@dataclass(frozen=True)
class Entry:
    stem: str  # without harakat, as the dictionary spells it
    code: str
    requires: tuple[str, ...]
    gloss: str
    line: int


def _code(raw: str | None) -> str | None:
    return raw if raw and raw != "---" else None


def parse(lines: Iterable[str]) -> list[Block]:
    """The verb blocks of a PETRARCH verb dictionary, after its synonym sets."""
    blocks: list[Block] = []
    in_verbs = False
    for n, raw in enumerate(lines, 1):
        line = raw.strip()
        if "VERB PATTERNS" in line:
            in_verbs = True
        if not in_verbs or not line or line.startswith("#"):
            continue
        if m := HEADING_RE.match(line):
            blocks.append(Block(m.group(1), _code(m.group(2)), n))
        elif blocks and (m := PATTERN_RE.match(line)):
            verbs = [v.strip() for v in m.group(3).split(",")] if m.group(3) else None
            blocks[-1].patterns.append(Pattern(m.group(1), _code(m.group(2)), verbs, n))
        elif blocks and not line.startswith("-") and (m := MEMBER_RE.match(line)):
            gloss = (m.group(3) or "").split(",")[0].strip()
            blocks[-1].members.append(Member(m.group(1).strip(), _code(m.group(2)), gloss, n))
    return blocks


def bare(word: str) -> str:
    return HARAKAT_RE.sub("", word).strip()


def split_member(text: str) -> tuple[str, tuple[str, ...]] | None:
    """`أطلق+نار+على` -> (أطلق, (نار,)): the verb and the words it needs (nouns, else prepositions).
    None where the verb is not one word."""
    parts = [bare(p) for p in text.split("+")]
    if any(not p or " " in p or "_" in p for p in parts):
        return None
    extra = parts[1:]
    nouns = tuple(p for p in extra if normalize(p) not in PREPOSITIONS)
    return parts[0], nouns or tuple(extra)


def pattern_words(text: str) -> tuple[str, ...] | None:
    """The word a pattern needs after its verb, or None where it is not one plain word."""
    if re.search(r"[&{}$%^+|]", text):
        return None
    tokens = [bare(t) for t in re.sub(r"[()*\-]", " ", text).split()]
    tokens = [t for t in tokens if t]
    content = [t for t in tokens if normalize(t) not in PREPOSITIONS]
    if len(content) == 1 and len(normalize(content[0])) >= 3 and ARABIC_WORD_RE.match(content[0]):
        return (content[0],)
    return None


def entries(blocks: list[Block], stats: Counter[str], generic: Callable[[str], bool]) -> Iterator[Entry]:
    """Every (stem, code, requires) the blocks state: members and the patterns refining them."""
    for block in blocks:
        stems: dict[str, Member] = {}
        for mem in block.members:
            split = split_member(mem.text)
            if split is None:
                stats["member dropped: not one word"] += 1
                continue
            stem, needs = split
            stems.setdefault(normalize(stem), mem)
            code = mem.code or (block.code if normalize(stem) == normalize(bare(block.lemma)) else None)
            if code is None:
                stats["member without a code of its own (not its block's heading verb)"] += 1
            elif not needs and (block.code is None or code[:2] != block.code[:2]):
                stats["member code dropped: not in its block's CAMEO root"] += 1
            elif needs and all(normalize(w) in PREPOSITIONS for w in needs):
                stats["member dropped: needs a preposition alone (too loose for requires)"] += 1
            else:
                yield Entry(stem, code, needs, mem.gloss, mem.line)
        yield from _refinements(block, stems, stats, generic)


def _refinements(
    block: Block, stems: dict[str, Member], stats: Counter[str], generic: Callable[[str], bool]
) -> Iterator[Entry]:
    for pat in block.patterns:
        words = pattern_words(pat.text)
        if words and generic(words[0]):
            stats["pattern dropped: its word is too common to mark the object (PUD)"] += 1
            continue
        if pat.code is None or words is None:
            stats["pattern dropped: synset, phrase, a preposition alone or more than one word"] += 1
            continue
        wanted = None if pat.verbs is None else {normalize(bare(v.split("+")[0])) for v in pat.verbs}
        hit = False
        for norm, mem in stems.items():
            split = split_member(mem.text)
            if split and (wanted is None or norm in wanted):
                hit = True
                yield Entry(split[0], pat.code, words, mem.gloss, pat.line)
        stats["pattern kept" if hit else "pattern dropped: names no member verb"] += 1


FORM_RULES: tuple[tuple[str, int], ...] = (
    # (regex on the normalised past stem, letters to drop before the present prefix ي)
    (r"^است...$", 1),  # X استفعل -> يستفعل
    (r"^ان...$", 1),  # VII انفعل -> ينفعل
    (r"^ا.ت..$", 1),  # VIII افتعل -> يفتعل
    (r"^ت.ا..$", 0),  # VI تفاعل -> يتفاعل
    (r"^ت...$", 0),  # V تفعّل -> يتفعّل
    (r"^.ا..$", 0),  # III فاعل -> يفاعل
    (r"^ا...$", 1),  # IV أفعل -> يفعل
)


def present_stem(past: str) -> str | None:
    """The 3rd masc. sg. present of a past stem by its form: تظاهر -> يتظاهر, اعتصم -> يعتصم,
    أطلق -> يطلق, فجّر (with its shadda) -> يفجّر; None for Form I, whose vowel is not written,
    and for hollow Forms IV and X (أقام -> يقيم), whose middle letter changes."""
    word = bare(past) if "\u0651" not in past else past.replace("\u064e", "")
    norm = normalize(word)
    if len(word) == 4 and word[1] != "ا" and "\u0651" in word[2:3]:
        return "ي" + word  # II فعّل -> يفعّل
    if re.match(r"^ا.ا.$|^است.ا.$", norm):
        return None
    for regex, drop in FORM_RULES:
        if re.match(regex, norm):
            stem = word[drop:]
            if drop and stem.endswith("ى"):
                stem = stem[:-1] + "ي"  # أعطى -> يعطي, اعتدى -> يعتدي
            return "ي" + stem
    return None


@dataclass
class Pud:
    """UPOS counts of normalised word forms in the PUD treebank, held-out sentences skipped."""

    counts: dict[str, Counter[str]] = field(default_factory=lambda: defaultdict(Counter))
    sentences: Counter[str] = field(default_factory=Counter)  # normalised form -> sentences with it

    @classmethod
    def read(cls, path: Path | None) -> Pud:
        pud = cls()
        if path is None:
            return pud
        skip, seen = False, set[str]()
        for line in path.read_text(encoding="utf-8").splitlines():
            if line.startswith("# sent_id"):
                skip = bool(HELD_OUT.match(line.split("=", 1)[1].strip()))
                pud.sentences.update(seen)
                seen = set()
            elif line and not line.startswith("#") and not skip:
                cols = line.split("\t")
                if len(cols) > 3 and cols[0].isdigit():
                    pud.counts[normalize(cols[1])][cols[3]] += 1
                    seen.add(normalize(cols[1]))
        pud.sentences.update(seen)
        return pud

    def generic(self, word: str, most: int = GENERIC_SENTENCES) -> bool:
        """A word in more than `most` PUD sentences (يوم, جانب) is anywhere, so it marks no object."""
        return self.sentences[normalize(word)] > most

    def common_non_verb(self, norm: str, at_least: int = 3) -> bool:
        c = self.counts.get(norm)
        return c is not None and sum(c.values()) >= at_least and self.majority(norm) not in ("VERB", None)

    def majority(self, norm: str) -> str | None:
        c = self.counts.get(norm)
        if not c:
            return None
        tag, n = c.most_common(1)[0]
        return tag if n * 2 > sum(c.values()) else None


class Importer:
    def __init__(self, hand_verbs: set[str], hand: VerbLexicon, pud: Pud, plain: bool = False) -> None:
        self.hand_verbs, self.hand, self.pud, self.plain = hand_verbs, hand, pud, plain
        self.stats: Counter[str] = Counter()

    def stem_problem(self, stem: str) -> str | None:
        norm = normalize(stem)
        if not ARABIC_WORD_RE.match(stem):
            return "stem dropped: not Arabic letters"
        if len(norm) < 3:
            return "stem dropped: fewer than 3 letters"
        if norm.startswith("ي"):
            return "stem dropped: starts with ي (kg reads it as a present stem)"
        if norm in self.hand_verbs:
            return "stem dropped: the hand lexicon lists it"
        if any(self.hand.get(d.form) for d in _past_forms(norm)):
            return "stem dropped: a form of it is a hand-lexicon form"
        if self.pud.majority(norm) in CLOSED_CLASS:
            return "stem dropped: PUD tags it mostly as a particle, pronoun or adverb"
        forms = {f for d in _past_forms(norm) if d.form != norm
                 for f in (d.form, d.form[1:] if d.form[0] in "وف" else d.form)}
        if any(self.pud.common_non_verb(f) for f in forms):
            return "stem dropped: an inflected form is a common non-verb in PUD (عدى -> عدة, وعد -> وعدة)"
        return None

    def homograph(self, stem: str) -> bool:
        norm = normalize(stem)
        return len(norm) == 3 or self.pud.majority(norm) in NOMINAL

    def select(self, found: Iterable[Entry]) -> list[Entry]:
        by_stem: dict[str, list[Entry]] = defaultdict(list)
        for e in found:
            by_stem[normalize(e.stem)].append(e)
        kept: list[Entry] = []
        for group in by_stem.values():
            problem = self.stem_problem(group[0].stem)
            if problem:
                self.stats[problem] += 1
                continue
            kept += self._plain(group) + self._refined(group)
        return kept

    def _plain(self, group: list[Entry]) -> list[Entry]:
        plain = [e for e in group if not e.requires]
        if not plain:
            return []
        if not self.plain:
            self.stats["plain action left out (verb-level codes are unreliable; --plain keeps them)"] += 1
            return []
        codes = Counter(e.code for e in plain)
        if len({c[:2] for c in codes}) > 1:
            self.stats["plain action dropped: codes in two CAMEO roots"] += 1
            return []
        self.stats["plain action kept"] += 1
        code = codes.most_common(1)[0][0] if len(codes) == 1 else _common_prefix(codes)
        first = min(plain, key=lambda e: e.line)
        return [Entry(first.stem, code, (), first.gloss, first.line)]

    def _refined(self, group: list[Entry]) -> list[Entry]:
        plain_codes = {e.code for e in group if not e.requires}
        by_word: dict[str, set[str]] = defaultdict(set)
        first: dict[tuple[str, str], Entry] = {}
        for e in group:
            for w in e.requires:
                by_word[normalize(w)].add(e.code)
                first.setdefault((normalize(w), e.code), e)
        out: dict[str, list[Entry]] = defaultdict(list)
        for w, codes in by_word.items():
            if len({c[:2] for c in codes}) > 1:
                self.stats["refinement dropped: one object, two CAMEO roots"] += 1
                continue
            code = min(codes)
            if code in plain_codes:
                self.stats["refinement dropped: same code as the plain action"] += 1
                continue
            out[code].append(first[(w, code)])
        refined = []
        for code, es in sorted(out.items()):
            self.stats["refined action kept"] += 1
            words = tuple(sorted({r for e in es for r in e.requires}))
            refined.append(Entry(es[0].stem, code, words, es[0].gloss, min(e.line for e in es)))
        return refined


def _common_prefix(codes: Iterable[str]) -> str:
    cs = sorted(codes)
    n = 0
    while n < min(len(c) for c in cs) and len({c[n] for c in cs}) == 1:
        n += 1
    return cs[0][:max(n, 2)]


def action_yaml(e: Entry, homograph: bool) -> str:
    present = present_stem(e.stem)
    verbs = [bare(e.stem)] + ([bare(present)] if present else [])
    key = hashlib.sha1(f"{normalize(e.stem)}|{e.code}|{'|'.join(e.requires)}".encode()).hexdigest()[:8]
    gloss = re.sub(r"[^A-Za-z ]", "", e.gloss).strip() or "act"
    fields = [
        f"id: petrarch-{e.code}-{key}",
        f"class: kgo:Cameo{e.code}",
        f"label: {{ar: {bare(e.stem)}, en: {gloss}}}",
        f'cameo: "{e.code}"',
        f"verbs: [{', '.join(verbs)}]",
    ]
    if homograph:
        fields.append("homograph: true")
    if e.requires:
        fields.append(f"requires: [{', '.join(e.requires)}]")
    return f"  - {{{', '.join(fields)}}}  # {plover(e.code) or 'statement'}; CAMEO.ar.0.5.txt:{e.line}"


HEADER = """\
# GENERATED by scripts/import_petrarch_verbs.py -- do not edit by hand; edit the script and rerun:
#   python scripts/import_petrarch_verbs.py CAMEO.ar.0.5.txt -o mappings/cameo-verbs.yaml \\
#       --pud ar_pud-ud-test.conllu --hand mappings/actions.yaml
# Source: UniversalPetrarch's Arabic verb dictionary CAMEO.ar.0.5.txt (openeventdata/UniversalPetrarch,
# branch arabic, commit a0af422), MIT licence, Copyright (c) 2016 Open Event Data Alliance: the notice
# is in licenses/LICENSE-petrarch.txt. Imported by rule (see the script); the hand lexicon
# (actions.yaml) wins where both list a verb. Trailing comments: PLOVER category and source line.
"""


def convert(source: Path, hand_rules: Path, pud_path: Path | None, plain: bool = False) -> tuple[str, Counter[str]]:
    hand_actions = load_rules(hand_rules).actions
    hand_verbs = {v for a in hand_actions for v in a.verbs}
    imp = Importer(hand_verbs, VerbLexicon(hand_actions), Pud.read(pud_path), plain)
    blocks = parse(source.read_text(encoding="utf-8").splitlines())
    imp.stats["verb blocks"] = len(blocks)
    imp.stats["patterns"] = sum(len(b.patterns) for b in blocks)
    kept = imp.select(entries(blocks, imp.stats, imp.pud.generic))
    lines = [action_yaml(e, imp.homograph(e.stem)) for e in sorted(kept, key=lambda e: (e.line, e.code))]
    imp.stats["actions written"] = len(lines)
    imp.stats["of them homograph"] = sum("homograph: true" in line for line in lines)
    imp.stats["of them with a present stem"] = sum(present_stem(e.stem) is not None for e in kept)
    return HEADER + "actions:\n" + "\n".join(lines) + "\n", imp.stats


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("source", type=Path, help="CAMEO.ar.0.5.txt")
    ap.add_argument("-o", "--output", type=Path, required=True)
    ap.add_argument("--hand", type=Path, default=ROOT / "mappings" / "actions.yaml")
    ap.add_argument("--pud", type=Path, help="PUD treebank .conllu for the homograph test")
    ap.add_argument("--plain", action="store_true", help="also import verbs without an object (noisy codes)")
    args = ap.parse_args(argv)
    text, stats = convert(args.source, args.hand, args.pud, args.plain)
    args.output.write_text(text, encoding="utf-8")
    for k, v in stats.items():
        print(f"{v:6d}  {k}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
