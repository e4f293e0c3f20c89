"""`kg show`: one article as a self-contained HTML page of what kg found (kg.pipeline.show)."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer

from .options import Model, Rules


def show(
    article: Annotated[Path, typer.Argument(help="An article (.txt, or the first article of a .jsonl file).")],
    out: Annotated[Path | None, typer.Option("-o", "--out", help="HTML file (default: <doc_id>.html here).")] = None,
    model: Model = None,
    rules: Rules = None,
) -> None:
    """Render what kg found in one article as a self-contained HTML page (for rule authors)."""
    from ..pipeline import show as run

    typer.echo(str(run(article, out, model=model, rules_dir=rules)))
