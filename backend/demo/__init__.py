"""The bundled sample catalog (and its labelled evaluation sets) used by `aisle demo` and `aisle eval`."""

from pathlib import Path

DEMO_CATALOG = Path(__file__).parent / "catalog" / "products.jsonl"
