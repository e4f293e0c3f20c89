"""The footer rule: a news page's trailing boilerplate (`SHARE`, `close`, `المواضيع الأكثر قراءة`,
the site's name) is cut off as the article is read, so it never yields events or names.

The footer is the run of lines at the very end of the text, after a blank line, each of them
short (at most FOOTER_WORDS words) and without sentence punctuation. A text that is all such
lines is left whole: a one-line article or a headline is text, not a footer. Cutting at the end
keeps every offset into the rest of the text as it was.
"""

from __future__ import annotations

import re

FOOTER_WORDS = 4
# a sentence ends or pauses here: a line with one of these is text, not a page's furniture
_SENTENCE = re.compile(r"[.!?؟،,;؛:\"«»“”()]")
_BLANK = re.compile(r"\n[ \t\u00a0\r]*\n")


def _furniture(line: str) -> bool:
    return not line.strip() or (len(line.split()) <= FOOTER_WORDS and not _SENTENCE.search(line))


def body_end(text: str) -> int:
    """Where the article ends: len(text), or the start of its footer (see the module's rule)."""
    end = len(text)
    for gap in reversed(list(_BLANK.finditer(text))):
        if not all(_furniture(line) for line in text[gap.end():].splitlines()):
            return end
        end = gap.start()
    if all(_furniture(line) for line in text[:end].splitlines()):
        return len(text)  # no line of text before the short ones: they are the article
    return end


def strip_footer(text: str) -> str:
    """The article without its footer (nothing else changes)."""
    return text[:body_end(text)]
