"""Errors kg reports to users: one line each, naming the file (and line) and what is allowed."""

from __future__ import annotations

from collections.abc import Iterable


class KgError(Exception):
    """An error the CLI turns into a message and an exit code (2: usage, model or rules)."""

    exit_code = 2


class ModelError(KgError):
    """No usable parsing model."""


class RulesError(KgError):
    """Rules that fail validation; `problems` holds every `file:line: message` found."""

    def __init__(self, problems: list[str]) -> None:
        self.problems = problems
        super().__init__("\n".join(problems))


class Interrupted(KgError):
    """SIGTERM or Ctrl-C: the run stops between documents; a rerun finishes the work."""

    exit_code = 143


class ArticleError(Exception):
    """One article could not be read or processed; the batch goes on without it."""

    def __init__(self, source: str, reason: str) -> None:
        self.source = source
        self.reason = reason
        super().__init__(f"{source}: {reason}")


def too_slow(timeout: float) -> str:
    """The reason given for an article stopped by --timeout (wherever it was parsed)."""
    return f"took longer than {timeout:g} s (--timeout); stopped"


def unknown(what: str, value: str, known: Iterable[str]) -> str:
    """The one wording of a value outside a closed set (a format, an engine, an option's choice),
    as rules and inputs already word theirs: `unknown engine 'x' (known: local, spark)`."""
    return f"unknown {what} {value!r} (known: {', '.join(known)})"
