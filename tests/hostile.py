"""A hostile corpus, generated (never pasted): every kind of input kg must survive.

`make(folder)` writes the files and returns what is expected of each: "export" (must be written)
or "report" (must be named with a reason), by source name.
"""

from __future__ import annotations

import json
from pathlib import Path

GOOD = "ووصل وزير الخارجية الروسي سيرغي لافروف إلى دمشق يوم الثلاثاء، وقال إن روسيا ستدعم الحكومة."


def make(folder: Path, big: int = 5_000_000) -> dict[str, str]:
    folder.mkdir(parents=True, exist_ok=True)
    expect: dict[str, str] = {}

    def text(name: str, content: str, what: str = "export") -> None:
        (folder / name).write_text(content, encoding="utf-8")
        expect[name] = what

    def raw(name: str, content: bytes, what: str) -> None:
        (folder / name).write_bytes(content)
        expect[name] = what

    text("empty.txt", "")
    text("spaces.txt", " \n\t\u00a0\n   ")
    raw("latin1.txt", "café à Moscou".encode("latin-1"), "report")
    raw("utf16.txt", ("\ufeff" + GOOD).encode("utf-16-le"), "export")
    raw("binary.txt", bytes(range(256)) * 64, "report")
    text("no-punctuation-5mb.txt", ("كلمة " * (big // 5))[:big], "report")  # past --max-chars
    text("one-long-token.txt", "ب" * 200_000)
    text("bidi-and-zero-width.txt",
         "\u202eوقال\u202c لافروف\u200f \u2066إن\u2069 روسيا\u200b\u200dستدعم الحكومة\ufeff.")
    text("tatweel.txt", "وقـــــــال لافـــــروف إن روســـــيا ستـــدعم الحكومـــة." + "ـ" * 5000)
    text("quranic-marks.txt", "بِسْمِ ٱللَّهِ ٱلرَّحْمَٰنِ ٱلرَّحِيمِ ۝ ﴿ذَٰلِكَ ٱلْكِتَٰبُ لَا رَيْبَۛ فِيهِۛ﴾ ۚ وَقَالَ لَافْرُوفُ")
    text("full-diacritics.txt", "وَقَالَ وَزِيرُ الخَارِجِيَّةِ الرُّوسِيُّ سِيرْغِي لَافْرُوف إِنَّ رُوسِيَا سَتَدْعَمُ الحُكُومَةَ.")
    text("mixed-scripts.txt", "قال Lavrov 拉夫罗夫 إن روسيا 🇷🇺🔥 ستدعم الحكومة 😀 ∑∞ Привет.")
    text("digits.txt", "اتفقت موسكو وواشنطن في ١٢/٤/٢٠١٧ على ۱۲۳ بندا و 45 بندا.")
    text("html-debris.txt", "<div class=\"x\"><script>alert(1)</script>&nbsp;ووصل لافروف إلى &amp; دمشق</div>"
                            "\n# عنوان\n**ووصل** [لافروف](http://x) `code` | a | b |")
    text("controls.txt", "وقال\x00 لافروف\x07 إن\x1b روسيا\x7f ستدعم\u0085 الحكومة\u2028.")
    text("lone-surrogate-free.txt", GOOD)
    text("path-like-id.txt", GOOD)
    lines = [
        json.dumps({"id": "feed-1", "text": GOOD, "date": "2017-04-12", "url": "http://example.org/a b>"}),
        "{not json",
        json.dumps({"id": "feed-2"}),
        json.dumps({"text": "بلا معرف"}),
        json.dumps({"id": ["x"], "text": GOOD}),
        json.dumps({"id": "feed-3", "text": 42}),
        json.dumps({"id": "feed-1", "text": GOOD}),  # duplicate id
        json.dumps({"id": "../../escape", "text": GOOD}),
        json.dumps({"id": "/abs/path", "text": GOOD, "date": "not a date"}),
        json.dumps({"id": "surrogate", "text": "وقال \ud800 لافروف \udfff إن روسيا ستدعم."}),
        json.dumps([1, 2, 3]),
        "",
        json.dumps({"id": "feed-4", "text": GOOD, "title": {"bad": "type"}}),
    ]
    (folder / "feed.jsonl").write_text("\n".join(lines) + "\n", encoding="utf-8")
    feed = {"feed-1": "export", "feed.jsonl:2": "report", "feed.jsonl:3": "report", "feed.jsonl:4": "report",
            "feed.jsonl:5": "report", "feed.jsonl:6": "report", "feed.jsonl:7": "report",
            "../../escape": "export", "/abs/path": "export", "surrogate": "export", "feed.jsonl:11": "report",
            "feed.jsonl:13": "report"}
    expect.update(feed)
    return expect


if __name__ == "__main__":  # python tests/hostile.py DIR: write the corpus to look at or run by hand
    import sys

    for name, what in sorted(make(Path(sys.argv[1])).items()):
        print(f"{what:7} {name}")
