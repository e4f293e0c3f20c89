#!/usr/bin/env python3
"""Re-make `sentences.tsv`: a small slice of the Arabic PUD treebank the tests and the benchmark's
--quick run use, so a clone with no ../shared beside it has what they need.

    python tests/data/pud/make_slice.py ../shared/data/ud/ar_pud-ud-test.conllu [--eval-texts ../shared/eval/dev-texts]

The slice is the first COUNT news sentences (ids `n01…`) that are neither held out (`n02`–`n05`,
../shared/data/ud/README.md) nor an evaluation sentence (a file of --eval-texts): tests never run
on what the scores are measured on. One line each: sent_id, a tab, the sentence's `# text`.
Licence: CC BY-SA (LICENSE.txt here, copied from the treebank).
"""

from __future__ import annotations

import argparse
from pathlib import Path

COUNT = 60
HERE = Path(__file__).resolve().parent


def sentences(conllu: Path) -> list[tuple[str, str]]:
    out: list[tuple[str, str]] = []
    sent_id = ""
    for line in conllu.read_text(encoding="utf-8").splitlines():
        if line.startswith("# sent_id = "):
            sent_id = line[len("# sent_id = "):].strip()
        elif line.startswith("# text = ") and sent_id:
            out.append((sent_id, line[len("# text = "):].strip()))
            sent_id = ""
    return out


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("conllu", type=Path)
    ap.add_argument("--eval-texts", type=Path, help="a folder of evaluation sentences (<sent_id>.txt) to leave out")
    ap.add_argument("-o", "--out", type=Path, default=HERE / "sentences.tsv")
    args = ap.parse_args()
    excluded = {p.stem for p in args.eval_texts.glob("*.txt")} if args.eval_texts else set()
    picked = [(i, t) for i, t in sentences(args.conllu) if i.startswith("n01") and i not in excluded][:COUNT]
    args.out.write_text("".join(f"{i}\t{t}\n" for i, t in picked), encoding="utf-8")
    print(f"{args.out}: {len(picked)} sentences")


if __name__ == "__main__":
    main()
