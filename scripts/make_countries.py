#!/usr/bin/env python3
"""Write mappings/countries.yaml from scripts/data/countries.yaml and pinned packages.

    pip install -e '.[data]' && python scripts/make_countries.py

A developer runs it; kg never does. What each country gets, and from where:
 - its QID, checked against rigour's territory table (OpenSanctions, MIT): the curated QID
   must be the territory's QID or one of its other QIDs. Where it is another QID (Denmark Q35,
   not the Kingdom of Denmark Q756617), the curated one wins: news means the country proper.
   Any other disagreement stops the script.
 - ISO 3166-1 alpha-2 and alpha-3 (rigour), which must be pycountry's (iso-codes) too;
 - Arabic names: the curated ones, then CLDR's (babel) and iso-codes' (pycountry's Arabic
   translation of the name and official name), each added as an alias where no other entity of
   the rules claims it, it is no demonym form (صربية is "Serbian") and the curated `exclude:`
   does not list it (بنين "sons", مالي "financial"). The curated label stays the label.
Capitals are copied from the curated file with their QID and its source.
"""

from __future__ import annotations

import gettext
import re
import sys
from importlib import metadata
from pathlib import Path
from typing import Any

import babel.core
import pycountry
import yaml
from babel import Locale
from rigour.territories import get_territory_by_qid

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
from kg.normalize import normalize  # noqa: E402
from kg.rules import demonym_forms  # noqa: E402

CURATED = ROOT / "scripts" / "data" / "countries.yaml"
OUT = ROOT / "mappings" / "countries.yaml"
ARABIC_NAME = re.compile(r"^[\u0621-\u064a\u064b-\u0652\u0670 ]+$")  # letters, marks and spaces only


class BuildError(Exception):
    pass


def versions() -> dict[str, str]:
    return {
        "rigour": metadata.version("rigour"),
        "babel": f"{metadata.version('babel')} (CLDR {babel.core.get_cldr_version()})",
        "pycountry": metadata.version("pycountry"),
    }


def key(name: str) -> tuple[str, ...]:
    return tuple(normalize(name).split())


def other_claims(rules: Path) -> set[tuple[str, ...]]:
    """Every name another rules file claims (entities, agents, their shared names)."""
    out: set[tuple[str, ...]] = set()
    for path in sorted(rules.glob("*.yaml")):
        if path.name == OUT.name:
            continue
        data = yaml.safe_load(path.read_text(encoding="utf-8")) or {}
        for e in (data.get("entities") or []) + (data.get("agents") or []):
            names = [(e.get("label") or {}).get("ar", ""), *(e.get("aliases") or []), *(e.get("shared") or [])]
            out.update(key(n) for n in names if key(n))
    return out


def codes(e: dict[str, Any]) -> tuple[str, str, str]:
    """(alpha-2, alpha-3, source of the QID) of a curated country, or BuildError."""
    t = get_territory_by_qid(e["qid"])
    if t is None or (t.qid != e["qid"] and e["qid"] not in t.other_qids):
        raise BuildError(f"{CURATED.name}: {e['id']}: rigour has no territory with QID {e['qid']}")
    iso2, iso3 = t.code.upper(), (t.alpha3 or "").upper()
    pc = pycountry.countries.get(alpha_2=iso2)
    if pc is None or pc.alpha_3 != iso3:
        raise BuildError(f"{CURATED.name}: {e['id']}: rigour gives {iso2}/{iso3}, pycountry does not agree")
    rig = f"rigour {metadata.version('rigour')}"
    source = f"{rig} territory {t.code}" if t.qid == e["qid"] else (
        f"{rig} territory {t.code} (other_qids; its main QID {t.qid} is the wider realm)")
    return iso2, iso3, source


def package_names(iso2: str) -> list[str]:
    """The country's Arabic names in CLDR and in iso-codes."""
    tr = gettext.translation("iso3166-1", pycountry.LOCALES_DIR, languages=["ar"])
    pc = pycountry.countries.get(alpha_2=iso2)
    names = [Locale("ar").territories.get(iso2, "")]
    for attr in ("name", "official_name", "common_name"):
        if pc is not None and (en := getattr(pc, attr, None)) and (ar := tr.gettext(en)) != en:
            names.append(ar)
    return [n.strip() for n in names if n and ARABIC_NAME.match(n.strip())]


def build(curated: list[dict[str, Any]], taken: set[tuple[str, ...]]) -> tuple[list[dict[str, Any]], list[str]]:
    """The generated entities and a report of the package names left out (and why)."""
    mine: dict[tuple[str, ...], str] = {}
    demonyms = {(f,) for e in curated for d in e.get("demonyms") or [] for f in demonym_forms(normalize(d))}
    for e in curated:
        for n in [e["label"]["ar"], *(e.get("aliases") or []), *(e.get("shared") or [])]:
            mine.setdefault(key(n), e["id"])
    out, report = [], []
    for e in curated:
        e = dict(e)
        if e["type"] == "country":
            e["iso2"], e["iso3"], e["source"] = codes(e)
            aliases = list(e.get("aliases") or [])
            for n in package_names(e["iso2"]):
                k = key(n)
                if k in taken or mine.get(k, e["id"]) != e["id"]:
                    report.append(f"  not added to {e['id']}: {n} (another entity has it)")
                elif k in {key(x) for x in e.get("shared") or []}:
                    report.append(f"  not added to {e['id']}: {n} (a name it shares: a cue decides)")
                elif k in demonyms or k in {key(x) for x in e.get("exclude") or []}:
                    report.append(f"  not added to {e['id']}: {n} (a demonym or an excluded word)")
                elif k not in {key(a) for a in [e["label"]["ar"], *aliases]}:
                    aliases.append(n)
                    mine[k] = e["id"]
            e["aliases"] = aliases
        out.append(e)
    return out, report


ORDER = ("id", "type", "capital", "qid", "source", "iso2", "iso3", "label", "aliases", "shared", "demonyms",
         "country")


def _q(s: str) -> str:
    return '"' + s.replace("\\", "\\\\").replace('"', '\\"') + '"'


def dump(entities: list[dict[str, Any]], head: list[str]) -> str:
    lines = [*head, "entities:"]
    for e in entities:
        lines.append(f"  - id: {e['id']}")
        for k in ORDER[1:]:
            v = e.get(k)
            if v is None or v == []:
                continue
            if k == "label":
                en = f", en: {_q(v['en'])}" if v.get("en") else ""
                lines.append(f"    label: {{ar: {_q(v['ar'])}{en}}}")
            elif isinstance(v, list):
                lines.append(f"    {k}: [{', '.join(_q(x) for x in v)}]")
            else:
                lines.append(f"    {k}: {_q(v) if k in ('source', 'iso2', 'iso3') else v}")
        if e.get("note"):
            lines.append(f"    # note: {e['note']}")
    return "\n".join(lines) + "\n"


def header() -> list[str]:
    v = versions()
    return [
        "# GENERATED by scripts/make_countries.py from scripts/data/countries.yaml: do not edit; edit",
        "# that file and rerun the script (pip install -e '.[data]').",
        f"# Packages: rigour {v['rigour']} (QID check, ISO codes; MIT, licenses/rigour-LICENSE.txt),",
        f"# babel {v['babel']} (CLDR Arabic names; licenses/CLDR-LICENSE.txt, babel-LICENSE.txt),",
        f"# pycountry {v['pycountry']} (iso-codes' Arabic names; LGPL-2.1, licenses/pycountry-LICENSE.txt).",
        "# Every QID carries its source: a country's is rigour's territory table; a capital's the public",
        "# file the curated input names. See the input's header for the curation notes.",
    ]


def main() -> int:
    curated = yaml.safe_load(CURATED.read_text(encoding="utf-8"))["entities"]
    try:
        entities, report = build(curated, other_claims(OUT.parent))
    except BuildError as err:
        print(err, file=sys.stderr)
        return 1
    OUT.write_text(dump(entities, header()), encoding="utf-8")
    n = sum(e["type"] == "country" for e in entities)
    print(f"{n} countries, {len(entities) - n} capitals -> {OUT}")
    print("\n".join(report), file=sys.stderr)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
