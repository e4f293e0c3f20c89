from __future__ import annotations

from hypothesis import given
from hypothesis import strategies as st

from kg.normalize import analyses, normalize, normalize_with_map


def test_normalize_folds_arabic_variants() -> None:
    assert normalize("أميركي") == normalize("اميركي")
    assert normalize("سوريَّة") == "سوريه"
    assert normalize("مصطفى") == "مصطفي"
    assert normalize("لـ") == "ل"  # tatweel
    assert normalize("٢٠١٧") == "2017"


def test_analyses_keep_bare_reading_first() -> None:
    stems = [a.stem for a in analyses(normalize("لافروف"))]
    assert stems[0] == "لافروف"
    assert "افروف" in stems  # the clitic split is offered too, after the bare word


def test_analyses_restore_article_after_lam() -> None:
    assert any(a.stem == "العلاقات" and a.prep == "ل" for a in analyses("للعلاقات"))
    assert any(a.stem == "واشنطن" and a.conj == "و" for a in analyses("وواشنطن"))


@given(st.text())
def test_map_points_into_source(text: str) -> None:
    norm, where = normalize_with_map(text)
    assert len(norm) == len(where)
    assert all(0 <= i < len(text) for i in where)
    assert list(where) == sorted(where)
