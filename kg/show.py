"""An annotated HTML view of one article (what kg found, what it missed), for people writing rules.

One self-contained page: no network, no script. Details show on :hover/:focus-within, so the page
works offline, from file://, and with JavaScript off; a CSP meta tag forbids scripts outright as a
second line of defence. The article is untrusted: every piece of text goes through `_t`.
"""

from __future__ import annotations

import math
import re
from html import escape

from .extract import Extraction
from .mapping import DocRecord, EventRecord, MentionRecord
from .normalize import replace_surrogates
from .rules import Rules

__all__ = ["render_html", "unmatched_candidates"]

WIKIDATA = "http://www.wikidata.org/entity/"
TYPE_COLORS = {
    "person": "#ffd8a8", "country": "#b2f2bb", "city": "#a5d8ff", "organization": "#d0bfff",
    "place": "#96f2d7", "facility": "#ffec99", "group": "#fcc2d7", "instrument": "#dee2e6",
    "title": "#eebefa", "name": "#ffc9c9", "thing": "#e9ecef",
}
ROLE_COLORS = {"actor": "#1864ab", "target": "#c92a2a", "location": "#2b8a3e"}
_BIDI = re.compile("[\u202a-\u202e\u2066-\u2069]")
_CONTROL = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")  # HTML parse errors; some browsers drop them
_QID = re.compile(r"Q[1-9][0-9]*")

CSS = """
body{font:15px/1.5 system-ui,"DejaVu Sans",sans-serif;margin:1.5em auto;max-width:75em;padding:0 1em;color:#212529}
h1{font-size:1.3em}h2{font-size:1.1em;margin-top:1.6em}code,.iri{font:12px monospace;word-break:break-all}
.article{unicode-bidi:isolate;white-space:pre-wrap;font-family:"Noto Naskh Arabic","Noto Sans Arabic","DejaVu Sans",
 serif;font-size:19px;line-height:2.1;border:1px solid #ced4da;border-radius:6px;padding:1em 1.2em;background:#fff;
 position:relative}
.m,.a{border-radius:4px;padding:1px 2px;cursor:help;outline-offset:1px}
.m.unl{box-shadow:inset 0 -2px 0 #868e96}.m.name{outline:1px dashed #c92a2a}
.a{font-weight:bold;color:#862e9c;border-bottom:3px double #862e9c;border-radius:0}
.a.neg{color:#495057;text-decoration:line-through}.ctl{color:#c92a2a;font:12px monospace}
.m:focus,.a:focus{outline:2px solid #1c7ed6}
/* A tip is placed against the article box, not the mark: under the mark's line (its static position), never
 off-screen whichever side the mark is on. It lingers .4s after the pointer leaves, time to reach its link. */
.tip{display:block;visibility:hidden;transition:visibility 0s .4s;position:absolute;z-index:5;left:1em;right:1em;
 margin-top:.3em;white-space:normal;direction:ltr;text-align:left;font:12px/1.45 system-ui,"DejaVu Sans",sans-serif;
 color:#212529;background:#fffbe6;border:1px solid #adb5bd;border-radius:4px;padding:.4em .6em;
 box-shadow:0 2px 6px #0003}
.m:hover>.tip,.m:focus-within>.tip,.a:hover>.tip,.a:focus-within>.tip{visibility:visible;transition-delay:0s}
.tip b{font-weight:600}.tip bdi{font-family:"Noto Naskh Arabic","DejaVu Sans",serif;font-size:14px}
table{border-collapse:collapse;width:100%}th,td{border:1px solid #dee2e6;padding:.3em .5em;vertical-align:top}
th{background:#f1f3f5;text-align:start}td bdi{font-size:16px}.chip{border-radius:4px;padding:0 3px;margin:0 2px}
.legend span{display:inline-block;margin:0 .6em .3em 0;padding:0 .4em;border-radius:4px}
svg{width:100%;height:auto;border:1px solid #dee2e6;border-radius:6px;background:#fff}
svg text{font:12px "DejaVu Sans",sans-serif}ul.cand{columns:4;list-style:none;padding:0;direction:rtl}
"""


def _a(s: str) -> str:
    """An attribute value, or text where no markup may go (<title>, SVG): lone surrogates -> U+FFFD,
    bidi controls shown as ⟨U+202E⟩ rather than obeyed, escaped."""
    s = _CONTROL.sub("\ufffd", replace_surrogates(s))
    return escape(_BIDI.sub(lambda m: f"⟨U+{ord(m.group()):04X}⟩", s), quote=True)


def _t(s: str) -> str:
    """Text: as `_a`, and each bidi placeholder is an isolated LTR run, else the RTL text around it
    mirrors its brackets."""
    s = escape(_CONTROL.sub("\ufffd", replace_surrogates(s)), quote=True)
    return _BIDI.sub(lambda m: f'<bdi class="ctl" dir="ltr">⟨U+{ord(m.group()):04X}⟩</bdi>', s)


def _iri(iri: str) -> str:
    """A Wikidata entity links to its page; any other IRI is shown as text (it need not resolve)."""
    local = iri[len(WIKIDATA):] if iri.startswith(WIKIDATA) else ""
    if _QID.fullmatch(local):
        return f'<a class="iri" href="https://www.wikidata.org/wiki/{local}">{_t(iri)}</a>'
    return f'<span class="iri">{_t(iri)}</span>'


def _type_names(record: DocRecord, extraction: Extraction, rules: Rules) -> dict[tuple[int, int], str]:
    """Entity type name per mention span: from extraction, else back from the class IRI."""
    names = {iri: name for name, iri in rules.types.items()}
    kgo = rules.prefixes.get("kgo", "")
    out = {(m.start, m.end): m.type for m in extraction.mentions}
    for r in record.mentions:
        if (r.start, r.end) not in out:
            local = r.entity_type[len(kgo):].lower() if kgo and r.entity_type.startswith(kgo) else "thing"
            out[(r.start, r.end)] = names.get(r.entity_type, local)
    return out


def _css_type(name: str) -> str:
    return name if name in TYPE_COLORS else "thing"


def _participants(e: EventRecord) -> list[tuple[str, MentionRecord]]:
    return [*(("actor", m) for m in e.actors), *(("target", m) for m in e.targets),
            *(("location", m) for m in e.locations)]


def _spans(record: DocRecord) -> list[tuple[int, int, MentionRecord | EventRecord]]:
    """Mentions and action words in text order; an overlapping later span is dropped, not nested."""
    n = len(record.article.text)
    found: dict[tuple[int, int], MentionRecord | EventRecord] = {(m.start, m.end): m for m in record.mentions}
    for e in record.events:
        found.setdefault((e.action.start, e.action.end), e)
    out: list[tuple[int, int, MentionRecord | EventRecord]] = []
    for (s, end), item in sorted(found.items(), key=lambda kv: (kv[0][0], -kv[0][1])):
        if 0 <= s < end <= n and (not out or s >= out[-1][1]):
            out.append((s, end, item))
    return out


def _article(record: DocRecord, types: dict[tuple[int, int], str]) -> str:
    roles: dict[tuple[int, int], list[str]] = {}
    for e in record.events:
        for role, m in _participants(e):
            roles.setdefault((m.start, m.end), []).append(f"{_t(role)} of <bdi>{_t(e.action.text)}</bdi>")
    text, pos = record.article.text, 0
    parts: list[str] = []
    for s, end, item in _spans(record):
        parts.append(_t(text[pos:s]))
        if isinstance(item, MentionRecord):
            ty = types.get((s, end), "thing")
            cls = f"m t-{_css_type(ty)}{'' if item.linked else ' unl'}{' name' if item.rule == 'parser:PROPN' else ''}"
            tip = (f"<b>{_t(ty)}</b> · {_t(item.entity_label)}"
                   f"{' / ' + _t(item.entity_label_en) if item.entity_label_en else ''}<br>{_iri(item.entity)}"
                   f"<br>rule: <code>{_t(item.rule)}</code>{'' if item.linked else ' · minted IRI'}")
            if item.nationality:
                tip += f"<br>nationality: {_iri(item.nationality)}"
            tip += "<br>" + ("; ".join(roles.get((s, end), [])) or "in no event")
            attrs = f' data-iri="{_a(item.entity)}"'
        else:
            cls = "a neg" if item.negated else "a"
            tip = (f"<b>action</b> {_t(item.action_id)} · {_t(item.action_label_en or '')} <bdi>"
                   f"{_t(item.action_label_ar)}</bdi><br>{_iri(item.action_class)}<br>rule: <code>{_t(item.rule)}"
                   f"</code> · {_t(str(item.how))} · confidence {item.confidence:.2f}"
                   f"{' · negated' if item.negated else ''}")
            attrs = f' data-event-ref="{_a(item.iri)}"'
        parts.append(f'<span class="{cls}" tabindex="0"{attrs}>{_t(text[s:end])}<span class="tip">{tip}</span></span>')
        pos = end
    parts.append(_t(text[pos:]))
    return f'<div class="article" dir="rtl" lang="ar">{"".join(parts)}</div>'


def _shown(m: MentionRecord, text: str) -> str:
    """A mention's words; an empty span (an implied participant) shows its label or ∅."""
    return m.text or text[m.start:m.end] or m.entity_label or "∅"


def _chips(ms: tuple[MentionRecord, ...], types: dict[tuple[int, int], str], text: str) -> str:
    return " ".join(
        f'<span class="chip t-{_css_type(types.get((m.start, m.end), "thing"))}" data-iri="{_a(m.entity)}"'
        f' title="{_a(m.entity)}" dir="rtl"><bdi>{_t(_shown(m, text))}</bdi></span>'
        for m in ms
    )


def _table(record: DocRecord, types: dict[tuple[int, int], str]) -> str:
    rows, text = [], record.article.text
    for i, e in enumerate(record.events, 1):
        label = " · ".join(_t(x) for x in (e.action_label_en, e.action_label_ar) if x)
        cells = "".join(f"<td>{_chips(ms, types, text)}</td>" for ms in (e.actors, e.targets, e.locations))
        rows.append(
            f'<tr data-event="{_a(e.iri)}"><td>{i}</td><td title="{_a(e.action_class)}"><bdi class="a">'
            f"{_t(e.action.text)}</bdi> <small>{label}</small></td>{cells}<td>{'yes' if e.negated else 'no'}</td></tr>"
        )
    head = "<tr><th>#</th><th>action</th><th>actor</th><th>target</th><th>location</th><th>negated</th></tr>"
    return f'<table class="events"><thead>{head}</thead><tbody>{"".join(rows)}</tbody></table>'


def _graph(record: DocRecord, types: dict[tuple[int, int], str]) -> str:
    """Entities on an outer ring in order of first appearance; events, numbered as in the table, on an
    inner ring ordered by the angle of their participants' centroid, so edges stay short and nothing
    overlaps. No randomness: the same record draws the same picture."""
    cx, cy, outer, inner = 500.0, 400.0, 300.0, 175.0
    ents: dict[str, MentionRecord] = {}
    for e in record.events:
        for _, m in _participants(e):
            ents.setdefault(m.entity, m)
    n = max(len(ents), 1)
    pos = {iri: (cx + outer * math.sin(2 * math.pi * i / n), cy - outer * math.cos(2 * math.pi * i / n))
           for i, iri in enumerate(ents)}
    drawn = [(i, e) for i, e in enumerate(record.events, 1) if _participants(e)]

    def angle(e: EventRecord) -> float:
        ps = [pos[m.entity] for _, m in _participants(e)]
        x, y = sum(p[0] for p in ps) / len(ps) - cx, sum(p[1] for p in ps) / len(ps) - cy
        return math.atan2(x, -y) % (2 * math.pi)

    order = sorted(drawn, key=lambda ie: (angle(ie[1]), ie[0]))
    k = max(len(order), 1)
    start = angle(order[0][1]) if order else 0.0
    edges, nodes = [], []
    for slot, (i, e) in enumerate(order):
        a = start + 2 * math.pi * slot / k
        x, y = cx + inner * math.sin(a), cy - inner * math.cos(a)
        for role, m in _participants(e):
            (ax, ay), (bx, by) = (pos[m.entity], (x, y)) if role == "actor" else ((x, y), pos[m.entity])
            d = math.hypot(bx - ax, by - ay) or 1.0
            rim = 10.0 if role == "actor" else 8.0  # stop the arrow at the node's rim
            ex, ey = bx - (bx - ax) * rim / d, by - (by - ay) * rim / d
            dash = ' stroke-dasharray="5 3"' if role == "location" else ""
            edges.append(f'<line x1="{ax:.1f}" y1="{ay:.1f}" x2="{ex:.1f}" y2="{ey:.1f}" stroke="{ROLE_COLORS[role]}"'
                         f' stroke-width="1.3" stroke-opacity=".8"{dash} marker-end="url(#arrow-{role})"/>')
        nodes.append(f'<g><title>{i}. {_a(e.action.text)} · {_a(e.action_label_en or e.action_label_ar)} · '
                     f'{_a(e.iri)}</title><circle cx="{x:.1f}" cy="{y:.1f}" r="10" fill="#862e9c"/><text '
                     f'x="{x:.1f}" y="{y + 4:.1f}" text-anchor="middle" fill="#fff" font-size="10">{i}</text></g>')
    for iri, m in ents.items():
        x, y = pos[iri]
        lx, ly = cx + (outer + 13) * (x - cx) / outer, cy + (outer + 13) * (y - cy) / outer
        anchor = "start" if lx > cx + 1 else "end" if lx < cx - 1 else "middle"
        color = TYPE_COLORS[_css_type(types.get((m.start, m.end), "thing"))]
        label = m.entity_label or _shown(m, record.article.text)
        nodes.append(f'<g><title>{_a(label)} · {_a(iri)}</title><circle cx="{x:.1f}" cy="{y:.1f}" r="7" '
                     f'fill="{color}" stroke="#495057"/><text x="{lx:.1f}" y="{ly + 4:.1f}" text-anchor="{anchor}" '
                     f'direction="ltr">{_a(label)}</text></g>')
    markers = "".join(
        f'<marker id="arrow-{r}" viewBox="0 0 10 10" refX="9" refY="5" markerWidth="7" markerHeight="7" '
        f'orient="auto"><path d="M0 0L10 5L0 10z" fill="{c}"/></marker>' for r, c in ROLE_COLORS.items()
    )
    legend = " ".join(f'<tspan fill="{c}">→ {r}</tspan>' for r, c in ROLE_COLORS.items())
    skipped = len(record.events) - len(drawn)
    note = f" · purple: events, numbered as in the table · {skipped} with no participant not drawn"
    return (f'<svg viewBox="0 0 1000 800" role="img" aria-label="events graph"><defs>{markers}</defs>'
            f'<text x="10" y="20">{legend}{_a(note)}</text>{"".join(edges)}{"".join(nodes)}</svg>')


def unmatched_candidates(record: DocRecord, extraction: Extraction) -> tuple[list[str], list[str]]:
    """(names, verbs) worth a rule, deduplicated by text and sorted.

    Names: parser names with no IRI from the rules, and PROPN words inside no mention or action
    word. Verbs: VERB words that are no event's action word; a word inside a mention is skipped
    (the parser tags unknown names as verbs, and the rules already know these).
    """
    taken = [(m.start, m.end) for m in record.mentions] + [(e.action.start, e.action.end) for e in record.events]

    def free(s: int, e: int) -> bool:
        return not any(a < e and s < b for a, b in taken)

    names = {m.text for m in record.mentions if not m.linked and m.rule == "parser:PROPN"}
    names |= {w.text for w in extraction.words if w.pos == "PROPN" and not w.is_punct and free(w.start, w.end)}
    verbs = {w.text for w in extraction.words if w.pos == "VERB" and not w.is_punct and free(w.start, w.end)}
    return sorted(names), sorted(verbs)


def _candidates(items: list[str]) -> str:
    return "".join(f'<li lang="ar"><bdi>{_t(x)}</bdi></li>' for x in items) or "<li>none</li>"


def render_html(record: DocRecord, extraction: Extraction, rules: Rules) -> str:
    """One self-contained HTML page: the annotated article, its events as a table and a graph, and
    the names and verbs no rule matched."""
    types = _type_names(record, extraction, rules)
    art = record.article
    colors = "".join(f".t-{k}{{background:{c}}}" for k, c in TYPE_COLORS.items())
    legend = "".join(f'<span class="t-{k}">{k}</span>' for k in TYPE_COLORS)
    names, verbs = unmatched_candidates(record, extraction)
    meta = "".join(f"<div>{k}: <bdi>{_t(v)}</bdi></div>" for k, v in
                   (("title", art.title), ("url", art.url), ("date", art.date)) if v)
    return (
        '<!DOCTYPE html>\n<html lang="en" dir="ltr"><head><meta charset="utf-8">'
        "<meta http-equiv=\"Content-Security-Policy\" content=\"default-src 'none'; style-src 'unsafe-inline'\">"
        '<meta name="viewport" content="width=device-width,initial-scale=1">'
        f"<title>kg: {_a(art.doc_id)}</title><style>{CSS}{colors}</style></head><body>"
        f"<h1>kg: <bdi>{_t(art.doc_id)}</bdi></h1>{meta}<div>document <span class=\"iri\">{_t(record.iri)}</span>"
        f" · {len(record.mentions)} mentions · {len(record.events)} events · sha256 <code>{_t(record.sha256[:16])}"
        "</code></div><h2>Article</h2><p class=\"legend\">"
        f'{legend}<span class="a">action</span> <span class="m unl">underlined: minted IRI</span> '
        '<span class="m name">dashed: parser name</span> · hover or tab to a mark for details</p>'
        f"{_article(record, types)}<h2>Events</h2>{_table(record, types)}<h2>Graph</h2>{_graph(record, types)}"
        f'<h2>Unmatched candidates worth a rule</h2><h3>Names with no IRI from the rules ({len(names)})</h3>'
        f'<ul class="cand names">{_candidates(names)}</ul><h3>Verbs with no action class ({len(verbs)})</h3>'
        f'<ul class="cand verbs">{_candidates(verbs)}</ul></body></html>\n'
    )
