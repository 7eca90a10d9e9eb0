"""The `aisle` command line: serve, work, manage merchants, import, search, chat, demo."""

from __future__ import annotations

import json
import logging
import os
from pathlib import Path
from typing import Annotated

import typer
from rich.console import Console
from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn
from rich.table import Table

from backend.catalog.local_import import import_file
from backend.db import migrate as run_migrations
from backend.db import session_scope
from backend.demo import DEMO_CATALOG
from backend.errors import AisleError
from backend.runtime import Runtime
from backend.settings import Settings
from backend.vision_cli import add_to as _add_vision_commands
from recommender.index import IndexSchemaMismatch, IndexUnavailable

app = typer.Typer(help="Aisle: multimodal retail recommendations with grounded chat.",
                  no_args_is_help=True, pretty_exceptions_enable=False)
merchants_app = typer.Typer(help="Create and list merchants (tenants) and their API keys.")
app.add_typer(merchants_app, name="merchants")
_add_vision_commands(app)
console = Console(stderr=True)

DEMO_MERCHANT = "demo"


def _setup_logging() -> None:
    level = os.environ.get("AISLE_LOG_LEVEL", "INFO").upper()
    logging.basicConfig(level=level, format="%(asctime)s %(levelname)s %(name)s: %(message)s")


def _fail(message: str) -> typer.Exit:
    console.print(f"[red]error:[/red] {message}")
    return typer.Exit(code=1)


def _runtime() -> Runtime:
    try:
        return Runtime.create(Settings())
    except (ValueError, OSError) as exc:
        raise _fail(str(exc)) from exc


@app.command()
def migrate() -> None:
    """Bring the database schema up to date (run before starting a new version)."""
    settings = Settings()
    run_migrations(settings.resolved_database_url)
    console.print("database schema is up to date")


@app.command()
def serve(host: str = "127.0.0.1", port: int = 8000) -> None:
    """Run the HTTP API (one process: the embedded Qdrant store is single-process)."""
    import uvicorn

    from backend.app import create_app

    _setup_logging()
    uvicorn.run(create_app(Settings(), preload=True), host=host, port=port, log_level="info")


@app.command()
def worker(
    queues: Annotated[str, typer.Option(help="Comma-separated: ingest, vision.")] = "ingest",
    pool: Annotated[str, typer.Option(help="solo or threads for GPU queues; prefork for CPU.")]
    = "solo",
    concurrency: int = 1,
) -> None:
    """Run a Celery worker for the given queues (needs AISLE_BROKER_URL)."""
    from workers.celery_app import make_celery

    _setup_logging()
    settings = Settings()
    if not settings.broker_url:
        raise _fail("AISLE_BROKER_URL is not set: without a broker, tasks run inside "
                    "`aisle serve` and no worker is needed.")
    if "vision" in queues.split(",") and pool == "prefork":
        raise _fail("The vision queue must not fork after CUDA starts: use --pool solo or threads.")
    make_celery(settings).worker_main([
        "worker", "-Q", queues, "--pool", pool, "--concurrency", str(concurrency),
        "--loglevel", "INFO", "--without-gossip", "--without-mingle",
    ])


@merchants_app.command("create")
def merchants_create(name: str) -> None:
    """Create a merchant; prints its id and keys as JSON (keys are shown only this once)."""
    from backend.merchants.service import create_merchant

    rt = _runtime()
    try:
        with session_scope(rt.engine) as session:
            merchant, admin_key, client_key = create_merchant(session, name)
    except AisleError as exc:
        raise _fail(exc.detail) from exc
    typer.echo(json.dumps({"merchant_id": merchant.id, "admin_key": admin_key,
                           "client_key": client_key}))


@merchants_app.command("list")
def merchants_list() -> None:
    """List merchants."""
    from sqlmodel import select

    from backend.models import Merchant

    rt = _runtime()
    with session_scope(rt.engine) as session:
        rows = session.exec(select(Merchant)).all()
        typer.echo(json.dumps([{"merchant_id": m.id, "name": m.name} for m in rows]))


@app.command("import")
def import_command(
    file: Annotated[Path, typer.Argument(exists=True, dir_okay=False, readable=True)],
    merchant: Annotated[str, typer.Option("--merchant", "-m", help="Merchant id or name.")],
) -> None:
    """Import a JSONL or CSV catalog; prints the job report (row errors with line numbers)."""
    _setup_logging()
    rt = _runtime()
    try:
        if rt.settings.broker_url:
            report = _enqueue_import(rt, file, merchant)
        else:
            report = import_file(rt, file, merchant)
    except (AisleError, IndexUnavailable, IndexSchemaMismatch, ValueError) as exc:
        raise _fail(getattr(exc, "detail", str(exc))) from exc
    finally:
        rt.close()
    typer.echo(json.dumps(report, ensure_ascii=False, indent=2))
    if report.get("status") == "failed":
        raise typer.Exit(code=1)


def _enqueue_import(rt: Runtime, path: Path, merchant: str) -> dict:
    from backend.app import attach_task_queue
    from backend.catalog import importer
    from backend.merchants.service import find_merchant

    attach_task_queue(rt)
    assert rt.tasks is not None
    with session_scope(rt.engine) as session:
        merchant_id = find_merchant(session, merchant).id
        job = importer.create_job(session, rt, merchant_id, filename=path.name, source=path,
                                  allow_local_images=True)
    rt.tasks.submit("run_import", job_id=job.id)
    console.print(f"queued import {job.id}; a worker on the ingest queue will process it")
    return {"id": job.id, "status": "queued"}


@app.command()
def search(query: str, merchant: Annotated[str, typer.Option("--merchant", "-m")] = DEMO_MERCHANT,
           limit: int = 5) -> None:
    """Search a merchant's catalog from the terminal."""
    from backend.merchants.service import find_merchant
    from backend.search.schemas import SearchRequest
    from backend.search.service import search as run_search

    rt = _runtime()
    try:
        with session_scope(rt.engine) as session:
            merchant_id = find_merchant(session, merchant).id
            found = run_search(rt, session, merchant_id, SearchRequest(query=query, limit=limit))
    except (AisleError, IndexUnavailable) as exc:
        raise _fail(getattr(exc, "detail", str(exc))) from exc
    finally:
        rt.close()
    table = Table("sku", "title", "price", "reasons")
    for r in found.results:
        table.add_row(r.sku, r.title, f"{r.price:,.0f} {r.currency}",
                      "\n".join(x.text for x in r.reasons))
    Console().print(table)


@app.command()
def reindex(
    recreate: Annotated[bool, typer.Option(help="Drop and rebuild the collection (after "
                                           "changing models).")] = False,
    merchant: Annotated[str | None, typer.Option("--merchant", "-m")] = None,
) -> None:
    """Re-embed products from the database into Qdrant (all merchants unless one is named)."""
    from backend.catalog.reindex import reindex_products
    from backend.merchants.service import find_merchant

    _setup_logging()
    if recreate and merchant:
        raise _fail("--recreate rebuilds every merchant's entries; drop --merchant.")
    rt = _runtime()
    try:
        merchant_id = None
        if merchant:
            with session_scope(rt.engine) as session:
                merchant_id = find_merchant(session, merchant).id
        with Progress(TextColumn("reindex"), BarColumn(), MofNCompleteColumn(),
                      TimeElapsedColumn(), console=console) as progress:
            bar = progress.add_task("reindex", total=None)
            count = reindex_products(
                rt, merchant_id=merchant_id, recreate=recreate,
                progress=lambda done, total: progress.update(bar, completed=done, total=total))
    except (AisleError, IndexUnavailable, IndexSchemaMismatch) as exc:
        raise _fail(getattr(exc, "detail", str(exc))) from exc
    finally:
        rt.close()
    console.print(f"reindexed {count} products")


@app.command()
def optimize() -> None:
    """Build the embedded store's search graphs and drop deleted points (stop `aisle serve`
    first: searches wait while it runs). `aisle import` and `aisle reindex` do it already."""
    _setup_logging()
    rt = _runtime()
    try:
        changed = rt.index.optimize()
    except (IndexUnavailable, IndexSchemaMismatch) as exc:
        raise _fail(str(exc)) from exc
    finally:
        rt.close()
    console.print("index optimized" if changed else "index already optimal")


def _demo_keys(rt: Runtime) -> dict[str, str]:
    """The demo merchant's keys, kept in the data dir so repeated demos reuse them."""
    from backend.merchants.service import create_merchant, find_merchant

    keys_file = rt.settings.data_dir / "demo-keys.json"
    with session_scope(rt.engine) as session:
        try:
            find_merchant(session, DEMO_MERCHANT)
            exists = True
        except AisleError:
            exists = False
        if exists and keys_file.exists():
            return json.loads(keys_file.read_text())
        if exists:
            raise _fail(f"The demo merchant exists but {keys_file} is gone; delete "
                        f"{rt.settings.data_dir} to start the demo afresh.")
        merchant, admin_key, client_key = create_merchant(session, DEMO_MERCHANT)
    keys = {"merchant_id": merchant.id, "admin_key": admin_key, "client_key": client_key}
    keys_file.write_text(json.dumps(keys))
    keys_file.chmod(0o600)
    return keys


@app.command()
def demo(host: str = "127.0.0.1", port: int = 8000,
         serve_api: Annotated[bool, typer.Option("--serve/--no-serve")] = True) -> None:
    """Import the bundled sample catalog into the embedded store and serve the API."""
    _setup_logging()
    rt = _runtime()
    try:
        keys = _demo_keys(rt)
        report = import_file(rt, DEMO_CATALOG, DEMO_MERCHANT)
    except (AisleError, IndexUnavailable, IndexSchemaMismatch) as exc:
        raise _fail(getattr(exc, "detail", str(exc))) from exc
    finally:
        rt.close()
    console.print(f"sample catalog: {report['created']} created, {report['updated']} updated, "
                  f"{report['unchanged']} unchanged, {report['failed']} failed")
    base = f"http://{host}:{port}"
    query = json.dumps({"query": "지성 피부 수분크림"}, ensure_ascii=False)
    console.print(
        f"\nDemo keys: client={keys['client_key']}\n           admin={keys['admin_key']}\n"
        f"Try:\n  curl -s {base}/v1/search -H 'Authorization: Bearer {keys['client_key']}' "
        f"-H 'Content-Type: application/json' -d '{query}'\n",
        soft_wrap=True, markup=False, highlight=False,
    )
    if serve_api:
        serve(host=host, port=port)


def _register_subcommands() -> None:
    from backend.eval_cli import eval_app

    app.add_typer(eval_app, name="eval")


_register_subcommands()

if __name__ == "__main__":
    app()
