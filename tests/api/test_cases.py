"""A case from intake to roster through the API, on SQLite and on PostgreSQL."""

from __future__ import annotations

from tests.api.conftest import Service
from tests.api.journey import AS_OF, ada, ada_budget_ask, small_week


def test_a_case_goes_from_intake_to_roster_each_step_a_version(service: Service) -> None:
    made = service.call("POST", "/v1/cases", "intake", json={"intake": ada()})
    assert made.status_code == 201, made.text
    case = made.json()
    url = f"/v1/cases/{case['id']}"
    assert made.headers["Location"].endswith(url)
    assert case["version"] == 1 and case["current"]["intake"]["kind"] == "intake"

    decided = service.call("POST", f"{url}/decisions", "intake", json={"as_of": AS_OF})
    assert decided.status_code == 201, decided.text
    decision = decided.json()
    assert decision["status"] == "recommendation"
    assert decision["rulesets"][0]["id"] == "england"
    assert decision["rulesets"][0]["hash"].startswith("sha256:")
    assert decision["content_hash"].startswith("sha256:")
    assert decision["created_by"] == "t-intake"
    assert decision["inputs"]["as_of"] == AS_OF
    outcomes = {p["id"]: p["outcome"] for p in decision["output"]["programmes"]}
    assert outcomes["england.care_act.adult"] == "eligible"

    # No budget before a person has confirmed the decision.
    early = service.call("POST", f"{url}/allocations", "budget", json=ada_budget_ask())
    assert early.status_code == 409
    letter = service.call("GET", f"{url}/decisions/1/letter", "intake")
    assert letter.status_code == 409

    confirmed = service.call(
        "POST", f"{url}/decisions/1/determination", "intake", json={"action": "confirm"}
    )
    assert confirmed.status_code == 201, confirmed.text
    assert confirmed.json()["status"] == "confirmed"
    assert confirmed.json()["determinations"][0]["created_by"] == "t-intake"

    allocated = service.call("POST", f"{url}/allocations", "budget", json=ada_budget_ask())
    assert allocated.status_code == 201, allocated.text
    allocation = allocated.json()
    assert allocation["based_on"] == decision["version"]
    costing = allocation["output"]["methods"]["costing"]
    assert costing["status"] == "ok" and "net_funded" in costing

    # The roster waits for an agreed budget.
    week = {"week": small_week(), "time_limit": 5}
    assert service.call("POST", f"{url}/rosters", "rota", json=week).status_code == 409
    agreed = service.call(
        "POST",
        f"{url}/allocations/1/determination",
        "budget",
        json={"action": "confirm", "method": "costing"},
    )
    assert agreed.status_code == 201, agreed.text
    assert service.call("GET", url, "rota").json()["agreed_weekly_budget"] == costing["weekly"]

    typed = {"week": {**small_week(), "budget": "999.00"}, "time_limit": 5}
    refused = service.call("POST", f"{url}/rosters", "rota", json=typed)
    assert refused.status_code == 422
    assert refused.json()["problems"][0]["field"] == "week.budget"

    queued = service.call("POST", f"{url}/rosters", "rota", json=week)
    assert queued.status_code == 202, queued.text
    job = service.job_done(queued.json()["status_url"])
    assert job["status"] == "done", job
    assert job["result"]["budget"] == costing["weekly"]
    roster = service.call("GET", f"{url}/rosters/1", "rota").json()
    assert roster["output"] == job["result"]
    assert roster["inputs"]["week"]["budget"] == costing["weekly"]

    # The daughter can no longer help: the week is made again as a review of roster 1.
    without = small_week()
    without["supporters"] = [s for s in without["supporters"] if s["kind"] != "family"]
    review = {"number": 1, "reason": "her daughter has moved away"}
    queued = service.call(
        "POST", f"{url}/rosters", "rota", json={"week": without, "time_limit": 5, "review": review}
    )
    assert queued.status_code == 202, queued.text
    assert service.job_done(queued.json()["status_url"])["status"] == "done"

    history = service.call("GET", f"{url}/history", "intake").json()
    kinds = [h["kind"] for h in history]
    assert kinds == ["intake", "decision", "allocation", "roster", "roster", "review"]
    assert [h["version"] for h in history] == [1, 2, 3, 4, 5, 6]
    assert history[1]["status"] == "confirmed"
    looked = service.call("GET", f"{url}", "rota").json()["current"]["review"]
    assert looked["reviews"] == 4 and looked["based_on"] == 5
    changed = {c["field"]: c for c in looked["output"]["changes"]}
    assert "paid_hours" in changed  # the daughter's hours are now paid, or unmet
    assert float(changed["unpaid_hours"]["after"]) < float(changed["unpaid_hours"]["before"])

    diff = service.call("GET", f"{url}/diff", "intake", params={"from": 1, "to": 4}).json()
    kinds = {k["kind"]: k for k in diff["kinds"]}
    assert set(kinds) == {"decision", "allocation", "roster"}
    assert {
        "field": "england.care_act.adult.outcome",
        "before": None,
        "after": "eligible",
    } in kinds["decision"]["changes"]

    page = service.call("GET", f"{url}/decisions/1/letter", "intake")
    assert page.status_code == 200
    assert page.headers["content-type"].startswith("text/html")
    text = page.text
    assert "Care and support for adults" in text and "You are eligible." in text
    assert "@media print" in text and "look" in text
    assert decision["rulesets"][0]["version"] in text
    assert f"£{costing['weekly']}" in text


def test_an_override_needs_a_reason_and_a_review_shows_what_changed(service: Service) -> None:
    case = service.call("POST", "/v1/cases", "intake", json={"intake": ada()}).json()
    url = f"/v1/cases/{case['id']}"
    service.call("POST", f"{url}/decisions", "intake", json={"as_of": AS_OF})
    programme = "england.care_act.adult"
    no_reason = {"action": "override", "outcomes": {programme: "not_eligible"}}
    answer = service.call("POST", f"{url}/decisions/1/determination", "intake", json=no_reason)
    assert answer.status_code == 422
    assert answer.json()["problems"][0]["field"] == "reason"
    unknown = {"action": "override", "outcomes": {"no.such": "eligible"}, "reason": "x"}
    answer = service.call("POST", f"{url}/decisions/1/determination", "intake", json=unknown)
    assert answer.status_code == 422
    assert answer.json()["problems"][0]["field"] == "outcomes.no.such"
    override = {**no_reason, "reason": "She has moved in with her daughter."}
    answer = service.call("POST", f"{url}/decisions/1/determination", "intake", json=override)
    assert answer.status_code == 201
    assert answer.json()["status"] == "overridden"
    letter = service.call("GET", f"{url}/decisions/1/letter", "intake").text
    assert "She has moved in with her daughter." in letter
    assert "You are not eligible." in letter

    # A review on new facts: no impairment now, so the adult programme's outcome changes.
    changed = ada()
    changed["needs"]["arise_from_impairment"] = False
    review = {
        "reviews": {"kind": "decision", "number": 1},
        "reason": "the person asked for a review",
        "intake": changed,
        "as_of": AS_OF,
    }
    answer = service.call("POST", f"{url}/reviews", "intake", json=review)
    assert answer.status_code == 201, answer.text
    body = answer.json()
    assert body["review"]["reviews"] == 2  # the decision it looks again at (version 2)
    assert body["redone"]["number"] == 2
    assert body["review"]["based_on"] == body["redone"]["version"]
    fields = {c["field"]: c for c in body["changes"]}
    assert fields[f"{programme}.outcome"]["before"] == "eligible"
    assert fields[f"{programme}.outcome"]["after"] != "eligible"
    kinds = [h["kind"] for h in service.call("GET", f"{url}/history", "intake").json()]
    assert kinds == ["intake", "decision", "intake", "decision", "review"]
    assert (
        service.call("GET", f"{url}/decisions/1", "intake").json()["output"]
        == (service.call("GET", f"{url}/decisions/1", "budget").json()["output"])
    )
