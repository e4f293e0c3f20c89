"""UDPipe in a child process, parsing the next articles while this process does everything else.

Parsing is most of an export's time. With the parser in its own process, kg's own stages
(extraction, mapping, RDF, writing) run beside it on another core instead of after it, so a
one-worker run takes about as long as parsing alone. The child is a plain `python -m kg.run.parser
MODEL` (not multiprocessing: a script that calls kg without an `if __name__ == "__main__"` guard
must not be imported again); requests and answers are pickles framed by their length on its
stdin and stdout. Only kg's own process writes to the child, and the child only answers it.
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
import struct
import subprocess
import sys
import threading
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any, BinaryIO

from ..errors import ArticleError, KgError, ModelError, too_slow
from ..nlp import Token

_LEN = struct.Struct("<Q")
CRASHES = 3  # consecutive articles that kill the parser: then it is the parser, not the articles
DEPTH = 4  # articles a child has at a time: it never waits for kg to give it the next


def _frame(obj: object) -> bytes:
    data = pickle.dumps(obj, protocol=pickle.HIGHEST_PROTOCOL)
    return _LEN.pack(len(data)) + data


def _send(f: BinaryIO, obj: object) -> None:
    f.write(_frame(obj))
    f.flush()


def _receive(f: BinaryIO) -> Any:
    head = f.read(_LEN.size)
    if len(head) < _LEN.size:
        raise EOFError
    size = _LEN.unpack(head)[0]
    data = f.read(size)
    if len(data) < size:
        raise EOFError
    return pickle.loads(data)


class ParserProcess:
    """One child process with the model loaded. `Pool` decides what it parses."""

    def __init__(self, model: Path) -> None:
        self.model = model
        self.busy = 0.0  # seconds the child spent parsing (kg's benchmark reads it)
        self._proc: subprocess.Popen[bytes] | None = None
        self._fd = -1
        self._buf = bytearray()  # read from the child, not yet a whole answer
        self._outbox: queue.SimpleQueue[bytes | None] = queue.SimpleQueue()
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
        self._outbox.put(_frame((text, timeout)))

    @staticmethod
    def _write(pipe: BinaryIO, outbox: queue.SimpleQueue[bytes | None]) -> None:
        try:
            while (data := outbox.get()) is not None:
                pipe.write(data)
                pipe.flush()
            pipe.close()
        except (OSError, ValueError):
            pass  # the child is gone: reading its answer finds out and says so

    def read(self) -> list[Any] | None:
        """The whole answers that have come in (call when the pipe is readable: it does not wait
        then); None when the child is gone, which also reaps it."""
        try:
            data = os.read(self._fd, 1 << 20)
        except OSError:
            data = b""
        if not data:
            return None
        self._buf += data
        answers = []
        at = 0
        while len(self._buf) - at >= _LEN.size:
            (n,) = _LEN.unpack_from(self._buf, at)
            if len(self._buf) - at - _LEN.size < n:
                break
            try:
                answers.append(pickle.loads(self._buf[at + _LEN.size : at + _LEN.size + n]))
            except pickle.UnpicklingError:
                return None
            at += _LEN.size + n
        del self._buf[:at]
        return answers

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


class Ticket:
    """One article given to the pool; `tokens()` once its answer is in."""

    __slots__ = ("answer", "source", "text", "timeout")

    def __init__(self, text: str, source: str, timeout: float) -> None:
        self.text = text  # kept until answered: a child that dies leaves it to be asked again
        self.source = source
        self.timeout = timeout
        self.answer: tuple[Any, ...] | None = None

    def tokens(self) -> tuple[Token, ...]:
        """The article's tokens. Raises ArticleError for the article's own fault (too slow; or the
        parser died on it), and KgError when the parser cannot work at all."""
        assert self.answer is not None, "wait for the answer first (Pool.wait)"
        kind, value, _ = self.answer
        if kind == "ok":
            return value  # type: ignore[no-any-return]
        if kind == "article":
            raise ArticleError(self.source, value)
        if kind == "died":
            raise ArticleError(self.source, f"the UDPipe parser process stopped while parsing it (exit code {value})")
        if kind == "broken":
            raise KgError(value)
        raise ModelError(str(value))


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
            for answer in answers:
                if not p.ready:
                    if answer[0] != "ready":
                        self.forget()
                        raise ModelError(str(answer[1]))
                    p.ready = True
                    continue
                self._given[p].popleft().answer = answer
                p.busy += answer[2]
                self._crashes = 0
        self._dispatch()

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
            first.answer = ("broken", f"{p.model}: the UDPipe parser process stopped on {CRASHES} articles in a "
                            f"row (exit code {code})", 0.0)
        else:
            first.answer = ("died", code, 0.0)
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
    """The child's loop: read (text, timeout), answer ("ok", tokens, seconds), or ("article",
    reason, seconds) for an article's own fault, or ("error", message, seconds)."""
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
        _send(out, ("failed", str(err)))
        return
    except Exception as err:  # said to kg's process, which stops the run
        _send(out, ("failed", f"{model}: cannot load model ({type(err).__name__}: {err})"))
        return
    _send(out, ("ready", None))
    while True:
        text, timeout = _receive(inp)
        t = time.perf_counter()
        try:
            answer: tuple[str, object] = ("ok", parse(text, model, _deadline(time.monotonic() + timeout)).tokens)
        except _Late:
            answer = ("article", too_slow(timeout))
        except KgError as err:
            answer = ("error", str(err))
        except Exception as err:  # one article's failure never stops the batch
            answer = ("article", f"{type(err).__name__}: {err}")
        _send(out, (*answer, time.perf_counter() - t))


class _Late(Exception):
    pass


def _deadline(at: float) -> Callable[[], None]:
    def in_time() -> None:
        if time.monotonic() > at:
            raise _Late

    return in_time


if __name__ == "__main__":
    serve(Path(sys.argv[1]))
