"""Which UDPipe model kg parses with (--model, $KG_UDPIPE_MODEL, the cache, the shipped one),
fetching the official one into the cache, and loading it (once per process) as a spacy-udpipe
pipeline. Every parser process imports this: what is slow to import is imported where used."""

from __future__ import annotations

import os
from functools import lru_cache
from importlib import resources
from pathlib import Path
from typing import Any

from ..errors import ModelError

SHIPPED_MODEL = "ar_pud-ud-2.x-kg1.udpipe"
ENV_MODEL = "KG_UDPIPE_MODEL"


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
