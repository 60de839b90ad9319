"""Due dates by worker (overdue before today) and the themes report (top tags per
service and period, whose view), as pure functions."""

from __future__ import annotations

from datetime import date

from api.plans.due import CurrentPlan, due
from api.plans.plan_model import Plan
from api.plans.review_model import NewPlanReview
from api.plans.themes import TaggedView, most_frequent
from tests.plans.bodies import ada_plan, progress, review

TODAY = date(2027, 3, 1)


def _current(worker: str, review_on: str, reviews: list[NewPlanReview]) -> CurrentPlan:
    plan = Plan.model_validate({**ada_plan(), "worker": worker, "review_on": review_on})
    last = reviews[-1].next_review_on if reviews else None
    return CurrentPlan(
        case_id=worker, person="P", version=1, plan=plan, reviews=reviews, next_review_on=last
    )


def test_a_review_date_before_today_is_overdue_and_progress_clears_a_follow_up() -> None:
    seen = NewPlanReview.model_validate(
        review(progress=progress("some_progress", {"hot_meals": 1}), next_review_on="2027-02-20")
    )
    plans = [_current("sam", "2027-02-01", []), _current("amy", "2027-04-01", [seen])]
    listed = {w.worker: w.items for w in due(plans, date(2099, 1, 1), TODAY)}
    assert list(listed) == ["amy", "sam"]
    sam_review = [i for i in listed["sam"] if i.what == "plan_review"]
    assert [(i.due_on, i.overdue) for i in sam_review] == [(date(2027, 2, 1), True)]
    amy_review = [i for i in listed["amy"] if i.what == "plan_review"]
    assert [(i.due_on, i.overdue) for i in amy_review] == [(date(2027, 2, 20), True)]
    follow_ups = {(i.goal, i.objective) for i in listed["amy"] if i.what == "follow_up"}
    assert follow_ups == {("wash", "washes"), ("friends", "club")}  # hot_meals was reviewed
    assert due(plans, date(2027, 1, 1), TODAY) == []


def test_themes_count_each_view_and_keep_the_top_per_service_and_period() -> None:
    def seen(day: str, tag: str, view: str = "person", service: str = "a") -> TaggedView:
        return TaggedView(service=service, held_on=date.fromisoformat(day), view=view, tag=tag)

    tagged = [
        seen("2027-01-05", "timing"),
        seen("2027-02-05", "timing", "others"),
        seen("2027-03-05", "transport"),
        seen("2027-03-06", "money"),
        seen("2027-03-07", "money", "others"),
        seen("2027-03-08", "money"),
        seen("2027-04-01", "timing"),
        seen("2027-01-05", "timing", service="b"),
    ]
    rows = most_frequent(tagged, "quarter", top=2)
    assert [(r.service, r.period, r.tag, r.person, r.others) for r in rows] == [
        ("a", "2027-Q1", "money", 2, 1),
        ("a", "2027-Q1", "timing", 1, 1),
        ("a", "2027-Q2", "timing", 1, 0),
        ("b", "2027-Q1", "timing", 1, 0),
    ]
    assert [r.period for r in most_frequent(tagged[:1], "month", 1)] == ["2027-01"]
