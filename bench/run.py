#!/usr/bin/env python3
"""kg's benchmark: where the time goes, as ratios measured in one run.

    python bench/run.py                  # a few hundred articles, and 10x that for memory
    python bench/run.py --quick          # a tiny corpus: checks the harness, not the speed
    python bench/run.py --write BENCHMARKS.md

The corpus is made from the seed article and the sentences of the PUD treebank in
../shared/data/ud (four sentences an article). Everything is timed in this process except the
peak-memory runs, which each get a fresh process.
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import shutil
import subprocess
import sys
import tempfile
import time
from dataclasses import dataclass, field
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
SHARED = ROOT.parent / "shared"
sys.path.insert(0, str(ROOT))

from kg.batch import Job, run  # noqa: E402
from kg.extract import extract  # noqa: E402
from kg.mapping import map_document  # noqa: E402
from kg.nlp import load, parse, resolve_model  # noqa: E402
from kg.pipeline import write_atomic  # noqa: E402
from kg.rdf import build_triples, serialize  # noqa: E402
from kg.read import read_text_file  # noqa: E402
from kg.rules import default_rules_dir, load_rules  # noqa: E402
from kg.store import load as load_store  # noqa: E402


def make_corpus(folder: Path, articles: int, copies: int = 1) -> int:
    """Write `articles` articles (times `copies`, under other ids) into folder; return tokens."""
    conllu = SHARED / "data" / "ud" / "ar_pud-ud-test.conllu"
    sentences = [line[len("# text = "):].strip() for line in conllu.read_text(encoding="utf-8").splitlines()
                 if line.startswith("# text = ")]
    seed = (ROOT / "seeds" / "000_2fb4171725300b4b.txt").read_text(encoding="utf-8")
    texts = [seed] + [" ".join(sentences[i:i + 4]) for i in range(0, len(sentences), 4)]
    texts = (texts * (1 + articles // len(texts)))[:articles]
    folder.mkdir(parents=True, exist_ok=True)
    for c in range(copies):
        for i, t in enumerate(texts):
            (folder / f"a{c:03d}_{i:05d}.txt").write_text(t, encoding="utf-8")
    return sum(len(t.split()) for t in texts) * copies


@dataclass
class Stages:
    seconds: dict[str, float] = field(default_factory=lambda: dict.fromkeys(
        ("read", "parse", "extract", "map", "rdf build", "serialise", "write"), 0.0))
    triples: int = 0


def staged(corpus: Path, out: Path, model: Path) -> Stages:
    """Each article through each stage, timed stage by stage."""
    rules = load_rules(default_rules_dir())
    load(model)
    st = Stages()
    out.mkdir(parents=True, exist_ok=True)
    for f in sorted(corpus.glob("*.txt")):
        t0 = time.perf_counter()
        article = read_text_file(f)
        t1 = time.perf_counter()
        parsed = parse(article.text, model)
        t2 = time.perf_counter()
        extraction = extract(parsed, rules)
        t3 = time.perf_counter()
        record = map_document(article, extraction, rules)
        t4 = time.perf_counter()
        triples = build_triples(record, rules)
        t5 = time.perf_counter()
        data = serialize(triples, record.iri, "ttl")
        t6 = time.perf_counter()
        write_atomic(out / f"{f.stem}.ttl", data)
        t7 = time.perf_counter()
        for k, (a, b) in zip(st.seconds, ((t0, t1), (t1, t2), (t2, t3), (t3, t4), (t4, t5), (t5, t6), (t6, t7)),
                             strict=True):
            st.seconds[k] += b - a
        st.triples += len(triples)
    return st


def timed_run(corpus: Path, out: Path, model: Path, workers: int) -> tuple[float, dict[str, int]]:
    job = Job(rules_dir=default_rules_dir(), model=model, formats=("ttl",), html=False, max_chars=5_000_000)
    t = time.perf_counter()
    report = run([corpus], out, job, workers=workers)
    seconds = time.perf_counter() - t
    return seconds, {"exported": len(report.exported), "skipped": len(report.skipped), "failed": len(report.failed)}


def peak_memory_mb(corpus: Path, out: Path) -> float:
    """Peak RSS of a fresh `kg export -w 1` process over the corpus."""
    code = ("import resource, sys; from kg.cli import app\n"
            "try:\n app(['export', sys.argv[1], '-o', sys.argv[2], '-w', '1'])\n"
            "except SystemExit: pass\n"
            "print(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss)")
    r = subprocess.run([sys.executable, "-c", code, str(corpus), str(out)], capture_output=True, text=True,
                       check=True, cwd=ROOT)
    return int(r.stdout.strip().splitlines()[-1]) / 1024


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--articles", type=int, default=250)
    ap.add_argument("--scale", type=int, default=10, help="the larger corpus, for peak memory")
    ap.add_argument("--quick", action="store_true", help="5 articles, scale 2")
    ap.add_argument("--write", type=Path, help="also write the results as Markdown to this file")
    args = ap.parse_args()
    if args.quick:
        args.articles, args.scale = 5, 2
    model = resolve_model()
    tmp = Path(tempfile.mkdtemp(prefix="kg-bench-"))
    try:
        corpus = tmp / "corpus"
        tokens = make_corpus(corpus, args.articles)
        st = staged(corpus, tmp / "staged", model)

        parse_s = st.seconds["parse"]
        e2e_1, rep1 = timed_run(corpus, tmp / "out1", model, workers=1)
        rerun, rep_re = timed_run(corpus, tmp / "out1", model, workers=1)
        big = tmp / "big"
        make_corpus(big, args.articles, copies=args.scale)
        # workers are compared on the larger corpus, where starting them weighs less
        big_1, _ = timed_run(big, tmp / "big1", model, workers=1)
        e2e_2, rep2 = timed_run(big, tmp / "out2", model, workers=2)
        t = time.perf_counter()
        loaded = load_store([tmp / "out1"], tmp / "store", bulk=True)
        load_s = time.perf_counter() - t
        t = time.perf_counter()
        loaded_tx = load_store([tmp / "out1"], tmp / "store-tx")
        load_tx_s = time.perf_counter() - t
        mem_small = peak_memory_mb(corpus, tmp / "mem-small")
        mem_big = peak_memory_mb(big, tmp / "mem-big")
        rdf_share = (st.seconds["rdf build"] + st.seconds["serialise"] + st.seconds["write"]) / e2e_1
        results = {
            "articles": args.articles, "tokens": tokens,
            "stage seconds": {k: round(v, 3) for k, v in st.seconds.items()},
            "end-to-end seconds (kg export, 1 worker)": round(e2e_1, 2),
            "parse-only seconds": round(parse_s, 2),
            "articles/s (1 worker)": round(args.articles / e2e_1, 1),
            "tokens/s (1 worker)": round(tokens / e2e_1),
            "end-to-end / parse-only": round(e2e_1 / parse_s, 3),
            "RDF build+serialise+write share of end-to-end": round(rdf_share, 4),
            "triples written/s (build+serialise)": round(st.triples / (st.seconds["rdf build"]
                                                                       + st.seconds["serialise"])),
            "triples loaded/s (embedded store, kg load --bulk)": round(loaded.triples / load_s),
            "triples loaded/s (embedded store, a transaction per document)": round(loaded_tx.triples / load_tx_s),
            f"workers 2 speed-up over 1 ({args.articles * args.scale} articles)": round(big_1 / e2e_2, 2),
            "rerun (nothing changed) speed-up": round(e2e_1 / rerun, 1),
            "rerun report": rep_re, "first run report": rep1, "2-worker run report": rep2,
            f"peak RSS MB ({args.articles} articles)": round(mem_small),
            f"peak RSS MB ({args.articles * args.scale} articles)": round(mem_big),
            "peak memory growth for 10x corpus": round(mem_big / mem_small, 3),
        }
        targets = [
            ("end-to-end ≤ 1.15× parse-only", results["end-to-end / parse-only"], e2e_1 / parse_s <= 1.15),
            ("RDF building and writing ≤ 5% of total", f"{rdf_share:.1%}", rdf_share <= 0.05),
            ("loading ≥ 100k triples/s (--bulk)", results["triples loaded/s (embedded store, kg load --bulk)"],
             loaded.triples / load_s >= 1e5),
            ("--workers 2 ≥ 1.7× one worker", round(big_1 / e2e_2, 2), big_1 / e2e_2 >= 1.7),
            ("peak memory flat for 10× corpus (≤ 1.1×)", results["peak memory growth for 10x corpus"],
             mem_big / mem_small <= 1.1),
            ("rerun over unchanged input ≥ 10× faster", results["rerun (nothing changed) speed-up"],
             e2e_1 / rerun >= 10),
        ]
        print(json.dumps(results, ensure_ascii=False, indent=1))
        lines = ["| target | measured | met |", "|---|---|---|"]
        lines += [f"| {name} | {value} | {'yes' if ok else 'NO'} |" for name, value, ok in targets]
        print("\n".join(lines))
        if args.write:
            cmd = "python bench/run.py" + (" --quick" if args.quick else "") + f" --write {args.write}"
            doc = [
                "# Benchmarks", "",
                f"Measured by `{cmd}` on {platform.machine()}, {os.cpu_count()} cores, Python "
                f"{platform.python_version()}, model `{model.name}`, one run (ratios are from that run).", "",
                *lines, "", "```json", json.dumps(results, ensure_ascii=False, indent=1), "```", "",
            ]
            args.write.write_text("\n".join(doc), encoding="utf-8")
    finally:
        shutil.rmtree(tmp, ignore_errors=True)


if __name__ == "__main__":
    main()
