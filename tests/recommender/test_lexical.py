"""Korean and English text become the same terms on the query and the document side."""

from __future__ import annotations

import pytest

from recommender.lexical import LexicalAnalyzer, detect_language, term_id


@pytest.fixture(scope="module")
def analyzer() -> LexicalAnalyzer:
    return LexicalAnalyzer()


def test_korean_compounds_and_particles_split_into_content_morphemes(
        analyzer: LexicalAnalyzer) -> None:
    assert analyzer.terms("지성 피부 수분크림") == ["지성", "피부", "수분", "크림"]
    # Particles and request verbs drop out; the same nouns remain.
    assert analyzer.terms("지성 피부를 위한 수분크림을 찾아요") == ["지성", "피부", "수분", "크림"]


def test_english_is_lowercased_singularised_and_stopworded(analyzer: LexicalAnalyzer) -> None:
    assert analyzer.terms("The Moisturizers for Oily Skin") == ["moisturizer", "oily", "skin"]
    assert analyzer.terms("Glasses and dresses") == ["glass", "dress"]
    assert analyzer.terms("canvas totes") == ["canvas", "tote"]


def test_query_terms_match_document_terms(analyzer: LexicalAnalyzer) -> None:
    doc, doc_terms = analyzer.document_vector([("오일프리 수분크림 (지성 피부용)", 2.0)])
    query, q_terms = analyzer.query_vector("수분 크림 지성")
    assert set(q_terms) <= set(doc_terms)
    assert set(query.indices) <= set(doc.indices)


def test_title_weight_and_saturation(analyzer: LexicalAnalyzer) -> None:
    vec, _ = analyzer.document_vector([("크림", 2.0), ("크림 크림 크림 크림 크림", 1.0)])
    weight = dict(zip(vec.indices, vec.values, strict=True))[term_id("크림")]
    assert 1.0 < weight < 2.2  # BM25's k1 + 1 bounds a term's weight however often it repeats


def test_ids_are_stable_across_processes() -> None:
    assert term_id("크림") == 253644265  # CRC32 of the UTF-8 bytes: no per-process salt
    assert term_id("cream") != term_id("크림")


@pytest.mark.parametrize(("text", "lang"), [
    ("지성 피부 수분크림", "ko"), ("oil-free moisturizer", "en"), ("Dewlab 수분크림 추천", "ko"),
    ("SPF50+ sunscreen 선", "en"), ("", "en"),
])
def test_detect_language(text: str, lang: str) -> None:
    assert detect_language(text) == lang
