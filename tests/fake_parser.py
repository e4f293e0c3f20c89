"""A stand-in for `python -m kg.run.parser` that speaks its protocol without a model (tests of
kg.run.parser.Pool): each answer is the text and this process's pid; "die" kills it, "slow:S"
sleeps S seconds first."""

import os
import sys
import time

from kg.run.parser import _receive, _send

out = os.fdopen(os.dup(1), "wb")
_send(out, ("ready", None))
while True:
    try:
        text, _ = _receive(sys.stdin.buffer)
    except EOFError:
        break
    if text == "die":
        os._exit(3)
    if text.startswith("slow:"):
        time.sleep(float(text[5:]))
    _send(out, ("ok", (text, os.getpid()), 0.0))
