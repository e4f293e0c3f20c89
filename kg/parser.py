"""UDPipe in a child process, parsing the next articles while this process does everything else.

Parsing is most of an export's time. With the parser in its own process, kg's own stages
(extraction, mapping, RDF, writing) run beside it on another core instead of after it, so a
one-worker run takes about as long as parsing alone. The child is a plain `python -m kg.parser
MODEL` (not multiprocessing: a script that calls kg without an `if __name__ == "__main__"` guard
must not be imported again); requests and answers are pickles framed by their length on its
stdin and stdout. Only kg's own process writes to the child, and the child only answers it.

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
import struct
import subprocess
import sys
import threading
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any, BinaryIO

from .errors import ArticleError, KgError, ModelError, too_slow
from .nlp import Token

_LEN = struct.Struct("<Q")
CRASHES = 3  # consecutive articles that kill the parser: then it is the parser, not the articles


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
    """One child process with the model loaded; answers come back in the order asked."""

    def __init__(self, model: Path) -> None:
        self.model = model
        self.busy = 0.0  # seconds the child spent parsing (kg's benchmark reads it)
        self._proc: subprocess.Popen[bytes] | None = None
        self._asked: collections.deque[tuple[str, str, float]] = collections.deque()  # not yet used
        self._answers: collections.deque[Any] = collections.deque()  # read, for the oldest asked
        self._outbox: queue.SimpleQueue[bytes | None] = queue.SimpleQueue()
        self._ready = False  # the child said it has the model loaded
        self._crashes = 0

    def _start(self) -> None:
        if self._proc is not None:
            return
        # the child imports the kg this process runs, installed or not
        where = str(Path(__file__).resolve().parent.parent)
        env = dict(os.environ, PYTHONWARNINGS="ignore",
                   PYTHONPATH=os.pathsep.join([where, *filter(None, [os.environ.get("PYTHONPATH")])]))
        try:
            self._proc = subprocess.Popen([sys.executable, "-m", "kg.parser", str(self.model)],
                                          stdin=subprocess.PIPE, stdout=subprocess.PIPE, env=env)
        except OSError as err:
            raise KgError(f"{sys.executable}: cannot start kg's parser process ({err.strerror or err})") from None
        self._ready = False  # it says so once the model is loaded; until then, requests wait in the pipe
        # A thread writes the requests: the child writes answers while this process may be writing a
        # long text, and each would wait for the other to read.
        self._outbox = queue.SimpleQueue()
        threading.Thread(target=self._write, args=(self._proc.stdin, self._outbox), daemon=True,
                         name="kg-parser-send").start()

    def _next(self) -> Any:
        """The child's next answer; the first time, after it says the model is loaded (so several
        children load their models at once)."""
        if not self._ready:
            ready = self._answer()
            if ready[0] != "ready":
                self.close()
                raise ModelError(str(ready[1]) if ready[0] == "failed" else f"{self.model}: the UDPipe parser "
                                 f"process stopped while loading it (exit code {ready[1]})")
            self._ready = True
        return self._answer()

    @staticmethod
    def _write(pipe: BinaryIO, outbox: queue.SimpleQueue[bytes | None]) -> None:
        try:
            while (data := outbox.get()) is not None:
                pipe.write(data)
                pipe.flush()
            pipe.close()
        except (OSError, ValueError):
            pass  # the child is gone: reading its answer finds out and says so

    def _answer(self) -> Any:
        assert self._proc is not None and self._proc.stdout is not None
        try:
            return _receive(self._proc.stdout)  # type: ignore[arg-type]
        except (EOFError, OSError, pickle.UnpicklingError):
            self._outbox.put(None)
            code = self._proc.wait()
            self._proc.stdout.close()
            self._proc = None
            return ("died", code)

    @property
    def waiting(self) -> int:
        """Articles asked and not yet used (answered or not)."""
        return len(self._asked)

    def ask(self, text: str, source: str, timeout: float) -> None:
        """Queue an article for parsing; `tokens` gives the answers in the order asked."""
        self._start()
        self._outbox.put(_frame((text, timeout)))
        self._asked.append((text, source, timeout))

    def receive(self, n: int) -> None:
        """Wait until the `n` oldest articles asked have their answers (or the child died)."""
        while len(self._answers) < min(n, len(self._asked)):
            self._answers.append(self._next())
            if self._answers[-1][0] == "died":
                break

    def tokens(self) -> tuple[Token, ...]:
        """The tokens of the oldest article asked and not yet used. Raises ArticleError for that
        article's own fault (too slow; or the parser died on it, and a new child is asked for the
        others), and KgError when the parser cannot work at all."""
        _, source, _ = self._asked.popleft()
        answer = self._answers.popleft() if self._answers else self._next()
        if answer[0] == "died":
            self._crashes += 1
            if self._crashes >= CRASHES:
                raise KgError(f"{self.model}: the UDPipe parser process stopped on {CRASHES} articles in a row "
                              f"(exit code {answer[1]})")
            again = list(self._asked)
            self._asked.clear()
            for text, src, timeout in again:
                self.ask(text, src, timeout)
            raise ArticleError(source, f"the UDPipe parser process stopped while parsing it (exit code {answer[1]})")
        self._crashes = 0
        kind, value, seconds = answer
        self.busy += seconds
        if kind == "ok":
            return value  # type: ignore[no-any-return]
        if kind == "article":
            raise ArticleError(source, value)
        raise ModelError(str(value))

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

    def forget(self) -> None:
        """Drop unanswered requests (a run that stops): a new child starts at the next request."""
        if self._asked:
            self.close()

    def close(self) -> None:
        proc, self._proc = self._proc, None
        self._asked.clear()
        self._answers.clear()
        if proc is None:
            return
        self._outbox.put(None)  # the child stops at the end of its input
        if proc.stdout is not None:
            proc.stdout.close()
        try:
            proc.wait(timeout=5)
        except subprocess.TimeoutExpired:
            proc.kill()
            proc.wait()


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


def _serve(model: Path, inp: BinaryIO, out: BinaryIO) -> None:
    from .nlp import load, parse

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
