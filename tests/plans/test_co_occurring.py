"""Co-occurring conditions: a goal set per condition with its stage of change, linked to
the ASAM dimensions and the level of care the decision recommends, with discharge
criteria per condition (Joe: the US rules recommend level 3.7)."""

from __future__ import annotations

from typing import Any

from tests.api.conftest import Service
from tests.api.journey import AS_OF, example
from tests.plans.bodies import later, objective


def joe_plan() -> dict[str, Any]:
    return {
        "worker": "maya",
        "service": "ky_recovery",
        "conditions": [
            {
                "id": "alcohol",
                "name": "Alcohol use",
                "stage_of_change": "contemplation",
                "asam_dimensions": ["biomedical", "relapse_risk"],
                "discharge_criteria": ["Ninety days without a drink, by Joe's own account"],
            },
            {
                "id": "mood",
                "name": "Low mood",
                "stage_of_change": "preparation",
                "asam_dimensions": ["emotional_behavioural"],
                "level_of_care": "3.7",
                "discharge_criteria": ["Joe says he feels able to manage his mood"],
            },
        ],
        "goals": [
            {
                "id": "sober",
                "own_words": "I want to stop drinking before it kills me",
                "condition": "alcohol",
                "needs": ["condition.substance_use"],
                "objectives": [objective("days", "days without a drink", 0, 30)],
                "person_will": ["Go to the clinic on Mondays"],
            },
            {
                "id": "out",
                "own_words": "I want to get out of the house again",
                "condition": "mood",
                "objectives": [objective("walks", "walks a week", 0, 3)],
            },
        ],
        "people": [
            {
                "name": "Dr Patel",
                "relationship": "psychiatrist",
                "does": "Sees Joe monthly",
                "agency": "Bluegrass clinic",
            }
        ],
        "review_on": later(90),
    }


def _case(service: Service) -> str:
    case = service.call("POST", "/v1/cases", "intake", json={"intake": example("joe.yaml")}).json()
    url = f"/v1/cases/{case['id']}"
    assert (
        service.call("POST", f"{url}/decisions", "intake", json={"as_of": AS_OF}).status_code == 201
    )
    confirm = {"action": "confirm"}
    assert (
        service.call("POST", f"{url}/decisions/1/determination", "intake", json=confirm).status_code
        == 201
    )
    return url


def test_a_goal_set_per_condition_at_the_decisions_level_of_care(service: Service) -> None:
    url = _case(service)
    refusals: list[tuple[str, dict[str, Any]]] = []
    other_level = joe_plan()
    other_level["conditions"][0]["level_of_care"] = "2.1"
    refusals.append(("plan.conditions[0].level_of_care", other_level))
    no_goal_set = joe_plan()
    no_goal_set["goals"][1]["condition"] = "alcohol"
    refusals.append(("plan.conditions[1]", no_goal_set))
    no_discharge = joe_plan()
    no_discharge["conditions"][1]["discharge_criteria"] = []
    refusals.append(("plan.conditions[1].discharge_criteria", no_discharge))
    unknown = joe_plan()
    unknown["goals"][0]["condition"] = "gambling"
    refusals.append(("plan.goals[0].condition", unknown))
    for field, body in refusals:
        answer = service.call("POST", f"{url}/plans", "intake", json={"plan": body})
        assert answer.status_code == 422, answer.text
        assert answer.json()["problems"][0]["field"] == field

    made = service.call("POST", f"{url}/plans", "intake", json={"plan": joe_plan()})
    assert made.status_code == 201, made.text
    plan = made.json()
    assert [n["need"] for n in plan["needs"]] == [
        {
            "id": "condition.substance_use",
            "programme": "us.asam_level_of_care",
            "words": "Treatment and recovery support for substance use",
            "level_of_care": "3.7",
            "met_by_carer": False,
        }
    ]
    assert plan["flagged"] == []
    assert plan["plan"]["conditions"][0]["level_of_care"] == "3.7"  # from the decision
    assert plan["plan"]["conditions"][0]["stage_of_change"] == "contemplation"

    differs = joe_plan()
    differs["conditions"][0]["level_of_care"] = "2.1"
    differs["conditions"][0]["level_of_care_reason"] = (
        "Joe will not go residential; intensive outpatient agreed"
    )
    differs["conditions"][0]["stage_of_change"] = "preparation"
    revised = service.call(
        "POST", f"{url}/plans", "intake", json={"plan": differs, "reason": "Joe's choice"}
    )
    assert revised.status_code == 201, revised.text
    assert {
        "what": "stage_of_change",
        "goal": None,
        "objective": None,
        "detail": "Alcohol use: contemplation -> preparation",
    } in revised.json()["changes"]

    page = service.call("GET", f"{url}/plans/1/document", "intake").text
    for words in (
        "Alcohol use",
        "contemplation",
        "level of care 3.7",
        "Ninety days without a drink",
        "Low mood",
    ):
        assert words in page
