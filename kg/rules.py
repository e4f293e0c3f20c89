"""The YAML rules: loading with positions, validation of the whole set, and the lookup tables.

Every rule file has one schema (README, "Rules"). A folder's files are merged. Validation
collects every problem as `file:line: what is wrong (what is allowed)` before raising, so a rule
author fixes them all in one pass. Only plain YAML is read: no tags that build objects, no
anchors or aliases (they are the way YAML documents blow up memory).
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path

import yaml

from .errors import RulesError, unknown
from .normalize import normalize

ROLES = ("actor", "target", "location")
ID_RE = re.compile(r"^[a-z0-9][a-z0-9_\-]*$")
QID_RE = re.compile(r"^Q[1-9][0-9]*$")
ISO3166_2_RE = re.compile(r"^[A-Z]{2}-[A-Z0-9]{1,3}$")
IRI_RE = re.compile(r"^[a-zA-Z][a-zA-Z0-9+.\-]*:[^\s<>\"{}|\\^`]+$")
PREFIX_RE = re.compile(r"^[A-Za-z][A-Za-z0-9_\-]*$")
MAX_FILE_BYTES = 8 << 20

DEFAULT_PREFIXES = {
    "wd": "http://www.wikidata.org/entity/",
    "kgo": "http://kg.example/ontology#",
}


@dataclass(frozen=True, slots=True)
class Entity:
    id: str
    type: str
    iri: str | None  # None: the exporter mints one
    label_ar: str
    label_en: str | None
    aliases: tuple[str, ...]
    demonyms: tuple[str, ...]
    agent: bool  # a generic participant noun (الجيش, الشرطة), not a named entity
    title: bool  # a title that yields to a name in apposition (وزير, رئيس)
    source: str  # file:line, for provenance and messages
    capital: str | None = None  # id of the entity that is this country's capital
    sector: str | None = None  # CAMEO role code(s): MIL, GOV, GOVMIL
    qid_source: str | None = None  # where the QID is stated (package and version, or a public file)
    country: str | None = None  # id of the country it is in (Wikidata P17)
    part_of: str | None = None  # id of the place that contains it (P131)
    iso2: str | None = None  # ISO 3166-1 alpha-2 (P297) of a country
    iso3: str | None = None  # ISO 3166-1 alpha-3 (P298) of a country
    geonames: str | None = None  # GeoNames id (owl:sameAs <https://sws.geonames.org/ID/>)
    shared: tuple[str, ...] = ()  # names it shares with other entities: linked only on a cue
    iso3166_2: str | None = None  # ISO 3166-2 code (P300) of a subdivision


@dataclass(frozen=True, slots=True)
class Action:
    id: str
    iri: str
    label_ar: str
    label_en: str | None
    cameo: str | None
    verbs: tuple[str, ...]
    homograph: bool
    motion: bool
    requires: tuple[str, ...]
    source: str
    nouns: tuple[str, ...] = ()  # event nouns (هجوم, زيارة): nominal events of this action
    light: bool = False  # a verb that hands its subject to the event it governs (تمكن من السيطرة)
    support: bool = False  # an event that also lends its subject to the event noun it governs (شارك في مظاهرة)


@dataclass(frozen=True, eq=False)
class Rules:
    base: str
    prefixes: dict[str, str]
    types: dict[str, str]
    entities: tuple[Entity, ...]
    actions: tuple[Action, ...]
    prepositions: dict[str, str]  # normalised preposition -> role
    motion_prepositions: frozenset[str]
    capitals_as: str = "country"  # a capital as actor or target stands for: "country" or "city"
    role_types: dict[str, frozenset[str]] = field(default_factory=dict)  # role -> allowed entity types
    # normalised alias words -> entity; built once
    aliases: dict[tuple[str, ...], Entity] = field(default_factory=dict)
    demonyms: dict[str, Entity] = field(default_factory=dict)
    capital_of: dict[str, Entity] = field(default_factory=dict)  # city id -> its country
    by_id: dict[str, Entity] = field(default_factory=dict)
    # normalised shared name -> the entities that share it (عمان: Oman, Amman), in file order
    shared: dict[tuple[str, ...], tuple[Entity, ...]] = field(default_factory=dict)
    # tables derived from the rules once, kept with them between runs (kg.compiled): "verbs", "nouns"
    derived: dict[str, object] = field(default_factory=dict, repr=False)

    def expand(self, curie: str) -> str:
        return expand(curie, self.prefixes) or curie


def expand(value: str, prefixes: dict[str, str]) -> str | None:
    """A full IRI from `prefix:local` or `<iri>`/an absolute IRI; None if the prefix is unknown."""
    if value.startswith("<") and value.endswith(">"):
        return value[1:-1]
    head, sep, local = value.partition(":")
    if sep and head in prefixes:
        return prefixes[head] + local
    if sep and local.startswith("//"):
        return value
    return None


# --- reading YAML with positions ----------------------------------------------------------


# libyaml's parser when PyYAML has it (ten times faster on the starter pack), else the Python one
_LOADER = getattr(yaml, "CSafeLoader", yaml.SafeLoader)
_PLAIN_TAGS = {f"tag:yaml.org,2002:{t}" for t in ("str", "int", "float", "bool", "null", "seq", "map")}


class _Reader:
    def __init__(self) -> None:
        self.problems: list[str] = []

    def err(self, file: str, node: yaml.Node | None, msg: str) -> None:
        line = node.start_mark.line + 1 if node is not None else 1
        self.problems.append(f"{file}:{line}: {msg}")

    def compose(self, path: Path) -> yaml.Node | None:
        try:
            data = path.read_bytes()
        except OSError as e:
            self.problems.append(f"{path}:1: cannot read ({e.strerror})")
            return None
        if len(data) > MAX_FILE_BYTES:
            self.problems.append(f"{path}:1: file is {len(data)} bytes (at most {MAX_FILE_BYTES})")
            return None
        try:
            text = data.decode("utf-8-sig")
        except UnicodeDecodeError as e:
            self.problems.append(f"{path}:1: not UTF-8 (byte {e.start})")
            return None
        try:
            for event in yaml.parse(text, Loader=_LOADER):
                if isinstance(event, yaml.AliasEvent) or getattr(event, "anchor", None):
                    line = event.start_mark.line + 1 if event.start_mark else 1
                    self.problems.append(f"{path}:{line}: anchors and aliases are not allowed (write the value out)")
                    return None
                tag = getattr(event, "tag", None)
                if tag and tag not in _PLAIN_TAGS and tag not in ("!", "?"):
                    line = event.start_mark.line + 1 if event.start_mark else 1
                    self.problems.append(f"{path}:{line}: YAML tag {tag} is not allowed (plain values only)")
                    return None
            return yaml.compose(text, Loader=_LOADER)
        except yaml.MarkedYAMLError as e:
            mark = e.problem_mark or e.context_mark
            line = mark.line + 1 if mark else 1
            self.problems.append(f"{path}:{line}: YAML syntax error ({e.problem or e.context})")
        except yaml.YAMLError as e:
            self.problems.append(f"{path}:1: YAML error ({e})")
        return None


def _scalar(node: yaml.Node) -> object:
    """The value of a scalar node, resolved as safe YAML would (int, bool, str, null)."""
    return yaml.SafeLoader(" ").construct_object(node, deep=True)


def _str(r: _Reader, f: str, node: yaml.Node, what: str) -> str | None:
    if isinstance(node, yaml.ScalarNode):
        v = _scalar(node)
        if isinstance(v, str) and v.strip():
            return v.strip()
        if isinstance(v, int | float) and not isinstance(v, bool) and what == "qid":
            return str(v)
        if isinstance(v, int | float) and what == "cameo":  # YAML reads 04 as the number 4
            r.err(f, node, f"cameo {node.value} must be a quoted string such as '04' or '0431'")
            return None
    r.err(f, node, f"{what} must be a non-empty string")
    return None


def _str_list(r: _Reader, f: str, node: yaml.Node, what: str) -> list[str]:
    if isinstance(node, yaml.ScalarNode):
        s = _str(r, f, node, what)
        return [s] if s else []
    if not isinstance(node, yaml.SequenceNode):
        r.err(f, node, f"{what} must be a list of strings")
        return []
    out = []
    for item in node.value:
        s = _str(r, f, item, f"each item of {what}")
        if s:
            out.append(s)
    return out


def _bool(r: _Reader, f: str, node: yaml.Node, what: str) -> bool:
    v = _scalar(node) if isinstance(node, yaml.ScalarNode) else None
    if isinstance(v, bool):
        return v
    r.err(f, node, f"{what} must be true or false")
    return False


def _mapping(r: _Reader, f: str, node: yaml.Node, what: str, allowed: tuple[str, ...]) -> dict[str, yaml.Node]:
    if not isinstance(node, yaml.MappingNode):
        r.err(f, node, f"{what} must be a mapping")
        return {}
    out: dict[str, yaml.Node] = {}
    for k, v in node.value:
        key = _scalar(k) if isinstance(k, yaml.ScalarNode) else None
        if not isinstance(key, str):
            r.err(f, k, f"keys of {what} must be strings")
        elif allowed and key not in allowed:
            r.err(f, k, f"unknown key {key!r} in {what} (allowed: {', '.join(allowed)})")
        elif key in out:
            r.err(f, k, f"key {key!r} given twice in {what}")
        else:
            out[key] = v
    return out


# --- the schema ---------------------------------------------------------------------------

TOP_KEYS = ("base", "prefixes", "types", "entities", "agents", "actions", "roles")
ENTITY_KEYS = ("id", "type", "qid", "iri", "label", "aliases", "demonyms", "title", "capital", "sector", "source",
               "country", "in", "iso2", "iso3", "iso3166_2", "geonames", "shared")
REFERENCE_KEYS = ("capital", "country", "in")  # keys whose value is the id of another entity
# CAMEO actor role codes (CAMEO 1.1b3, chapter 3: Table 3.1, the party code, the international and
# religious codes); a sector is one of them or several run together (GOVMIL: a defence ministry).
SECTORS = (
    "COP", "GOV", "INS", "JUD", "MIL", "OPP", "REB", "SEP", "SPY", "UAF", "PTY",
    "AGR", "BUS", "CRM", "CVL", "DEV", "EDU", "ELI", "ENV", "HLH", "HRI", "LAB", "LEG", "MED", "REF",
    "MOD", "RAD", "IGO", "IMG", "INT", "MNC", "NGM", "NGO", "UIS",
    "REL", "MUS", "CHR", "JEW", "BUD", "HIN",
)
ACTION_KEYS = ("id", "class", "label", "cameo", "verbs", "homograph", "motion", "requires", "nouns", "light",
               "support")
LABEL_KEYS = ("ar", "en")
ROLE_KEYS = ("prepositions", "motion", "capitals", "types")
CAPITALS = ("country", "city")


@dataclass
class _Raw:
    """What the files say, with positions, before cross-checks."""

    base: tuple[str, str] | None = None
    prefixes: dict[str, tuple[str, str]] = field(default_factory=dict)  # name -> (iri, where)
    types: dict[str, tuple[str, str, yaml.Node]] = field(default_factory=dict)
    entities: list[tuple[str, dict[str, yaml.Node], bool, yaml.Node]] = field(default_factory=list)
    actions: list[tuple[str, dict[str, yaml.Node], yaml.Node]] = field(default_factory=list)
    prepositions: dict[str, str] = field(default_factory=dict)
    motion: set[str] = field(default_factory=set)
    capitals: str | None = None
    role_types: dict[str, tuple[list[str], str, yaml.Node]] = field(default_factory=dict)
    names: dict[str, str] = field(default_factory=dict)  # file -> name relative to the rules folder


def _read_file(r: _Reader, path: Path, raw: _Raw) -> None:
    f = str(path)
    root = r.compose(path)
    if root is None:
        return
    top = _mapping(r, f, root, "a rules file", TOP_KEYS)
    if "base" in top and (b := _str(r, f, top["base"], "base")):
        if not IRI_RE.match(b) or not b.endswith(("/", "#")):
            r.err(f, top["base"], f"base {b!r} must be an absolute IRI ending in / or #")
        raw.base = (b, f)
    if "prefixes" in top:
        for k, v in _mapping(r, f, top["prefixes"], "prefixes", ()).items():
            iri = _str(r, f, v, f"prefix {k}")
            if not PREFIX_RE.match(k):
                r.err(f, v, f"prefix name {k!r} must be letters, digits, _ or -, starting with a letter")
            elif iri and not IRI_RE.match(iri):
                r.err(f, v, f"prefix {k}: {iri!r} is not an absolute IRI")
            elif iri:
                raw.prefixes[k] = (iri, f)
    if "types" in top:
        for k, v in _mapping(r, f, top["types"], "types", ()).items():
            if (iri := _str(r, f, v, f"type {k}")) is not None:
                raw.types[k] = (iri, f, v)
    for key, agent in (("entities", False), ("agents", True)):
        if key in top:
            if not isinstance(top[key], yaml.SequenceNode):
                r.err(f, top[key], f"{key} must be a list of mappings")
                continue
            for item in top[key].value:
                raw.entities.append((f, _mapping(r, f, item, f"an item of {key}", ENTITY_KEYS), agent, item))
    if "actions" in top:
        if not isinstance(top["actions"], yaml.SequenceNode):
            r.err(f, top["actions"], "actions must be a list of mappings")
        else:
            for item in top["actions"].value:
                raw.actions.append((f, _mapping(r, f, item, "an action", ACTION_KEYS), item))
    if "roles" in top:
        roles = _mapping(r, f, top["roles"], "roles", ROLE_KEYS)
        if "prepositions" in roles:
            for k, v in _mapping(r, f, roles["prepositions"], "roles.prepositions", ()).items():
                role = _str(r, f, v, f"role of {k}")
                if role and role not in ROLES:
                    r.err(f, v, f"unknown role {role!r} for {k} (allowed: {', '.join(ROLES)})")
                elif role:
                    raw.prepositions[normalize(k)] = role
        if "motion" in roles:
            raw.motion.update(normalize(p) for p in _str_list(r, f, roles["motion"], "roles.motion"))
        if "capitals" in roles and (c := _str(r, f, roles["capitals"], "roles.capitals")):
            if c not in CAPITALS:
                r.err(f, roles["capitals"], unknown("roles.capitals", c, CAPITALS))
            else:
                raw.capitals = c
        if "types" in roles:
            for role, node in _mapping(r, f, roles["types"], "roles.types", ROLES).items():
                raw.role_types[role] = (_str_list(r, f, node, f"roles.types.{role}"), f, node)


def _known(names: dict[str, str], what: str) -> str:
    """The choices for an error message; none at all says where they come from."""
    return f"known: {', '.join(sorted(names))}" if names else f"no {what} are defined: add a `{what}:` section"


def _iri(r: _Reader, f: str, node: yaml.Node, value: str, prefixes: dict[str, str], what: str) -> str | None:
    full = expand(value, prefixes)
    if full is None and (":" not in value or any(c.isspace() for c in value)):
        r.err(f, node, f"{what} {value!r} is not an IRI (write <http://…> or prefix:name)")
        return None
    if full is None:
        head = value.partition(":")[0]
        r.err(f, node, f"{what} {value!r}: unknown prefix {head!r} (known: {', '.join(sorted(prefixes))})")
        return None
    if not IRI_RE.match(full):
        r.err(f, node, f"{what} {value!r} is not a valid IRI")
        return None
    return full


def _sector(r: _Reader, f: str, node: yaml.Node) -> str | None:
    code = _str(r, f, node, "sector")
    if code is None:
        return None
    parts = [code[i : i + 3] for i in range(0, len(code), 3)]
    unknown = next((p for p in parts if p not in SECTORS), None)
    if unknown is not None:
        r.err(f, node, f"unknown sector {code!r} (known: {', '.join(SECTORS)}, or several run together: GOVMIL)")
        return None
    return code


def _labels(r: _Reader, f: str, m: dict[str, yaml.Node], item: yaml.Node, what: str) -> tuple[str, str | None]:
    if "label" not in m:
        r.err(f, item, f"{what} needs a label with at least 'ar'")
        return "", None
    lab = _mapping(r, f, m["label"], "label", LABEL_KEYS)
    ar = _str(r, f, lab["ar"], "label.ar") if "ar" in lab else None
    if "ar" not in lab:
        r.err(f, m["label"], "label needs 'ar'")
    en = _str(r, f, lab["en"], "label.en") if "en" in lab else None
    return ar or "", en


def _build(r: _Reader, raw: _Raw) -> Rules:
    """The rules from what the files hold, one rule kind at a time (problems come out in this
    order: types, entities, actions, references, role types, shared names)."""
    prefixes = dict(DEFAULT_PREFIXES) | {k: v for k, (v, _) in raw.prefixes.items()}
    types = _types(r, raw, prefixes)
    entities, refs = _entities(r, raw, types, prefixes)
    actions = _actions(r, raw, prefixes)
    by_id = {e.id: e for e in entities}
    capital_of = _capitals(r, refs, by_id)
    role_types = _role_types(r, raw, types)
    alias_table, demonym_table, shared = _name_tables(entities)
    return Rules(
        base=raw.base[0] if raw.base else "http://kg.example/id/",
        prefixes=prefixes,
        types=types,
        entities=tuple(entities),
        actions=tuple(actions),
        prepositions=raw.prepositions,
        motion_prepositions=frozenset(raw.motion),
        aliases=alias_table,
        demonyms=demonym_table,
        capital_of=capital_of,
        by_id=by_id,
        shared=_shared_table(r, shared, alias_table),
        capitals_as=raw.capitals or "country",
        role_types=role_types,
    )


def _types(r: _Reader, raw: _Raw, prefixes: dict[str, str]) -> dict[str, str]:
    types: dict[str, str] = {}
    for name, (value, f, node) in raw.types.items():
        if (iri := _iri(r, f, node, value, prefixes, f"type {name}")) is not None:
            types[name] = iri
    return types


def _actions(r: _Reader, raw: _Raw, prefixes: dict[str, str]) -> list[Action]:
    actions: list[Action] = []
    seen: dict[str, str] = {}  # action id -> where it is first defined
    for f, m, item in raw.actions:
        if (action := _action(r, raw, prefixes, seen, (f, m, item))) is not None:
            actions.append(action)
    return actions


def _action_verbs(r: _Reader, f: str, m: dict[str, yaml.Node], item: yaml.Node) -> list[str]:
    verbs = _str_list(r, f, m["verbs"], "verbs") if "verbs" in m else []
    if "verbs" in m and not isinstance(m["verbs"], yaml.SequenceNode):
        r.err(f, m["verbs"], "verbs must be a list of stems (e.g. [اتفق, يتفق]), not one string")
    elif not verbs:
        r.err(f, item, "an action needs verbs: the past and present stems (e.g. [اتفق, يتفق])")
    return verbs


def _action(r: _Reader, raw: _Raw, prefixes: dict[str, str], seen: dict[str, str],
            entry: tuple[str, dict[str, yaml.Node], yaml.Node]) -> Action | None:
    """One action entry, its problems reported; None if it lacks what an action needs."""
    f, m, item = entry
    where = f"{raw.names.get(f, f)}:{item.start_mark.line + 1}"
    aid = _entry_id(r, entry, seen, where, "action")
    cls = None
    if "class" not in m:
        r.err(f, item, "an action needs a class (an IRI or prefix:name)")
    elif (c := _str(r, f, m["class"], "class")) is not None:
        cls = _iri(r, f, m["class"], c, prefixes, "action class")
    label_ar, label_en = _labels(r, f, m, item, "an action")
    verbs = _action_verbs(r, f, m, item)
    cameo = _str(r, f, m["cameo"], "cameo") if "cameo" in m else None
    if cameo and not re.fullmatch(r"[0-2][0-9]{1,3}", cameo):
        r.err(f, m["cameo"], f"cameo {cameo!r} must be a CAMEO code such as '04' or '0431' (quote it)")
    flags = {k: _bool(r, f, m[k], k) if k in m else False for k in ("homograph", "motion", "light", "support")}
    requires = _str_list(r, f, m["requires"], "requires") if "requires" in m else []
    nouns = _str_list(r, f, m["nouns"], "nouns") if "nouns" in m else []
    if not (aid and cls and verbs):
        return None
    return Action(
        aid, cls, label_ar, label_en, cameo, tuple(normalize(v) for v in verbs), flags["homograph"],
        flags["motion"], tuple(normalize(w) for w in requires), where, tuple(normalize(n) for n in nouns),
        flags["light"], flags["support"],
    )


def _capitals(r: _Reader, refs: list[_Ref], by_id: dict[str, Entity]) -> dict[str, Entity]:
    """Check every reference between entities; the capitals they name (country id -> city)."""
    capital_of: dict[str, Entity] = {}
    for ref, value, owner, f, node in refs:
        if value not in by_id:
            r.err(f, node, f"{ref} {value!r} of {owner!r} is not the id of an entity")
        elif ref == "capital" and owner in by_id:
            capital_of[value] = by_id[owner]
    return capital_of


def _role_types(r: _Reader, raw: _Raw, types: dict[str, str]) -> dict[str, frozenset[str]]:
    role_types: dict[str, frozenset[str]] = {"location": frozenset({"country", "city", "place", "facility"})}
    for role, (names, f, node) in raw.role_types.items():
        unknown = [t for t in names if t not in types and t not in ("name", "thing")]
        if unknown:
            r.err(f, node, f"roles.types.{role}: unknown types {', '.join(unknown)} (known: {', '.join(sorted(types))}"
                  ", name, thing)")
        role_types[role] = frozenset(names)
    return role_types


def _name_tables(entities: list[Entity]) -> tuple[dict[tuple[str, ...], Entity], dict[str, Entity],
                                                   dict[tuple[str, ...], tuple[Entity, ...]]]:
    """Lookup by normalised name: aliases, demonym forms, and names several entities share."""
    alias_table: dict[tuple[str, ...], Entity] = {}
    demonym_table: dict[str, Entity] = {}
    shared: dict[tuple[str, ...], tuple[Entity, ...]] = {}
    for e in entities:
        for alias in (e.label_ar, *e.aliases):
            key = tuple(normalize(alias).split())
            if key:
                alias_table.setdefault(key, e)
        for name in e.shared:
            if key := tuple(normalize(name).split()):
                shared[key] = (*shared.get(key, ()), e)
        for d in e.demonyms:
            for form in demonym_forms(normalize(d)):
                demonym_table.setdefault(form, e)
    return alias_table, demonym_table, shared


_Ref = tuple[str, str, str, str, yaml.Node]  # (key, id it names, id of the entity naming it, file, node)


def _entities(r: _Reader, raw: _Raw, types: dict[str, str],
              prefixes: dict[str, str]) -> tuple[list[Entity], list[_Ref]]:
    """Every entity and agent, and the ids they name (capital, country, in) to check afterwards."""
    entities: list[Entity] = []
    refs: list[_Ref] = []
    seen_ids: dict[str, str] = {}
    claimed: dict[tuple[str, ...], tuple[str, str]] = {}  # alias -> (entity id, where)
    for f, m, agent, item in raw.entities:
        where = f"{raw.names.get(f, f)}:{item.start_mark.line + 1}"
        eid = _entry_id(r, (f, m, item), seen_ids, where, "entity")
        etype = _str(r, f, m["type"], "type") if "type" in m else None
        if "type" not in m:
            r.err(f, item, "an entity needs a type")
        elif etype and etype not in types:
            r.err(f, m["type"], f"unknown type {etype!r} ({_known(types, 'types')})")
        label_ar, label_en = _labels(r, f, m, item, "an entity")
        aliases = _str_list(r, f, m["aliases"], "aliases") if "aliases" in m else []
        _claim(r, f, m, item, eid, where, [label_ar, *aliases], claimed)
        opt = {k: _str(r, f, m[k], k) if k in m else None for k in ("source", "iso2", "iso3", "iso3166_2",
                                                                     "geonames", *REFERENCE_KEYS)}
        refs.extend((k, v, eid or "?", f, m[k]) for k in REFERENCE_KEYS if (v := opt[k]))
        if opt["geonames"] and not opt["geonames"].isdigit():
            r.err(f, m["geonames"], f"geonames {opt['geonames']!r} must be a GeoNames id (digits)")
        if opt["iso3166_2"] and not ISO3166_2_RE.match(opt["iso3166_2"]):
            r.err(f, m["iso3166_2"], f"iso3166_2 {opt['iso3166_2']!r} must be an ISO 3166-2 code (SY-DR)")
        if eid and etype:
            entities.append(Entity(
                eid, etype, _entity_iri(r, f, m, prefixes), label_ar, label_en, tuple(aliases),
                tuple(_str_list(r, f, m["demonyms"], "demonyms") if "demonyms" in m else []), agent,
                _bool(r, f, m["title"], "title") if "title" in m else False, where, opt["capital"],
                _sector(r, f, m["sector"]) if "sector" in m else None, opt["source"], opt["country"], opt["in"],
                opt["iso2"], opt["iso3"], opt["geonames"],
                tuple(_str_list(r, f, m["shared"], "shared") if "shared" in m else []), opt["iso3166_2"],
            ))
    return entities, refs


def _entry_id(r: _Reader, entry: tuple[str, dict[str, yaml.Node], yaml.Node], seen: dict[str, str],
              where: str, kind: str) -> str | None:
    """An entity's or action's id (`kind`), checked for form and for a first use (kept in `seen`)."""
    f, m, item = entry
    eid = _str(r, f, m["id"], "id") if "id" in m else None
    if "id" not in m:
        r.err(f, item, f"an {kind} needs an id")
    elif eid and not ID_RE.match(eid):
        r.err(f, m["id"], f"id {eid!r} must be lower-case letters, digits, _ or -")
    elif eid in seen:
        r.err(f, m["id"], f"{'action id' if kind == 'action' else 'id'} {eid!r} is already used at {seen[eid]}")
    elif eid:
        seen[eid] = where
    return eid


def _entity_iri(r: _Reader, f: str, m: dict[str, yaml.Node], prefixes: dict[str, str]) -> str | None:
    iri = None
    if "qid" in m and "iri" in m:
        r.err(f, m["iri"], "give qid or iri, not both")
    if "qid" in m and (q := _str(r, f, m["qid"], "qid")):
        if QID_RE.match(q):
            iri = prefixes["wd"] + q
        else:
            r.err(f, m["qid"], f"qid {q!r} is not a Wikidata item id (Q followed by digits, e.g. Q159)")
    if "iri" in m and (v := _str(r, f, m["iri"], "iri")):
        iri = _iri(r, f, m["iri"], v, prefixes, "iri")
    return iri


def _claim(r: _Reader, f: str, m: dict[str, yaml.Node], item: yaml.Node, eid: str | None, where: str,
           names: list[str], claimed: dict[tuple[str, ...], tuple[str, str]]) -> None:
    """An alias belongs to one entity: a second claim is an error naming both places."""
    for alias in dict.fromkeys(names):
        key = tuple(normalize(alias).split())
        if not key:
            continue
        line = f"{f}:{m['aliases'].start_mark.line + 1}" if "aliases" in m else where
        if key in claimed and claimed[key][0] != eid:
            other_id, other_where = claimed[key]
            r.err(f, m.get("aliases", item), f"alias {alias!r} is claimed by {other_id!r} at {other_where} too")
        else:
            claimed[key] = (eid or "?", line)


def _shared_table(r: _Reader, shared: dict[tuple[str, ...], tuple[Entity, ...]],
                  aliases: dict[tuple[str, ...], Entity]) -> dict[tuple[str, ...], tuple[Entity, ...]]:
    """A shared name needs two entities that share it, and no entity that claims it alone."""
    for key, ents in shared.items():
        e = ents[0]
        if len(ents) < 2:
            r.problems.append(f"{e.source}: shared name {' '.join(key)!r} is shared with no other entity "
                              "(make it an alias)")
        elif key in aliases:
            r.problems.append(f"{e.source}: shared name {' '.join(key)!r} is an alias of {aliases[key].id!r} "
                              f"at {aliases[key].source} (a name is shared or one entity's, not both)")
    return {k: v for k, v in shared.items() if len(v) > 1 and k not in aliases}


def demonym_forms(masc: str) -> list[str]:
    """Every number and gender of a demonym, bare and with the article.

    روسي gives روسي, روسيه (feminine, and the plural of things: القوات الروسية), the sound
    plurals روسيون, روسيين (also the dual's oblique form), the dual روسيان and the feminine
    plural روسيات; and each with ال. Demonyms are written without the article (ألماني keeps its
    first letters, normalised الماني)."""
    forms = [masc, masc + "ه"]
    if masc.endswith("ي"):
        forms += [masc + "ون", masc + "ين", masc + "ان", masc + "ات"]
    return forms + ["ال" + f for f in forms]


def rule_files(folder: Path) -> list[Path]:
    if folder.is_file():
        return [folder]
    return sorted(p for p in folder.rglob("*") if p.suffix in (".yaml", ".yml") and p.is_file())


def load_rules(folder: Path, check: Callable[[Rules], list[str]] | None = None) -> Rules:
    """Read and validate every rule file under `folder`; raise RulesError listing all problems.

    Loaded once per process for the same files (same paths, sizes and modification times);
    `kg.compiled.load_rules` also keeps them, with their lexicons, between runs."""
    if check is None and folder.exists():
        stamp = tuple((str(p), p.stat().st_mtime_ns, p.stat().st_size) for p in rule_files(folder))
        return _load_cached(folder.resolve(), stamp)
    return _load(folder, check)


@lru_cache(maxsize=8)
def _load_cached(folder: Path, stamp: tuple[tuple[str, int, int], ...]) -> Rules:
    return _load(folder, None)


def _load(folder: Path, check: Callable[[Rules], list[str]] | None) -> Rules:
    r = _Reader()
    if not folder.exists():
        raise RulesError([f"{folder}: no such rules file or folder"])
    files = rule_files(folder)
    if not files:
        raise RulesError([f"{folder}: no .yaml rule files here"])
    raw = _Raw()
    for path in files:
        # provenance names the file relative to the rules folder: the same on every machine
        raw.names[str(path)] = path.relative_to(folder).as_posix() if folder.is_dir() else path.name
        _read_file(r, path, raw)
    rules = _build(r, raw)
    if check is not None:
        r.problems.extend(check(rules))
    if r.problems:
        raise RulesError(sorted(r.problems, key=_position))
    return rules


def _position(problem: str) -> tuple[str, int]:
    file, _, rest = problem.partition(".yaml:")
    line = rest.partition(":")[0]
    return file, int(line) if line.isdigit() else 0


def default_rules_dir() -> Path:
    """The starter pack: `mappings/` next to the package in a checkout, else the installed copy."""
    here = Path(__file__).resolve().parent
    for candidate in (here.parent / "mappings", here / "mappings"):
        if candidate.is_dir():
            return candidate
    return here.parent / "mappings"
