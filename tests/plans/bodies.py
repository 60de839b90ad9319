"""Ada's support plan and reviews as the API takes them; dates from today, as a plan
made today must look forward."""

from __future__ import annotations

from datetime import date, timedelta
from typing import Any


def later(days: int) -> str:
    return (date.today() + timedelta(days=days)).isoformat()


def objective(oid: str, indicator: str, baseline: int, target: int, **extra: Any) -> dict[str, Any]:
    return {
        "id": oid,
        "description": f"{indicator}: {baseline} now, {target} by then",
        "indicator": indicator,
        "unit": "times a week",
        "baseline": baseline,
        "target": target,
        "by": later(180),
        "follow_up": later(60),
        **extra,
    }


def ada_plan() -> dict[str, Any]:
    """Three goals; clothing deferred; home safety left out (so it is flagged)."""
    return {
        "worker": "sam",
        "service": "leeds_home_care",
        "about_me": "I like my own kitchen and my Thursday lunch club.",
        "strengths": ["Knows what she likes to eat", "Her daughter Ruth visits twice a week"],
        "people": [
            {
                "name": "Ruth",
                "relationship": "daughter",
                "does": "Shops with Ada on Wednesdays and Saturdays",
                "roster_id": "daughter",
            },
            {
                "name": "Personal assistant",
                "relationship": "paid support",
                "does": "Helps Ada wash and dress in the morning",
                "agency": "Leeds Home Care",
                "roster_id": "pa",
            },
        ],
        "goals": [
            {
                "id": "cook",
                "own_words": "I want to make my own tea again",
                "worker_summary": "Regain meal preparation with support",
                "needs": ["outcome.nutrition"],
                "objectives": [objective("hot_meals", "hot meals Ada makes", 0, 3)],
                "strategies": ["Kitchen perching stool", "Support at tea time"],
                "person_will": ["Plan the week's meals with Ruth"],
            },
            {
                "id": "wash",
                "own_words": "I want to feel fresh every morning",
                "needs": ["outcome.personal_hygiene"],
                "objectives": [objective("washes", "mornings Ada is helped to wash", 2, 7)],
            },
            {
                "id": "friends",
                "own_words": "I miss my friends from the lunch club",
                "needs": ["outcome.relationships", "outcome.community_facilities"],
                "objectives": [objective("club", "visits to the lunch club", 0, 1)],
                "person_will": ["Ring the club to say she is coming back"],
            },
        ],
        "deferred": [
            {
                "need": "outcome.clothing",
                "reason": "Ada would rather take her time dressing herself",
            }
        ],
        "blocks": [
            {"person": "ada", "activity": "washing and breakfast", "goal": "wash"},
            {"person": "ada", "activity": "tea", "goal": "cook"},
        ],
        "budget_lines": [
            {
                "method": "costing",
                "label": "Home care from an agency (10.5 hours a week)",
                "goal": "wash",
            },
            {
                "method": "costing",
                "label": "Community support from an agency (3 hours a week)",
                "goal": "friends",
            },
        ],
        "review_on": later(120),
    }


def progress(rating: str, values: dict[str, int]) -> list[dict[str, Any]]:
    goals = {"hot_meals": "cook", "washes": "wash", "club": "friends", "alarm": "safe"}
    return [
        {"goal": goals[oid], "objective": oid, "rating": rating, "value": value}
        for oid, value in values.items()
    ]


def review(**extra: Any) -> dict[str, Any]:
    return {
        "held_on": date.today().isoformat(),
        "participants": [{"name": "Ada", "role": "person"}, {"name": "Sam", "role": "worker"}],
        "changes": [],
        "working": {"person": [{"said": "Mornings are easier", "tags": ["personal-care"]}]},
        "not_working": {
            "person": [{"said": "The carer comes at different times", "tags": ["timing"]}],
            "others": [{"said": "No transport to the club", "tags": ["transport", "timing"]}],
        },
        "allocation": {"needs_change": False},
        "outcomes_next_year": ["Go to the lunch club every week"],
        "perfect_week_changes": [],
        **extra,
    }
