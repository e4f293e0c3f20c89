"""Evaluate a UDPipe model from raw text on the held-out news sentences of Arabic PUD.

    python bench/parser_eval.py MODEL.udpipe ../shared/data/ud/ar_pud-ud-test.conllu [--normalize [MODE]]

The held-out test set is every sentence whose id starts with n02, n03, n04 or n05 (the shipped model
never saw them). The raw text is rebuilt from the gold tokens (``SpaceAfter=No``), segmented,
tokenised, tagged and parsed by the model, and scored by UDPipe's own evaluator: CoNLL 2017 F1 on
words aligned by characters.

``--normalize`` normalises the raw text before UDPipe sees it, while keeping the gold annotation
(lemmas, tags, trees) untouched; only the gold word forms are normalised the same way, so that the
character alignment of system and gold words stays exact. Modes:

- ``marks`` (default): drop harakat, tanween, superscript alef, Quranic marks, tatweel and
  invisible direction/zero-width characters;
- ``alef``: ``marks``, and the hamza/madda/wasla alef forms (أ إ آ ٱ) written as bare alef ا;
- ``kg``: kg's full matching normalisation (``kg.normalize.normalize``: also ى→ي, ة→ه, ؤ/ئ→ء,
  digits, lower case).
"""

from __future__ import annotations

import argparse
import re
import sys
from collections.abc import Callable
from pathlib import Path

import ufal.udpipe as udpipe

from kg.normalize import normalize as kg_normalize

TEST_PREFIXES = ("n02", "n03", "n04", "n05")

_MARKS = re.compile(
    "[\u0610-\u061a\u064b-\u065f\u0670\u06d6-\u06ed\u0640\u200b-\u200f\u202a-\u202e\u2066-\u2069\ufeff]"
)
_ALEF = str.maketrans({"أ": "ا", "إ": "ا", "آ": "ا", "ٱ": "ا"})


def _marks(form: str) -> str:
    return _MARKS.sub("", form)


def _alef(form: str) -> str:
    return _marks(form).translate(_ALEF)


NORMALIZERS: dict[str, Callable[[str], str]] = {"marks": _marks, "alef": _alef, "kg": kg_normalize}

# (report label, regex on UDPipe's evaluation report)
METRICS: tuple[tuple[str, str], ...] = (
    ("sentences", r"Tokenizer sentences .*?f1: ([\d.]+)%"),
    ("words", r"Tokenizer words .*?f1: ([\d.]+)%"),
    ("UPOS", r"upostag: ([\d.]+)%"),
    ("XPOS", r"xpostag: ([\d.]+)%"),
    ("feats", r"feats: ([\d.]+)%"),
    ("lemmas", r"lemmas: ([\d.]+)%"),
    ("UAS", r"UAS: ([\d.]+)%"),
    ("LAS", r"LAS: ([\d.]+)%"),
)


def held_out(conllu: str) -> list[str]:
    """The CoNLL-U blocks of the test sentences."""
    blocks = [b for b in conllu.strip().split("\n\n") if b.strip()]
    out = []
    for block in blocks:
        ids = [line.split("=", 1)[1].strip() for line in block.split("\n") if line.startswith("# sent_id")]
        if ids and ids[0].startswith(TEST_PREFIXES):
            out.append(block)
    return out


def normalize_block(block: str, norm: Callable[[str], str]) -> str:
    """Normalise the FORM column (and the ``# text`` comment); keep every other column as it is."""
    lines = []
    for line in block.split("\n"):
        if line.startswith("# text ="):
            line = "# text = " + " ".join(w for w in (norm(t) or t for t in line[8:].split()))
        elif line and not line.startswith("#"):
            cols = line.split("\t")
            cols[1] = norm(cols[1]) or cols[1]
            line = "\t".join(cols)
        lines.append(line)
    return "\n".join(lines)


def evaluate(model_path: Path, gold: str) -> dict[str, float]:
    """UDPipe's evaluator from raw text; returns the metrics in percent."""
    model = udpipe.Model.load(str(model_path))
    if model is None:
        raise SystemExit(f"cannot load model {model_path}")
    err = udpipe.ProcessingError()
    evaluator = udpipe.Evaluator(model, udpipe.Pipeline.DEFAULT, udpipe.Pipeline.DEFAULT, udpipe.Pipeline.DEFAULT)
    report = evaluator.evaluate(gold, err)
    if err.occurred():
        raise SystemExit(err.message)
    scores = {}
    for name, pattern in METRICS:
        found = re.search(pattern, report)
        if found is None:
            raise SystemExit(f"no {name} in UDPipe's report:\n{report}")
        scores[name] = float(found.group(1))
    return scores


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("model", type=Path, help="UDPipe 1 model file")
    ap.add_argument("treebank", type=Path, help="CoNLL-U file holding the n02-n05 sentences")
    ap.add_argument(
        "--normalize",
        nargs="?",
        const="marks",
        choices=sorted(NORMALIZERS),
        default=None,
        help="normalise the raw text first (default mode: marks)",
    )
    args = ap.parse_args(argv)

    blocks = held_out(args.treebank.read_text(encoding="utf-8"))
    if not blocks:
        raise SystemExit(f"no n02-n05 sentences in {args.treebank}")
    if args.normalize:
        blocks = [normalize_block(b, NORMALIZERS[args.normalize]) for b in blocks]
    words = sum(1 for b in blocks for line in b.split("\n") if line[:1].isdigit() and "-" not in line.split("\t")[0])
    scores = evaluate(args.model, "\n\n".join(blocks) + "\n\n")

    print(
        f"{args.model.name}: {len(blocks)} held-out sentences, {words} gold words, "
        f"normalisation: {args.normalize or 'none'} (CoNLL 2017 F1, from raw text)\n"
    )
    print("| " + " | ".join(name for name, _ in METRICS) + " |")
    print("|" + "---:|" * len(METRICS))
    print("| " + " | ".join(f"{scores[name]:.2f}" for name, _ in METRICS) + " |")
    return 0


if __name__ == "__main__":
    sys.exit(main())
