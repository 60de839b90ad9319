"""Users and their tokens. A token is shown once; only its sha256 is stored."""

from __future__ import annotations

import hashlib
import secrets
from datetime import UTC, datetime
from enum import StrEnum

from sqlalchemy import select
from sqlalchemy.orm import Session

from api.storage.tables import User


class Role(StrEnum):
    intake = "intake"
    budget = "budget"
    rota = "rota"
    policy = "policy"
    admin = "admin"


def token_hash(token: str) -> str:
    """A token is 32 random bytes, so one sha256 is enough (no salt, no stretching)."""
    return hashlib.sha256(token.encode()).hexdigest()


def add_user(session: Session, name: str, role: Role) -> str:
    """The new user's token, which is never stored nor shown again."""
    token = "je_" + secrets.token_urlsafe(32)
    session.add(
        User(name=name, role=role.value, token_hash=token_hash(token), created_at=datetime.now(UTC))
    )
    session.flush()
    return token


def user_by_name(session: Session, name: str) -> User | None:
    return session.scalars(select(User).where(User.name == name)).first()


def user_by_token(session: Session, token: str) -> User | None:
    return session.scalars(select(User).where(User.token_hash == token_hash(token))).first()


def users(session: Session) -> list[User]:
    return list(session.scalars(select(User).order_by(User.name)))
