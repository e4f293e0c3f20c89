"""Imported by the worker pool's fork server: loads the run's rules and model once, before any
worker is forked, so every worker starts with them in memory (copy-on-write) instead of loading
them itself. The run names them in $KG_PRELOAD; without it this does nothing."""

from __future__ import annotations

import json
import os
from pathlib import Path

_spec = os.environ.get("KG_PRELOAD")
if _spec:
    try:
        from .batch import Job, _prepare

        data = json.loads(_spec)
        _prepare(Job(rules_dir=Path(data["rules"]), model=Path(data["model"]), formats=(), html=False, max_chars=0))
    except Exception:
        pass
