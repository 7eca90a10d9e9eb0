"""`aisle clip train`: fine-tune CLIP on the catalog's own image–text pairs, then re-embed.

Starts from the configured weights, or from the bundled tiny config when none exist (so an
embedded demo gets image search with nothing downloaded). The new weights are saved where
`AISLE_CLIP_WEIGHTS` can point, and every product is re-embedded with them.
"""

from __future__ import annotations

import json
import logging
from collections.abc import Callable
from dataclasses import asdict
from pathlib import Path

from PIL import Image
from sqlmodel import col, select

from backend.catalog.ingest import to_document
from backend.catalog.reindex import reindex_products
from backend.db import session_scope
from backend.models import Product, ProductImage
from backend.runtime import Runtime, encoder_config
from recommender.documents import semantic_text
from recommender.encoders import Encoders
from recommender.index import IndexSchemaMismatch
from vision.finetune import Pair, TrainReport, finetune, save_weights

log = logging.getLogger(__name__)

TINY_MODEL = "aisle-tiny-clip"


def catalog_pairs(rt: Runtime, merchant_id: str | None = None) -> list[Pair]:
    """Every stored product image with its product's text (the text CLIP indexes)."""
    with session_scope(rt.engine) as session:
        stmt = select(ProductImage, Product).where(col(ProductImage.product_id) == col(Product.id))
        if merchant_id:
            stmt = stmt.where(Product.merchant_id == merchant_id)
        rows = session.exec(stmt.order_by(col(Product.id), col(ProductImage.position))).all()
        items = [(img.path, semantic_text(to_document(prod)), prod.id) for img, prod in rows]
    pairs = []
    for path, text, group in items:
        with Image.open(rt.settings.images_dir / path) as img:
            pairs.append(Pair(img.convert("RGB"), text, group))
    return pairs


def default_output(rt: Runtime, model: str) -> Path:
    return rt.settings.vision_dir / "clip" / f"{model}-catalog.pt"


def train_catalog_clip(rt: Runtime, *, merchant_id: str | None = None, epochs: int = 30,
                       out: Path | None = None, batch_size: int = 64, holdout: float = 0.2,
                       reindex: bool = True, seed: int = 0,
                       on_epoch: Callable[[int, float], None] | None = None) -> TrainReport:
    s = rt.settings
    model = s.clip_model if s.clip_enabled and s.clip_model else TINY_MODEL
    init = s.clip_weights if s.clip_enabled else None
    config = s.clip_config if s.clip_enabled else None
    pairs = catalog_pairs(rt, merchant_id)
    if len(pairs) < 2:
        raise ValueError("The catalog has fewer than two product images; import products "
                         "with images first.")
    trained, report = finetune(model, pairs, init_weights=init, config=config, epochs=epochs,
                               batch_size=batch_size, holdout=holdout, seed=seed,
                               device=s.device, on_epoch=on_epoch)
    out = out or default_output(rt, model)
    save_weights(trained, out)
    out.with_suffix(".json").write_text(json.dumps(
        {**asdict(report), "weights": str(out), "merchant_id": merchant_id}, indent=2))
    if not s.clip_enabled:
        # No pretrained weights configured: this data dir (the embedded demo) now uses the
        # catalog-trained model by default; configured weights always take precedence.
        s.trained_clip_pointer.parent.mkdir(parents=True, exist_ok=True)
        s.trained_clip_pointer.write_text(json.dumps({"model": model, "weights": str(out.resolve())}))
    if reindex:
        reembed(rt, model=model, weights=out, config=config)
    return report


def reembed(rt: Runtime, *, model: str, weights: Path, config: Path | None) -> int:
    """Re-embed every product with the new weights (all merchants share one vector space)."""
    settings = rt.settings.model_copy(update={"clip_model": model, "clip_weights": weights,
                                              "clip_config": config})
    rt.release_index()  # local-mode Qdrant allows one client per store
    encoders = Encoders(encoder_config(settings), lexical=rt.encoders.lexical,
                        _semantic=rt.encoders._semantic)
    trained_rt = Runtime(settings=settings, engine=rt.engine, encoders=encoders)
    try:
        try:
            _ = trained_rt.index
            recreate = False
        except IndexSchemaMismatch:  # e.g. the first CLIP: the collection gains image vectors
            recreate = True
        return reindex_products(trained_rt, recreate=recreate)
    finally:
        trained_rt.release_index()
