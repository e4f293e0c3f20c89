"""Parsing with spacy-udpipe, and mapping every token back to the original text.

spacy-udpipe rebuilds `doc.text` from the tokens it gets from UDPipe, so `doc.text` is not the
article: whitespace runs collapse, multiword tokens are split into words whose forms need not
spell the surface (ل + العلاقات for للعلاقات), and marks may move. `align` finds each token in
the original article so that every offset kg reports indexes the text as read.
"""

from __future__ import annotations

import bisect
import os
import re
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from functools import lru_cache
from importlib import resources
from pathlib import Path
from typing import Any, NamedTuple

from .errors import ModelError
from .normalize import DROP, normalize, normalize_with_map

SHIPPED_MODEL = "ar_pud-ud-2.x-kg1.udpipe"
_NOT_MARKS = frozenset("\u200b\u200c\u200d\u200e\u200f\u202a\u202b\u202c\u202d\u202e\u2066\u2067\u2068\u2069\ufeff")
# what normalisation drops and a word keeps at its end (tanween, shadda…): a set, not a regex per token
_TRAILING = frozenset(c for c in map(chr, range(0x0600, 0x2070)) if DROP.match(c) and c not in _NOT_MARKS)
_NAMES: dict[int, str] = {}  # the vocabulary's strings by hash, shared by every document
_NAMES_MAX = 1 << 17  # then start again: memory stays flat however many documents
ENV_MODEL = "KG_UDPIPE_MODEL"


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


# --- model lookup -------------------------------------------------------------------------


def cache_dir() -> Path:
    base = os.environ.get("KG_CACHE_DIR") or os.path.join(
        os.environ.get("XDG_CACHE_HOME") or os.path.expanduser("~/.cache"), "kg"
    )
    return Path(base) / "models"


def official_model_name(lang: str) -> str:
    # read spacy-udpipe's table without importing it: importing spacy costs a second per run
    import importlib.util
    import json

    spec = importlib.util.find_spec("spacy_udpipe")
    where = list(spec.submodule_search_locations or []) if spec else []
    table = Path(where[0]) / "languages.json" if where else None
    LANGUAGES = json.loads(table.read_text(encoding="utf-8")) if table and table.is_file() else {}
    if lang not in LANGUAGES:
        raise ModelError(f"no official UDPipe model for language {lang!r} (known: ar, en, fr, … as spacy-udpipe lists)")
    return str(LANGUAGES[lang])


def shipped_model() -> Path:
    return Path(str(resources.files("kg") / "data" / SHIPPED_MODEL))


def resolve_model(explicit: Path | None = None, lang: str = "ar") -> Path:
    """The model to use: --model, then $KG_UDPIPE_MODEL, then the cache, then the shipped one."""
    if explicit is not None:
        if not Path(explicit).is_file():
            raise ModelError(f"{explicit}: no such model file (given with --model)")
        return Path(explicit)
    env = os.environ.get(ENV_MODEL)
    if env:
        if not Path(env).is_file():
            raise ModelError(f"{env}: no such model file (given in ${ENV_MODEL})")
        return Path(env)
    cached = cache_dir() / official_model_name(lang)
    if cached.is_file():
        return cached
    shipped = shipped_model()
    if lang == "ar" and shipped.is_file():
        return shipped
    raise ModelError(
        f"no UDPipe model for {lang!r}: run `kg model download {lang}` (needs network), "
        f"or pass --model PATH, or set ${ENV_MODEL}"
    )


def download_model(lang: str = "ar", base_url: str | None = None, timeout: float = 60.0) -> Path:
    """Fetch the official UDPipe model (the file spacy-udpipe downloads) into kg's cache."""
    import tempfile
    import urllib.request  # here, not at the top: every parser process imports this module

    from spacy_udpipe.utils import BASE_URL

    name = official_model_name(lang)
    url = f"{(base_url or BASE_URL).rstrip('/')}/{name}"
    target = cache_dir() / name
    target.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(dir=target.parent, prefix=f".{name}.", suffix=".part")
    try:
        with os.fdopen(fd, "wb") as out, urllib.request.urlopen(url, timeout=timeout) as resp:
            while chunk := resp.read(1 << 20):
                out.write(chunk)
        _check_loadable(Path(tmp), url)
        os.replace(tmp, target)
    except OSError as err:
        raise ModelError(f"{url}: download failed ({err})") from None
    finally:
        if os.path.exists(tmp):
            os.unlink(tmp)
    return target


def _check_loadable(path: Path, where: str) -> None:
    from ufal.udpipe import Model

    if Model.load(str(path)) is None:
        raise ModelError(_not_a_model(where))


def _not_a_model(where: str) -> str:
    return (f"{where}: not a UDPipe model (it does not load): give a .udpipe file with --model or "
            f"${ENV_MODEL}, or unset them to use the shipped model, or run `kg model download ar`")


def check_model(path: Path) -> None:
    """ModelError, with what to do, if the file is not a UDPipe model that loads."""
    _check_loadable(path, str(path))


@lru_cache(maxsize=4)
def load(path: Path) -> Any:
    """Load a spacy-udpipe pipeline once per process.

    The model file is read once: spacy-udpipe's own load is checked for the model it got (it
    takes a file that is not a model without a word), rather than loading the file a second time
    first to check it (that cost half a second a start)."""
    import spacy_udpipe

    if not Path(path).is_file():
        _check_loadable(path, str(path))  # UDPipe's own answer for a missing file
    try:
        nlp = spacy_udpipe.load_from_path(lang="ar", path=str(path))
    except Exception as err:  # spacy-udpipe raises plain exceptions for bad files
        raise ModelError(f"{path}: cannot load model ({err})") from None
    udpipe = getattr(getattr(nlp.tokenizer, "model", None), "model", _UNKNOWN)
    if udpipe is _UNKNOWN:  # a spacy-udpipe that keeps its model elsewhere: check the file itself
        _check_loadable(path, str(path))
    elif udpipe is None:
        raise ModelError(_not_a_model(str(path)))
    return nlp


_UNKNOWN = object()


# --- alignment ----------------------------------------------------------------------------


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


_SURROGATE = re.compile("[\ud800-\udfff]")
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


def parse(text: str, model: Path, on_piece: Callable[[], None] | None = None) -> Parsed:
    """Parse in pieces of at most MAX_PIECE characters; tokens keep offsets into the whole text.

    `on_piece` is called between pieces (a deadline check can raise there)."""
    nlp = load(model)
    # UDPipe cannot take lone surrogates (from bad JSON input): U+FFFD keeps every offset
    clean = _TO_SPACE_RE.sub(" ", _SURROGATE.sub("\ufffd", text))
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
