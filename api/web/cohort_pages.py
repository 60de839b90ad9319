"""The budget holder's cohort: a CSV of allocation requests in, every method's budget for
each person and the totals out, with the result as CSV to download (the columns of
`justenough allocate --csv`)."""

from __future__ import annotations

import csv
import io
from datetime import date

from fastapi import APIRouter, Depends, Request
from fastapi.concurrency import run_in_threadpool
from starlette.datastructures import FormData, UploadFile
from starlette.responses import Response

from allocation.budgets.allocation_model import Allocation
from allocation.budgets.allocator import METHODS
from allocation.budgets.cohort import cohort, csv_header, csv_row
from api.auth import Caller
from api.deps import engines
from api.engines import Engines
from api.storage.accounts import Role
from api.web.cohort_csv import Row, read_rows
from api.web.held import held, hold
from api.web.session import posted, role
from api.web.templating import PageError, download, page
from engine.sourcefiles import InputError

router = APIRouter(include_in_schema=False)
BUDGET = role(Role.budget)
MAX_BYTES = 900_000  # under the server's request cap


def _allocate(found: Engines, rows: list[Row], on: date) -> tuple[list[Allocation], list[str]]:
    made, problems = [], []
    for row in rows:
        try:
            made.append(found.allocate(row.request, on))
        except InputError as error:
            problems += [f"line {row.line}, {p.field}: {p.reason}" for p in error.problems]
    return made, problems


def _csv(allocations: list[Allocation]) -> str:
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow(csv_header(METHODS))
    writer.writerows(csv_row(a, METHODS) for a in allocations)
    return out.getvalue()


@router.get("/budget/cohort")
def cohort_page(request: Request, _who: Caller = Depends(BUDGET)) -> Response:
    return page(request, "cohort.html", title="Cohort budgets", result=None, problems=[])


@router.post("/budget/cohort")
async def upload(
    request: Request,
    _who: Caller = Depends(BUDGET),
    found: Engines = Depends(engines),
    form: FormData = Depends(posted),
) -> Response:
    sent = form.get("cohort")
    if not isinstance(sent, UploadFile) or not sent.filename:
        errors = [{"text": "Choose a CSV file of the cohort", "href": "#cohort"}]
        return page(
            request,
            "cohort.html",
            422,
            title="Cohort budgets",
            result=None,
            problems=[],
            errors=errors,
            field_error=errors[0]["text"],
        )
    data = await sent.read(MAX_BYTES + 1)
    if len(data) > MAX_BYTES:
        raise PageError(413, "The file is too large", f"A cohort file may be {MAX_BYTES} bytes.")
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError:
        raise PageError(422, "The file is not text", "Save the cohort as CSV (UTF-8).") from None
    rows, problems = read_rows(text)
    allocations, refused = await run_in_threadpool(_allocate, found, rows, date.today())
    problems += refused
    key = hold(request, "web_cohorts", _csv(allocations))
    return page(
        request,
        "cohort.html",
        title="Cohort budgets",
        result=cohort(allocations, METHODS) if allocations else None,
        people=len(allocations),
        problems=problems,
        key=key,
    )


@router.get("/budget/cohort/{key}/budgets.csv")
def budgets_csv(request: Request, key: str, _who: Caller = Depends(BUDGET)) -> Response:
    found = held(request, "web_cohorts", key)
    if found is None:
        raise PageError(404, "Result gone", "Only the latest results are kept: upload again.")
    return download(request, found, "text/csv", "budgets.csv")
