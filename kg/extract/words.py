"""Surface words of the article, each with what the parser said about the tokens inside it.

The parser's tokens can split a name that begins like a clitic (لافروف -> ل + افروف) or keep a
conjunction on a name (وواشنطن). Extraction therefore works on surface words cut from the text
itself, and uses the parse only as evidence: the POS of the word's content token, whether the
parser split off a proclitic, and the dependency tree for roles.
"""

from __future__ import annotations

import re
from collections.abc import Sequence

from ..nlp import Token
from ..normalize import WORD_RE, normalize
from .model import Word

_PIECE = re.compile(f"{WORD_RE.pattern}|[^\\s\\w]")
_SENT_END = re.compile(r"[.!?؟]+|\n")
_FUNCTION_POS = {"ADP", "CCONJ", "SCONJ", "PART", "DET"}


def segment(text: str, tokens: Sequence[Token]) -> tuple[Word, ...]:
    """Words and punctuation marks of `text`, linked to the parser tokens they overlap."""
    words: list[Word] = []
    sent = 0
    ends = sorted(m.start() for m in _SENT_END.finditer(text))
    ti = 0
    ei = 0
    nt, ne = len(tokens), len(ends)
    starts = [t.start for t in tokens]  # plain lists: the loop reads them once or twice a word
    stops = [t.end for t in tokens]
    new = tuple.__new__  # a Word without its named tuple's Python-level __new__
    for m in _PIECE.finditer(text):
        s, e = m.span()
        while ei < ne and ends[ei] < s:
            sent += 1
            ei += 1
            # runs of terminators count once
            while ei < ne and ends[ei] < s and ends[ei] == ends[ei - 1] + 1:
                ei += 1
        while ti < nt and stops[ti] <= s and starts[ti] < s:
            ti += 1
        host: Token | None
        if ti < nt and starts[ti] == s and stops[ti] > s and (ti + 1 == nt or starts[ti + 1] >= e):
            host, split = tokens[ti], False  # most words: one token, nothing split off
        else:
            inside = []
            k = ti
            while k < nt and starts[k] < e:
                if stops[k] > s or (starts[k] == stops[k] and starts[k] >= s):
                    inside.append(tokens[k])
                k += 1
            if len(inside) == 1:
                host, split = inside[0], False
            else:
                content = [t for t in inside if t.pos not in _FUNCTION_POS and t.end > t.start]
                host = max(content or inside, key=lambda t: t.end - t.start) if inside else None
                split = len(inside) > 1 and inside[0].pos in {"ADP", "CCONJ"} and inside[0] is not host
        surface = m.group()
        norm = normalize(surface)
        # positional: one Word per surface word, and keywords cost a third more
        words.append(new(Word, (len(words), surface, s, e, norm, host.pos if host else "X", split, sent,
                                host.i if host else -1,
                                not norm.isalnum() and not any(c.isalnum() for c in norm))))
    return tuple(words)
