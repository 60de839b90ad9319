"""A need a willing and able carer meets, from the case's intake to its budget and roster."""

from __future__ import annotations

from tests.api.conftest import Service
from tests.api.journey import AS_OF, ada_budget_ask, ada_with_carer, small_week


def test_the_roster_of_a_case_leaves_out_what_a_willing_carer_meets(service: Service) -> None:
    """Care Act 2014 s.18(7): the case's intake says her daughter makes her tea and will go on,
    so the week's tea blocks are left out of the roster, each listed with the reason."""
    case = service.call(
        "POST", "/v1/cases", "intake", json={"intake": ada_with_carer(willing=True)}
    )
    url = f"/v1/cases/{case.json()['id']}"
    service.call("POST", f"{url}/decisions", "intake", json={"as_of": AS_OF})
    service.call("POST", f"{url}/decisions/1/determination", "intake", json={"action": "confirm"})
    allocated = service.call("POST", f"{url}/allocations", "budget", json=ada_budget_ask())
    assert allocated.status_code == 201, allocated.text
    assert allocated.json()["output"]["carer_met"], "the allocation says what the carer meets"
    agreed = service.call(
        "POST",
        f"{url}/allocations/1/determination",
        "budget",
        json={"action": "confirm", "method": "costing"},
    )
    assert agreed.status_code == 201, agreed.text

    week = small_week()
    tea = next(b for b in week["people"][0]["blocks"] if b["activity"] == "tea")
    tea["outcome"] = "nutrition"
    queued = service.call("POST", f"{url}/rosters", "rota", json={"week": week, "time_limit": 5})
    assert queued.status_code == 202, queued.text
    job = service.job_done(queued.json()["status_url"])
    assert job["status"] == "done", job
    left_out = job["result"]["left_out"]
    assert {item["activity"] for item in left_out} == {"tea"}
    assert all("s.18(7)" in item["source"] for item in left_out)
    stored = service.call("GET", f"{url}/rosters/1", "rota").json()
    assert stored["inputs"]["week"]["people"][0]["carer_meets"] == ["nutrition"]
