"""Results a page makes and a later request fetches (the cohort's CSV, the diff's
report), held in the server's memory under a random key: only the latest few of each
kind, so memory stays bounded and an old key is a clear "gone" page."""

from __future__ import annotations

import uuid

from fastapi import Request

KEPT = 10  # the latest results of each kind


def hold(request: Request, kind: str, result: str) -> str:
    """Hold `result` and return its key; the oldest of its kind beyond KEPT are dropped."""
    shelf: dict[str, str] = request.app.state.__dict__.setdefault(kind, {})
    key = uuid.uuid4().hex
    shelf[key] = result
    for old in list(shelf)[:-KEPT]:
        del shelf[old]
    return key


def held(request: Request, kind: str, key: str) -> str | None:
    """The result held under `key`, or None once it has been dropped (or never was)."""
    result: str | None = request.app.state.__dict__.get(kind, {}).get(key)
    return result
