"""`aisle eval`: measure search quality on a labelled query set (and, as `aisle eval chat`, chat).

Search evaluation builds a throwaway embedded deployment, imports the catalog, runs each
query through the same search service the API uses, and scores the ranked skus.
"""

from __future__ import annotations

import json
import tempfile
from pathlib import Path
from typing import Annotated, Any

import typer
from rich.console import Console
from rich.table import Table

from backend.catalog.local_import import import_file
from backend.db import session_scope
from backend.demo import DEMO_CATALOG
from backend.merchants.service import create_merchant
from backend.runtime import Runtime
from backend.search.schemas import Filters, SearchRequest
from backend.search.service import search
from backend.settings import Settings
from recommender.encoders import Encoders
from recommender.evaluation import METRICS, Report

DEV_QUERIES = Path(__file__).parent / "demo" / "eval" / "search_dev.jsonl"

eval_app = typer.Typer(help="Measure search and chat quality on labelled sets.")


def load_queries(path: Path) -> list[dict[str, Any]]:
    rows = []
    for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), start=1):
        if not line.strip():
            continue
        row = json.loads(line)
        missing = {"id", "query", "relevant"} - set(row)
        if missing:
            raise ValueError(f"{path}:{number}: missing {sorted(missing)}")
        rows.append(row)
    return rows


def evaluate_search(queries: list[dict[str, Any]], *, catalog: Path = DEMO_CATALOG,
                    settings: Settings | None = None, encoders: Encoders | None = None,
                    limit: int = 10) -> Report:
    """Score `queries` against a fresh embedded deployment holding `catalog`."""
    with tempfile.TemporaryDirectory(prefix="aisle-eval-") as tmp:
        base = settings or Settings(_env_file=None)  # type: ignore[call-arg]
        rt = Runtime.create(base.model_copy(update={
            "data_dir": Path(tmp), "database_url": None, "qdrant_url": None, "broker_url": None,
        }), encoders=encoders)
        try:
            with session_scope(rt.engine) as session:
                # A fixed id makes point ids, and so the order of tied scores, reproducible.
                merchant, _, _ = create_merchant(session, "eval", merchant_id="eval")
            import_file(rt, catalog, "eval", quiet=True)
            report = Report()
            with session_scope(rt.engine) as session:
                for q in queries:
                    req = SearchRequest(query=q["query"], limit=limit,
                                        filters=Filters.model_validate(q.get("filters", {})))
                    # A variant listed under a result is shown with it: it counts at that rank.
                    ranked = [sku for r in search(rt, session, merchant.id, req).results
                              for sku in (r.sku, *(v.sku for v in r.variants))]
                    report.add(q["id"], q.get("kind", "all"), ranked, q["relevant"])
            return report
        finally:
            rt.close()


@eval_app.callback(invoke_without_command=True)
def eval_search(
    ctx: typer.Context,
    queries: Annotated[Path, typer.Option(exists=True, dir_okay=False)] = DEV_QUERIES,
    catalog: Annotated[Path, typer.Option(exists=True, dir_okay=False)] = DEMO_CATALOG,
    out: Annotated[Path | None, typer.Option(help="Write the JSON report here.")] = None,
) -> None:
    """Search quality: recall@5/10, nDCG@10 and MRR, overall and per query kind."""
    if ctx.invoked_subcommand is not None:
        return
    report = evaluate_search(load_queries(queries), catalog=catalog)
    summary = report.summary()
    table = Table("kind", "queries", *METRICS, title=f"search quality ({queries.name})")
    for kind, row in summary.items():
        table.add_row(kind, f"{row['queries']:.0f}", *(f"{row[m]:.3f}" for m in METRICS))
    Console().print(table)
    body = {"queries": str(queries), "catalog": str(catalog), "summary": summary,
            "per_query": report.per_query}
    if out:
        out.parent.mkdir(parents=True, exist_ok=True)
        out.write_text(json.dumps(body, ensure_ascii=False, indent=2))
    Console(stderr=True).print("worst queries (ndcg@10): " + ", ".join(
        f"{r['id']}={float(r['ndcg@10']):.2f}"  # type: ignore[arg-type]
        for r in sorted(report.per_query, key=lambda r: float(r["ndcg@10"]))[:8]  # type: ignore[arg-type]
    ))
