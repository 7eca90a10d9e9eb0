"""The runtime applies AISLE_TORCH_THREADS to this process's torch."""

from __future__ import annotations

from pathlib import Path

from backend.runtime import Runtime
from recommender.encoders import EncoderConfig, Encoders
from tests.conftest import make_settings
from vision.torch_runtime import torch


def test_torch_threads_setting_pins_intra_op_threads(tmp_path: Path) -> None:
    before = torch.get_num_threads()
    try:
        rt = Runtime.create(make_settings(tmp_path, torch_threads=1),
                            encoders=Encoders(EncoderConfig(semantic_enabled=False)))
        assert torch.get_num_threads() == 1
        rt.close()
    finally:
        torch.set_num_threads(before)
