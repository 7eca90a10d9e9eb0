"""Turn product documents (and their images) into index points with every configured vector."""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np
from PIL import Image

from recommender.documents import ProductDocument, lexical_fields, ngram_text, payload, semantic_text
from recommender.encoders import Encoders
from recommender.index import LEXICAL, NGRAM, IndexPoint
from recommender.lexical import ngram_vector


def build_points(encoders: Encoders, docs: Sequence[ProductDocument],
                 images: Sequence[Sequence[Image.Image]]) -> list[IndexPoint]:
    """Embed a batch at once (models are much faster batched); `images[i]` belongs to `docs[i]`."""
    if not docs:
        return []
    dense: list[dict[str, list[float]]] = [{} for _ in docs]
    if (sem := encoders.semantic) is not None:
        for slot, vec in zip(dense, sem.encode([semantic_text(d) for d in docs]), strict=True):
            slot["semantic"] = vec.tolist()
    if (clip := encoders.clip) is not None:
        text_vecs = clip.encode_texts([semantic_text(d) for d in docs])
        flat = [img for imgs in images for img in imgs]
        img_vecs = clip.encode_images(flat) if flat else np.zeros((0, clip.dim), np.float32)
        offset = 0
        for i, imgs in enumerate(images):
            dense[i]["text"] = text_vecs[i].tolist()
            if imgs:
                # Several photos of one product: their mean direction stands for the product.
                mean = img_vecs[offset : offset + len(imgs)].mean(axis=0)
                dense[i]["image"] = (mean / (np.linalg.norm(mean) or 1.0)).tolist()
                offset += len(imgs)
            else:
                # Without a photo the point would be unreachable by photo search; the CLIP
                # text embedding stands in, where a matching photo would lie in a trained CLIP.
                dense[i]["image"] = text_vecs[i].tolist()
    points = []
    for doc, vecs in zip(docs, dense, strict=True):
        sparse, terms = encoders.lexical.document_vector(lexical_fields(doc))
        title_terms = sorted(set(encoders.lexical.terms_and_concepts(doc.title)))
        points.append(IndexPoint(
            id=doc.product_id,
            payload=payload(doc, terms=terms, title_terms=title_terms),
            dense=vecs,
            sparse={LEXICAL: sparse, NGRAM: ngram_vector(ngram_text(doc))},
        ))
    return points
