"""A budget holder compares the methods and agrees a budget; a rota manager builds the
perfect week within it and sees the timetable; the case page shows it all."""

from __future__ import annotations

import csv
import io
import json
from pathlib import Path
from typing import Any

import pytest
from playwright.sync_api import Browser, Page, expect

from tests.api.journey import ada, ada_budget_ask, ada_with_carer
from tests.api.live import ROOT
from tests.web.conftest import WIDE, Site, check_page, sign_in

pytestmark = pytest.mark.xdist_group("browser")
WEEK = ROOT / "examples" / "week-single.yaml"


def _decided_case(site: Site, intake: dict[str, Any] | None = None) -> str:
    """A case with Ada's intake (or another) and a confirmed decision, made through the API."""
    given = intake if intake is not None else ada()
    case = site.api("POST", "/v1/cases", "intake", json={"intake": given, "person": "Ada"})
    site.api("POST", f"/v1/cases/{case['id']}/decisions", "intake", json={})
    site.api(
        "POST",
        f"/v1/cases/{case['id']}/decisions/1/determination",
        "intake",
        json={"action": "confirm"},
    )
    return str(case["id"])


def test_budget_holder_then_rota_manager(page: Page, site: Site, chromium: Browser) -> None:
    case_id = _decided_case(site)
    sign_in(page, site, "budget")
    page.goto(f"/cases/{case_id}/budget")
    check_page(page, site, "budget-empty")

    ask = ada_budget_ask()
    for question, answer in ask["questionnaire"].items():
        page.locator(f"#q-{question}").select_option(answer)
    _fill_plan(page, ask["support_plan"])
    page.locator("#work-out").click()

    stored = site.api("GET", f"/v1/cases/{case_id}", "budget")["current"]["allocation"]["output"]
    methods = page.get_by_role("region", name="The methods side by side")
    for method in ("ras", "costing"):
        expect(methods).to_contain_text(f"£{stored['methods'][method]['weekly']}")
    expect(page.locator("body")).to_contain_text(f"£{stored['spread']['weekly']} a week")
    expect(page.locator("body")).to_contain_text(stored["charging"]["weekly_charge"])
    # Ada's costed plan is far above her RAS figure: the page says the budget must be sufficient.
    assert stored["sufficiency"]["flagged"] is True
    shortfall = stored["sufficiency"]["shortfall_weekly"]
    expect(page.locator(".govuk-warning-text")).to_contain_text(f"Shortfall of £{shortfall} a week")
    expect(page.locator("body")).to_contain_text(stored["sufficiency"]["explain"])
    check_page(page, site, "budget-methods")

    page.get_by_label("Costed plan:").check()
    page.locator("#agree").click()
    weekly = stored["methods"]["costing"]["weekly"]
    expect(page.locator("#agreed")).to_contain_text(f"Agreed: £{weekly} a week")
    check_page(page, site, "budget-agreed")

    rota = chromium.new_context(viewport={"width": WIDE, "height": 900}, base_url=site.url)
    try:
        manager = rota.new_page()
        sign_in(manager, site, "rota")
        manager.goto(f"/cases/{case_id}/rota")
        expect(manager.locator("body")).to_contain_text(f"£{weekly} a week")
        check_page(manager, site, "rota")
        manager.locator("#week").set_input_files(WEEK)
        manager.locator("#build").click()
        if "/rota/jobs/" in manager.url:  # still solving: the progress page
            expect(manager.get_by_role("status")).to_contain_text("seconds so far")
            manager.evaluate("() => { for (let i = 0; i < 10000; i++) clearTimeout(i); }")
            check_page(manager, site, "rota-solving")
            manager.get_by_role("link", name="Check again").click()
        done = manager.get_by_role("heading", name="The perfect week", exact=True)
        expect(done).to_be_visible(timeout=120_000)
        _check_roster(manager, site, case_id, weekly)
    finally:
        rota.close()

    page.goto(f"/cases/{case_id}")
    history = page.locator(".govuk-summary-card")
    expect(history).to_have_count(4)  # intake, decision, allocation, roster
    expect(history.first).to_contain_text("roster 1")
    expect(page.locator("body")).to_contain_text("web-budget")
    check_page(page, site, "case")


def _fill_plan(page: Page, plan: list[dict[str, Any]]) -> None:
    """Each plan line's support, hours and the first outcome it serves."""
    for row, line in enumerate(plan):
        page.locator(f"#plan-{row}-support").select_option(line["support"])
        page.locator(f"#plan-{row}-per_week").fill(str(line["per_week"]))
        if line.get("outcomes"):
            page.locator(f"#plan-{row}-outcome").select_option(line["outcomes"][0])


def test_a_need_a_willing_carer_meets_is_left_out_of_the_costed_plan(
    page: Page, site: Site
) -> None:
    """Ada's daughter cooks and will go on: the line for meals costs nothing, and says why."""
    case_id = _decided_case(site, ada_with_carer(willing=True))
    sign_in(page, site, "budget")
    page.goto(f"/cases/{case_id}/budget")
    _fill_plan(
        page,
        [
            {"support": "homecare_agency", "per_week": 7, "outcomes": ["nutrition"]},
            {"support": "homecare_agency", "per_week": 3, "outcomes": ["personal_hygiene"]},
        ],
    )
    page.locator("#work-out").click()

    stored = site.api("GET", f"/v1/cases/{case_id}", "budget")["current"]["allocation"]["output"]
    costing = stored["methods"]["costing"]["lines"]
    left_out = [line for line in costing if "s.18(7)" in line["label"] + line["source"]]
    assert left_out and all(line["amount"] == "0.00" for line in left_out)
    assert any(line["amount"] != "0.00" for line in costing)
    table = page.get_by_role("region", name="Each outcome a carer meets")
    for line in stored["carer_met"]:
        expect(table).to_contain_text(line["label"])
    expect(page.get_by_role("region", name="Each line of the Costed plan")).to_contain_text(
        left_out[0]["label"]
    )
    check_page(page, site, "budget-carer-met")


def _check_roster(page: Page, site: Site, case_id: str, weekly: str) -> None:
    stored = site.api("GET", f"/v1/cases/{case_id}/rosters/1", "rota")["output"]
    assert stored["budget"] == weekly
    expect(page.locator("body")).to_contain_text(f"£{stored['total_cost']} of the £{weekly}")
    grid = page.get_by_role("region", name="The week as a timetable")
    expect(grid.locator("thead th")).to_have_count(7)
    legend = page.locator(".app-legend")
    kinds = {s["kind"] for s in stored["supporters"] if float(s["hours"]) > 0}
    for kind in kinds:
        expect(legend).to_contain_text(kind.capitalize())
        # Each block says its kind in words, not by colour alone.
        expect(grid.locator(f".app-kind-{kind}").first).to_contain_text(f"({kind})")
    if stored["unmet"]:
        expect(grid.locator(".app-kind-unmet").first).to_contain_text("unmet:")
    check_page(page, site, "roster")  # docs/screenshots/perfect-week.png is this, at 1280 px
    with page.expect_download() as download:
        page.get_by_role("link", name="Every shift as CSV").click()
    rows = list(csv.DictReader(io.StringIO(download.value.path().read_text())))
    assert {r["kind"] for r in rows} == kinds
    first = next(s for s in stored["supporters"] if float(s["hours"]) > 0)
    with page.expect_download() as download:
        page.get_by_role("link", name=f"Calendar for {first['name']} (iCalendar)").click()
    calendar = download.value.path().read_text()
    assert calendar.startswith("BEGIN:VCALENDAR") and "RRULE:FREQ=WEEKLY" in calendar


def _flat(value: Any, prefix: str) -> dict[str, str]:
    """A request's fields as dotted CSV columns, lists as JSON."""
    if isinstance(value, dict):
        found: dict[str, str] = {}
        for key, item in value.items():
            found.update(_flat(item, f"{prefix}.{key}" if prefix else key))
        return found
    if isinstance(value, list):
        return {prefix: json.dumps(value)}
    return {prefix: "true" if value is True else "false" if value is False else str(value)}


def test_budget_holder_uploads_a_cohort(page: Page, site: Site, tmp_path: Path) -> None:
    ask = ada_budget_ask()
    people = [
        _flat({"intake": {**ada(), "id": "ada-1"}, **ask}, ""),
        _flat({"intake": {**ada(), "id": "ada-2"}}, ""),
        _flat(
            {"intake": {**ada(), "id": "ada-3", "person": {"lives_in": {"country": "narnia"}}}}, ""
        ),
    ]
    columns = sorted({c for p in people for c in p})
    upload = tmp_path / "cohort.csv"
    with upload.open("w", newline="") as stream:
        writer = csv.DictWriter(stream, fieldnames=columns)
        writer.writeheader()
        writer.writerows(people)

    sign_in(page, site, "budget")
    page.get_by_role("link", name="Cohort budgets").click()
    page.wait_for_url("**/budget/cohort")
    check_page(page, site, "cohort")
    page.locator("#cohort").set_input_files(upload)
    page.locator("#work-out-cohort").click()
    expect(page.locator("#cohort-result")).to_have_text("2 people")
    expect(page.locator("#problems + ul")).to_contain_text("line 4, intake.person.lives_in.country")
    check_page(page, site, "cohort-result")
    with page.expect_download() as download:
        page.get_by_role("link", name="Download each person's budgets (CSV)").click()
    rows = {r["person"]: r for r in csv.DictReader(io.StringIO(download.value.path().read_text()))}
    assert set(rows) == {"ada-1", "ada-2"}
    alone = site.api(
        "POST", "/v1/allocations", "budget", json={"intake": {**ada(), "id": "ada-1"}, **ask}
    )
    for method in ("ras", "costing"):
        assert rows["ada-1"][f"{method}_weekly"] == alone["methods"][method]["weekly"]
    assert rows["ada-2"]["costing_weekly"] == ""  # no support plan: no costed budget
