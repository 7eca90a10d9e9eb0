"""Server-sent events framing: one small helper per event, the stream always ends with one."""

from __future__ import annotations

import json
from typing import Any


def event(name: str, data: Any) -> str:
    payload = json.dumps(data, ensure_ascii=False, separators=(",", ":"), default=str)
    return f"event: {name}\ndata: {payload}\n\n"
