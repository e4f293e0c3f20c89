"""Parsing with spacy-udpipe, and mapping every token back to the original text.

`model` finds the UDPipe model (and downloads the official one) and loads it; `parsing` parses an
article into kg's tokens; `alignment` gives each token its span in the article as read, which
spacy-udpipe's own `doc.text` is not. Their public names are all here.
"""

from __future__ import annotations

from .alignment import align, align_normalised
from .model import (
    ENV_MODEL,
    SHIPPED_MODEL,
    cache_dir,
    check_model,
    download_model,
    load,
    official_model_name,
    resolve_model,
    shipped_model,
)
from .parsing import MAX_PIECE, Parsed, Token, deadline, parse, pieces, tokens_from_doc

__all__ = [
    "ENV_MODEL", "MAX_PIECE", "SHIPPED_MODEL", "Parsed", "Token", "align", "align_normalised", "cache_dir",
    "check_model", "deadline", "download_model", "load", "official_model_name", "parse", "pieces", "resolve_model",
    "shipped_model", "tokens_from_doc",
]
