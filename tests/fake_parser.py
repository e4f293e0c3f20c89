"""A stand-in for `python -m kg.run.parser` that speaks its protocol (kg.run.protocol) without a
model (tests of kg.run.parser.Pool): each answer's tokens are the text and this process's pid;
"die" kills it, "slow:S" sleeps S seconds first."""

import os
import sys
import time

from kg.run.protocol import Ready, Request, Tokens, receive, send

out = os.fdopen(os.dup(1), "wb")
send(out, Ready())
while True:
    try:
        request = receive(sys.stdin.buffer)
    except EOFError:
        break
    assert isinstance(request, Request)
    text = request.text
    if text == "die":
        os._exit(3)
    if text.startswith("slow:"):
        time.sleep(float(text[5:]))
    send(out, Tokens((text, os.getpid()), 0.0))  # type: ignore[arg-type]
