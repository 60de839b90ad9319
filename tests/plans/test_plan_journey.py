"""A case from intake to decision, budget, plan, week and two reviews through the API,
on SQLite and on PostgreSQL."""

from __future__ import annotations

import copy
import io
from typing import Any

from pypdf import PdfReader

from tests.api.conftest import Service
from tests.api.journey import AS_OF, ada, ada_budget_ask, small_week
from tests.plans.bodies import ada_plan, later, objective, progress, review

ADA_NEEDS = {
    "outcome.nutrition",
    "outcome.personal_hygiene",
    "outcome.clothing",
    "outcome.home_safety",
    "outcome.relationships",
    "outcome.community_facilities",
}


def _case_with_week(service: Service) -> str:
    case = service.call("POST", "/v1/cases", "intake", json={"intake": ada()}).json()
    url = f"/v1/cases/{case['id']}"
    assert (
        service.call("POST", f"{url}/decisions", "intake", json={"as_of": AS_OF}).status_code == 201
    )
    early = service.call("POST", f"{url}/plans", "intake", json={"plan": ada_plan()})
    assert early.status_code == 409  # no plan on a decision nobody has confirmed
    confirm = {"action": "confirm"}
    assert (
        service.call("POST", f"{url}/decisions/1/determination", "intake", json=confirm).status_code
        == 201
    )
    assert (
        service.call("POST", f"{url}/allocations", "budget", json=ada_budget_ask()).status_code
        == 201
    )
    agree = {"action": "confirm", "method": "costing"}
    assert (
        service.call("POST", f"{url}/allocations/1/determination", "budget", json=agree).status_code
        == 201
    )
    queued = service.call(
        "POST", f"{url}/rosters", "rota", json={"week": small_week(), "time_limit": 5}
    )
    assert service.job_done(queued.json()["status_url"])["status"] == "done"
    return url


def _problem(answer: Any) -> str:
    assert answer.status_code == 422, answer.text
    return str(answer.json()["problems"][0]["field"])


def test_a_plan_is_refused_with_the_field_at_fault(service: Service) -> None:
    url = _case_with_week(service)
    cases: list[tuple[str, Any]] = []
    no_indicator = ada_plan()
    del no_indicator["goals"][0]["objectives"][0]["indicator"]
    cases.append(("plan.goals[0].objectives[0].indicator", no_indicator))
    no_target = ada_plan()
    del no_target["goals"][1]["objectives"][0]["target"]
    cases.append(("plan.goals[1].objectives[0].target", no_target))
    no_date = ada_plan()
    del no_date["goals"][2]["objectives"][0]["by"]
    cases.append(("plan.goals[2].objectives[0].by", no_date))
    no_objective = ada_plan()
    no_objective["goals"][0]["objectives"] = []
    cases.append(("plan.goals[0].objectives", no_objective))
    past = ada_plan()
    past["review_on"] = "2020-01-01"
    cases.append(("plan.review_on", past))
    not_a_need = ada_plan()
    not_a_need["goals"][0]["needs"] = ["outcome.toilet_needs"]
    cases.append(("plan.goals[0].needs[0]", not_a_need))
    unknown_goal = ada_plan()
    unknown_goal["blocks"][0]["goal"] = "nowhere"
    cases.append(("plan.blocks[0].goal", unknown_goal))
    for field, body in cases:
        assert (
            _problem(service.call("POST", f"{url}/plans", "intake", json={"plan": body})) == field
        )
    assert service.call("GET", f"{url}/plans", "intake").json() == []  # nothing half-written


def test_from_intake_to_plan_week_and_two_reviews(service: Service) -> None:
    url = _case_with_week(service)

    made = service.call("POST", f"{url}/plans", "intake", json={"plan": ada_plan()})
    assert made.status_code == 201, made.text
    first = made.json()
    assert first["number"] == 1 and made.headers["Location"].endswith(f"{url}/plans/1")
    assert {c["need"]["id"] for c in first["needs"]} == ADA_NEEDS
    assert first["flagged"] == ["outcome.home_safety"]
    clothing = next(c for c in first["needs"] if c["need"]["id"] == "outcome.clothing")
    assert clothing["deferred_because"] and not clothing["flagged"]
    assert [c["what"] for c in first["changes"]].count("goal_added") == 3

    # Per goal, from the stored week and the agreed (costing) budget.
    goals = {g["goal"]: g for g in first["supports"]["goals"]}
    assert first["supports"]["method"] == "costing"
    wash = goals["wash"]
    assert float(wash["natural_hours"]) + float(wash["paid_hours"]) == 7.0  # an hour each day
    assert wash["budget_weekly"] != "0.00" and goals["friends"]["budget_weekly"] != "0.00"
    roster = service.call("GET", f"{url}/rosters/1", "rota").json()["output"]
    total = sum(float(g["roster_cost"]) for g in first["supports"]["goals"])
    assert round(total, 2) == float(roster["total_cost"])
    for goal in first["supports"]["goals"]:
        assert float(goal["natural_cost"]) + float(goal["paid_cost"]) == float(goal["roster_cost"])
    paid = sum(float(s["cost"]) for s in roster["supporters"] if s["kind"] == "paid")
    assert round(sum(float(g["paid_cost"]) for g in first["supports"]["goals"]), 2) == paid
    allocation = service.call("GET", f"{url}/allocations/1", "budget").json()["output"]
    lines = sum(float(g["budget_weekly"]) for g in first["supports"]["goals"])
    assert round(lines, 2) == float(allocation["methods"]["costing"]["weekly"])

    # A revision needs a reason; it answers the flagged need.
    revised = ada_plan()
    revised["goals"].append(
        {
            "id": "safe",
            "own_words": "I don't want to fall again",
            "needs": ["outcome.home_safety"],
            "objectives": [objective("alarm", "days the pendant is worn", 3, 7)],
        }
    )
    assert (
        _problem(service.call("POST", f"{url}/plans", "intake", json={"plan": revised})) == "reason"
    )
    second = service.call(
        "POST", f"{url}/plans", "budget", json={"plan": revised, "reason": "Ada fell in May"}
    ).json()
    assert second["number"] == 2 and second["flagged"] == []
    assert {
        "what": "goal_added",
        "goal": "safe",
        "objective": None,
        "detail": "I don't want to fall again",
    } in second["changes"]

    # The printable plan: goals first, then supporters, then money, then the review date.
    page = service.call("GET", f"{url}/plans/2/document", "rota")
    assert page.status_code == 200 and page.headers["content-type"].startswith("text/html")
    text = page.text
    order = [text.index(h) for h in ("My goals", "Who does what", "The money", "When we will look")]
    assert order == sorted(order)
    assert "I want to make my own tea again" in text and "@media print" in text
    assert f"£{allocation['methods']['costing']['weekly']}" in text
    pdf = service.call("GET", f"{url}/plans/2/document.pdf", "rota")
    assert pdf.status_code == 200 and pdf.content.startswith(b"%PDF-")
    printed = " ".join(p.extract_text() for p in PdfReader(io.BytesIO(pdf.content)).pages)
    printed = " ".join(printed.split())
    order = [
        printed.index(h) for h in ("My goals", "Who does what", "The money", "When we will look")
    ]
    assert order == sorted(order)
    assert "I want to make my own tea again" in printed and "Ruth (daughter)" in printed

    # Review 1: progress not satisfactory, so a revision or a reason.
    all_four = {"hot_meals": 1, "washes": 2, "club": 0, "alarm": 5}
    body = review(progress=progress("no_change", all_four), next_review_on=later(60))
    assert (
        _problem(service.call("POST", f"{url}/plans/reviews", "rota", json=body))
        == "not_revised_because"
    )
    alone = {
        **body,
        "participants": [{"name": "Sam", "role": "worker"}],
        "not_revised_because": "x",
    }
    assert (
        _problem(service.call("POST", f"{url}/plans/reviews", "rota", json=alone)) == "participants"
    )
    short = {**body, "progress": body["progress"][:3], "not_revised_because": "x"}
    assert _problem(service.call("POST", f"{url}/plans/reviews", "rota", json=short)) == "progress"
    body["not_revised_because"] = "The new carer starts next month"
    first_review = service.call("POST", f"{url}/plans/reviews", "rota", json=body)
    assert first_review.status_code == 201, first_review.text
    assert first_review.json()["revised_to"] is None
    assert first_review.json()["unsatisfactory"] == [
        "cook.hot_meals",
        "wash.washes",
        "friends.club",
        "safe.alarm",
    ]

    # Review 2: the meals objective met; the plan revised (tea now serves friends).
    third = copy.deepcopy(revised)
    third["blocks"][1]["goal"] = "friends"
    third["goals"][2]["objectives"][0]["target"] = 2
    values = {"hot_meals": 3, "washes": 5, "club": 1, "alarm": 7}
    second_review = service.call(
        "POST",
        f"{url}/plans/reviews",
        "intake",
        json=review(progress=progress("good_progress", values), revision=third),
    )
    assert second_review.status_code == 201, second_review.text
    held = second_review.json()
    assert held["revised_to"] == 3
    assert "cook.hot_meals" in held["met"]
    version3 = service.call("GET", f"{url}/plans/3", "intake").json()
    whats = {(c["what"], c["goal"]) for c in version3["changes"]}
    assert ("objective_met", "cook") in whats and ("support_moved", "friends") in whats
    assert ("objective_changed", "friends") in whats
    assert version3["review"] == 2

    # From the review: the allocation and the week made again, linked to it.
    rerun = service.call("POST", f"{url}/plans/reviews/2/allocation", "budget")
    assert rerun.status_code == 201, rerun.text
    assert rerun.json()["reruns"][0]["record_url"].endswith(f"{url}/allocations/2")
    agree = {"action": "confirm", "method": "costing"}
    assert (
        service.call("POST", f"{url}/allocations/2/determination", "budget", json=agree).status_code
        == 201
    )
    week = service.call("POST", f"{url}/plans/reviews/2/roster", "rota", json={"time_limit": 5})
    assert week.status_code == 202, week.text
    job = week.json()["reruns"][1]["job"]
    assert service.job_done(job["status_url"])["status"] == "done"
    both = service.call("GET", f"{url}/plans/reviews", "rota").json()
    assert [(r["number"], r["plan_version"], r["revised_to"]) for r in both] == [
        (1, 2, None),
        (2, 2, 3),
    ]
    linked = service.call("GET", f"{url}/plans/reviews/2", "rota").json()
    assert linked["reruns"][1]["record_url"].endswith(f"{url}/rosters/2")

    # History: every version kept, never overwritten; all in the case's audit trail.
    history = service.call("GET", f"{url}/plans", "intake").json()
    assert [h["number"] for h in history] == [1, 2, 3]
    assert history[0]["content_hash"] == first["content_hash"]
    assert service.call("GET", f"{url}/plans/1", "intake").json()["plan"] == first["plan"]
    audit = service.call("GET", f"{url}/audit", "admin").json()
    writes = [a for a in audit if a["action"] == "write" and "/plans" in a["path"]]
    assert len([a for a in writes if a["status"] in (201, 202)]) == 6

    # Due by worker: the plan review (set by version 3) and the new follow-ups.
    due = service.call("GET", "/v1/plans/due", "rota", params={"before": later(400)}).json()
    mine = [
        i for w in due if w["worker"] == "sam" for i in w["items"] if url.endswith(i["case_id"])
    ]
    assert {i["what"] for i in mine} == {"plan_review", "follow_up"}
    assert all(i["plan_version"] == 3 and not i["overdue"] for i in mine)
    assert not [i for w in due for i in w["items"] if i["due_on"] > later(400)]
    kim = {"before": later(400), "worker": "kim"}
    assert service.call("GET", "/v1/plans/due", "rota", params=kim).json() == []

    # Themes across reviews: counts by tag, no personal details; not for caseworkers.
    assert (
        service.call(
            "GET", "/v1/plans/themes", "intake", params={"from": AS_OF, "to": later(1)}
        ).status_code
        == 403
    )
    report = service.call(
        "GET",
        "/v1/plans/themes",
        "policy",
        params={"from": AS_OF, "to": later(1), "period": "year"},
    )
    assert report.status_code == 200, report.text
    rows = {r["tag"]: r for r in report.json() if r["service"] == "leeds_home_care"}
    assert rows["timing"]["person"] >= 2 and rows["timing"]["others"] >= 2
    assert rows["timing"]["total"] >= rows["transport"]["total"]
    assert "Ada" not in report.text and url.split("/")[-1] not in report.text

    # A new decision nobody has confirmed yet: the plan still reads; a revision waits.
    assert (
        service.call("POST", f"{url}/decisions", "intake", json={"as_of": AS_OF}).status_code == 201
    )
    assert service.call("GET", f"{url}/plans/3", "intake").status_code == 200
    waiting = {"plan": third, "reason": "new facts"}
    assert service.call("POST", f"{url}/plans", "intake", json=waiting).status_code == 409
