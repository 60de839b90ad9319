"""Signing in and out, the start page for each role, and the list of cases."""

from __future__ import annotations

from fastapi import APIRouter, Depends, Request
from starlette.datastructures import FormData
from starlette.responses import Response

from api.auth import Caller
from api.deps import database
from api.routes import cases
from api.storage.accounts import Role
from api.storage.database import Database
from api.web import session
from api.web.session import CASEWORKER, posted
from api.web.templating import page, redirect, summary

router = APIRouter(include_in_schema=False)
ANYONE = session.role()


def _safe_next(target: str) -> str:
    """Only a path on this site (never `//host` or a full address)."""
    return target if target.startswith("/") and not target.startswith("//") else "/"


@router.get("/sign-in")
def sign_in_page(request: Request, next: str = "/") -> Response:
    return page(
        request, "sign_in.html", title="Sign in", next=_safe_next(next), name="", field_errors={}
    )


@router.post("/sign-in")
def sign_in(request: Request, form: FormData = Depends(posted)) -> Response:
    name, token = str(form.get("name", "")).strip(), str(form.get("token", "")).strip()
    target = _safe_next(str(form.get("next", "/")))
    field_errors = {}
    if not name:
        field_errors["name"] = "Enter your name"
    if not token:
        field_errors["token"] = "Enter your token"
    if not field_errors and session.sign_in(request, name, token) is None:
        field_errors["token"] = "The name and token do not match anyone: check them and try again"
    if field_errors:
        return page(
            request,
            "sign_in.html",
            401,
            title="Sign in",
            next=target,
            name=name,
            field_errors=field_errors,
            errors=summary(field_errors),
        )
    return redirect(request, target)


@router.post("/sign-out")
def sign_out(request: Request, _form: FormData = Depends(posted)) -> Response:
    session.sign_out(request)
    return redirect(request, "/sign-in")


@router.get("/")
def start(request: Request, who: Caller = Depends(ANYONE)) -> Response:
    if who.role is Role.policy:
        return redirect(request, "/policy")
    return redirect(request, "/cases")


@router.get("/cases")
def case_list(
    request: Request,
    who: Caller = Depends(CASEWORKER),
    db: Database = Depends(database),
) -> Response:
    found = cases.list_cases(request, who, db, limit=500, offset=0)
    return page(request, "cases.html", title="Cases", cases=found)
