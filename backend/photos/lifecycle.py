"""Photo housekeeping at process start: retention purge and lost in-process analyses."""

from __future__ import annotations

import logging

from backend.photos.analysis import requeue_unfinished_analyses
from backend.photos.service import purge_expired
from backend.runtime import Runtime

log = logging.getLogger(__name__)


def on_startup(rt: Runtime) -> None:
    try:
        purge_expired(rt)
    except Exception:  # a purge failure must not keep the API down; the next one retries
        log.exception("photo purge at start-up failed")
    if not rt.settings.broker_url:
        # With a broker, queued jobs wait in it; in-process ones died with the last process.
        requeue_unfinished_analyses(rt)
