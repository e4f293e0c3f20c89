"""`kg rules import`: a Wikidata query service result (SPARQL 1.1 JSON) -> a rules file.

A query such as

    SELECT ?item ?itemLabel ?itemAltLabel ?enLabel WHERE {
      ?item wdt:P39 wd:Q83307 .                       # holders of some office
      SERVICE wikibase:label { bd:serviceParam wikibase:language "ar". }
      OPTIONAL { ?item rdfs:label ?enLabel FILTER(lang(?enLabel) = "en") }
    }

gives one row per item (or per alias); rows are grouped by item. Arabic labels and aliases
become the entity's label and aliases; an English label is kept. Aliases in the label service's
comma-separated form (`?itemAltLabel`) and one-alias-per-row (`?alias`) both work.
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass, field
from pathlib import Path

import yaml

from .errors import KgError
from .rules import ID_RE, QID_RE

WD_ENTITY = "http://www.wikidata.org/entity/"
_ARABIC = re.compile("[\u0600-\u06ff]")


@dataclass
class _Item:
    ar: str | None = None
    en: str | None = None
    aliases: list[str] = field(default_factory=list)


def _value(binding: dict[str, object], name: str) -> tuple[str, str | None] | None:
    cell = binding.get(name)
    if not isinstance(cell, dict) or not isinstance(cell.get("value"), str):
        return None
    lang = cell.get("xml:lang")
    return cell["value"], lang if isinstance(lang, str) else None


def entities_from_results(data: object, type_name: str, source: str) -> list[dict[str, object]]:
    """Entity mappings (as the rules schema has them) from parsed SPARQL JSON results."""
    try:
        bindings = data["results"]["bindings"]  # type: ignore[index]
        variables = data["head"]["vars"]  # type: ignore[index]
    except (KeyError, TypeError):
        raise KgError(f"{source}: not SPARQL 1.1 JSON results (no head.vars / results.bindings)") from None
    if not isinstance(bindings, list) or not isinstance(variables, list):
        raise KgError(f"{source}: not SPARQL 1.1 JSON results")
    item_var = "item" if "item" in variables else next((str(v) for v in variables), "item")
    grouped: dict[str, _Item] = {}
    for n, b in enumerate(bindings, 1):
        if not isinstance(b, dict):
            raise KgError(f"{source}: result {n} is not an object")
        item = _value(b, item_var)
        if item is None or not item[0].startswith(WD_ENTITY):
            continue
        qid = item[0][len(WD_ENTITY) :]
        if not QID_RE.match(qid):
            continue
        e = grouped.setdefault(qid, _Item())
        for var in variables:
            v = _value(b, str(var))
            if v is None or var == item_var:
                continue
            text, lang = v[0].strip(), v[1]
            name = str(var)
            if name.endswith("AltLabel"):
                parts = [p.strip() for p in text.split(",")]
                e.aliases.extend(p for p in parts if _ARABIC.search(p))
            elif name.lower().startswith("alias"):
                if _ARABIC.search(text):
                    e.aliases.append(text)
            elif name.endswith("Label") or name.lower().startswith("label"):
                if lang == "en" or (lang is None and name.lower().startswith("en")):
                    e.en = e.en or text
                elif _ARABIC.search(text):
                    e.ar = e.ar or text
    out: list[dict[str, object]] = []
    for qid in sorted(grouped, key=lambda q: int(q[1:])):
        e = grouped[qid]
        if not e.ar:
            continue  # no Arabic name: nothing to match in Arabic text
        label: dict[str, object] = {"ar": e.ar}
        if e.en:
            label["en"] = e.en
        aliases = [a for a in dict.fromkeys(e.aliases) if a != e.ar]
        entity: dict[str, object] = {"id": qid.lower(), "type": type_name, "qid": qid, "label": label}
        if aliases:
            entity["aliases"] = aliases
        out.append(entity)
    return out


def import_results(path: Path, type_name: str) -> str:
    """The rules file (YAML text) for the entities in a saved query result."""
    if not ID_RE.match(type_name):
        raise KgError(f"--type {type_name!r}: a type name is lower-case letters, digits, _ or -")
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except OSError as err:
        raise KgError(f"{path}: cannot read ({err.strerror})") from None
    except ValueError as err:
        raise KgError(f"{path}: not JSON ({err})") from None
    entities = entities_from_results(data, type_name, str(path))
    header = f"# Imported by `kg rules import` from {path.name}: {len(entities)} entities with Arabic labels.\n"
    body = yaml.safe_dump({"entities": entities}, allow_unicode=True, sort_keys=False, width=120)
    return header + body
