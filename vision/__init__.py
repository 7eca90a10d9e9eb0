"""Image models: open_clip loading from local weights, image validation, photo analysis.

Importing this package first makes torchvision importable beside the pinned CPU torch
(see `vision.torch_runtime`); every module that loads open_clip, transformers or
sentence-transformers lives in or imports from this package, so the fix runs before them
whatever order an import sorter gives their imports.
"""

from vision import torch_runtime as _torch_runtime  # noqa: F401
