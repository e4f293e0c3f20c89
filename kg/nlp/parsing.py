"""Parsing with spacy-udpipe: an article in pieces UDPipe can take, each piece's spaCy Doc as
kg's tokens, every one with its span in the article as read (`alignment`)."""

from __future__ import annotations

import re
import time
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any, NamedTuple

from ..normalize import replace_surrogates
from .alignment import align
from .model import load

_NAMES: dict[int, str] = {}  # the vocabulary's strings by hash, shared by every document
_NAMES_MAX = 1 << 17  # then start again: memory stays flat however many documents


class Token(NamedTuple):
    """A parser word, with its span in the original article. Immutable like the stages' frozen
    dataclasses, but a named tuple: one is made per token, and a tuple is made three times faster."""

    i: int
    text: str
    start: int
    end: int
    lemma: str
    pos: str
    dep: str
    head: int
    sent: int


@dataclass(frozen=True, slots=True)
class Parsed:
    text: str
    tokens: tuple[Token, ...]


def tokens_from_doc(doc: Any, text: str, start: int = 0, first: int = 0, first_sent: int = 0) -> tuple[Token, ...]:
    """kg tokens from a spaCy Doc (parsed, or built by hand in tests), aligned to `text`; a piece
    of a longer text says where it starts (`start`, its first token index and sentence)."""
    import numpy
    from spacy.attrs import DEP, HEAD, LEMMA, ORTH, POS

    if not len(doc):
        return ()
    # one array instead of a Python Token object per attribute read, and each distinct string
    # looked up once (StringStore makes a new str each time): together a third of kg's parse time
    store = doc.vocab.strings
    array = doc.to_array([ORTH, LEMMA, POS, DEP, HEAD])
    names = _NAMES
    if len(names) > _NAMES_MAX:
        names.clear()
    for k in numpy.unique(array[:, :4]).tolist():
        if k not in names:
            names[k] = store[k]
    rows = array.tolist()
    forms = [names[r[0]] for r in rows]
    spans = align(text, forms)
    sent_of = [0] * len(rows)
    if doc.has_annotation("SENT_START") or doc.has_annotation("DEP"):
        for si, sent in enumerate(doc.sents):
            sent_of[sent.start : sent.end] = [si] * (sent.end - sent.start)
    wrap = 1 << 63  # HEAD is relative, and comes back unsigned
    out = [
        Token(i + first, text[s:e], s + start, e + start, names[lemma] or form, names[pos] or "X", names[dep] or "dep",
              i + (head - (1 << 64) if head >= wrap else head) + first, sent + first_sent)
        for i, ((_, lemma, pos, dep, head), form, (s, e), sent) in enumerate(zip(rows, forms, spans, sent_of,
                                                                                 strict=True))
    ]
    return tuple(out)


# Controls and the rarer spaces: spacy-udpipe's whitespace and UDPipe's disagree on them (a form
# feed before a symbol breaks its Doc), so UDPipe sees a plain space, one for one: offsets stay.
_TO_SPACE = {c: " " for c in [*range(0x00, 0x09), 0x0B, 0x0C, *range(0x0E, 0x20), *range(0x7F, 0xA1), 0x1680,
                              *range(0x2000, 0x200B), 0x2028, 0x2029, 0x202F, 0x205F, 0x3000]}
_TO_SPACE_RE = re.compile("[" + re.escape("".join(map(chr, _TO_SPACE))) + "]")  # a scan, not a lookup a character


MAX_PIECE = 4000  # characters UDPipe gets at once: bounds the time and memory of one call
_BREAK = re.compile(r"[.!?؟\n]+\s*")


def pieces(text: str, limit: int = MAX_PIECE) -> list[tuple[int, int]]:
    """Spans that cover `text`, each at most `limit` long, cut after sentence ends where possible,
    else at whitespace, else anywhere (a 200 KB token is cut too)."""
    out: list[tuple[int, int]] = []
    start = 0
    n = len(text)
    while start < n:
        end = min(n, start + limit)
        if end < n:
            window = text[start:end]
            cut = max((m.end() for m in _BREAK.finditer(window)), default=0)
            if cut < limit // 4:
                space = window.rfind(" ")
                cut = space + 1 if space > limit // 4 else limit
            end = start + cut
        out.append((start, end))
        start = end
    return out


def deadline(seconds: float, late: Callable[[], BaseException]) -> Callable[[], None]:
    """An `on_piece` for `parse`: raises `late()` once `seconds` from now have passed."""
    at = time.monotonic() + seconds

    def in_time() -> None:
        if time.monotonic() > at:
            raise late()

    return in_time


def parse(text: str, model: Path, on_piece: Callable[[], None] | None = None) -> Parsed:
    """Parse in pieces of at most MAX_PIECE characters; tokens keep offsets into the whole text.

    `on_piece` is called between pieces (a deadline check can raise there)."""
    nlp = load(model)
    # UDPipe cannot take lone surrogates (from bad JSON input): U+FFFD keeps every offset
    clean = _TO_SPACE_RE.sub(" ", replace_surrogates(text))
    tokens: list[Token] = []
    sent_base = 0
    for start, end in pieces(clean):
        if on_piece is not None:
            on_piece()
        piece_tokens = tokens_from_doc(nlp(clean[start:end]), text[start:end], start, len(tokens), sent_base)
        tokens += piece_tokens
        if piece_tokens:
            sent_base = max(t.sent for t in piece_tokens) + 1
    return Parsed(text=text, tokens=tuple(tokens))
