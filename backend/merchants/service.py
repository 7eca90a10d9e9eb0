"""Merchants and API keys. Keys are shown once at creation and stored only as a hash."""

from __future__ import annotations

import hashlib
import hmac
import secrets

from sqlmodel import Session, select

from backend.errors import Conflict, NotFound, Unauthorized
from backend.models import ApiKey, KeyKind, Merchant

KEY_PREFIX = "aisle"


def _hash(key: str) -> str:
    return hashlib.sha256(key.encode()).hexdigest()


def issue_key(session: Session, merchant_id: str, kind: KeyKind) -> str:
    """Format `aisle_<kind>_<public id>.<secret>`: the id finds the row, the hash checks it."""
    public = secrets.token_hex(8)
    key = f"{KEY_PREFIX}_{kind.value}_{public}.{secrets.token_urlsafe(32)}"
    session.add(ApiKey(merchant_id=merchant_id, kind=kind, prefix=public, key_hash=_hash(key)))
    session.flush()
    return key


def create_merchant(session: Session, name: str,
                    merchant_id: str | None = None) -> tuple[Merchant, str, str]:
    name = name.strip()
    if not name:
        raise Conflict("A merchant needs a non-empty name.")
    if session.exec(select(Merchant).where(Merchant.name == name)).first():
        raise Conflict(f"A merchant named {name!r} exists already.")
    merchant = Merchant(name=name) if merchant_id is None else Merchant(id=merchant_id, name=name)
    session.add(merchant)
    session.flush()
    return merchant, issue_key(session, merchant.id, KeyKind.admin), issue_key(
        session, merchant.id, KeyKind.client
    )


def find_merchant(session: Session, id_or_name: str) -> Merchant:
    merchant = session.get(Merchant, id_or_name) or session.exec(
        select(Merchant).where(Merchant.name == id_or_name)
    ).first()
    if merchant is None:
        raise NotFound(
            f"No merchant {id_or_name!r}. Create one with `aisle merchants create NAME`."
        )
    return merchant


def authenticate(session: Session, key: str) -> tuple[Merchant, KeyKind]:
    invalid = Unauthorized("The API key is not valid. Send `Authorization: Bearer <key>`.")
    try:
        head, _secret = key.split(".", 1)
        _aisle, _kind, public = head.split("_", 2)
    except ValueError:
        raise invalid from None
    row = session.exec(select(ApiKey).where(ApiKey.prefix == public)).first()
    # Compare against a dummy hash when the id is unknown, so timing doesn't reveal ids.
    expected = row.key_hash if row else _hash("dummy")
    if not hmac.compare_digest(expected, _hash(key)) or row is None or row.revoked_at:
        raise invalid
    merchant = session.get(Merchant, row.merchant_id)
    if merchant is None:
        raise invalid
    return merchant, KeyKind(row.kind)
