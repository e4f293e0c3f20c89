from __future__ import annotations

import os
import tempfile
from pathlib import Path

import pytest
from spacy.tokens import Doc
from spacy.vocab import Vocab

from kg.nlp import Parsed, tokens_from_doc
from kg.rules import Rules, load_rules

ROOT = Path(__file__).resolve().parent.parent
PUD = ROOT / "tests" / "data" / "pud" / "sentences.tsv"  # a slice of the treebank (README there)
MODEL = ROOT / "kg" / "data" / "ar_pud-ud-2.x-kg1.udpipe"
# compiled rules are kept in kg's cache folder (kg.compiled): the tests', and the CLI runs they
# start, go into one of their own, never the user's
os.environ["KG_CACHE_DIR"] = tempfile.mkdtemp(prefix="kg-test-cache-")


@pytest.fixture(scope="session")
def rules() -> Rules:
    return load_rules(ROOT / "mappings")


def hand_parse(text: str, rows: list[tuple[str, int, str, str]]) -> Parsed:
    """A UD parse written by hand: (form, head index, deprel, upos) per word, as a spaCy Doc."""
    words = [r[0] for r in rows]
    doc = Doc(Vocab(), words=words, heads=[r[1] for r in rows], deps=[r[2] for r in rows], pos=[r[3] for r in rows])
    return Parsed(text=text, tokens=tokens_from_doc(doc, text))


def pud_sentences() -> list[tuple[str, str]]:
    """The treebank slice shipped for the tests: (sent_id, text) pairs."""
    rows = [line.split("\t", 1) for line in PUD.read_text(encoding="utf-8").splitlines() if line]
    return [(i, t) for i, t in rows]
