"""Needs a willing and able carer meets are not rostered, and are listed (Care Act s.18(7))."""

from __future__ import annotations

from decimal import Decimal

from allocation.roster.week import Week
from tests.roster.conftest import block, paid, solve, week


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
