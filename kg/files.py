"""Files kg writes: a safe file name for a document id, and the one atomic writer."""

from __future__ import annotations

import itertools
import os
import re
from pathlib import Path

_UNSAFE = re.compile(r"[^\w.\-]+")


def safe_name(doc_id: str) -> str:
    """A file name for a document id that cannot leave the output folder (no / .. or NUL)."""
    name = _UNSAFE.sub("_", doc_id).strip("._") or "doc"
    return name[:200]


_SEQ = itertools.count()


def write_atomic(path: Path, data: str) -> None:
    """Write to a temporary name beside `path`, then rename: readers never see half a file.

    Four system calls, and no tempfile.mkstemp, fchmod or text wrapper: a batch writes two files
    an article, and each call costs. The temporary name is this process's own (pid and counter);
    open() gives the mode a plain open() would."""
    data_bytes = data.encode("utf-8")
    # A signal's exception (Ctrl-C, SIGTERM: see cli) can come between any two steps here,
    # even right after open() made the file: so the clean-up goes by the name, not the descriptor.
    tmp = ""
    try:
        while True:
            tmp = f"{path.parent}/.{path.name}.{os.getpid()}-{next(_SEQ)}.tmp"
            try:
                fd = os.open(tmp, os.O_WRONLY | os.O_CREAT | os.O_EXCL | os.O_CLOEXEC, 0o666)
                break
            except FileExistsError:  # left by a killed process that had the same pid
                continue
        try:
            view = memoryview(data_bytes)
            while view:
                view = view[os.write(fd, view):]
        finally:
            os.close(fd)
        os.replace(tmp, path)
    except BaseException:
        if tmp and os.path.exists(tmp):
            os.unlink(tmp)
        raise
