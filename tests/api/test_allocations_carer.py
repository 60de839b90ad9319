"""POST /v1/allocations leaves out what a willing and able carer meets (Care Act 2014 s.18(7)),
and refuses an unknown outcome with the field path."""

from __future__ import annotations

from typing import Any

from tests.api.conftest import Service
from tests.api.journey import AS_OF, ada, ada_budget_ask, ada_with_carer

# 10 h of personal care, 5 h of meals, 3 h of an agency's trips (2025/26 unit costs).
PLAN = [
    {"support": "one_to_one_day", "per_week": "10", "outcomes": ["personal_hygiene"]},
    {"support": "one_to_one_day", "per_week": "5", "outcomes": ["nutrition"]},
    {"support": "community_access", "per_week": "3", "outcomes": ["community_facilities"]},
]


def allocate(service: Service, intake: Any) -> Any:
    body = ada_budget_ask() | {"intake": intake, "support_plan": PLAN, "as_of": AS_OF}
    answer = service.call("POST", "/v1/allocations", "budget", json=body)
    assert answer.status_code == 200, answer.text
    return answer.json()


def test_the_api_leaves_out_the_plan_line_a_willing_carer_meets(service: Service) -> None:
    kept, left = allocate(service, ada_with_carer(False)), allocate(service, ada_with_carer(True))
    assert kept["eligibility"] == left["eligibility"]
    # Pay £183.15 + £96.42 + on-costs £47.77 + 2 x £23.09; less the meals: £122.10 + £96.42
    # + £31.84 + 2 x £15.39.
    assert kept["methods"]["costing"]["weekly"] == "373.52"
    assert left["methods"]["costing"]["weekly"] == "281.14"
    line = left["methods"]["costing"]["lines"][1]
    assert (line["amount"], line["quantity"]) == ("0.00", "5")
    assert "met by a carer willing and able to go on, Care Act 2014 s.18(7)" in line["label"]
    eating = next(p for p in left["methods"]["ras"]["points"] if p["question"] == "eating")
    assert (eating["points"], eating["would_score"]) == (0, 3)
    assert left["sufficiency"]["costed_weekly"] == "281.14"
    assert "left out of the costed plan: support_plan[1]" in left["carer_met"][0]["label"]


def test_an_unknown_outcome_is_a_422_with_the_field_path(service: Service) -> None:
    plan: list[dict[str, Any]] = [{"support": "one_to_one_day", "per_week": 5, "outcomes": ["tea"]}]
    answer = service.call(
        "POST", "/v1/allocations", "budget", json={"intake": ada(), "support_plan": plan}
    )
    assert answer.status_code == 422
    assert answer.json()["problems"][0]["field"] == "support_plan[0].outcomes[0]"
