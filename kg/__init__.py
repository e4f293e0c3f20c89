"""kg: knowledge graphs from Arabic news — who did what to whom, and where, as Turtle."""

from __future__ import annotations

__version__ = "0.1.0"
