"""Hybrid retrieval: encode the query for every retriever that can read it, fuse in Qdrant."""

from __future__ import annotations

from dataclasses import dataclass
from functools import partial

import numpy as np

from recommender.encoders import Encoders
from recommender.index import LEXICAL, NGRAM, Hit, Prefetch, ProductIndex, SearchFilters
from recommender.lexical import ngram_vector
from recommender.photo import PhotoQuery, photo_prefetches
from recommender.popularity import rerank_by_popularity
from recommender.profile import ShopperProfile, profile_prefetches


@dataclass(frozen=True)
class RetrievalWeights:
    lexical: float = 1.0
    semantic: float = 1.0
    clip_text: float = 0.5
    clip_image: float = 0.5
    ngram: float = 0.5
    # Cosine floors below which a dense match is noise (measured on the sample catalog for
    # all-MiniLM-L6-v2: related products score 0.3-0.8, unrelated ones 0.0-0.2).
    semantic_min_score: float = 0.25
    clip_min_score: float | None = None


@dataclass(frozen=True)
class Retrieval:
    hits: list[Hit]
    query_terms: list[str]
    query_vectors: dict[str, np.ndarray]
    retrievers: list[str]


class HybridRetriever:
    def __init__(self, index: ProductIndex, encoders: Encoders, *,
                 weights: RetrievalWeights | None = None, prefetch_limit: int = 100,
                 group_variants: bool = True, sparse: bool = True,
                 popularity_weight: float = 0.0) -> None:
        self.index = index
        self.encoders = encoders
        self.weights = weights or RetrievalWeights()
        self.prefetch_limit = prefetch_limit
        self.group_variants = group_variants
        # False leaves only the dense retrievers: the ablation `aisle eval` and the
        # benchmarks compare hybrid against.
        self.sparse = sparse
        self.popularity_weight = popularity_weight

    def retrieve(self, merchant_id: str, text: str, language: str, filters: SearchFilters,
                 *, limit: int, photo: PhotoQuery | None = None,
                 profile: ShopperProfile | None = None) -> Retrieval:
        prefetches: list[Prefetch] = []
        qvecs: dict[str, np.ndarray] = {}
        sparse, terms = self.encoders.lexical.query_vector(text)
        if sparse.indices and self.sparse:
            prefetches.append(Prefetch(LEXICAL, sparse, self.weights.lexical))
        grams = ngram_vector(text)
        if grams.indices and self.sparse:
            # Catches misspellings the morpheme match misses ("sneakrs", "머그겁").
            prefetches.append(Prefetch(NGRAM, grams, self.weights.ngram))
        if text.strip():
            sem = self.encoders.semantic
            # A model that cannot read the query's language ranks by noise; leave it out.
            if sem is not None and language in sem.languages:
                qvecs["semantic"] = sem.encode_query(text)
                prefetches.append(Prefetch("semantic", qvecs["semantic"].tolist(),
                                           self.weights.semantic, self.weights.semantic_min_score))
            clip = self.encoders.clip
            if clip is not None and language == "en":
                vec = clip.encode_texts([text])[0]
                qvecs["text"] = qvecs["image"] = vec
                floor = self.weights.clip_min_score
                prefetches.append(Prefetch("text", vec.tolist(), self.weights.clip_text, floor))
                prefetches.append(Prefetch("image", vec.tolist(), self.weights.clip_image, floor))
        text_weight = sum(p.weight for p in prefetches)
        if profile is not None:
            prefetches += profile_prefetches(profile, prefetches)
        if photo is not None:  # the photo's vector (it wins "image") and its analysis boosts
            photo_pf, photo_vecs = photo_prefetches(photo, self.encoders.lexical,
                                                    text_weight=text_weight)
            prefetches += photo_pf
            qvecs.update(photo_vecs)
        if not prefetches:
            return Retrieval([], terms, qvecs, [])
        hits = self.index.query(
            merchant_id, prefetches, filters, limit=limit, prefetch_limit=self.prefetch_limit,
            group_variants=self.group_variants,
            with_vectors=sorted(qvecs),
            rerank=(partial(rerank_by_popularity, weight=self.popularity_weight)
                    if self.popularity_weight > 0 else None),
        )
        return Retrieval(hits, terms, qvecs, [_label(p) for p in prefetches])


def _label(p: Prefetch) -> str:
    """`lexical`, or `lexical[attributes.skin_type]` for a boost restricted by a condition."""
    return f"{p.using}[{','.join(key for key, _ in p.conditions)}]" if p.conditions else p.using
