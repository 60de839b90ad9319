"""Needs a willing and able carer meets are not rostered, and are listed (Care Act s.18(7))."""

from __future__ import annotations

import json
from decimal import Decimal
from pathlib import Path

from allocation.roster.week import Week
from tests.roster.conftest import block, paid, solve, week
from tests.roster.test_cli import run


def _week(carer_meets: list[str]) -> Week:
    data = week(
        [
            block("mon", "08:00", "10:00", "getting up", outcome="personal_hygiene"),
            block("mon", "17:00", "18:00", "cooking tea", outcome="nutrition"),
            block("tue", "10:00", "11:00", "shopping"),
        ],
        [paid("sam")],
    )
    (ada,) = data.people
    return data.model_copy(update={"people": [ada.model_copy(update={"carer_meets": carer_meets})]})


def test_a_block_a_willing_carer_meets_is_left_out_and_said_so__care_act_s18_7() -> None:
    result = solve(_week(["nutrition"]))
    assert {s.activity for s in result.slots} == {"getting up", "shopping"}
    (left,) = result.left_out
    assert (left.person, left.block, left.activity, left.outcome) == (
        "ada",
        1,
        "cooking tea",
        "nutrition",
    )
    assert (left.days, left.start, left.end) == (["mon"], "17:00", "18:00")
    assert left.source == "Care Act 2014 s.18(7)"
    assert "willing and able" in left.reason
    # the blocks after it keep their numbers from the WEEK file
    assert {s.block for s in result.slots if s.activity == "shopping"} == {2}
    assert result.paid_hours == Decimal(3)


def test_without_a_carer_every_block_is_rostered() -> None:
    result = solve(_week([]))
    assert not result.left_out
    assert result.paid_hours == Decimal(4)


def test_a_carer_meeting_an_outcome_no_block_serves_leaves_nothing_out() -> None:
    result = solve(_week(["clothing"]))
    assert not result.left_out
    assert result.paid_hours == Decimal(4)


def test_the_roster_command_reads_the_intake_for_what_a_willing_carer_meets(
    tmp_path: Path,
) -> None:
    """Nutrition: met by a carer willing and able to go on, left out. Personal hygiene:
    met by a carer who cannot go on, so rostered."""
    week_file = tmp_path / "week.json"
    week_file.write_text(_week([]).model_dump_json(exclude_none=True))
    intake = tmp_path / "intake.json"
    outcomes = [
        {"outcome": "nutrition", "met_by_carer": True, "carer_willing_and_able": True},
        {"outcome": "personal_hygiene", "met_by_carer": True, "carer_willing_and_able": False},
    ]
    intake.write_text(
        json.dumps(
            {
                "id": "ada",
                "person": {"lives_in": {"country": "england"}},
                "needs": {"outcomes": outcomes},
            }
        )
    )
    done = run("roster", str(week_file), "--intake", str(intake), "--json", "--time-limit", "5")
    assert done.returncode == 0, done.stderr
    roster = json.loads(done.stdout)
    assert [(x["activity"], x["source"]) for x in roster["left_out"]] == [
        ("cooking tea", "Care Act 2014 s.18(7)")
    ]
    assert {s["activity"] for s in roster["slots"]} == {"getting up", "shopping"}


def test_an_intake_for_no_one_in_the_week_is_refused(tmp_path: Path) -> None:
    base = _week([])
    two = base.model_copy(
        update={"people": [*base.people, base.people[0].model_copy(update={"id": "bo"})]}
    )
    week_file = tmp_path / "week.json"
    week_file.write_text(two.model_dump_json(exclude_none=True))
    intake = tmp_path / "intake.json"
    intake.write_text(json.dumps({"id": "cy", "person": {"lives_in": {"country": "england"}}}))
    done = run("roster", str(week_file), "--intake", str(intake))
    assert done.returncode == 2
    assert "no person of the week has the intake's id (cy)" in done.stderr
