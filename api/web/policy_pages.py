"""The policy officer's page: run the shipped scenario suites (scenarios/suites) and see
each case pass or fail, with every failure in words and where the case is written."""

from __future__ import annotations

from pathlib import Path

from fastapi import APIRouter, Depends, Request
from fastapi.concurrency import run_in_threadpool
from starlette.datastructures import FormData
from starlette.responses import Response

import scenarios
from api.auth import Caller
from api.storage.accounts import Role
from api.web.render import PageError, page
from api.web.session import posted, role
from engine.sourcefiles import InputError
from scenarios.suites import run_cases, suite_files

router = APIRouter(include_in_schema=False)
POLICY = role(Role.policy)
SUITES = Path(scenarios.__file__).resolve().parent / "suites"


def _suites() -> list[Path]:
    return suite_files([SUITES])


@router.get("/policy")
def policy_page(request: Request, _who: Caller = Depends(POLICY)) -> Response:
    return page(
        request, "policy.html", title="Policy", suites=[p.stem for p in _suites()], runs=None
    )


@router.post("/policy/suites")
async def run(
    request: Request, _who: Caller = Depends(POLICY), form: FormData = Depends(posted)
) -> Response:
    """Run one suite, or all of them, against the rulesets the suites name."""
    chosen = str(form.get("suite", ""))
    files = [p for p in _suites() if chosen in ("", p.stem)]
    if not files:
        raise PageError(404, "No such suite", f"There is no suite called {chosen}.")
    try:
        runs, _coverage, _screeners = await run_in_threadpool(run_cases, files, None)
    except InputError as error:
        raise PageError(422, "The suite cannot be read", str(error)) from None
    return page(
        request,
        "policy.html",
        title="Policy: suite results",
        suites=[p.stem for p in _suites()],
        runs=runs,
        failed=sum(1 for r in runs if r.failures),
        chosen=chosen,
    )
