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
        f"{qid}={score:.2f}" for qid, score in report.worst(8)))


@eval_app.command("chat")
def eval_chat(
    llm_url: Annotated[str | None, typer.Option(
        help="OpenAI-compatible base URL (…/v1); default AISLE_LLM_BASE_URL, else the template.")]
    = None,
    llm_model: Annotated[str | None, typer.Option(help="Served model name (default: the first "
                                                  "one the server lists).")] = None,
    cases: Annotated[Path | None, typer.Option(exists=True, dir_okay=False)] = None,
    catalog: Annotated[Path, typer.Option(exists=True, dir_okay=False)] = DEMO_CATALOG,
    max_tokens: int = 200,
    out: Annotated[Path | None, typer.Option(help="Write the JSON report here.")] = None,
) -> None:
    """Chat grounding: ungrounded products/prices and policy violations in kept answers."""
    from backend.chat.evaluation import CHAT_CASES, COUNTS, load_cases, run_chat_eval

    settings = Settings()
    url = llm_url or settings.llm_base_url
    report = run_chat_eval(load_cases(cases or CHAT_CASES), catalog=catalog, llm_url=url,
                           llm_model=llm_model or (settings.llm_model if not llm_url else None),
                           max_tokens=max_tokens)
    summary = report.summary()
    table = Table("measure", "value", title=f"chat grounding ({report.responder} responder"
                  f"{' at ' + url if url else ''})")
    for key in ("chats", "turns", "kept_llm", "kept_template", *COUNTS, "first_token_ms_p50"):
        table.add_row(key, str(summary[key]))
    table.add_row("fallbacks", ", ".join(f"{k}={v}" for k, v in summary["fallbacks"].items()) or "-")
    Console().print(table)
    for o in report.outcomes:
        if o.findings:
            Console(stderr=True).print(f"[red]{o.case}[/red]: {o.findings}")
    if out:
        out.parent.mkdir(parents=True, exist_ok=True)
        out.write_text(json.dumps(report.as_json(), ensure_ascii=False, indent=2))
    if any(summary[k] for k in COUNTS):
        raise typer.Exit(code=1)
