#!/usr/bin/env python3
"""kg's evaluation: every set's scores against the gold in ../shared/eval (not a unit test).

    python bench/eval.py                       # seed article, 39 dev sentences, GSR real-news dev set
    python bench/eval.py --shared DIR          # the evaluation kit somewhere else
    python bench/eval.py -- --nominal-events   # extra `kg export` options, passed to every export

Each set is exported with `kg export` into a temporary folder and scored by the kit's own scorers,
as README "How extraction works" describes:

    kg export SHARED/seeds -o T/seed --date 2017-04-12
    python SHARED/eval/score.py SHARED/eval/seed-gold.yaml T/seed/events.jsonl --texts SHARED/seeds
    kg export SHARED/eval/dev-texts -o T/dev
    python SHARED/eval/score.py SHARED/eval/dev-gold.yaml T/dev/events.jsonl --texts SHARED/eval/dev-texts
    kg export SHARED/eval/gsr/dev-feed.jsonl -o T/gsr --nominal-events
    python SHARED/eval/gsr/score_gsr.py --gold SHARED/eval/gsr/dev.jsonl --kg kg=T/gsr

It prints each scorer's last line under the set's name. Scores are reported, never judged: the
exit status is 0 when every set was exported and scored, 1 when a command failed to run (its
stderr is shown), 2 when the kit is not there.
"""

from __future__ import annotations

import argparse
import subprocess
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def sets(shared: Path, out: Path) -> list[tuple[str, list[str], list[str]]]:
    """(name, kg export arguments, scorer command) for every evaluation set."""
    ev = shared / "eval"
    py = sys.executable
    return [
        ("seed article", [str(shared / "seeds"), "-o", str(out / "seed"), "--date", "2017-04-12"],
         [py, str(ev / "score.py"), str(ev / "seed-gold.yaml"), str(out / "seed" / "events.jsonl"),
          "--texts", str(shared / "seeds")]),
        ("39 dev sentences", [str(ev / "dev-texts"), "-o", str(out / "dev")],
         [py, str(ev / "score.py"), str(ev / "dev-gold.yaml"), str(out / "dev" / "events.jsonl"),
          "--texts", str(ev / "dev-texts")]),
        ("GSR real-news dev", [str(ev / "gsr" / "dev-feed.jsonl"), "-o", str(out / "gsr"), "--nominal-events"],
         [py, str(ev / "gsr" / "score_gsr.py"), "--gold", str(ev / "gsr" / "dev.jsonl"), "--kg", f"kg={out / 'gsr'}"]),
    ]


def run(cmd: list[str]) -> subprocess.CompletedProcess[str]:
    return subprocess.run(cmd, cwd=ROOT, capture_output=True, text=True, check=False)


def evaluate(shared: Path, extra: list[str]) -> int:
    failed = 0
    with tempfile.TemporaryDirectory(prefix="kg-eval-") as tmp:
        for name, export_args, score in sets(shared, Path(tmp)):
            args = export_args + [x for x in extra if x not in export_args]
            steps = ([sys.executable, "-m", "kg", "export", *args], score)
            for cmd in steps:
                done = run(cmd)
                if done.returncode != 0:
                    print(f"{name}: FAILED to run: {' '.join(cmd)} (exit {done.returncode})\n{done.stderr[-2000:]}")
                    failed += 1
                    break
            else:
                lines = done.stdout.strip().splitlines()
                print(f"{name:18} {lines[-1] if lines else '(no score printed)'}")
    return 1 if failed else 0


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--shared", type=Path, default=ROOT.parent / "shared",
                    help="the folder holding seeds/ and eval/ (default: ../shared)")
    ap.add_argument("extra", nargs=argparse.REMAINDER, help="after --: options for every kg export")
    args = ap.parse_args()
    extra = args.extra[1:] if args.extra[:1] == ["--"] else args.extra
    if not (args.shared / "eval" / "score.py").is_file():
        print(f"{args.shared}: no evaluation kit here (eval/score.py); give --shared DIR", file=sys.stderr)
        return 2
    return evaluate(args.shared, extra)


if __name__ == "__main__":
    sys.exit(main())
