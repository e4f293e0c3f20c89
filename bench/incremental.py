#!/usr/bin/env python3
"""kg's incremental runs at scale: a full export of many small articles, then 1% of them changed
and the same command run again; the rerun should read only the changed files.

    python bench/incremental.py                          # 100,000 articles, -w 2
    python bench/incremental.py --articles 2000          # a smaller folder: checks the harness
    python bench/incremental.py --write BENCHMARKS.md    # also (re)writes its own section there

Each article is one or two sentences of the PUD treebank (../shared/data/ud, else the slice in
tests/data/pud), no two the same pair. Both runs are fresh `kg export` processes, as a scheduled
job starts them (start-up and the model's load count); each counts the input files it opens
(kg.run.local.read_file, wrapped) into a file beside the output folder.
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import re
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "bench"))

from run import SLICE, TREEBANK, treebank_sentences  # noqa: E402

SECTION = "## Incremental runs at 100,000 articles"
# one `kg export` process whose reader writes the files it opens, one a line, to KG_BENCH_READS
COUNTED_EXPORT = """
import os, sys
import kg.run.local as local
from kg.cli import app
real, log = local.read_file, open(os.environ["KG_BENCH_READS"], "w", encoding="utf-8")
def read_file(path):
    log.write(str(path) + "\\n")
    return real(path)
local.read_file = read_file
sys.argv = ["kg", *sys.argv[1:]]
try:
    app()
finally:
    log.close()
"""


def make_folder(folder: Path, articles: int, sentences: list[str]) -> None:
    """`articles` files of one or two sentences each (odd ones two): pairs (i mod n, i div n + i mod
    n), so no two articles are the same text while articles < n²."""
    n = len(sentences)
    folder.mkdir(parents=True)
    for i in range(articles):
        text = sentences[i % n] + ("" if i % 2 == 0 else " " + sentences[(i // n + i * 7 + 1) % n])
        (folder / f"a{i:06d}.txt").write_text(text + "\n", encoding="utf-8")


def change(folder: Path, every: int, sentences: list[str]) -> list[Path]:
    """Append a sentence to every `every`-th article: 1% of them at every=100."""
    changed = sorted(folder.glob("*.txt"))[::every]
    for k, f in enumerate(changed):
        with f.open("a", encoding="utf-8") as h:
            h.write(sentences[(k * 13 + 5) % len(sentences)] + "\n")
    return changed


def export(corpus: Path, out: Path, workers: int, reads: Path) -> tuple[float, dict[str, object], set[str]]:
    """One fresh `kg export` process: its wall seconds, its report, the input files it opened."""
    env = os.environ | {"KG_BENCH_READS": str(reads), "PYTHONPATH": str(ROOT)}
    t = time.perf_counter()
    r = subprocess.run([sys.executable, "-c", COUNTED_EXPORT, "export", str(corpus), "-o", str(out),
                        "-w", str(workers)], env=env, capture_output=True, text=True)
    seconds = time.perf_counter() - t
    if r.returncode != 0:
        raise SystemExit(f"kg export failed ({r.returncode}): {r.stderr[-2000:]}")
    report = json.loads((out / "kg-report.json").read_text(encoding="utf-8"))
    return seconds, report, set(reads.read_text(encoding="utf-8").splitlines())


def write_section(path: Path, section: str) -> None:
    """Replace this bench's own section of `path` (from its heading to the next `## ` heading or the
    end), or append it; the rest of the file stays as it is."""
    text = path.read_text(encoding="utf-8") if path.exists() else ""
    start = text.find(SECTION + "\n")
    if start < 0:
        text = text.rstrip("\n") + ("\n\n" if text else "") + section
    else:
        after = re.search(r"^## ", text[start + len(SECTION):], flags=re.M)
        end = start + len(SECTION) + after.start() if after else len(text)
        text = text[:start] + section + ("\n" + text[end:] if after else "")
    path.write_text(text, encoding="utf-8")


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--articles", type=int, default=100_000)
    ap.add_argument("--every", type=int, default=100, help="change every N-th article (100: 1%%)")
    ap.add_argument("-w", "--workers", type=int, default=2)
    ap.add_argument("--write", type=Path, help="also write the results into this Markdown file's own section")
    ap.add_argument("--keep", type=Path, help="make the folders here and keep them (default: a temporary folder)")
    args = ap.parse_args()
    sentences = treebank_sentences(TREEBANK if TREEBANK.is_file() else SLICE)
    tmp = args.keep or Path(tempfile.mkdtemp(prefix="kg-bench-incr-"))
    try:
        corpus, out = tmp / "corpus", tmp / "out"
        t = time.perf_counter()
        make_folder(corpus, args.articles, sentences)
        made = time.perf_counter() - t
        time.sleep(1.1)  # files written in the second the run looks at them are read again (racy)
        full, full_report, full_reads = export(corpus, out, args.workers, tmp / "reads-full.txt")
        changed = {str(f) for f in change(corpus, args.every, sentences)}
        rerun, re_report, re_reads = export(corpus, out, args.workers, tmp / "reads-rerun.txt")
        idle, idle_report, idle_reads = export(corpus, out, args.workers, tmp / "reads-idle.txt")
        manifest = (out / ".kg" / "manifest.jsonl").stat().st_size
        entries = len((out / ".kg" / "manifest.jsonl").read_bytes().splitlines())
        results = {
            "articles": args.articles, "workers": args.workers, "changed files": len(changed),
            "seconds to write the folder": round(made, 1),
            "full-run seconds": round(full, 1),
            "rerun seconds (1% changed)": round(rerun, 2),
            "rerun / full run": round(rerun / full, 4),
            "files read by the full run": len(full_reads),
            "files read by the rerun": len(re_reads),
            "the rerun read exactly the changed files": re_reads == changed,
            "rerun report": {k: len(re_report[k]) for k in ("exported", "skipped", "failed", "pruned")},
            "rerun seconds (nothing changed since)": round(idle, 2),
            "files read by that rerun": len(idle_reads),
            "manifest bytes": manifest, "manifest entries": entries,
            "manifest bytes per entry": round(manifest / max(1, entries)),
            "full run report": {k: len(full_report[k]) for k in ("exported", "skipped", "failed", "pruned")},
            "idle rerun report": {k: len(idle_report[k]) for k in ("exported", "skipped", "failed", "pruned")},
        }
        print(json.dumps(results, indent=1))
        ratio = rerun / full
        rows = [
            ("rerun with 1% changed ≤ 2% of the full run", f"{ratio:.2%}", ratio <= 0.02),
            ("the rerun reads only the changed files", f"{len(re_reads)} of {args.articles}", re_reads == changed),
        ]
        table = ["| target | measured | met |", "|---|---|---|"]
        table += [f"| {name} | {value} | {'yes' if ok else 'NO'} |" for name, value, ok in rows]
        print("\n".join(table))
        if args.write:
            cmd = "python bench/incremental.py" + (f" --articles {args.articles}" if args.articles != 100_000
                                                   else "") + f" --write {args.write}"
            scale = ("" if args.articles == 100_000 else
                     f" **At {args.articles:,} articles, not 100,000**: a check of the harness; the figures "
                     "at 100,000 come from the command without --articles.")
            section = "\n".join([
                SECTION, "",
                f"Measured by `{cmd}` on {platform.machine()}, {os.cpu_count()} cores, Python "
                f"{platform.python_version()}, `-w {args.workers}`, one run.{scale} A full export of "
                f"{args.articles:,} articles of one or two treebank sentences each, then every "
                f"{args.every}th file changed (a sentence appended) and the same `kg export` run again, each a "
                "fresh process (start-up and the model's load count). A file the rerun finds with the "
                "size, mtime and inode it had, whose documents are current, is not opened.", "",
                *table, "", "```json", json.dumps(results, indent=1), "```", "",
            ])
            write_section(args.write, section)
    finally:
        if args.keep is None:
            shutil.rmtree(tmp, ignore_errors=True)


if __name__ == "__main__":
    main()
