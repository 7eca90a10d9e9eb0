"""The product index on its own, on both embedded engines: filters, tenants, the fused query."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from recommender.documents import ProductDocument, category_path
from recommender.encoders import EncoderConfig, Encoders
from recommender.index import (
    ENGINES,
    IndexSchemaMismatch,
    IndexUnavailable,
    ProductIndex,
    SearchFilters,
    open_index,
)
from recommender.indexing import build_points
from recommender.retrieval import HybridRetriever

_LEXICAL = Encoders(EncoderConfig(semantic_enabled=False))  # Kiwi only: no neural models


@pytest.fixture(scope="module")
def lexical() -> Encoders:
    return _LEXICAL


@pytest.fixture(params=ENGINES)
def index(request: pytest.FixtureRequest, tmp_path: Path, lexical: Encoders) -> Iterator[ProductIndex]:
    idx = open_index(engine=request.param, url=None, path=tmp_path / "q", collection="t")
    idx.ensure_collection({})
    docs = [
        ProductDocument("00000000-0000-0000-0000-000000000001", "m1", "A", "수분크림 지성",
                        price=18000, category="skincare/cream", tags=("수분",),
                        attributes={"skin_type": ["oily"], "fragrance_free": True}),
        ProductDocument("00000000-0000-0000-0000-000000000002", "m1", "B", "수분크림 건성",
                        price=45000, in_stock=False, category="skincare/cream", brand="Hanbit"),
        ProductDocument("00000000-0000-0000-0000-000000000003", "m2", "C", "수분크림 지성",
                        price=10000, category="skincare/cream"),
    ]
    idx.upsert(build_points(lexical, docs, [[] for _ in docs]))
    yield idx
    idx.close()


def query(index: ProductIndex, merchant: str, filters: SearchFilters) -> list[str]:
    retriever = HybridRetriever(index, _LEXICAL)
    return [h.payload["sku"] for h in
            retriever.retrieve(merchant, "수분크림", "ko", filters, limit=10).hits]


def test_tenant_filter_is_always_applied(index: ProductIndex) -> None:
    assert sorted(query(index, "m1", SearchFilters())) == ["A", "B"]
    assert query(index, "m2", SearchFilters()) == ["C"]
    assert query(index, "nobody", SearchFilters()) == []


@pytest.mark.parametrize(("filters", "expected"), [
    (SearchFilters(in_stock=True), ["A"]),
    (SearchFilters(in_stock=False), ["B"]),
    (SearchFilters(price_max=20000), ["A"]),
    (SearchFilters(price_min=20000), ["B"]),
    (SearchFilters(brand="hanbit"), ["B"]),
    (SearchFilters(category="skincare"), ["A", "B"]),
    (SearchFilters(category="Skincare/Cream/"), ["A", "B"]),
    (SearchFilters(category="skin"), []),  # a prefix of whole path segments, not of letters
    (SearchFilters(tags=("수분",)), ["A"]),
    (SearchFilters(attributes={"skin_type": ("oily", "dry")}), ["A"]),
    (SearchFilters(attributes={"fragrance_free": ("true",)}), ["A"]),
])
def test_filters_run_in_qdrant(index: ProductIndex, filters: SearchFilters,
                               expected: list[str]) -> None:
    assert sorted(query(index, "m1", filters)) == expected


def test_category_path_expands_prefixes() -> None:
    assert category_path("Skincare/ Serum") == ["skincare", "skincare/serum"]
    assert category_path(None) == []


def test_delete_and_count(index: ProductIndex) -> None:
    assert index.count("m1") == 2
    index.delete(["00000000-0000-0000-0000-000000000002"])
    assert index.count("m1") == 1 and index.count() == 2


def test_second_process_gets_an_actionable_error(index: ProductIndex, tmp_path: Path) -> None:
    import subprocess
    import sys

    code = ("from pathlib import Path; from recommender.index import open_index, IndexUnavailable\n"
            "try:\n"
            f"    open_index(engine={index.engine!r}, url=None, path=Path({str(tmp_path / 'q')!r}),"
            " collection='t')\n"
            "except IndexUnavailable as e:\n"
            "    print(e)\n")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=60)
    assert "AISLE_QDRANT_URL" in out.stdout, out.stderr
    assert IndexUnavailable.__doc__


def test_grouping_keeps_rank_order_and_caps_variants() -> None:
    from recommender.index import Hit, group_variants_of

    def hit(pid: str, group: str | None) -> Hit:
        return Hit(id=pid, score=1.0, payload={"variant_group": group} if group else {}, vectors={})

    hits = [hit("a1", "a"), hit("b1", "b"), hit("a2", "a"), hit("x", None), hit("a3", "a"),
            hit("a4", "a"), hit("a5", "a"), hit("c1", "c")]
    grouped = group_variants_of(hits, limit=3)
    assert [h.id for h in grouped] == ["a1", "b1", "x"]  # c1 is past the limit
    assert [v.id for v in grouped[0].variants] == ["a2", "a3", "a4"]  # at most three listed


def test_payload_round_trips_with_booleans(index: ProductIndex) -> None:
    [a, b] = index.retrieve(["00000000-0000-0000-0000-000000000001",
                             "00000000-0000-0000-0000-000000000002"])
    assert a.payload["in_stock"] is True and b.payload["in_stock"] is False
    assert a.payload["category"] == ["skincare", "skincare/cream"]


def test_reopen_keeps_points_and_checks_the_schema(index: ProductIndex, tmp_path: Path) -> None:
    engine = index.engine
    assert index.optimize() in (True, False)  # builds what it can; queries still answer
    assert sorted(query(index, "m1", SearchFilters())) == ["A", "B"]
    index.close()
    again = open_index(engine=engine, url=None, path=tmp_path / "q", collection="t")
    try:
        again.ensure_collection({})
        assert again.count("m1") == 2
        with pytest.raises(IndexSchemaMismatch, match="reindex --recreate"):
            again.ensure_collection({"semantic": 8})
        again.drop_collection()
        again.ensure_collection({"semantic": 8})
        assert again.count() == 0
    finally:
        again.close()
