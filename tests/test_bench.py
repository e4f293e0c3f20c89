"""The benchmark harness runs end to end on a tiny corpus (no timing is asserted: machines are noisy)."""

from __future__ import annotations

import subprocess
import sys

from .conftest import ROOT


def test_harness_runs_on_a_tiny_corpus(tmp_path: object) -> None:
    out = tmp_path / "BENCH.md"  # type: ignore[operator]
    r = subprocess.run([sys.executable, "bench/run.py", "--quick", "--write", str(out)], cwd=ROOT,
                       capture_output=True, text=True, timeout=600)
    assert r.returncode == 0, r.stderr[-2000:]
    for line in ("end-to-end ≤ 1.15× parse-only", "loading ≥ 100k triples/s", "--workers 2 ≥ 1.7× one worker",
                 "peak memory flat", "rerun over unchanged input"):
        assert line in r.stdout
    text = out.read_text(encoding="utf-8")
    assert "python bench/run.py --quick" in text and '"rerun report"' in text


def test_incremental_bench_runs_and_writes_only_its_own_section(tmp_path: object) -> None:
    out = tmp_path / "BENCH.md"  # type: ignore[operator]
    out.write_text("# Benchmarks\n\nother figures\n\n## Incremental runs at 100,000 articles\n\nold\n\n"
                   "## After\n\nkept\n", encoding="utf-8")
    r = subprocess.run([sys.executable, "bench/incremental.py", "--articles", "30", "--every", "10", "-w", "1",
                        "--write", str(out)], cwd=ROOT, capture_output=True, text=True, timeout=600)
    assert r.returncode == 0, r.stderr[-2000:]
    assert '"files read by the rerun": 3,' in r.stdout
    assert "| the rerun reads only the changed files | 3 of 30 | yes |" in r.stdout
    text = out.read_text(encoding="utf-8")
    assert text.startswith("# Benchmarks\n\nother figures\n\n## Incremental runs at 100,000 articles\n")
    assert "\nold\n" not in text and text.endswith("\n## After\n\nkept\n") and "At 30 articles, not 100,000" in text
