"""The one place that imports torch for Aisle; every model module imports torch through it.

PyPI's torchvision 0.28.0 is compiled against a CUDA torch and fails to import beside the
pinned CPU torch 2.13.0 ("operator torchvision::nms does not exist"), and open_clip,
transformers and sentence-transformers all import torchvision. Registering the schemas of
the two detection operators (never called by Aisle) lets torchvision import. This must
run before any of those libraries is imported, hence this module.
"""

from __future__ import annotations

import threading

import torch

_lock = threading.Lock()


def _register_torchvision_ops() -> None:
    with _lock:
        if hasattr(torch.ops.torchvision, "nms"):
            return
        lib = torch.library.Library("torchvision", "FRAGMENT")
        lib.define("nms(Tensor dets, Tensor scores, float iou_threshold) -> Tensor")
        lib.define("qnms(Tensor dets, Tensor scores, float iou_threshold) -> Tensor")
        # Keep the library object alive for the process; dropping it unregisters the ops.
        _libraries.append(lib)


_libraries: list[torch.library.Library] = []
_register_torchvision_ops()


def resolve_device(requested: str = "auto") -> str:
    """`auto` means CUDA when a GPU is visible, else CPU."""
    if requested == "auto":
        return "cuda" if torch.cuda.is_available() else "cpu"
    return requested


def set_cpu_threads(threads: int | None) -> None:
    """Pin torch's intra-op CPU threads for this process (None: torch's default, one per core).

    An API process encoding one short query per request does better with 1: measured on 2
    cores with 8 concurrent searches, 88-97 req/s against 65-78 with 2, because the second
    thread competes with the request handling instead of speeding up a tiny forward pass.
    Batch work (ingestion, vision workers) wants the default.
    """
    if threads:
        torch.set_num_threads(threads)


__all__ = ["torch", "resolve_device", "set_cpu_threads"]
