"""open_clip models loaded from local weights: load once per process, encode many.

Weights always come from a local file (no hub access at run time). Aisle refuses to build
a CLIP model without weights, because a randomly initialised model would rank products
by noise while looking like it works.
"""

from __future__ import annotations

import logging
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import Any

import numpy as np
import open_clip  # torchvision works here because vision/__init__ ran first
from PIL import Image

from vision.torch_runtime import resolve_device, torch

log = logging.getLogger(__name__)

BUNDLED_CONFIGS = Path(__file__).parent / "model_configs"


class ClipUnavailable(RuntimeError):
    """CLIP was requested but cannot be loaded; the message says which setting to fix."""


def register_model_configs(extra: Path | None = None) -> None:
    """Make Aisle's bundled configs (and an operator's own JSON config) known to open_clip."""
    open_clip.add_model_config(BUNDLED_CONFIGS)
    if extra is not None:
        if not extra.exists():
            raise ClipUnavailable(f"AISLE_CLIP_CONFIG={extra} does not exist.")
        open_clip.add_model_config(extra)


class ClipEncoder:
    """Image and text towers of one CLIP model, L2-normalised outputs."""

    def __init__(self, model: Any, preprocess: Callable[[Image.Image], torch.Tensor],
                 tokenizer: Callable[[list[str]], torch.Tensor],
                 *, name: str, device: str, dim: int) -> None:
        self.model = model
        self.preprocess = preprocess
        self.tokenizer = tokenizer
        self.name = name
        self.device = device
        self.dim = dim

    @classmethod
    def load(cls, model_name: str, weights: Path, *, config: Path | None = None,
             device: str = "auto") -> ClipEncoder:
        register_model_configs(config)
        if model_name not in open_clip.list_models():
            raise ClipUnavailable(
                f"Unknown CLIP model {model_name!r}. Use an open_clip name (e.g. ViT-B-32) or "
                "point AISLE_CLIP_CONFIG at a JSON model config."
            )
        if not Path(weights).is_file():
            raise ClipUnavailable(
                f"AISLE_CLIP_WEIGHTS={weights} is not a file. Download the weights once on a "
                "machine with internet access, or train some with `aisle clip train`."
            )
        dev = resolve_device(device)
        try:
            model, _, preprocess = open_clip.create_model_and_transforms(
                model_name, pretrained=str(weights), device=dev
            )
        except RuntimeError as exc:  # shape mismatch between config and weights
            raise ClipUnavailable(f"Weights {weights} do not fit model {model_name}: {exc}") from exc
        model.eval()
        dim = int(model.text_projection.shape[1]) if hasattr(model, "text_projection") else int(
            open_clip.get_model_config(model_name)["embed_dim"]
        )
        log.info("CLIP %s loaded from %s on %s (dim %d)", model_name, weights, dev, dim)
        return cls(model, preprocess, open_clip.get_tokenizer(model_name),
                   name=model_name, device=dev, dim=dim)

    @torch.inference_mode()
    def encode_images(self, images: Sequence[Image.Image], batch_size: int = 64) -> np.ndarray:
        out: list[np.ndarray] = []
        for start in range(0, len(images), batch_size):
            batch = torch.stack(
                [self.preprocess(img.convert("RGB")) for img in images[start : start + batch_size]]
            ).to(self.device)
            feats = self.model.encode_image(batch)
            out.append(torch.nn.functional.normalize(feats.float(), dim=-1).cpu().numpy())
        return np.concatenate(out) if out else np.zeros((0, self.dim), dtype=np.float32)

    @torch.inference_mode()
    def encode_texts(self, texts: Sequence[str], batch_size: int = 256) -> np.ndarray:
        out: list[np.ndarray] = []
        for start in range(0, len(texts), batch_size):
            tokens = self.tokenizer(list(texts[start : start + batch_size])).to(self.device)
            feats = self.model.encode_text(tokens)
            out.append(torch.nn.functional.normalize(feats.float(), dim=-1).cpu().numpy())
        return np.concatenate(out) if out else np.zeros((0, self.dim), dtype=np.float32)
