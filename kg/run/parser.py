"""UDPipe in a child process, parsing the next articles while this process does everything else.

Parsing is most of an export's time. With the parser in its own process, kg's own stages
(extraction, mapping, RDF, writing) run beside it on another core instead of after it, so a
one-worker run takes about as long as parsing alone. The child is a plain `python -m kg.run.parser
MODEL` (not multiprocessing: a script that calls kg without an `if __name__ == "__main__"` guard
must not be imported again). kg's process writes `Request`s to its stdin; it answers on its
stdout, `Ready` once the model is loaded, then one `Tokens`, `ArticleFailed` or `ParseFailed` a
request, in order (kg.run.protocol: the messages and how they are framed). Only kg's own process
writes to the child, and the child only answers it.
With several children, `Pool` gives each article to the one that gets free first.

A child that dies (a crash inside UDPipe, say) costs the article it was parsing, not the batch:
that article fails, a new child parses the rest.
"""

from __future__ import annotations

import atexit
import collections
import contextlib
import os
import pickle
import queue
import select
import subprocess
import sys
import threading
import time
from dataclasses import dataclass
from pathlib import Path
from typing import BinaryIO

from ..errors import ArticleError, KgError, ModelError, too_slow
from ..nlp import Token, deadline
from .protocol import (
    Answer,
    ArticleFailed,
    LoadFailed,
    Message,
    ParseFailed,
    Ready,
    Request,
    Tokens,
    receive,
    send,
    take,
)

CRASHES = 3  # consecutive articles that kill the parser: then it is the parser, not the articles
DEPTH = 4  # articles a child has at a time: it never waits for kg to give it the next


class ParserProcess:
    """One child process with the model loaded. `Pool` decides what it parses."""

    def __init__(self, model: Path) -> None:
        self.model = model
        self.busy = 0.0  # seconds the child spent parsing (kg's benchmark reads it)
        self._proc: subprocess.Popen[bytes] | None = None
        self._fd = -1
        self._buf = bytearray()  # read from the child, not yet a whole answer
        self._outbox: queue.SimpleQueue[Request | None] = queue.SimpleQueue()
        self.ready = False  # the child said it has the model loaded
        self._asked = False  # this child was given an article (else closing it need not wait)

    @property
    def running(self) -> bool:
        return self._proc is not None

    def start(self) -> None:
        if self._proc is not None:
            return
        # the child imports the kg this process runs, installed or not
        where = str(Path(__file__).resolve().parent.parent)
        env = dict(os.environ, PYTHONWARNINGS="ignore",
                   PYTHONPATH=os.pathsep.join([where, *filter(None, [os.environ.get("PYTHONPATH")])]))
        try:
            self._proc = subprocess.Popen(self.command(), stdin=subprocess.PIPE, stdout=subprocess.PIPE, env=env)
        except OSError as err:
            raise KgError(f"{sys.executable}: cannot start kg's parser process ({err.strerror or err})") from None
        assert self._proc.stdout is not None
        self._fd = self._proc.stdout.fileno()
        self._buf = bytearray()
        self.ready = False  # it says so once the model is loaded; until then, requests wait in the pipe
        self._asked = False
        # A thread writes the requests: the child writes answers while this process may be writing a
        # long text, and each would wait for the other to read.
        self._outbox = queue.SimpleQueue()
        threading.Thread(target=self._write, args=(self._proc.stdin, self._outbox), daemon=True,
                         name="kg-parser-send").start()

    def command(self) -> list[str]:
        return [sys.executable, "-m", "kg.run.parser", str(self.model)]

    def fileno(self) -> int:
        return self._fd

    def send(self, text: str, timeout: float) -> None:
        self._asked = True
        self._outbox.put(Request(text, timeout))

    @staticmethod
    def _write(pipe: BinaryIO, outbox: queue.SimpleQueue[Request | None]) -> None:
        try:
            while (request := outbox.get()) is not None:
                send(pipe, request)
            pipe.close()
        except (OSError, ValueError):
            pass  # the child is gone: reading its answer finds out and says so

    def read(self) -> list[Message] | None:
        """The whole messages that have come in (call when the pipe is readable: it does not wait
        then); None when the child is gone, or says what is not a message."""
        try:
            data = os.read(self._fd, 1 << 20)
        except OSError:
            data = b""
        if not data:
            return None
        self._buf += data
        try:
            return take(self._buf)
        except pickle.UnpicklingError:
            return None

    def reap(self) -> int:
        """The exit code of a child that is gone (its output ended)."""
        proc, self._proc = self._proc, None
        assert proc is not None and proc.stdout is not None
        self._outbox.put(None)
        code = proc.wait()
        proc.stdout.close()
        return code

    def reap_if_gone(self) -> None:
        if self._proc is not None and self._proc.poll() is not None:
            self.reap()

    def cpu_seconds(self) -> float:
        """CPU seconds the running child has used (Linux; 0 elsewhere): what kg's benchmark adds up."""
        if self._proc is None:
            return 0.0
        try:
            with open(f"/proc/{self._proc.pid}/stat", encoding="ascii") as f:
                fields = f.read().rsplit(")", 1)[1].split()
            return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")
        except (OSError, ValueError, IndexError):
            return 0.0

    def close(self) -> None:
        proc, self._proc = self._proc, None
        if proc is None:
            return
        self._outbox.put(None)  # the child stops at the end of its input
        if proc.stdout is not None:
            proc.stdout.close()
        if not self._asked:  # started ahead and never used (nothing to parse): its model is not wanted
            proc.kill()
        try:
            proc.wait(timeout=5)
        except subprocess.TimeoutExpired:
            proc.kill()
            proc.wait()


@dataclass(frozen=True, slots=True)
class Died:
    """A ticket's answer when the child stopped while parsing its article."""

    exit_code: int


@dataclass(frozen=True, slots=True)
class Broken:
    """A ticket's answer when the child stopped on CRASHES articles in a row: it is the parser."""

    message: str


Outcome = Answer | Died | Broken  # what a ticket ends with: the child's answer, or kg's own


class Ticket:
    """One article given to the pool; `tokens()` once its answer is in."""

    __slots__ = ("answer", "source", "text", "timeout")

    def __init__(self, text: str, source: str, timeout: float) -> None:
        self.text = text  # kept until answered: a child that dies leaves it to be asked again
        self.source = source
        self.timeout = timeout
        self.answer: Outcome | None = None

    def tokens(self) -> tuple[Token, ...]:
        """The article's tokens. Raises ArticleError for the article's own fault (too slow; or the
        parser died on it), and KgError when the parser cannot work at all."""
        assert self.answer is not None, "wait for the answer first (Pool.wait)"
        answer = self.answer
        if isinstance(answer, Tokens):
            return answer.tokens
        if isinstance(answer, ArticleFailed):
            raise ArticleError(self.source, answer.reason)
        if isinstance(answer, Died):
            raise ArticleError(self.source,
                               f"the UDPipe parser process stopped while parsing it (exit code {answer.exit_code})")
        if isinstance(answer, Broken):
            raise KgError(answer.message)
        raise ModelError(answer.message)


class Pool:
    """Articles parsed by the children, each given the next article as it gets through its own:
    a child that drew short articles is never left idle while another works through a long one.
    Each child has at most DEPTH articles at a time (one parsing, the next ones in its pipe); the
    others wait here. Answers are read as they come and kept on their tickets, so kg can use
    them in input order."""

    def __init__(self, parsers: list[ParserProcess]) -> None:
        for p in parsers:
            p.reap_if_gone()  # one that died while idle (between runs) is not an article's fault
        self.parsers = parsers
        self._backlog: collections.deque[Ticket] = collections.deque()
        self._given: dict[ParserProcess, collections.deque[Ticket]] = {p: collections.deque() for p in parsers}
        self._crashes = 0

    def submit(self, text: str, source: str, timeout: float) -> Ticket:
        ticket = Ticket(text, source, timeout)
        self._backlog.append(ticket)
        self._pump(0.0)  # answers already in free their children for this one
        return ticket

    def wait(self, tickets: list[Ticket]) -> None:
        """Until every one of `tickets` has its answer."""
        while any(t.answer is None for t in tickets):
            self._pump(None)

    def _dispatch(self) -> None:
        while self._backlog:
            p = min(self.parsers, key=lambda q: len(self._given[q]))
            if len(self._given[p]) >= DEPTH:
                return
            ticket = self._backlog.popleft()
            p.start()
            p.send(ticket.text, ticket.timeout)
            self._given[p].append(ticket)

    def _pump(self, timeout: float | None) -> None:
        """Give out waiting articles, then read what answers there are (waiting up to `timeout`
        for one; None: until one comes)."""
        self._dispatch()
        busy = [p for p in self.parsers if self._given[p]]
        if not busy:
            return
        readable, _, _ = select.select(busy, [], [], timeout)
        for p in readable:
            answers = p.read()
            if answers is None:
                self._died(p)
                continue
            for msg in answers:
                self._answered(p, msg)
        self._dispatch()

    def _answered(self, p: ParserProcess, msg: Message) -> None:
        """One message from `p`: first Ready (else the model did not load), then answers in order."""
        if not p.ready:
            if not isinstance(msg, Ready):
                self.forget()
                raise ModelError(msg.message if isinstance(msg, LoadFailed) else
                                 f"{p.model}: the UDPipe parser process said {msg!r} before it was ready")
            p.ready = True
            return
        if not isinstance(msg, (Tokens, ArticleFailed, ParseFailed)):
            self.forget()
            raise KgError(f"{p.model}: the UDPipe parser process said {msg!r} where an answer was due")
        self._given[p].popleft().answer = msg
        p.busy += msg.seconds
        self._crashes = 0

    def _died(self, p: ParserProcess) -> None:
        """The child's output ended: the article it was parsing fails; a new child parses the rest."""
        code = p.reap()
        if not p.ready:
            self.forget()
            raise ModelError(f"{p.model}: the UDPipe parser process stopped while loading it (exit code {code})")
        given, self._given[p] = self._given[p], collections.deque()
        first = given.popleft()
        self._crashes += 1
        if self._crashes >= CRASHES:
            first.answer = Broken(f"{p.model}: the UDPipe parser process stopped on {CRASHES} articles in a "
                                  f"row (exit code {code})")
        else:
            first.answer = Died(code)
        self._backlog.extendleft(reversed(given))  # asked again, first in line

    def forget(self) -> None:
        """Drop what was asked and not answered (a run that stops): children that were working on
        it are stopped; a new child starts at the next request."""
        for p, given in self._given.items():
            if given:
                p.close()
                given.clear()
        self._backlog.clear()


_RUNNING: dict[tuple[str, int, int, int], list[ParserProcess]] = {}


def parsers_for(model: Path, n: int) -> list[ParserProcess]:
    """`n` parsers for `model`, kept in this process between runs (a scheduled job, the
    benchmark's parts), as a model loaded in-process would be; a changed model file gets new ones.
    A run with fewer workers than the last leaves the others idle, for the next run with more."""
    st = model.stat()
    key = (str(model.resolve()), st.st_size, st.st_mtime_ns, st.st_ino)
    if key not in _RUNNING:
        _close_all()
        _RUNNING[key] = []
    running = _RUNNING[key]
    while len(running) < n:
        running.append(ParserProcess(model))
    return running[:n]


def start_early(model: Path) -> None:
    """Start the first parser for `model` now, so it loads the model while kg loads its rules and
    reads the input: a run's first article then waits for the model only as long as a parse-only
    process would. A child that gets nothing to parse is killed at exit, not waited for."""
    parsers_for(model, 1)[0].start()


@atexit.register
def _close_all() -> None:
    for running in _RUNNING.values():
        for p in running:
            p.close()
    _RUNNING.clear()


# --- the child -------------------------------------------------------------------------


def serve(model: Path) -> None:
    """The child's loop: Ready (or LoadFailed), then for each Request its Tokens, or ArticleFailed
    for an article's own fault, or ParseFailed (kg.run.protocol)."""
    import signal

    # Ctrl-C reaches the whole process group: kg's own process decides when to stop, and then
    # closes the pipes, which ends this loop
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    out = os.fdopen(os.dup(1), "wb")
    os.dup2(2, 1)  # a stray print from a library must not end up inside an answer
    with contextlib.suppress(BrokenPipeError, EOFError):  # kg's process stopped: nobody to answer
        _serve(model, sys.stdin.buffer, out)
    # every answer is written: the interpreter's teardown (freeing spaCy's and UDPipe's objects, a
    # quarter of a second) would only keep kg's process waiting for this one to end
    with contextlib.suppress(OSError, ValueError):
        out.close()
        sys.stderr.flush()
    os._exit(0)


def _serve(model: Path, inp: BinaryIO, out: BinaryIO) -> None:
    from ..nlp import load, parse

    try:
        load(model)
    except KgError as err:
        send(out, LoadFailed(str(err)))
        return
    except Exception as err:  # said to kg's process, which stops the run
        send(out, LoadFailed(f"{model}: cannot load model ({type(err).__name__}: {err})"))
        return
    send(out, Ready())
    while True:
        request = receive(inp)
        assert isinstance(request, Request), request  # kg's process sends nothing else
        t = time.perf_counter()
        try:
            tokens = parse(request.text, model, deadline(request.timeout, _Late)).tokens
        except _Late:
            send(out, ArticleFailed(too_slow(request.timeout), time.perf_counter() - t))
        except KgError as err:
            send(out, ParseFailed(str(err), time.perf_counter() - t))
        except Exception as err:  # one article's failure never stops the batch
            send(out, ArticleFailed(f"{type(err).__name__}: {err}", time.perf_counter() - t))
        else:
            send(out, Tokens(tokens, time.perf_counter() - t))


class _Late(Exception):
    pass


if __name__ == "__main__":
    serve(Path(sys.argv[1]))
