"""The vision models of one process: CLIP (shared with indexing) plus the skin probe heads.

CLIP loads once through the Runtime's Encoders. Probe heads are re-read when their file
changes, so `aisle vision train-probe` takes effect without restarting workers.
"""

from __future__ import annotations

import logging
import threading
from pathlib import Path

from backend.errors import Unavailable
from backend.settings import Settings
from recommender.encoders import Encoders
from vision.analysis import VisionAnalyzer
from vision.probes import ProbeSet

log = logging.getLogger(__name__)

NO_CLIP = ("Photo analysis needs CLIP weights, and none are configured: set AISLE_CLIP_MODEL "
           "and AISLE_CLIP_WEIGHTS (a local weights file, e.g. from `aisle clip train`). "
           "Aisle never analyses photos with random weights.")


def probes_path(settings: Settings) -> Path:
    return settings.vision_dir / "skin_probes.json"


class VisionModels:
    def __init__(self, settings: Settings, encoders: Encoders) -> None:
        self.settings = settings
        self.encoders = encoders
        self._lock = threading.Lock()
        self._analyzer: VisionAnalyzer | None = None
        self._probe_stamp: float | None = None

    def analyzer(self) -> VisionAnalyzer:
        """Raises Unavailable when CLIP is not configured (never a random model)."""
        clip = self.encoders.clip
        if clip is None:
            raise Unavailable(NO_CLIP)
        with self._lock:
            if self._analyzer is None:
                self._analyzer = VisionAnalyzer(clip)
            self._refresh_probes(self._analyzer)
            return self._analyzer

    def _refresh_probes(self, analyzer: VisionAnalyzer) -> None:
        path = probes_path(self.settings)
        stamp = path.stat().st_mtime if path.exists() else None
        if stamp == self._probe_stamp:
            return
        self._probe_stamp = stamp
        analyzer.probes = None
        if stamp is None:
            return
        probes = ProbeSet.load(path)
        clip = analyzer.clip
        if probes.fits(clip.name, str(self.settings.clip_weights), clip.dim):
            analyzer.probes = probes
            log.info("skin probe heads loaded for %s", ", ".join(sorted(probes.heads)))
        else:
            log.warning("ignoring %s: trained for %s (%s), not the configured %s (%s); "
                        "re-run `aisle vision train-probe`", path, probes.clip_model,
                        probes.clip_weights, clip.name, self.settings.clip_weights)
