"""Contrastive fine-tuning of open_clip on a catalog's own image–text pairs.

A merchant's photos and words (brand names, Korean titles, house styles) are not what web
CLIP was trained on; a few epochs of the CLIP objective on the catalog's own pairs adapt both
towers. Images are augmented (crop, rotation, colour) so the image tower also learns that a
shopper's photo of a product, taken at another angle and light, is the same product.
Without pretrained weights this trains a tiny model from its config, which is how the
embedded demo gets image search with nothing downloaded.
"""

from __future__ import annotations

import logging
import random
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import open_clip
from PIL import Image
from torchvision import transforms

from vision.clip import register_model_configs
from vision.torch_runtime import resolve_device, torch

log = logging.getLogger(__name__)


@dataclass(frozen=True)
class Pair:
    """One product image and the product's text; `group` keeps a product's images together."""

    image: Image.Image
    text: str
    group: str


@dataclass
class TrainReport:
    model: str
    init: str
    device: str
    train_pairs: int
    heldout_pairs: int
    epochs: int
    seconds: float
    recall_before: dict[str, float]
    recall_after: dict[str, float]
    losses: list[float] = field(default_factory=list)


def split_pairs(pairs: Sequence[Pair], holdout: float, seed: int) -> tuple[list[Pair], list[Pair]]:
    """Hold out whole products (not single images), so recall is measured on unseen ones."""
    groups = sorted({p.group for p in pairs})
    random.Random(seed).shuffle(groups)
    n_out = int(len(groups) * holdout)
    if n_out < 5:  # too few to measure anything: evaluate on the training pairs, and say so
        return list(pairs), []
    out = set(groups[:n_out])
    return [p for p in pairs if p.group not in out], [p for p in pairs if p.group in out]


def _augment(image_size: int, normalize: Any) -> Callable[[Image.Image], torch.Tensor]:
    return transforms.Compose([
        transforms.RandomResizedCrop(image_size, scale=(0.5, 1.0), ratio=(0.8, 1.25)),
        transforms.RandomRotation(20),
        transforms.ColorJitter(brightness=0.4, contrast=0.3, saturation=0.3),
        transforms.ToTensor(),
        normalize,
    ])


@torch.no_grad()
def recall_at_k(model: Any, preprocess: Callable[[Image.Image], torch.Tensor],
                tokenizer: Callable[[list[str]], torch.Tensor], pairs: Sequence[Pair],
                device: str, ks: Sequence[int] = (1, 5)) -> dict[str, float]:
    """Image→text: for each image, is its product's text among the top k of all texts?"""
    if not pairs:
        return {}
    model.eval()
    texts = sorted({p.text for p in pairs})
    index = {t: i for i, t in enumerate(texts)}
    txt = torch.nn.functional.normalize(model.encode_text(tokenizer(texts).to(device)).float(), dim=-1)
    hits = {k: 0 for k in ks}
    for start in range(0, len(pairs), 64):
        chunk = pairs[start : start + 64]
        batch = torch.stack([preprocess(p.image.convert("RGB")) for p in chunk]).to(device)
        img = torch.nn.functional.normalize(model.encode_image(batch).float(), dim=-1)
        ranks = (img @ txt.T).argsort(dim=1, descending=True).cpu()
        for row, p in zip(ranks, chunk, strict=True):
            pos = int((row == index[p.text]).nonzero()[0, 0])
            for k in ks:
                hits[k] += pos < k
    return {f"recall@{k}": round(hits[k] / len(pairs), 4) for k in ks} | {"n": float(len(pairs)),
                                                                          "texts": float(len(texts))}


def finetune(model_name: str, pairs: Sequence[Pair], *, init_weights: Path | None,
             config: Path | None = None, epochs: int = 30, batch_size: int = 64,
             lr: float | None = None, holdout: float = 0.2, seed: int = 0,
             device: str = "auto", on_epoch: Callable[[int, float], None] | None = None,
             ) -> tuple[Any, TrainReport]:
    """Train and return (model, report). With no `init_weights` the model starts from its
    config's random initialisation; that is training, not ranking, so it is allowed here."""
    register_model_configs(config)
    if len(pairs) < 2:
        raise ValueError("Contrastive training needs at least two image–text pairs.")
    torch.manual_seed(seed)
    random.seed(seed)
    dev = resolve_device(device)
    model, _, preprocess = open_clip.create_model_and_transforms(
        model_name, pretrained=str(init_weights) if init_weights else None, device=dev)
    tokenizer = open_clip.get_tokenizer(model_name)
    size = model.visual.image_size
    size = size[0] if isinstance(size, tuple | list) else int(size)
    normalize = next(t for t in preprocess.transforms if isinstance(t, transforms.Normalize))
    augment = _augment(size, normalize)
    train, heldout = split_pairs(pairs, holdout, seed)
    measured = heldout or train
    before = recall_at_k(model, preprocess, tokenizer, measured, dev)
    # From scratch needs a large step; pretrained weights need a small one not to forget.
    lr = lr if lr is not None else (1e-5 if init_weights else 1e-3)
    # The token embedding is most of a small model's parameters (49k words x width) and a
    # catalog's text is far too little to retrain it; frozen, training is ~5x faster on CPU
    # and a pretrained model keeps its vocabulary.
    if hasattr(model, "token_embedding"):
        model.token_embedding.requires_grad_(False)
    optim = torch.optim.AdamW([p for p in model.parameters() if p.requires_grad], lr=lr,
                              weight_decay=0.1)
    started = time.perf_counter()
    losses: list[float] = []
    for epoch in range(epochs):
        model.train()
        order = list(train)
        random.shuffle(order)
        total, steps = 0.0, 0
        for start in range(0, len(order), batch_size):
            batch = _dedupe(order[start : start + batch_size])
            if len(batch) < 2:
                continue
            # Two augmented views of each image: both must find the product's text (the
            # CLIP objective) and each other (so a shopper's photo finds the catalog photo).
            views = torch.stack([augment(p.image.convert("RGB")) for p in batch * 2]).to(dev)
            tokens = tokenizer([p.text for p in batch]).to(dev)
            img = torch.nn.functional.normalize(model.encode_image(views), dim=-1)
            txt = torch.nn.functional.normalize(model.encode_text(tokens), dim=-1)
            n, scale = len(batch), model.logit_scale.exp()
            loss = (_contrastive(scale * img[:n] @ txt.T) + _contrastive(scale * img[n:] @ txt.T)
                    + _contrastive(scale * img[:n] @ img[n:].T)) / 3
            optim.zero_grad()
            loss.backward()
            optim.step()
            with torch.no_grad():
                model.logit_scale.clamp_(0, 4.6052)  # temperature at most 100, as in CLIP
            total += float(loss.detach())
            steps += 1
        losses.append(round(total / max(steps, 1), 4))
        if on_epoch:
            on_epoch(epoch + 1, losses[-1])
    after = recall_at_k(model, preprocess, tokenizer, measured, dev)
    model.eval()
    report = TrainReport(
        model=model_name, init=str(init_weights) if init_weights else "random (config)",
        device=dev, train_pairs=len(train), heldout_pairs=len(heldout), epochs=epochs,
        seconds=round(time.perf_counter() - started, 1), recall_before=before,
        recall_after=after, losses=losses)
    return model, report


def _contrastive(logits: torch.Tensor) -> torch.Tensor:
    """Symmetric InfoNCE: row i matches column i, in both directions."""
    labels = torch.arange(logits.shape[0], device=logits.device)
    return (torch.nn.functional.cross_entropy(logits, labels)
            + torch.nn.functional.cross_entropy(logits.T, labels)) / 2


def _dedupe(batch: list[Pair]) -> list[Pair]:
    """Two images of one product in a batch would be each other's false negatives."""
    seen: set[str] = set()
    out = []
    for p in batch:
        if p.group not in seen:
            seen.add(p.group)
            out.append(p)
    return out


def save_weights(model: Any, path: Path) -> None:
    """A plain state dict: exactly what `ClipEncoder.load` (open_clip `pretrained=`) reads."""
    path.parent.mkdir(parents=True, exist_ok=True)
    tmp = path.with_suffix(path.suffix + ".tmp")
    torch.save(model.state_dict(), tmp)
    tmp.replace(path)
