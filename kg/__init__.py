"""kg: knowledge graphs from Arabic news — who did what to whom, and where, as Turtle.

The public API: `analyse` (one article to its records), `export` (articles to a folder of
Turtle files and the events table), `load_rules` (the rules, cached between runs).
"""

from __future__ import annotations

__version__ = "0.1.0"
__all__ = ["__version__", "analyse", "export", "load_rules"]

TYPE_CHECKING = False  # not `typing`: it alone would triple the import time
if TYPE_CHECKING:
    from .compiled import load_rules
    from .document import analyse
    from .run.local import export

# imported on first use: `import kg` (and so `kg --help`) stays as cheap as it was (issue 22)
_LAZY = {"analyse": "document", "export": "run.local", "load_rules": "compiled"}


def __getattr__(name: str) -> object:
    if name in _LAZY:
        from importlib import import_module

        return getattr(import_module(f"{__name__}.{_LAZY[name]}"), name)
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
