"""Who is at the browser: a signed session cookie, its expiry, and the CSRF token.

A person signs in with their name and the token `justenough users add` gave
them: the same users and roles as the API. The cookie holds the token's hash
(so a replaced token ends its sessions), a CSRF token for every form, and when
it expires: 30 minutes after the last page, never more than 8 hours after
signing in. It is signed with a key made when the server starts.
"""

from __future__ import annotations

import base64
import hashlib
import hmac
import json
import secrets
import time
from collections.abc import Callable
from dataclasses import dataclass

from fastapi import Request
from pydantic import BaseModel
from sqlalchemy import select
from starlette.datastructures import FormData
from starlette.responses import Response

from api.auth import Caller
from api.storage.accounts import Role
from api.storage.tables import User

COOKIE = "justenough_session"
IDLE_SECONDS = 30 * 60
LONGEST_SECONDS = 8 * 60 * 60


class Visit(BaseModel):
    """What the cookie holds."""

    csrf: str
    token_hash: str | None = None
    signed_in_at: float | None = None
    expires: float


@dataclass(frozen=True)
class Browser:
    """The visit read from the cookie (a fresh anonymous one when there was none)."""

    visit: Visit
    caller: Caller | None


class SignInNeeded(Exception):
    """The page needs a signed-in person; the handler sends them to sign in."""


class NotAllowed(Exception):
    def __init__(self, role: Role, allowed: set[Role]) -> None:
        names = ", ".join(sorted(r.value for r in allowed))
        super().__init__(f"Your role ({role.value}) may not use this page: only {names}.")


class BadCsrf(Exception):
    """A form without this visit's CSRF token: refused, nothing is changed."""


def _key(request: Request) -> bytes:
    key: bytes = request.app.state.web_key
    return key


def _sign(key: bytes, visit: Visit) -> str:
    body = base64.urlsafe_b64encode(visit.model_dump_json().encode()).decode().rstrip("=")
    mac = hmac.new(key, body.encode(), hashlib.sha256).hexdigest()
    return f"{body}.{mac}"


def _unsign(key: bytes, text: str) -> Visit | None:
    body, _, mac = text.rpartition(".")
    good = hmac.new(key, body.encode(), hashlib.sha256).hexdigest()
    if not body or not hmac.compare_digest(mac, good):
        return None
    try:
        return Visit.model_validate(
            json.loads(base64.urlsafe_b64decode(body + "=" * (-len(body) % 4)))
        )
    except ValueError:
        return None


def _fresh() -> Visit:
    return Visit(csrf=secrets.token_urlsafe(32), expires=time.time() + IDLE_SECONDS)


def _caller(request: Request, token_hash: str) -> Caller | None:
    with request.app.state.db.read() as session:
        user = session.scalars(select(User).where(User.token_hash == token_hash)).first()
        return Caller(user.name, Role(user.role)) if user else None


def browser(request: Request) -> Browser:
    """The visit, its expiry moved on by this page; an expired or forged cookie is a new
    anonymous visit."""
    found = getattr(request.state, "browser", None)
    if isinstance(found, Browser):
        return found
    now = time.time()
    visit = _unsign(_key(request), request.cookies.get(COOKIE, ""))
    if visit is None or visit.expires < now:
        visit = _fresh()
    caller = _caller(request, visit.token_hash) if visit.token_hash else None
    if caller is None:
        visit = replace_visit(visit, token_hash=None, signed_in_at=None)
    else:
        longest = (visit.signed_in_at or now) + LONGEST_SECONDS
        visit = replace_visit(visit, expires=min(now + IDLE_SECONDS, longest))
        request.state.caller = caller  # for the audit log (api/app.py)
    found = Browser(visit, caller)
    request.state.browser = found
    return found


def replace_visit(visit: Visit, **changes: object) -> Visit:
    return visit.model_copy(update=changes)


def sign_in(request: Request, name: str, token: str) -> Caller | None:
    """The person holding this name and token, now signed in (a new CSRF token too)."""
    token_hash = hashlib.sha256(token.encode()).hexdigest()
    caller = _caller(request, token_hash)
    if caller is None or not hmac.compare_digest(caller.name, name):
        return None
    now = time.time()
    visit = Visit(
        csrf=secrets.token_urlsafe(32),
        token_hash=token_hash,
        signed_in_at=now,
        expires=now + IDLE_SECONDS,
    )
    request.state.browser = Browser(visit, caller)
    request.state.caller = caller
    return caller


def sign_out(request: Request) -> None:
    request.state.browser = Browser(_fresh(), None)


def keep(request: Request, response: Response) -> Response:
    """Write the visit's cookie onto a page's response."""
    visit = browser(request).visit
    response.set_cookie(
        COOKIE,
        _sign(_key(request), visit),
        max_age=int(max(0, visit.expires - time.time())),
        httponly=True,
        samesite="lax",
        secure=request.url.scheme == "https",
    )
    response.headers["Cache-Control"] = "no-store"
    return response


def role(*roles: Role) -> Callable[[Request], Caller]:
    """A page dependency: the signed-in caller, if their role is one of these (or admin);
    no roles: anyone signed in."""
    allowed = {*roles, Role.admin}

    def check(request: Request) -> Caller:
        caller = browser(request).caller
        if caller is None:
            raise SignInNeeded()
        if roles and caller.role not in allowed:
            raise NotAllowed(caller.role, allowed)
        return caller

    return check


CASEWORKER = role(Role.intake, Role.budget, Role.rota)  # who works on cases (and admin)


async def posted(request: Request) -> FormData:
    """A form's fields, once its CSRF token matches this visit's."""
    form = await request.form()
    sent = form.get("csrf")
    if not isinstance(sent, str) or not hmac.compare_digest(sent, browser(request).visit.csrf):
        raise BadCsrf()
    return form
