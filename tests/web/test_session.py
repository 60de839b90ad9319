"""Sessions: a signed cookie that expires; a forged or expired one signs nobody in; a signed-in
visitor who asks for what is not there gets the error page, not the API's JSON."""

from __future__ import annotations

import time
from collections.abc import Iterator

import pytest
from fastapi.testclient import TestClient

from api.app import create_app
from api.settings import Settings
from api.storage import accounts
from api.storage.accounts import Role
from api.web import session
from api.web.session import COOKIE, IDLE_SECONDS, Visit


@pytest.fixture(scope="module")
def client(tmp_path_factory: pytest.TempPathFactory) -> Iterator[TestClient]:
    url = f"sqlite:///{tmp_path_factory.mktemp('session') / 'justenough.db'}"
    with TestClient(create_app(Settings(database_url=url, engine_workers=1))) as found:
        yield found


def _cookie(client: TestClient, token: str, expires: float) -> str:
    visit = Visit(
        csrf="x", token_hash=accounts.token_hash(token), signed_in_at=time.time(), expires=expires
    )
    return session._sign(client.app.state.web_key, visit)  # type: ignore[attr-defined]


def _user(client: TestClient, name: str) -> str:
    with client.app.state.db.write() as s:  # type: ignore[attr-defined]
        return accounts.add_user(s, name, Role.intake)


def test_a_live_session_opens_pages_and_moves_its_expiry_on(client: TestClient) -> None:
    token = _user(client, "s-live")
    soon = time.time() + 60
    client.cookies.clear()
    client.cookies.set(COOKIE, _cookie(client, token, soon))
    answer = client.get("/cases", follow_redirects=False)
    assert answer.status_code == 200
    assert "s-live" in answer.text
    renewed = session._unsign(client.app.state.web_key, answer.cookies[COOKIE])  # type: ignore[attr-defined]
    assert renewed is not None and renewed.expires > soon + IDLE_SECONDS / 2


@pytest.mark.parametrize("how", ["expired", "forged", "token replaced"])
def test_an_expired_or_forged_session_must_sign_in(client: TestClient, how: str) -> None:
    token = _user(client, f"s-{how.replace(' ', '-')}")
    cookie = _cookie(client, token, time.time() + (-1 if how == "expired" else 60))
    if how == "forged":
        body, _, mac = cookie.rpartition(".")
        cookie = f"{body}.{'0' * len(mac)}"
    if how == "token replaced":
        with client.app.state.db.write() as s:  # type: ignore[attr-defined]
            s.delete(accounts.user_by_token(s, token))
    client.cookies.clear()
    client.cookies.set(COOKIE, cookie)
    answer = client.get("/cases", follow_redirects=False)
    assert answer.status_code == 303
    assert answer.headers["location"].startswith("/sign-in")


def test_sign_in_goes_back_only_to_this_site(client: TestClient) -> None:
    client.cookies.clear()
    page = client.get("/sign-in?next=//elsewhere.example/x")
    assert 'name="next" value="/"' in page.text


@pytest.mark.parametrize(
    ("method", "path", "title"),
    [
        ("GET", "/cases/nope", "Case not found"),
        ("POST", "/cases/nope/intake", "Case not found"),
        ("GET", "/cases/nope/decisions/1", "Decision not found"),
        ("POST", "/cases/nope/decisions/1", "Decision not found"),
    ],
)
def test_what_is_not_there_is_the_error_page(
    client: TestClient, method: str, path: str, title: str
) -> None:
    client.cookies.clear()
    client.cookies.set(
        COOKIE, _cookie(client, _user(client, f"s-{method}-{path}"), time.time() + 60)
    )
    answer = client.request(method, path, data={"csrf": "x", "action": "confirm"})
    assert answer.status_code == 404
    assert answer.headers["content-type"].startswith("text/html")
    assert f'<h1 class="govuk-heading-l">{title}</h1>' in answer.text
