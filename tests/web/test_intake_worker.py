"""An intake worker, with the keyboard only: signs in, fills the intake section by
section (meeting an error on the way), sees the decision, confirms it, opens the letter."""

from __future__ import annotations

import json

import pytest
from playwright.sync_api import Page, expect

from tests.web.conftest import OUT, Site, check_page, now, tab_to

pytestmark = pytest.mark.xdist_group("browser")

# field id: what to type (text) or the option to choose (select), section by section
ADA = {
    "person": [
        ("f-person-date_of_birth", "1948-03-14"),
        ("f-person-lives_in-country", "England"),
        ("f-person-lives_in-region", "Leeds"),
        ("f-person-disabled", "Yes"),
        ("f-person-has_capacity", "Yes"),
    ],
    "household": [("f-person-household-none", "Yes")],
    "needs": [
        ("f-needs-arise_from_impairment", "Yes"),
        ("f-needs-outcomes-nutrition-manages", "Needs assistance"),
        ("f-needs-outcomes-personal_hygiene-manages", "Needs assistance"),
        ("f-needs-outcomes-clothing-manages", "Takes significantly longer"),
        ("f-needs-wellbeing_impact", "Significant"),
    ],
    "finances": [
        ("f-finances-income-0-kind", "State pension"),
        ("f-finances-income-0-amount", "230.25"),
        ("f-finances-income-0-period", "Week"),
        ("f-finances-capital", "18400"),
    ],
    "supports": [("f-supports-0-kind", "Family"), ("f-supports-0-name", "Ruth (daughter)")],
    "carer": [("f-carer-provides_necessary_care", "No")],
}


def _enter(page: Page, element_id: str, text: str) -> None:
    tab_to(page, element_id)
    tag = page.evaluate("document.activeElement.tagName")
    page.keyboard.type(text)  # in a closed select, typing picks the option it starts
    if tag == "SELECT":
        chosen = page.evaluate(
            "document.activeElement.options[document.activeElement.selectedIndex].text"
        )
        assert chosen == text, f"#{element_id}: typing chose {chosen!r}, not {text!r}"


def _press(page: Page, element_id: str) -> None:
    tab_to(page, element_id)
    with page.expect_navigation():
        page.keyboard.press("Enter")


def test_intake_worker_decides_with_the_keyboard(page: Page, site: Site) -> None:
    page.goto("/")
    expect(page.get_by_role("heading", name="Sign in")).to_be_visible()
    check_page(page, site, "sign-in")
    started, checking = now(), 0.0

    def check(name: str) -> None:
        nonlocal checking
        checking += check_page(page, site, name)["check_s"]

    _enter(page, "name", "web-intake")
    _enter(page, "token", site.tokens["intake"])
    _press(page, "sign-in")
    expect(page.get_by_role("heading", name="Cases")).to_be_visible()
    check("cases")
    _press(page, "start-intake")

    # Saving the first section empty: the country is required.
    _press(page, "save")
    summary = page.locator(".govuk-error-summary")
    expect(summary).to_contain_text("There is a problem")
    expect(summary.get_by_role("link")).to_have_attribute("href", "#f-person-lives_in-country")
    error = page.locator("#f-person-lives_in-country-error")
    expect(error).to_contain_text("Country: field required")
    check("intake-error")

    for section, fields in ADA.items():
        assert page.url.endswith(f"/{section}")
        for element_id, text in fields:
            _enter(page, element_id, text)
        check(f"intake-{section}")
        _press(page, "save")

    expect(page.get_by_role("heading", name="Check the intake")).to_be_visible()
    expect(page.locator(".govuk-summary-list").first).to_contain_text("Leeds")
    check("intake-check")
    _press(page, "decide")

    expect(page.get_by_role("heading", name="Decision 1")).to_be_visible()
    adult = page.locator("section", has_text="Care and support for adults").first
    expect(adult.locator(".govuk-tag").first).to_have_text("Eligible")
    expect(adult).to_contain_text("SI 2015/313")
    check("decision")

    tab_to(page, "action")
    page.keyboard.press("Space")
    assert page.locator("#action").is_checked()
    _press(page, "record")
    expect(page.locator(".govuk-panel")).to_contain_text("Confirmed by web-intake")
    elapsed = now() - started - checking
    check_page(page, site, "decision-confirmed")

    _press(page, "letter")
    letter = page.get_by_role("heading", name="Our decision about your care and support")
    expect(letter).to_be_visible()
    check_page(page, site, "letter")

    OUT.mkdir(parents=True, exist_ok=True)
    (OUT / "intake-timing.json").write_text(
        json.dumps({"sign_in_to_confirmed_decision_s": round(elapsed, 2)})
    )
    # The decision is on record as confirmed, by whom, through the API.
    case_id = page.url.split("/cases/")[1].split("/")[0]
    stored = site.api("GET", f"/v1/cases/{case_id}/decisions/1", "intake")
    assert stored["status"] == "confirmed"
    assert stored["determinations"][-1]["created_by"] == "web-intake"
    assert stored["inputs"]["intake"]["finances"]["capital"] == "18400"
