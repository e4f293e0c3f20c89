"""What kg's process and its parser child (kg.run.parser) say to each other.

Each message is one frozen dataclass, pickled and framed by its length (8 bytes, little-endian);
`send` writes one, `receive` reads one, `take` takes the whole ones from bytes read so far.

kg's process sends only `Request`s. The child answers first `Ready` (the model is loaded) or
`LoadFailed` (and stops), then one answer per request, in order: `Tokens`, `ArticleFailed` (the
article's own fault: too slow, or the parser raised on it) or `ParseFailed` (a KgError: the
parser cannot work at all). Every answer says how long the child spent on it. The classes live
here, not in kg.run.parser, which the child runs as `__main__`: a class pickled from there would
be `__main__.Tokens`, which kg's process cannot find.
"""

from __future__ import annotations

import pickle
import struct
from dataclasses import dataclass
from typing import BinaryIO

from ..nlp import Token

LENGTH = struct.Struct("<Q")


@dataclass(frozen=True, slots=True)
class Request:
    """Parse `text`; stop and answer ArticleFailed after `timeout` seconds."""

    text: str
    timeout: float


@dataclass(frozen=True, slots=True)
class Ready:
    """The child has the model loaded: requests are parsed from now on."""


@dataclass(frozen=True, slots=True)
class LoadFailed:
    """The child could not load the model (its only message): `message` says why."""

    message: str


@dataclass(frozen=True, slots=True)
class Tokens:
    """The article's tokens."""

    tokens: tuple[Token, ...]
    seconds: float


@dataclass(frozen=True, slots=True)
class ArticleFailed:
    """The article's own fault (too slow; the parser raised on it): the run goes on without it."""

    reason: str
    seconds: float


@dataclass(frozen=True, slots=True)
class ParseFailed:
    """A KgError while parsing: the model cannot parse at all, and the run stops."""

    message: str
    seconds: float


Answer = Tokens | ArticleFailed | ParseFailed
Message = Request | Ready | LoadFailed | Answer
_MESSAGES = (Request, Ready, LoadFailed, Tokens, ArticleFailed, ParseFailed)


def send(out: BinaryIO, msg: Message) -> None:
    """Write one message and flush it."""
    data = pickle.dumps(msg, protocol=pickle.HIGHEST_PROTOCOL)
    out.write(LENGTH.pack(len(data)) + data)
    out.flush()


def receive(inp: BinaryIO) -> Message:
    """The next message; EOFError when the stream ends (the other side is gone)."""
    head = inp.read(LENGTH.size)
    if len(head) < LENGTH.size:
        raise EOFError
    size = LENGTH.unpack(head)[0]
    data = inp.read(size)
    if len(data) < size:
        raise EOFError
    return _message(data)


def take(buf: bytearray) -> list[Message]:
    """The whole messages at the start of `buf`, removed from it (what is left is the start of
    the next). pickle.UnpicklingError if the bytes are not messages."""
    out: list[Message] = []
    at = 0
    while len(buf) - at >= LENGTH.size:
        (n,) = LENGTH.unpack_from(buf, at)
        if len(buf) - at - LENGTH.size < n:
            break
        out.append(_message(buf[at + LENGTH.size : at + LENGTH.size + n]))
        at += LENGTH.size + n
    del buf[:at]
    return out


def _message(data: bytes | bytearray) -> Message:
    msg = pickle.loads(data)
    if not isinstance(msg, _MESSAGES):
        raise pickle.UnpicklingError(f"not a parser message: {type(msg).__name__}")
    return msg
