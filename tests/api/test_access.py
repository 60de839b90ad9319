"""Who may do what, errors as JSON with the field path, and the audit log."""

from __future__ import annotations

from datetime import date

from engine.intake import Intake
from tests.api.conftest import Service
from tests.api.journey import AS_OF, ada


def test_nobody_reads_a_case_without_a_token_whose_role_may(service: Service) -> None:
    case = service.call("POST", "/v1/cases", "intake", json={"intake": ada()}).json()
    url = f"/v1/cases/{case['id']}"
    assert service.client.get(url).status_code == 401
    wrong = service.client.get(url, headers={"Authorization": "Bearer je_nobody"})
    assert wrong.status_code == 401 and wrong.json()["title"] == "nobody holds this token"
    assert service.call("GET", url, "policy").status_code == 403  # policy: no personal data
    for role in ("intake", "budget", "rota", "admin"):
        assert service.call("GET", url, role).status_code == 200
    # Each step only for its role (and admin).
    assert service.call("POST", "/v1/cases", "rota", json={"intake": ada()}).status_code == 403
    decide = service.call("POST", f"{url}/decisions", "budget", json={"as_of": AS_OF})
    assert decide.status_code == 403
    assert (
        service.call("POST", "/v1/allocations", "intake", json={"intake": ada()}).status_code == 403
    )
    assert service.call("GET", "/v1/rulesets", "intake").status_code == 200
    assert service.client.get("/v1/rulesets").status_code == 401

    audit = service.call("GET", f"{url}/audit", "admin")
    assert audit.status_code == 200
    assert service.call("GET", f"{url}/audit", "intake").status_code == 403
    entries = audit.json()
    seen = {(e["user"], e["action"], e["status"]) for e in entries}
    assert ("t-intake", "write", 201) in seen  # the case was made
    assert ("t-policy", "read", 403) in seen  # the refused read is recorded too
    assert ("(no valid token)", "read", 401) in seen
    assert ("t-rota", "read", 200) in seen


def test_errors_are_json_with_the_field_path(service: Service) -> None:
    bad = ada()
    bad["person"]["lives_in"]["country"] = "atlantis"
    answer = service.call("POST", "/v1/eligibility", "intake", json={"intake": bad})
    assert answer.status_code == 422
    assert answer.json()["problems"][0]["field"] == "intake.person.lives_in.country"
    answer = service.call("POST", "/v1/eligibility", "intake", json={"intake": ada(), "x": 1})
    assert answer.json()["problems"][0]["field"] == "x"
    answer = service.call("POST", "/v1/eligibility", "intake", content=b"{not json")
    assert answer.status_code == 422
    assert service.call("GET", "/v1/cases/" + "0" * 32, "intake").status_code == 404
    assert service.call("GET", "/v1/cases/nonsense", "intake").status_code == 404
    assert service.call("GET", "/v1/rulesets/england/versions/9999.9", "policy").status_code == 404
    assert service.call("GET", "/v1/rulesets/mars", "policy").status_code == 404
    huge = {"intake": ada(), "pad": "x" * 300_000}
    answer = service.call("POST", "/v1/eligibility", "intake", json=huge)
    assert answer.status_code == 413 and answer.json()["status"] == 413
    week = {"week": {"budget": "1", "people": [{"id": "a"}]}, "time_limit": 999}
    answer = service.call("POST", "/v1/rosters", "rota", json=week)
    assert answer.status_code == 422
    assert answer.json()["problems"][0]["field"] == "time_limit"
    answer = service.call(
        "POST",
        "/v1/allocations",
        "budget",
        json={"intake": ada(), "support_plan": [{"support": "no_such_support", "per_week": 3}]},
    )
    assert answer.status_code == 422
    assert answer.json()["problems"][0]["field"].startswith("support_plan[0]")


def test_eligibility_and_rulesets_answer_from_the_loaded_rules(service: Service) -> None:
    decision = service.call(
        "POST", "/v1/eligibility", "intake", json={"intake": ada(), "as_of": AS_OF}
    ).json()
    engines = service.client.app.state.engines  # type: ignore[attr-defined]
    same = engines.decide(Intake.model_validate(ada()), date.fromisoformat(AS_OF))
    assert decision == same.model_dump(mode="json")  # the contract JSON, as `check --json`
    rulesets = service.call("GET", "/v1/rulesets", "policy").json()
    england = next(r for r in rulesets if r["id"] == "england")
    assert decision["rulesets"] == [
        {"id": "england", "version": england["version"], "hash": england["hash"]}
    ]
    assert {m["method"] for m in england["budget_methods"]} >= {"ras", "costing", "charging"}
    assert england["effective_from"] is not None
    stored = service.call("GET", "/v1/rulesets/england/versions", "policy").json()
    assert england["hash"] in {v["hash"] for v in stored}
    one = service.call("GET", f"/v1/rulesets/england/versions/{england['hash']}", "policy").json()
    assert "ruleset.yaml" in one["files"]
    assert service.client.get("/openapi.json").status_code == 200
    assert service.client.get("/docs").status_code == 200
