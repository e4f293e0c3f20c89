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


# Arabic letters, marks, presentation forms, Persian letters, digits of three scripts, Latin
_WORDISH = st.text(st.sampled_from([chr(c) for c in (*range(0x600, 0x700), *range(0x30, 0x7B), 0xFEFB, 0xFE8D,
                                                      *range(0x6F0, 0x6FA), 0x200C, 0x200F)]), max_size=10)


@given(_WORDISH)
def test_fast_path_normalises_like_the_mapped_path(word: str) -> None:
    """normalize() skips the character-by-character walk for plain words; it must agree with it."""
    assert normalize(word) == normalize_with_map(word)[0]


def _char_by_char(text: str) -> tuple[str, tuple[int, ...]]:
    """The definition: every character on its own (NFKC, folding, dropping marks)."""
    import unicodedata

    from kg.normalize import _DIGITS, _MAP, DROP

    out, where = [], []
    for i, ch in enumerate(text):
        for c in unicodedata.normalize("NFKC", ch).translate(_MAP).translate(_DIGITS).lower():
            if not DROP.match(c) and not DROP.match(ch):
                out.append(c)
                where.append(i)
    return "".join(out), tuple(where)


_TEXTISH = st.text(st.sampled_from([chr(c) for c in (*range(0x600, 0x700), *range(0x20, 0x7F), 0xFEFB, 0xFE8D,
                                                     0xAB, 0xBB, 0xA0, 0x2028, 0x200C, 0x200F, 0x130, 0xDF,
                                                     0x0A, 0x09)]), max_size=200)


@given(_TEXTISH)
def test_runs_of_plain_characters_map_as_one_by_one(text: str) -> None:
    assert normalize_with_map(text) == _char_by_char(text)
    assert normalize(text) == _char_by_char(text)[0]
