"""`kg show`: one article rendered as HTML (runs of many documents live in kg/run/)."""

from __future__ import annotations

from pathlib import Path

from .compiled import load_rules
from .document import process
from .errors import ArticleError, KgError
from .files import safe_name, write_atomic
from .nlp import parse, resolve_model
from .read import read_paths
from .rules import default_rules_dir


def show(path: Path, out: Path | None, model: Path | None = None, rules_dir: Path | None = None) -> Path:
    """Render one article (a .txt file, or the first article of a JSON Lines file) as HTML."""
    rules = load_rules(rules_dir or default_rules_dir())
    model_path = resolve_model(model)
    first = next(iter(read_paths([path])), None)
    if first is None:
        raise KgError(f"{path}: no article found")
    if isinstance(first, ArticleError):
        raise KgError(str(first))
    done = process(first, parse(first.text, model_path), rules, formats=(), html=True)
    target = out or Path(f"{safe_name(first.doc_id)}.html")
    write_atomic(target, done.files["html"])
    return target
