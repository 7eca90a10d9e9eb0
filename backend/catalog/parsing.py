"""Reading catalog files row by row, so one bad line never stops the good ones."""

from __future__ import annotations

import csv
import io
import json
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from pydantic import ValidationError

from backend.catalog.schemas import ProductIn, RowError

FORMATS = {".jsonl": "jsonl", ".ndjson": "jsonl", ".json": "jsonl", ".csv": "csv"}


class UnreadableFile(ValueError):
    """The whole file cannot be read (wrong format, encoding); no row was imported."""


@dataclass(frozen=True)
class ParsedRow:
    line: int
    product: ProductIn | None
    error: RowError | None


def detect_format(filename: str) -> str:
    fmt = FORMATS.get(Path(filename).suffix.lower())
    if fmt is None:
        raise UnreadableFile(
            f"Cannot tell the format of {filename!r}: name it .jsonl (one JSON object per line) "
            "or .csv (header row with the same columns)."
        )
    return fmt


def read_rows(path: Path, fmt: str) -> Iterator[ParsedRow]:
    try:
        text = path.read_bytes().decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        raise UnreadableFile(
            f"The file is not UTF-8 text (byte {exc.start}); save it as UTF-8."
        ) from exc
    yield from (_jsonl(text) if fmt == "jsonl" else _csv(text))


def _jsonl(text: str) -> Iterator[ParsedRow]:
    for number, raw in enumerate(text.splitlines(), start=1):
        if not raw.strip():
            continue
        try:
            obj = json.loads(raw)
        except json.JSONDecodeError as exc:
            yield ParsedRow(number, None, RowError(line=number, message=f"invalid JSON: {exc.msg}"))
            continue
        if not isinstance(obj, dict):
            yield ParsedRow(number, None, RowError(line=number, message="expected a JSON object"))
            continue
        yield _validate(number, obj)


def _csv(text: str) -> Iterator[ParsedRow]:
    reader = csv.DictReader(io.StringIO(text, newline=""))
    if not reader.fieldnames or not {"sku", "title", "price"} <= set(reader.fieldnames):
        raise UnreadableFile("The CSV header must name at least the columns sku, title and price.")
    for row in reader:
        line = reader.line_num
        if None in row:
            yield ParsedRow(line, None, RowError(line=line, message="more cells than header columns"))
            continue
        cleaned = {k: v for k, v in row.items() if k and v not in (None, "")}
        yield _validate(line, cleaned)


def _validate(line: int, obj: dict[str, Any]) -> ParsedRow:
    try:
        return ParsedRow(line, ProductIn.model_validate(obj), None)
    except ValidationError as exc:
        first = exc.errors()[0]
        field = ".".join(str(p) for p in first.get("loc", ())) or None
        sku = obj.get("sku") if isinstance(obj.get("sku"), str) else None
        msg = "; ".join(
            f"{'.'.join(str(p) for p in e.get('loc', ())) or 'row'}: {e['msg']}" for e in exc.errors()
        )
        return ParsedRow(line, None, RowError(line=line, sku=sku, field=field, message=msg))
