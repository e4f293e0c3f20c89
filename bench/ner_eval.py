"""Name recall and precision of kg's mentions on a BIO-tagged corpus (ANERcorp: evaluation only).

    python bench/ner_eval.py ../shared/data/ner/ANERCorp.bio [--limit SENTENCES]

The corpus is one token a line (`word TAG`); sentences end at a lone `.`. Each chunk of sentences
is joined with spaces into one text, parsed with kg's model and run through extraction; the
mentions kg keeps as names (rules entities and parser names, not generic nouns) are compared with
the gold PERS, LOC and ORG spans (MISC is left out). A span counts when it overlaps a gold one
(`overlap`) or matches it exactly (`exact`); `typed` also needs the type to agree where kg knows
it (person -> PERS; country, city, place, facility -> LOC; organization -> ORG; a name the parser
found has no type and counts as untyped only).
"""

from __future__ import annotations

import argparse
import sys
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from kg.extract import extract
from kg.nlp import parse, resolve_model
from kg.rules import default_rules_dir, load_rules

TYPES = {"person": "PERS", "country": "LOC", "city": "LOC", "place": "LOC", "facility": "LOC",
         "organization": "ORG"}
CHUNK = 40  # sentences a text


@dataclass(frozen=True)
class Span:
    start: int
    end: int
    type: str


def sentences(path: Path) -> Iterator[list[tuple[str, str]]]:
    sent: list[tuple[str, str]] = []
    for line in path.read_text(encoding="utf-8").splitlines():
        parts = line.rsplit(" ", 1)
        if len(parts) != 2:
            continue
        sent.append((parts[0], parts[1]))
        if parts[0] == ".":
            yield sent
            sent = []
    if sent:
        yield sent


def gold_text(chunk: list[list[tuple[str, str]]]) -> tuple[str, list[Span]]:
    words: list[str] = []
    spans: list[Span] = []
    pos = 0
    current: list[int] | None = None
    kind = ""
    for sent in chunk:
        for word, tag in sent:
            start = pos
            words.append(word)
            pos += len(word) + 1
            if tag.startswith("B-") or (tag.startswith("I-") and current is None):
                if current is not None:
                    spans.append(Span(current[0], current[1], kind))
                current, kind = [start, start + len(word)], tag[2:]
            elif tag.startswith("I-") and current is not None:
                current[1] = start + len(word)
            else:
                if current is not None:
                    spans.append(Span(current[0], current[1], kind))
                current = None
    if current is not None:
        spans.append(Span(current[0], current[1], kind))
    return " ".join(words), [s for s in spans if s.type in ("PERS", "LOC", "ORG")]


def found(text: str, model: Path, rules: object) -> list[Span]:
    ex = extract(parse(text, model), rules)  # type: ignore[arg-type]
    return [Span(m.start, m.end, TYPES.get(m.entity.type if m.entity else "", ""))
            for m in ex.mentions if m.kind in ("entity", "name")]


def _overlap(a: Span, b: Span) -> bool:
    return a.start < b.end and b.start < a.end


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("corpus", type=Path)
    ap.add_argument("--limit", type=int, default=0, help="score only the first N sentences")
    args = ap.parse_args()
    rules = load_rules(default_rules_dir())
    model = resolve_model(None)
    sents = list(sentences(args.corpus))
    if args.limit:
        sents = sents[: args.limit]
    n = {"gold": 0, "sys": 0, "overlap_r": 0, "overlap_p": 0, "exact": 0, "typed": 0, "typed_sys": 0}
    for i in range(0, len(sents), CHUNK):
        text, gold = gold_text(sents[i : i + CHUNK])
        system = found(text, model, rules)
        n["gold"] += len(gold)
        n["sys"] += len(system)
        n["overlap_r"] += sum(any(_overlap(g, s) for s in system) for g in gold)
        n["overlap_p"] += sum(any(_overlap(g, s) for g in gold) for s in system)
        exact = {(g.start, g.end) for g in gold}
        n["exact"] += sum((s.start, s.end) in exact for s in system)
        typed = [s for s in system if s.type]
        n["typed_sys"] += len(typed)
        n["typed"] += sum(any(_overlap(g, s) and g.type == s.type for g in gold) for s in typed)
    r = n["overlap_r"] / max(1, n["gold"])
    p = n["overlap_p"] / max(1, n["sys"])
    print(f"{len(sents)} sentences, {n['gold']} gold names (PERS, LOC, ORG), {n['sys']} found")
    print(f"overlap: recall {r:.3f} precision {p:.3f} F1 {2 * p * r / max(1e-9, p + r):.3f}")
    print(f"exact:   precision {n['exact'] / max(1, n['sys']):.3f} recall {n['exact'] / max(1, n['gold']):.3f}")
    print(f"typed:   precision {n['typed'] / max(1, n['typed_sys']):.3f} over {n['typed_sys']} typed mentions")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
