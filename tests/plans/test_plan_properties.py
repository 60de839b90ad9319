"""Properties: every eligible need is covered by a goal or a deferral (or flagged), and
revising a plan never loses an earlier version."""

from __future__ import annotations

import copy
from collections.abc import Iterator
from datetime import date
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from api.plans import store
from api.plans.checks import plan_problems
from api.plans.needs import coverage, eligible_needs
from api.plans.plan_model import Plan
from api.plans.revisions import changes
from api.storage import records
from api.storage.database import Database
from api.storage.records import Kind, NewRecord
from engine.intake import Intake, Manages, Outcome
from engine.screening import Screener
from tests.api.journey import ada
from tests.plans.bodies import ada_plan, objective

AS_OF = date(2026, 1, 1)
ANSWER = st.tuples(st.sampled_from([None, *Manages]), st.booleans(), st.booleans())
PLACE = st.sampled_from(["goal", "deferred", "nothing"])


Answer = tuple[Manages | None, bool, bool]  # how managed; met by a carer; willing and able


def _intake(answers: dict[Outcome, Answer]) -> Intake:
    data = ada()
    data["needs"]["outcomes"] = [
        {
            "outcome": o.value,
            **({"manages": m.value} if m else {}),
            "met_by_carer": carer,
            "carer_willing_and_able": willing,
        }
        for o, (m, carer, willing) in answers.items()
    ]
    return Intake.model_validate(data)


def _plan(places: dict[str, str]) -> Plan:
    """One goal per need placed in a goal, a deferral per need deferred."""
    goals: list[dict[str, Any]] = [
        {
            "id": f"g{i}",
            "own_words": f"About {need}",
            "needs": [need],
            "objectives": [objective("o", "times", 0, 1)],
        }
        for i, need in enumerate(n for n, p in places.items() if p == "goal")
    ]
    goals = goals or [
        {"id": "life", "own_words": "My life", "objectives": [objective("o", "times", 0, 1)]}
    ]
    deferred = [{"need": n, "reason": "later"} for n, p in places.items() if p == "deferred"]
    return Plan.model_validate(
        {
            "worker": "w",
            "service": "s",
            "goals": goals,
            "deferred": deferred,
            "review_on": "2099-01-01",
        }
    )


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(
    answers=st.fixed_dictionaries({o: ANSWER for o in Outcome}),
    places=st.lists(PLACE, min_size=len(Outcome), max_size=len(Outcome)),
)
def test_every_eligible_need_is_covered_by_a_goal_a_deferral_or_a_carer_else_flagged(
    screener: Screener, answers: dict[Outcome, Answer], places: list[str]
) -> None:
    intake = _intake(answers)
    decision = screener.check(intake, AS_OF)
    outcomes = {p.id: p.outcome for p in decision.programmes}
    programmes = {p.id: p for r in screener.rulesets for p in r.programmes}
    needs = eligible_needs(decision, outcomes, intake, programmes)
    adult = outcomes["england.care_act.adult"]
    unable = programmes["england.care_act.adult"].parameter_values(AS_OF)["unable_means"]
    expected = {
        f"outcome.{o.value}"
        for o, (m, _, _) in answers.items()
        if m is not None and m.value in unable
    }
    carers = {
        f"outcome.{o.value}" for o, (_, carer, willing) in answers.items() if carer and willing
    }
    assert {n.id for n in needs} == (expected if adult == "eligible" else set())

    placed = {n.id: place for n, place in zip(needs, places, strict=False)}
    plan = _plan(placed)
    assert plan_problems(plan, needs) == []
    for cover in coverage(plan, needs):
        place = placed[cover.need.id]
        assert bool(cover.goals) == (place == "goal")
        assert (cover.deferred_because is not None) == (place == "deferred")
        assert cover.need.met_by_carer == (cover.need.id in carers)
        assert cover.flagged == (place == "nothing" and cover.need.id not in carers)


@pytest.fixture(scope="module")
def db(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Database]:
    opened = Database.open(f"sqlite:///{tmp_path_factory.mktemp('plans') / 'plans.db'}")
    yield opened
    opened.close()


EDIT = st.sampled_from(["add_goal", "drop_goal", "retarget", "move_block", "defer", "review_date"])


def _edit(plan: dict[str, Any], edit: str, n: int) -> dict[str, Any]:
    plan = copy.deepcopy(plan)
    if edit == "add_goal":
        plan["goals"].append(
            {
                "id": f"new{n}",
                "own_words": f"Goal {n}",
                "objectives": [objective("o", "x", 0, n + 1)],
            }
        )
    elif edit == "drop_goal" and len(plan["goals"]) > 1:
        dropped = plan["goals"].pop()
        plan["blocks"] = [b for b in plan["blocks"] if b["goal"] != dropped["id"]]
        plan["budget_lines"] = [b for b in plan["budget_lines"] if b["goal"] != dropped["id"]]
    elif edit == "retarget":
        plan["goals"][0]["objectives"][0]["target"] += n + 1
    elif edit == "move_block" and plan["blocks"]:
        plan["blocks"][0]["goal"] = plan["goals"][n % len(plan["goals"])]["id"]
    elif edit == "defer":
        plan["deferred"] = [{"need": f"outcome.n{n}", "reason": "later"}]
    else:
        plan["review_on"] = f"2099-{1 + n % 12:02d}-01"
    return plan


@settings(
    max_examples=25, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(edits=st.lists(EDIT, min_size=1, max_size=6))
def test_revising_a_plan_never_loses_an_earlier_version(db: Database, edits: list[str]) -> None:
    with db.write() as session:
        case = records.create_case(session, "p", NewRecord(Kind.intake, "{}", "{}"), "me")
        decision = records.add_record(session, case, NewRecord(Kind.decision, "{}", "{}"), "me")
    body = ada_plan()
    kept: list[tuple[str, str]] = []
    before: Plan | None = None
    for n, edit in enumerate([None, *edits]):
        if edit is not None:
            body = _edit(body, edit, n)
        plan = Plan.model_validate(body)
        with db.write() as session:
            records.get_case(session, case.id, lock=True)
            made = store.add_version(
                session, case.id, plan, changes(before, plan), decision.id, "me", edit
            )
            kept.append((made.plan, made.content_hash))
        before = plan
        with db.read() as session:
            stored = store.versions(session, case.id)
        assert [v.number for v in stored] == list(range(1, len(kept) + 1))
        assert [(v.plan, v.content_hash) for v in stored] == kept
    assert Plan.model_validate_json(kept[0][0]) == Plan.model_validate(ada_plan())
