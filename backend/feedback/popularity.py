"""A product's popularity: its recent feedback, weighted by how much each action says.

A purchase says more than a click; a kiosk scan (the shopper walked to the shelf) nearly as
much as adding to a cart; "not for me" says the opposite. Old feedback fades with a
half-life, so last season's bestseller does not hold the top spot forever.
"""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from sqlmodel import Session, col, select

from backend.models import Feedback, FeedbackKind

WEIGHTS: dict[str, float] = {
    FeedbackKind.click: 1.0,
    FeedbackKind.scan: 3.0,
    FeedbackKind.add_to_cart: 3.0,
    FeedbackKind.purchase: 5.0,
    FeedbackKind.dismiss: -2.0,
}
# Feedback older than this many half-lives weighs under 0.2 %: not worth reading.
_HORIZON_HALF_LIVES = 9


def decayed_score(events: list[tuple[str, datetime]], *, now: datetime,
                  half_life_days: float) -> float:
    total = 0.0
    for kind, at in events:
        age_days = max((now - at).total_seconds(), 0.0) / 86_400
        total += WEIGHTS.get(kind, 0.0) * 0.5 ** (age_days / half_life_days)
    return round(total, 4)


def product_popularity(session: Session, product_id: str, *, half_life_days: float,
                       now: datetime | None = None) -> float:
    now = now or datetime.now(UTC)
    since = now - timedelta(days=half_life_days * _HORIZON_HALF_LIVES)
    rows = session.exec(
        select(Feedback.kind, Feedback.created_at)
        .where(Feedback.product_id == product_id, col(Feedback.created_at) >= since)
    ).all()
    return decayed_score([(kind, at) for kind, at in rows], now=now,
                         half_life_days=half_life_days)
