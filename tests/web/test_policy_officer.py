"""A policy officer runs the scenario suites and sees every case pass or fail; the pages
check roles (a policy officer cannot open a case) and CSRF (a forged form changes nothing)."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import httpx
import pytest
from playwright.sync_api import Page, expect

from scenarios.population_files import write_population
from scenarios.suites import run_cases, suite_files
from scenarios.synthetic import generate
from tests.api.journey import ada
from tests.web.conftest import Site, check_page, sign_in

pytestmark = pytest.mark.xdist_group("browser")


def test_policy_officer_runs_the_suites(page: Page, site: Site) -> None:
    sign_in(page, site, "policy")
    expect(page.get_by_role("heading", name="Policy")).to_be_visible()
    check_page(page, site, "policy")
    page.locator("#run-all").click()
    heading = page.locator("#results")
    expect(heading).to_contain_text("passed", timeout=120_000)

    from api.web.policy_pages import SUITES

    expected = run_cases(suite_files([SUITES]), None)[0]
    failed = sum(1 for r in expected if r.failures)
    expect(heading).to_have_text(f"{len(expected) - failed} passed, {failed} failed")
    rows = page.get_by_role("region", name="Suite results").locator("tbody tr")
    expect(rows).to_have_count(len(expected))
    check_page(page, site, "policy-results")

    # A policy officer may not read a person's case.
    page.goto("/cases")
    expect(page.get_by_role("heading", name="You may not use this page")).to_be_visible()


def test_no_page_without_signing_in_and_no_form_without_its_token(site: Site) -> None:
    case = site.api("POST", "/v1/cases", "intake", json={"intake": ada(), "person": "Ada"})
    site.api("POST", f"/v1/cases/{case['id']}/decisions", "intake", json={})
    decision = f"/cases/{case['id']}/decisions/1"
    with httpx.Client(base_url=site.url, follow_redirects=False) as client:
        answer = client.get("/cases")
        assert answer.status_code == 303
        assert answer.headers["location"] == "/sign-in?next=/cases"
        token = _csrf(client.get("/sign-in").text)
        wrong = client.post(
            "/sign-in", data={"csrf": token, "name": "web-intake", "token": "je_wrong"}
        )
        assert wrong.status_code == 401
        signed = client.post(
            "/sign-in",
            data={"csrf": token, "name": "web-intake", "token": site.tokens["intake"]},
        )
        assert signed.status_code == 303
        # Signed in, but a form without this visit's token: refused, nothing recorded.
        forged = client.post(decision, data={"csrf": token, "action": "confirm"})
        assert forged.status_code == 403
        assert site.api("GET", "/v1" + decision, "intake")["status"] == "recommendation"
        token = _csrf(client.get(decision).text)
        confirmed = client.post(decision, data={"csrf": token, "action": "confirm"})
        assert confirmed.status_code == 303
        assert site.api("GET", "/v1" + decision, "intake")["status"] == "confirmed"


def _csrf(html: str) -> str:
    return html.split('name="csrf" value="')[1].split('"')[0]


def test_an_override_through_the_form_needs_a_changed_outcome_and_a_reason(site: Site) -> None:
    case = site.api("POST", "/v1/cases", "intake", json={"intake": ada(), "person": "Ada"})
    made = site.api("POST", f"/v1/cases/{case['id']}/decisions", "intake", json={})
    programme = made["output"]["programmes"][0]
    other = "eligible" if programme["outcome"] == "not_eligible" else "not_eligible"
    field = f"outcome-{programme['id']}"
    decision = f"/cases/{case['id']}/decisions/1"
    with httpx.Client(base_url=site.url, follow_redirects=False) as client:
        token = _csrf(client.get("/sign-in").text)
        signed = client.post(
            "/sign-in",
            data={"csrf": token, "name": "web-intake", "token": site.tokens["intake"]},
        )
        assert signed.status_code == 303
        form = {"csrf": _csrf(client.get(decision).text), "action": "override"}
        unchanged = client.post(
            decision, data={**form, "reason": "Seen", field: programme["outcome"]}
        )
        assert unchanged.status_code == 422
        assert "Change at least one programme" in unchanged.text
        no_reason = client.post(decision, data={**form, field: other})
        assert no_reason.status_code == 422
        assert "Give the reason for overriding the decision" in no_reason.text
        assert site.api("GET", "/v1" + decision, "intake")["status"] == "recommendation"
        done = client.post(decision, data={**form, "reason": "Seen in person", field: other})
        assert done.status_code == 303
    record = site.api("GET", "/v1" + decision, "intake")
    assert record["status"] == "overridden"
    recommended = {p["id"]: p["outcome"] for p in made["output"]["programmes"]}
    decided = record["determinations"][-1]["decided"]["outcomes"]
    assert decided == {**recommended, programme["id"]: other}  # only the one changed


def test_policy_officer_compares_two_versions_of_the_rules(
    page: Page, site: Site, tmp_path: Path
) -> None:
    sign_in(page, site, "policy")
    page.locator("#base").fill("../../etc")  # never a folder the form names
    page.locator("#compare").click()
    expect(page.locator("#base-error")).to_contain_text("git:REVISION")
    page.locator("#base").fill("shipped")
    page.locator("#candidate").fill("shipped")
    page.locator("#people").fill("200")
    page.locator("#where").select_option("england")
    page.locator("#compare").click()
    expect(page.locator("#diff")).to_contain_text("200 people", timeout=120_000)
    expect(page.locator("body")).to_contain_text("No rule differs.")
    table = page.get_by_role("region", name="Gainers and losers by programme")
    expect(table.locator("tbody tr").first).to_be_visible()
    for row in table.locator("tbody tr").all():  # the same rules: nobody gains or loses
        cells = row.locator("td").all_inner_texts()
        assert cells[0] == cells[1] and cells[2] == cells[3] == "0", cells
    frame = page.frame_locator("iframe[title='The diff report with its charts']")
    expect(frame.get_by_role("heading", name="Headline")).to_be_visible()
    check_page(page, site, "policy-diff")

    # An uploaded population, as the policy lab writes it, instead of generated people.
    people = tmp_path / "people.csv"
    write_population(generate(30, 7, "us", date.today()), people)
    page.locator("#population").set_input_files(people)
    page.locator("#compare").click()
    expect(page.locator("#diff")).to_contain_text("30 people", timeout=120_000)
