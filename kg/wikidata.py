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

import gzip
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


# P31 (instance of) values that name a type of the starter pack's base.yaml. Each id is as its
# Wikidata page states it (https://www.wikidata.org/wiki/Q5 human, Q6256 country, Q3624078
# sovereign state, Q515 city, Q1549591 big city, Q5119 capital city, Q43229 organization,
# Q484652 international organization).
P31_TYPES = {"Q5": "person", "Q6256": "country", "Q3624078": "country", "Q515": "city", "Q1549591": "city",
             "Q5119": "city", "Q43229": "organization", "Q484652": "organization"}


def _claim_ids(entity: dict[str, object], prop: str) -> list[str]:
    """The item ids a dump entity's statements give for `prop` (P31, P17)."""
    out = []
    claims = entity.get("claims")
    for c in (claims.get(prop) or []) if isinstance(claims, dict) else []:
        value = ((c.get("mainsnak") or {}).get("datavalue") or {}).get("value") if isinstance(c, dict) else None
        if isinstance(value, dict) and isinstance(value.get("id"), str):
            out.append(value["id"])
    return out


def _texts(entity: dict[str, object], key: str) -> list[str]:
    """The Arabic (or English, key `en:`) texts of a dump entity's labels or aliases."""
    lang, _, key = key.rpartition(":")
    field_ = entity.get(key)
    if not isinstance(field_, dict):
        return []
    cell = field_.get(lang or "ar")
    cells = cell if isinstance(cell, list) else [cell] if cell else []
    return [c["value"].strip() for c in cells if isinstance(c, dict) and isinstance(c.get("value"), str)]


def entity_from_dump(entity: dict[str, object], type_name: str, countries: dict[str, str],
                     source: str) -> dict[str, object] | None:
    """One rules entity from one entity of a Wikidata JSON dump, or None (no Arabic label, not an item)."""
    qid = entity.get("id")
    labels = [t for t in _texts(entity, "labels") if _ARABIC.search(t)]
    if not isinstance(qid, str) or not QID_RE.match(qid) or not labels:
        return None
    types = [P31_TYPES[q] for q in _claim_ids(entity, "P31") if q in P31_TYPES]
    label: dict[str, object] = {"ar": labels[0]}
    if en := _texts(entity, "en:labels"):
        label["en"] = en[0]
    out: dict[str, object] = {"id": qid.lower(), "type": types[0] if types else type_name, "qid": qid,
                              "label": label, "source": source}
    aliases = [a for a in dict.fromkeys(_texts(entity, "aliases")) if a != labels[0] and _ARABIC.search(a)]
    if aliases:
        out["aliases"] = aliases
    country = next((countries[q] for q in _claim_ids(entity, "P17") if q in countries), None)
    if country and out["type"] != "country":
        out["country"] = country
    return out


def _dump_lines(text: str) -> list[dict[str, object]]:
    """The entities of a dump slice: one JSON object a line, inside `[` `]` with trailing commas
    (as latest-all.json is) or bare."""
    out = []
    for n, line in enumerate(text.splitlines(), 1):
        line = line.strip().rstrip(",")
        if line in ("", "[", "]"):
            continue
        try:
            value = json.loads(line)
        except ValueError as err:
            raise KgError(f"line {n}: not a JSON entity ({err})") from None
        if isinstance(value, dict):
            out.append(value)
    return out


def entities_from_dump(text: str, type_name: str, source: str) -> list[dict[str, object]]:
    """Rules entities from a dump slice; P17 is kept where the starter pack knows the country."""
    from .rules import default_rules_dir, load_rules

    wd = WD_ENTITY
    countries = {e.iri[len(wd):]: e.id for e in load_rules(default_rules_dir()).entities
                 if e.type == "country" and e.iri and e.iri.startswith(wd)}
    try:
        rows = _dump_lines(text)
    except KgError as err:
        raise KgError(f"{source}: {err}") from None
    found = (entity_from_dump(e, type_name, countries, f"Wikidata dump {source}") for e in rows)
    return sorted((e for e in found if e is not None), key=lambda e: int(str(e["qid"])[1:]))


def _read_text(path: Path) -> str:
    try:
        raw = path.read_bytes()
        return (gzip.decompress(raw) if raw[:2] == b"\x1f\x8b" else raw).decode("utf-8")
    except OSError as err:
        raise KgError(f"{path}: cannot read ({err.strerror})") from None
    except (UnicodeDecodeError, EOFError, gzip.BadGzipFile) as err:
        raise KgError(f"{path}: not UTF-8 text or gzip ({err})") from None


def import_results(path: Path, type_name: str) -> str:
    """The rules file (YAML text) for the entities in a saved query result, or in a Wikidata JSON
    dump slice (one entity a line, plain or gzip: a file that is no SPARQL result is read so)."""
    if not ID_RE.match(type_name):
        raise KgError(f"--type {type_name!r}: a type name is lower-case letters, digits, _ or -")
    text = _read_text(path)
    try:
        data = json.loads(text)
    except ValueError:
        data = None
    dump = isinstance(data, list) or (isinstance(data, dict) and "claims" in data) or (
        data is None and text.lstrip().startswith(("[", "{")))
    if dump:
        entities = entities_from_dump(text, type_name, path.name)
    elif data is None:
        raise KgError(f"{path}: not JSON (neither SPARQL results nor a Wikidata dump slice)")
    else:
        entities = entities_from_results(data, type_name, str(path))
    header = f"# Imported by `kg rules import` from {path.name}: {len(entities)} entities with Arabic labels.\n"
    body = yaml.safe_dump({"entities": entities}, allow_unicode=True, sort_keys=False, width=120)
    return header + body
