"""CLI commands for photos and vision: `aisle photos purge`, `aisle vision train-probe`,
`aisle clip train`. Registered on the main app by `backend.cli`."""

from __future__ import annotations

import csv
import json
from pathlib import Path
from typing import Annotated

import typer
from rich.console import Console
from rich.table import Table

from backend.errors import AisleError
from backend.runtime import Runtime
from backend.settings import Settings

console = Console(stderr=True)
photos_app = typer.Typer(help="Shopper photos: retention.")
vision_app = typer.Typer(help="Vision models: skin probe heads.")
clip_app = typer.Typer(help="CLIP: fine-tune on the catalog's own images.")


def add_to(app: typer.Typer) -> None:
    app.add_typer(photos_app, name="photos")
    app.add_typer(vision_app, name="vision")
    app.add_typer(clip_app, name="clip")


def _fail(message: str) -> typer.Exit:
    console.print(f"[red]error:[/red] {message}")
    return typer.Exit(code=1)


@photos_app.command("purge")
def purge() -> None:
    """Delete photos past AISLE_PHOTO_RETENTION_HOURS (files, analyses, rows). Run it from cron."""
    from backend.photos.service import purge_expired

    rt = Runtime.create(Settings())
    try:
        typer.echo(json.dumps(purge_expired(rt, limit=100_000)))
    finally:
        rt.close()


def read_labels(path: Path) -> list[tuple[Path, str, str]]:
    """Rows of (image path, attribute, label); paths are relative to the CSV file."""
    with path.open(newline="", encoding="utf-8") as fh:
        reader = csv.DictReader(fh)
        missing = {"path", "attribute", "label"} - set(reader.fieldnames or [])
        if missing:
            raise ValueError(f"{path.name}: missing columns {sorted(missing)}; "
                             "expected path,attribute,label")
        rows = []
        for line, row in enumerate(reader, start=2):
            img = Path(row["path"])
            img = img if img.is_absolute() else path.parent / img
            if not img.is_file():
                raise ValueError(f"{path.name} line {line}: no such image {row['path']}")
            rows.append((img, row["attribute"].strip().lower(), row["label"]))
    return rows


@vision_app.command("train-probe")
def train_probe(
    labels: Annotated[Path, typer.Argument(exists=True, dir_okay=False, readable=True,
                                           help="CSV with columns path,attribute,label.")],
    out: Annotated[Path | None, typer.Option(help="Where to save the heads.")] = None,
) -> None:
    """Train skin linear-probe heads on labeled photos; the analyzer uses them at once."""
    from backend.photos.vision_models import NO_CLIP, probes_path
    from vision.analysis import SKIN_ATTRIBUTES
    from vision.images import ImageRejected, decode_image
    from vision.probes import ProbeTrainingError, parse_label, train_probes

    settings = Settings()
    if not settings.clip_enabled:
        raise _fail(NO_CLIP)
    rt = Runtime.create(settings)
    try:
        rows = read_labels(labels)
        clip = rt.encoders.clip
        assert clip is not None
        images = []
        for img_path, _, _ in rows:
            decoded = decode_image(img_path.read_bytes(), max_bytes=settings.photo_max_bytes,
                                   max_pixels=settings.photo_max_pixels)
            images.append(decoded.image)
        embeddings = clip.encode_images(images, batch_size=settings.vision_batch_size)
        probes = train_probes(embeddings, [a for _, a, _ in rows],
                              [parse_label(lab) for _, _, lab in rows],
                              clip_model=clip.name, clip_weights=str(settings.clip_weights),
                              allowed=SKIN_ATTRIBUTES)
    except (ValueError, ImageRejected, ProbeTrainingError, AisleError) as exc:
        raise _fail(getattr(exc, "detail", str(exc))) from exc
    finally:
        rt.close()
    target = out or probes_path(settings)
    probes.save(target)
    table = Table("attribute", "photos", "with it", "cv accuracy")
    for name, head in sorted(probes.heads.items()):
        table.add_row(name, str(head.samples), str(head.positives),
                      "n/a (too few labels)" if head.cv_accuracy is None else f"{head.cv_accuracy:.3f}")
    console.print(table)
    console.print(f"saved {len(probes.heads)} probe heads to {target}")


@clip_app.command("train")
def clip_train(
    merchant: Annotated[str | None, typer.Option("--merchant", "-m",
                                                 help="Train on one catalog (default: all).")] = None,
    epochs: Annotated[int, typer.Option(min=1)] = 30,
    out: Annotated[Path | None, typer.Option(help="Weights file to write.")] = None,
    batch_size: Annotated[int, typer.Option(min=2)] = 64,
    holdout: Annotated[float, typer.Option(min=0.0, max=0.9)] = 0.2,
    reindex: Annotated[bool, typer.Option("--reindex/--no-reindex")] = True,
) -> None:
    """Fine-tune CLIP on catalog image–text pairs, print recall before/after, re-embed."""
    from backend.catalog.clip_training import train_catalog_clip
    from backend.db import session_scope
    from backend.merchants.service import find_merchant

    rt = Runtime.create(Settings())
    try:
        merchant_id = None
        if merchant:
            with session_scope(rt.engine) as session:
                merchant_id = find_merchant(session, merchant).id
        report = train_catalog_clip(
            rt, merchant_id=merchant_id, epochs=epochs, out=out, batch_size=batch_size,
            holdout=holdout, reindex=reindex,
            on_epoch=lambda e, loss: console.print(f"epoch {e}/{epochs}: loss {loss:.4f}"))
    except (ValueError, AisleError) as exc:
        raise _fail(getattr(exc, "detail", str(exc))) from exc
    finally:
        rt.close()
    where = "held-out products" if report.heldout_pairs else "training pairs (too few to hold out)"
    table = Table("image→text", "before", "after")
    for key in ("recall@1", "recall@5"):
        table.add_row(key, f"{report.recall_before.get(key, 0):.3f}",
                      f"{report.recall_after.get(key, 0):.3f}")
    console.print(f"trained {report.model} from {report.init} on {report.train_pairs} pairs "
                  f"({report.device}, {report.seconds}s); recall on {where}:")
    console.print(table)
    weights = out or rt.settings.vision_dir / "clip" / f"{report.model}-catalog.pt"
    console.print(f"Use it: AISLE_CLIP_MODEL={report.model} AISLE_CLIP_WEIGHTS={weights}")
    typer.echo(json.dumps({"weights": str(weights), "recall_before": report.recall_before,
                           "recall_after": report.recall_after}))
