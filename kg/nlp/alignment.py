"""Token forms back to spans of the original text.

spacy-udpipe rebuilds `doc.text` from the tokens it gets from UDPipe, so `doc.text` is not the
article: whitespace runs collapse, multiword tokens are split into words whose forms need not
spell the surface (ل + العلاقات for للعلاقات), and marks may move. `align` finds each token in
the original article so that every offset kg reports indexes the text as read.
"""

from __future__ import annotations

import bisect
import re
from collections.abc import Sequence

from ..normalize import DROP, normalize, normalize_with_map

_NOT_MARKS = frozenset("\u200b\u200c\u200d\u200e\u200f\u202a\u202b\u202c\u202d\u202e\u2066\u2067\u2068\u2069\ufeff")
# what normalisation drops and a word keeps at its end (tanween, shadda…): a set, not a regex per token
_TRAILING = frozenset(c for c in map(chr, range(0x0600, 0x2070)) if DROP.match(c) and c not in _NOT_MARKS)

# A form made of these maps one for one onto its normalised form (see normalize._NOT_SIMPLE), but
# for marks after its first letter that normalisation drops and a word keeps (tanween: جداً): so
# finding it verbatim in the text gives the span the normalised text gives.
_PLAIN = "\u0621-\u063a\u0641-\u064a\u0660-\u0669\u06f0-\u06f9\x21-\x7e\u060c\u061b\u061f\u00ab\u00bb"
_VERBATIM = re.compile(f"[{_PLAIN}][{_PLAIN}{re.escape(''.join(sorted(_TRAILING)))}]*")
_PLAIN_SPACE = re.compile("[ \t\n\r]*")


def align(text: str, forms: Sequence[str]) -> list[tuple[int, int]]:
    """Character span in `text` of each token form, in order.

    Forms are compared on normalised text (so diacritics, hamza forms and tatweel do not break the
    match). A form whose letters are not all in the text (the restored alef of ل + ال) is matched
    letter by letter, skipping what the text lacks. A form that cannot be found nearby gets an
    empty span at the cursor rather than a wrong one.

    Most forms are the text's own letters: those are found verbatim, and the text is normalised
    only when a form is not (the spans are the same either way, see `align_normalised`).
    """
    spans: list[tuple[int, int]] = []
    n = len(text)
    at = 0  # cursor in the text; -1 while the cursor is inside a character's normalised form
    norm: str | None = None
    where: tuple[int, ...] = ()
    cur = 0  # cursor in the normalised text, while `at` is -1
    for form in forms:
        if at >= 0:
            s = _PLAIN_SPACE.match(text, at).end()  # type: ignore[union-attr]
            if form and text.startswith(form, s) and _VERBATIM.fullmatch(form):
                at = e = s + len(form)
                # trailing marks (tanween, shadda) dropped by normalisation belong to the word
                while e < n and text[e] in _TRAILING:
                    e += 1
                spans.append((s, e))
                continue
            if norm is None:
                norm, where = normalize_with_map(text)
            cur = bisect.bisect_left(where, at)
        assert norm is not None
        span, cur = _align_step(text, norm, where, cur, form)
        spans.append(span)
        # back to the text where the cursor is between two characters' normalised forms
        at = n if cur >= len(norm) else where[cur] if cur == 0 or where[cur] != where[cur - 1] else -1
    return spans


def align_normalised(text: str, forms: Sequence[str]) -> list[tuple[int, int]]:
    """`align` done wholly on the normalised text (what `align` must equal; tests compare them)."""
    norm, where = normalize_with_map(text)
    spans: list[tuple[int, int]] = []
    cur = 0
    for form in forms:
        span, cur = _align_step(text, norm, where, cur, form)
        spans.append(span)
    return spans


def _align_step(text: str, norm: str, where: tuple[int, ...], cur: int, form: str) -> tuple[tuple[int, int], int]:
    """One form's span, from `cur` in the normalised text; and the cursor after it."""
    n = len(norm)

    def orig(s: int, e: int) -> tuple[int, int]:
        start = where[s]
        end = where[e - 1] + 1
        # Trailing marks (tanween, shadda) dropped by normalisation belong to the word.
        while end < len(text) and text[end] in _TRAILING:
            end += 1
        return start, end

    f = "".join(normalize(form).split())
    while cur < n and norm[cur].isspace():
        cur += 1
    if not f:
        at = where[cur] if cur < n else len(text)
        return (at, at), cur
    if norm.startswith(f, cur):
        return orig(cur, cur + len(f)), cur + len(f)
    j, k, hits = 0, cur, 0
    while j < len(f) and k < n and not norm[k].isspace():
        if f[j] == norm[k]:
            hits += 1
            k += 1
        j += 1
    if hits and hits >= len(f) - 2:
        return orig(cur, k), k
    found = norm.find(f, cur, cur + 64 + len(f))
    if found >= 0:
        return orig(found, found + len(f)), found + len(f)
    at = where[cur] if cur < n else len(text)
    return (at, at), cur
