#!/usr/bin/env python3
"""Rewrite the action classes at the end of kg/data/ontology.ttl from the starter rules.

    python scripts/make_ontology.py

Each class the rules' actions map to becomes `rdfs:subClassOf sem:Event` with one skos:prefLabel
in Arabic and English (the first rule's) and the other rules' labels as skos:altLabel. Run it after
changing mappings/actions.yaml; tests/test_vocabulary.py fails while the file is out of date.
"""

from __future__ import annotations

import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from kg.rules import load_rules  # noqa: E402
from kg.vocab import action_classes, with_action_classes  # noqa: E402

ONTOLOGY = ROOT / "kg" / "data" / "ontology.ttl"


def main() -> None:
    rules = load_rules(ROOT / "mappings")
    section = action_classes([(a.iri, a.label_ar, a.label_en) for a in rules.actions], rules.prefixes["kgo"])
    ONTOLOGY.write_text(with_action_classes(ONTOLOGY.read_text(encoding="utf-8"), section), encoding="utf-8")
    print(f"{ONTOLOGY}: {section.count(' a owl:Class')} action classes")


if __name__ == "__main__":
    main()
