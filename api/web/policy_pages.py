"""The policy officer's page: run the shipped scenario suites (scenarios/suites) and see
each case pass or fail, with every failure in words and where the case is written."""

from __future__ import annotations

import re
import tempfile
from datetime import date
from pathlib import Path
from typing import Any

from fastapi import APIRouter, Depends, Request
from fastapi.concurrency import run_in_threadpool
from starlette.datastructures import FormData, UploadFile
from starlette.responses import HTMLResponse, Response

import scenarios
from api.auth import Caller
from api.storage.accounts import Role
from api.web.held import held, hold
from api.web.session import posted, role
from api.web.templating import PageError, page, summary
from engine.bulk import BulkError
from engine.loader import default_rulesets_root
from engine.sourcefiles import InputError
from scenarios.diff import DiffResult, diff_population
from scenarios.executor import DEFAULT_CHUNK, LocalExecutor, Progress, chunks
from scenarios.population_files import read_population
from scenarios.refs import load_version
from scenarios.report import render_report
from scenarios.suites import run_cases, suite_files
from scenarios.synthetic import generate

router = APIRouter(include_in_schema=False)
POLICY = role(Role.policy)
SUITES = Path(scenarios.__file__).resolve().parent / "suites"
REPOSITORY = SUITES.parents[1]  # git:REV is read from the repository the server runs from
SHIPPED = "shipped"  # the rulesets this server decides with
REVISION = re.compile(r"^git:[A-Za-z0-9][A-Za-z0-9_.~^/-]{0,79}$")
MOST_PEOPLE = 5_000
JURISDICTIONS = ("england", "us")


def _suites() -> list[Path]:
    return suite_files([SUITES])


def _policy_page(request: Request, status: int = 200, **context: Any) -> Response:
    found: dict[str, Any] = {
        "title": "Policy",
        "suites": [p.stem for p in _suites()],
        "runs": None,
        "diff": None,
        "sent": {"base": "git:HEAD", "candidate": SHIPPED, "people": "500", "seed": "1"},
        "jurisdictions": JURISDICTIONS,
        "field_errors": {},
    }
    found.update(context)
    return page(request, "policy.html", status, **found)


@router.get("/policy")
def policy_page(request: Request, _who: Caller = Depends(POLICY)) -> Response:
    return _policy_page(request)


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
    return _policy_page(
        request, title="Policy: suite results", runs=runs, failed=sum(1 for r in runs if r.failures)
    )


def _ref(text: str) -> str | None:
    """`shipped` or `git:REV`: never a folder named by the form."""
    if text == SHIPPED:
        return str(default_rulesets_root())
    return text if REVISION.match(text) else None


def _diff(
    base: str, candidate: str, people: int, seed: int, where: str, upload: tuple[str, bytes] | None
) -> DiffResult:
    on = date.today()
    if upload is None:
        population = generate(people, seed, where, on)
    else:  # written under a name of ours, in a folder of ours
        suffix, data = upload
        with tempfile.TemporaryDirectory(prefix="justenough-population-") as folder:
            path = Path(folder) / f"population{suffix}"
            path.write_bytes(data)
            population = read_population(path)
    parts = chunks(population, DEFAULT_CHUNK)
    return diff_population(
        load_version(base, REPOSITORY),
        load_version(candidate, REPOSITORY),
        parts,
        on,
        LocalExecutor(),
        Progress("diff", len(parts), False),
    )


async def _population(form: FormData, errors: dict[str, str]) -> tuple[str, bytes] | None:
    """An uploaded population (.csv or .parquet, as the policy lab writes them), if any."""
    sent = form.get("population")
    if not isinstance(sent, UploadFile) or not sent.filename:
        return None
    suffix = Path(sent.filename).suffix.lower()
    if suffix not in (".csv", ".parquet"):
        errors["population"] = "The population must be a .csv or .parquet file"
        return None
    return suffix, await sent.read()


@router.post("/policy/diff")
async def diff(
    request: Request, _who: Caller = Depends(POLICY), form: FormData = Depends(posted)
) -> Response:
    """Two versions of the rules over a generated population: who gains, who loses."""
    sent = {
        k: str(form.get(k, "")).strip() for k in ("base", "candidate", "people", "seed", "where")
    }
    errors: dict[str, str] = {}
    refs = {}
    for name in ("base", "candidate"):
        refs[name] = _ref(sent[name])
        if refs[name] is None:
            errors[name] = f"Give {SHIPPED} or git:REVISION (for example git:HEAD~3)"
    upload = await _population(form, errors)
    people = int(sent["people"]) if sent["people"].isdigit() else 0
    if upload is None and not 1 <= people <= MOST_PEOPLE:
        errors["people"] = f"Give a whole number of people from 1 to {MOST_PEOPLE}"
    seed = int(sent["seed"]) if sent["seed"].isdigit() else -1
    if seed < 0:
        errors["seed"] = "Give the seed as a whole number, 0 or more"
    if sent["where"] not in JURISDICTIONS:
        errors["where"] = "Choose whose people to generate"
    result = None
    if not errors:
        try:
            result = await run_in_threadpool(
                _diff,
                str(refs["base"]),
                str(refs["candidate"]),
                people,
                seed,
                sent["where"],
                upload,
            )
        except InputError as error:
            where = "population" if upload is not None else "base"
            errors[where] = f"Cannot compare: {error}"
        except BulkError as error:
            errors["base"] = f"The rules cannot be compared: {error}"
    if result is None:
        return _policy_page(request, 422, sent=sent, field_errors=errors, errors=summary(errors))
    key = hold(request, "web_reports", render_report(result, None, Path("report.html")))
    return _policy_page(
        request,
        title="Policy: diff",
        sent=sent,
        diff=result,
        summaries=result.summaries(),
        report=key,
    )


@router.get("/policy/diff/{key}/report")
def diff_report(request: Request, key: str, _who: Caller = Depends(POLICY)) -> Response:
    """The diff's own report, charts and all, shown in a frame of the diff page."""
    found = held(request, "web_reports", key)
    if found is None:
        raise PageError(404, "Report gone", "Only the latest reports are kept: run the diff again.")
    return HTMLResponse(found, headers={"Cache-Control": "no-store"})
