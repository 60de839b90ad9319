"""Who is asking: a bearer token, looked up by its hash; each endpoint names its roles.

admin may do everything; nobody reads a case without a token whose role may.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from fastapi import Depends, Request
from fastapi.security import HTTPAuthorizationCredentials, HTTPBearer

from api.http_errors import ApiError
from api.storage import accounts
from api.storage.accounts import Role

bearer = HTTPBearer(auto_error=False, description="A token from `justenough users add`.")


@dataclass(frozen=True)
class Caller:
    name: str
    role: Role


def caller(
    request: Request, credentials: HTTPAuthorizationCredentials | None = Depends(bearer)
) -> Caller:
    if credentials is None:
        raise ApiError(401, "a bearer token is needed")
    with request.app.state.db.read() as session:
        user = accounts.user_by_token(session, credentials.credentials)
        if user is None:
            raise ApiError(401, "nobody holds this token")
        found = Caller(user.name, Role(user.role))
    request.state.caller = found
    return found


def allow(*roles: Role) -> Callable[..., Caller]:
    """A dependency that lets through these roles (and admin), and refuses the rest."""
    allowed = {*roles, Role.admin}

    def check(who: Caller = Depends(caller)) -> Caller:
        if who.role not in allowed:
            names = ", ".join(sorted(r.value for r in allowed))
            raise ApiError(403, f"the role {who.role.value} may not do this (only {names})")
        return who

    return check
