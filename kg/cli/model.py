"""`kg model download|which`: the UDPipe parsing model (kg.nlp)."""

from __future__ import annotations

from typing import Annotated

import typer

from .command import add, group
from .options import Model

app = group("Manage UDPipe parsing models.")


def download(
    lang: Annotated[str, typer.Argument(help="Language code.")] = "ar",
    url: Annotated[str | None, typer.Option("--url", help="Base URL of a mirror (default: the address "
                                            "spacy-udpipe uses).")] = None,
) -> None:
    """Fetch the official UDPipe model for LANG into kg's cache (needs network)."""
    from ..nlp import download_model

    typer.echo(str(download_model(lang, base_url=url)))


def which(model: Model = None) -> None:
    """Print the model kg would use, following the lookup order, once it is checked to load."""
    from ..nlp import check_model, resolve_model

    path = resolve_model(model)
    check_model(path)
    typer.echo(str(path))


add(app, "download", download)
add(app, "which", which)
