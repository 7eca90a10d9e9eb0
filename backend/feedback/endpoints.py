"""`POST /v1/feedback`: what shoppers did with what they were shown."""

from __future__ import annotations

from fastapi import APIRouter, Request

from backend.deps import ClientDep, SessionDep, enqueue_after_commit
from backend.feedback import service
from backend.feedback.schemas import FeedbackPublic, FeedbackRequest

router = APIRouter(prefix="/v1", tags=["feedback"])


@router.post("/feedback", status_code=201)
def post_feedback(body: FeedbackRequest, caller: ClientDep, session: SessionDep,
                  request: Request) -> FeedbackPublic:
    """Record a click, kiosk scan, add-to-cart, purchase or dismissal of a recommended product.

    It counts towards conversion metrics at once and towards ranking once the popularity
    task has run (in-process, or on the ingest worker).
    """
    row, product = service.record(session, caller.merchant.id, body)
    request.app.state.feedback_total.labels(kind=row.kind, source=row.source or "unknown").inc()
    enqueue_after_commit(session, "refresh_popularity", product_ids=[product.id])
    return service.to_public(row, product)
