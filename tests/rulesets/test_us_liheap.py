"""LIHEAP: 42 USC 8624(b)(2); 45 CFR 96.85; ACF LIHEAP IM2024-02 and IM2025-02.

A household qualifies through SNAP, TANF or SSI, or with income at or below its
state's own limit. Every state's limit lies between the federal floor (110 % of
the poverty guideline) and the federal maximum (the greater of 150 % of the
guideline and 60 % of the state median income): income within the floor passes
and income above the maximum fails in every state; in between, the state's own
limit decides where it is loaded, and the answer is undecided where it is not.
SNAP eligibility is chained: programme.us.snap.eligible.

Figures (hand-checked, from the sources named in rulesets/us/liheap.yaml):
2024 guidelines (FY2025) one person $15,060, four $31,200, each additional $5,380;
2025 guidelines (FY2026) one $15,650, four $32,150; 2026 guidelines (FY2027) one
$15,960, four $33,000. FY2025 four-person state median incomes (IM2024-02 att. 4 as
copied by PolicyEngine): Alabama $95,455, California $121,926, Ohio $109,319.
California FY2026 (derived from its 2026 table): $128,143.
"""

from __future__ import annotations

from datetime import date
from decimal import Decimal
from typing import Any

import polars as pl
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from engine.bulk import BulkPlan
from engine.bulk_schema import to_frame
from engine.figures import unverified
from engine.intake import Intake
from engine.loader import default_rulesets_root, load_rulesets
from engine.programmes import Programme
from engine.screening import Screener
from tests.rulesets.conftest import Screen, member, monthly, us, yearly
from tests.scenarios.test_bulk_agrees import disagreements

LIHEAP = "us.liheap"
FY2025 = date(2025, 1, 1)
FY2027 = date(2026, 11, 29)


def liheap_programme() -> Programme:
    (ruleset,) = load_rulesets([default_rulesets_root() / "us"])
    return next(p for p in ruleset.programmes if p.id == LIHEAP)


def four_in(state: str) -> dict[str, Any]:
    return {
        "lives_in": {"country": "us", "region": state},
        "household": [member("partner", 40), member("child", 9), member("child", 6)],
    }


def liheap_questions(decision: Any) -> list[str]:
    return [q["field"] for q in decision.json["questions"] if LIHEAP in q["settles"]]


def elderly_with_high_costs(capital: str | None) -> Any:
    """Aged 67 in Ohio, $2,200 a month ($26,400 a year): above the floor ($17,215)."""
    return us(
        person={"age": 67},
        finances={
            "income": [monthly("2200", "social_security")],
            "capital": capital,
            "shelter_costs_monthly": "1200",
            "dependent_care_costs_monthly": "0",
            "medical_costs_monthly": "800",
        },
    )


# --- categorical eligibility (42 USC 8624(b)(2)(A)) ---


def test_snap_eligible_household_is_eligible_whatever_the_income_test__42_USC_8624_b_2_A(
    screen: Screen,
) -> None:
    decision = screen(elderly_with_high_costs(capital="1000"))
    assert decision.outcome("us.snap") == "eligible"
    assert decision.met(LIHEAP, "income") is None  # Ohio's own FY2026 limit is not loaded
    assert decision.met(LIHEAP, "snap_eligible") is True
    assert decision.outcome(LIHEAP) == "eligible"


def test_undecided_snap_leaves_liheap_undecided_above_the_floor(screen: Screen) -> None:
    decision = screen(elderly_with_high_costs(capital=None))
    assert decision.outcome("us.snap") == "needs_information"
    assert decision.outcome(LIHEAP) == "needs_information"
    assert "finances.capital" in decision.ask_next


def test_household_receiving_tanf_is_eligible_whatever_its_income__42_USC_8624_b_2_A_i(
    screen: Screen,
) -> None:
    case = us(finances={"income": [yearly("90000", "earnings")], "benefits": ["tanf"]})
    decision = screen(case)
    assert decision.met(LIHEAP, "receives_passport_benefit") is True
    assert decision.outcome(LIHEAP) == "eligible"


# --- the federal floor: 110 % of the guideline passes in every state ---


def test_income_exactly_at_110_percent_of_the_2025_guideline_is_eligible_in_any_state(
    screen: Screen,
) -> None:
    """Ohio, one person, FY2026: 110 % of $15,650 = $17,215; Ohio's own limit is not loaded."""
    decision = screen(us(finances={"income": [yearly("17215", "earnings")]}))
    assert decision.inputs(LIHEAP, "income")["federal_floor"] == 17215
    assert decision.inputs(LIHEAP, "income")["income_limit"] == 17215
    assert decision.outcome(LIHEAP) == "eligible"


def test_a_cent_over_the_floor_where_the_state_limit_is_not_loaded_is_undecided(
    screen: Screen,
) -> None:
    """Ohio, one person, FY2026. Nothing in the intake can settle it, so no question is
    asked for LIHEAP; at 150 % of $15,650 ($23,475) SNAP's gross test fails too."""
    over = screen(us(finances={"income": [yearly("17215.01", "earnings")]}))
    assert over.met(LIHEAP, "income") is None
    assert over.inputs(LIHEAP, "income")["income_limit"] is None
    assert over.inputs(LIHEAP, "income")["state_limit"] is None
    at_150 = screen(us(finances={"income": [yearly("23475", "earnings")]}))
    assert at_150.outcome("us.snap") == "not_eligible"
    assert at_150.met(LIHEAP, "income") is None
    assert at_150.outcome(LIHEAP) == "needs_information"
    assert "state's own income limit" in at_150.programme(LIHEAP)["words"]
    assert liheap_questions(at_150) == []


def test_a_household_within_the_floor_is_still_asked_its_state(screen: Screen) -> None:
    """The floor is a share of the guidelines of the 48 states and DC: in Alaska, Hawaii or
    Puerto Rico it is not that."""
    unknown = {"lives_in": {"country": "us", "region": None}}
    decision = screen(us(person=unknown, finances={"income": [yearly("15000")]}))
    assert decision.met(LIHEAP, "income") is True
    assert decision.met(LIHEAP, "guidelines_built") is None
    assert decision.outcome(LIHEAP) == "needs_information"
    assert "person.lives_in.region" in liheap_questions(decision)


def test_alaska_income_route_is_not_decided_here_but_tanf_still_qualifies(
    screen: Screen,
) -> None:
    """Alaska has its own poverty guidelines (not built): the programme is marked not
    relevant, with its reason, whatever the income; TANF still makes the household
    eligible (42 USC 8624(b)(2)(A))."""
    alaska = {"lives_in": {"country": "us", "region": "AK"}}
    low = screen(us(person=alaska, finances={"income": [yearly("15000")]}))
    assert low.met(LIHEAP, "guidelines_built") is False
    assert low.programme(LIHEAP)["relevant"] is False
    assert "Alaska, Hawaii and Puerto Rico" in low.programme(LIHEAP)["words"]
    assert liheap_questions(low) == []
    on_tanf = us(person=alaska, finances={"income": [yearly("90000")], "benefits": ["tanf"]})
    assert screen(on_tanf).outcome(LIHEAP) == "eligible"


def test_a_household_above_the_floor_whose_state_is_unknown_is_asked_for_it(
    screen: Screen,
) -> None:
    unknown = {"lives_in": {"country": "us", "region": None}}
    decision = screen(us(person=unknown, finances={"income": [yearly("20000")]}))
    assert decision.met(LIHEAP, "income") is None
    assert decision.outcome(LIHEAP) == "needs_information"
    assert "person.lives_in.region" in liheap_questions(decision)


def test_the_2026_guidelines_apply_from_fy2027__liheapch_income_eligibility(
    screen: Screen,
) -> None:
    """$17,500 a year for one person in Ohio: over 110 % of 2025's $15,650 ($17,215),
    within 110 % of 2026's $15,960 ($17,556)."""
    case = us(finances={"income": [yearly("17500", "earnings")]})
    assert screen(case, as_of=date(2026, 9, 30)).met(LIHEAP, "income") is None
    assert screen(case, as_of=date(2026, 10, 1)).outcome(LIHEAP) == "eligible"


# --- the federal maximum: the greater of 150 % FPG and 60 % SMI fails in every state ---


def test_ohio_fy2025_band__floor_passes_middle_undecided_above_60_percent_smi_fails(
    screen: Screen,
) -> None:
    """Four people in Ohio, FY2025: floor 110 % x $31,200 = $34,320; maximum the greater of
    150 % x $31,200 = $46,800 and 60 % x $109,319 = $65,591.40. Ohio's choice is not loaded."""

    def ohio(income: str) -> Any:
        case = us(person=four_in("OH"), finances={"income": [yearly(income)]})
        return screen(case, as_of=FY2025)

    assert ohio("34320").outcome(LIHEAP) == "eligible"
    middle = ohio("40000")
    assert middle.met(LIHEAP, "income") is None
    assert middle.inputs(LIHEAP, "income")["federal_maximum"] == 65591.4
    assert ohio("65591.40").met(LIHEAP, "income") is None
    over = ohio("65591.41")
    assert over.outcome(LIHEAP) == "not_eligible"
    assert over.inputs(LIHEAP, "income")["income_limit"] == 65591.4
    (miss,) = over.near_misses(LIHEAP)
    assert (miss["criterion"], miss["gap"]) == ("income", 0.01)


def test_without_the_state_median_the_maximum_is_unknown_so_no_income_is_refused(
    screen: Screen,
) -> None:
    """Ohio's FY2026 median is not loaded: the maximum is at least 150 % of the guideline
    ($48,225 for four) but how far above is not known."""
    case = us(person=four_in("OH"), finances={"income": [yearly("150000")]})
    decision = screen(case)
    assert decision.inputs(LIHEAP, "income")["federal_maximum"] is None
    assert decision.met(LIHEAP, "income") is None
    assert decision.outcome(LIHEAP) == "needs_information"


def test_california_fy2025_median_is_loaded_but_its_choice_is_not(screen: Screen) -> None:
    """Four people, FY2025: 60 % x $121,926 = $73,155.60 is the maximum; $50,000 lies
    between the floor ($34,320) and it."""
    within = us(person=four_in("CA"), finances={"income": [yearly("50000")]})
    assert screen(within, as_of=FY2025).met(LIHEAP, "income") is None
    above = us(person=four_in("CA"), finances={"income": [yearly("73155.61")]})
    assert screen(above, as_of=FY2025).outcome(LIHEAP) == "not_eligible"


# --- the state's own limit (45 CFR 96.85; LIHEAP Clearinghouse Percent of Poverty) ---


def test_alabama_fy2025_uses_150_percent_of_the_guideline_below_its_60_percent_smi(
    screen: Screen,
) -> None:
    """Four people: 150 % x $31,200 = $46,800, though 60 % x $95,455 = $57,273 is the
    federal maximum there."""

    def alabama(income: str) -> Any:
        return screen(us(person=four_in("AL"), finances={"income": [yearly(income)]}), FY2025)

    at = alabama("46800")
    assert at.inputs(LIHEAP, "income")["state_limit"] == 46800
    assert at.inputs(LIHEAP, "income")["federal_maximum"] == 57273
    assert at.outcome(LIHEAP) == "eligible"
    over = alabama("46800.01")
    assert over.outcome(LIHEAP) == "not_eligible"
    (miss,) = over.near_misses(LIHEAP)
    assert (miss["criterion"], miss["gap"]) == ("income", 0.01)


def test_household_of_nine_in_alabama_adds_5380_to_the_eight_person_guideline(
    screen: Screen,
) -> None:
    """FY2025: 150 % x ($52,720 + $5,380) = $87,150."""
    members = [member("child", age) for age in range(2, 10)]
    person = {"household": members, "lives_in": {"country": "us", "region": "AL"}}
    case = us(person=person, finances={"income": [yearly("87150", "earnings")]})
    decision = screen(case, as_of=FY2025)
    assert decision.inputs(LIHEAP, "income")["income_limit"] == 87150
    assert decision.outcome(LIHEAP) == "eligible"


def test_california_uses_60_percent_of_its_median_income__csd_2026_table(
    screen: Screen,
) -> None:
    """Hand-checked from California's 2026 table: four people, $6,407.16 a month.
    The ruleset's limit is 60 % of $128,143 = $76,885.80 a year ($6,407.15 a month)."""
    within = screen(us(person=four_in("CA"), finances={"income": [monthly("6407")]}))
    assert within.inputs(LIHEAP, "income")["income_limit"] == 76885.8
    assert within.outcome(LIHEAP) == "eligible"
    over = screen(us(person=four_in("CA"), finances={"income": [monthly("6408")]}))
    assert over.met(LIHEAP, "income") is False  # (SNAP, undecided here, could still pass)


def test_one_person_in_california_takes_52_percent_of_the_four_person_median__45_CFR_96_85_b(
    screen: Screen,
) -> None:
    """CSD's 2026 table: one person $3,331.66 a month; 60 % x 52 % x $128,143 = $39,980.62 a
    year ($3,331.72 a month, within 10 cents of the table)."""
    alone = {"lives_in": {"country": "us", "region": "CA"}}
    decision = screen(us(person=alone, finances={"income": [monthly("3331")]}))
    assert decision.inputs(LIHEAP, "income")["income_limit"] == 39980.616
    assert decision.outcome(LIHEAP) == "eligible"


def test_california_decides_fy2026_where_ohio_is_undecided(screen: Screen) -> None:
    """$50,000 for four: within California's $76,885.80; Ohio's own limit is not loaded."""
    ohio = screen(us(person=four_in("OH"), finances={"income": [yearly("50000")]}))
    assert ohio.met(LIHEAP, "income") is None
    california = screen(us(person=four_in("CA"), finances={"income": [yearly("50000")]}))
    assert california.met(LIHEAP, "income") is True


def test_in_fy2027_nothing_state_specific_is_loaded_so_only_the_floor_decides(
    screen: Screen,
) -> None:
    """Four people in California on 2026-11-29: floor 110 % x $33,000 = $36,300."""
    low = us(person=four_in("CA"), finances={"income": [yearly("36300")]})
    assert screen(low, as_of=FY2027).outcome(LIHEAP) == "eligible"
    middle = us(person=four_in("CA"), finances={"income": [yearly("60000")]})
    assert screen(middle, as_of=FY2027).met(LIHEAP, "income") is None


# --- the band holds for any state, size, income and year ---

STATES = ["AL", "CA", "OH", "NY", "TX", "PR", "ZZ"]
DATES = [FY2025, date(2026, 1, 1), FY2027]


@settings(max_examples=60, deadline=None)
@given(
    state=st.sampled_from(STATES),
    size=st.integers(1, 10),
    income=st.integers(0, 200_000),
    on=st.sampled_from(DATES),
)
def test_the_income_test_never_leaves_the_federal_band(
    screen: Screen, state: str, size: int, income: int, on: date
) -> None:
    """Within the floor: met. Above a known maximum: not met. Met only within the state's
    limit and the maximum; not met only above the floor."""
    members = [member("child", 5) for _ in range(size - 1)]
    person = {"household": members, "lives_in": {"country": "us", "region": state}}
    decision = screen(us(person=person, finances={"income": [yearly(str(income))]}), as_of=on)
    met = decision.met(LIHEAP, "income")
    read = decision.inputs(LIHEAP, "income")
    floor, maximum, state_limit = (
        read[k] for k in ("federal_floor", "federal_maximum", "state_limit")
    )
    if income <= floor:
        assert met is True
    if maximum is not None and income > maximum:
        assert met is False
    if met is True:
        assert income <= floor or (state_limit is not None and income <= state_limit)
    if met is False:
        assert income > floor
    if met is None:
        assert income > floor and state_limit is None


@pytest.mark.parametrize("on", DATES)
def test_the_bulk_backend_decides_the_band_as_the_screener_does(
    screener: Screener, on: date
) -> None:
    """States with a limit, a median only, or neither; sizes; incomes at and around each
    year's thresholds (the shared agreement test runs FY2026 only)."""
    incomes = ["15000", "17215", "17215.01", "34320", "40000", "46800", "46800.01", "57273"]
    incomes += ["65591.40", "65591.41", "73155.61", "76885.80", "76885.81", "150000"]
    people: list[Intake] = []
    for state in [*STATES, None]:
        for size in (1, 4, 9):
            for income in incomes:
                household = [member("child", 5) for _ in range(size - 1)]
                where = {"household": household, "lives_in": {"country": "us", "region": state}}
                case = us(person=where, finances={"income": [yearly(income)]})
                people.append(case.model_copy(update={"id": f"{state}-{size}-{income}"}))
    bulk = BulkPlan(tuple(load_rulesets([default_rulesets_root()])), on)
    outcome = bulk.evaluate(to_frame(people))
    found: list[str] = []
    for person, row in zip(people, outcome.iter_rows(named=True), strict=True):
        found += disagreements(screener.check(person, on), row, person.id or "?")
    assert not found, "\n".join(found)
    rows = zip(people, outcome[LIHEAP].cast(pl.String), strict=True)
    seen = {value for person, value in rows if person.person.lives_in.region != "PR"}
    refused = {"not_eligible"} if on < FY2027 else set()  # FY2027: no state figures loaded
    assert seen == {"eligible", "needs_information"} | refused


# --- the file itself ---


def test_a_state_sets_its_limit_on_one_basis_in_every_period() -> None:
    parameters = liheap_programme().parameters
    on_guideline = parameters["state_percent_of_guideline"]
    on_median = parameters["state_percent_of_state_median_income"]
    starts = {v.starts for v in on_guideline.values} | {v.starts for v in on_median.values}
    for start in sorted(starts):
        guideline_states = {k for k, _ in on_guideline.at(start).value.rows}
        median_states = {k for k, _ in on_median.at(start).value.rows}
        assert not guideline_states & median_states, start


def test_every_limit_a_state_chose_lies_within_the_federal_band() -> None:
    parameters = liheap_programme().parameters
    floor = parameters["minimum_percent_of_guideline"].at(FY2025).value
    highest_on_guideline = parameters["maximum_percent_of_guideline"].at(FY2025).value
    highest_on_median = parameters["percent_of_state_median_income"].at(FY2025).value
    for dated in parameters["state_percent_of_guideline"].values:
        assert all(floor <= v <= highest_on_guideline for _, v in dated.value.rows)
    for dated in parameters["state_percent_of_state_median_income"].values:
        assert all(Decimal(0) < v <= highest_on_median for _, v in dated.value.rows)


def test_the_fy2025_state_medians_are_marked_secondary_and_listed_as_unverified() -> None:
    """Copied from PolicyEngine's transcription of ACF's table: every state, DC and PR."""
    parameters = liheap_programme().parameters
    fy2025 = parameters["state_median_income"].at(FY2025)
    assert fy2025.status == "secondary"
    assert len(fy2025.value.rows) == 52
    assert "653509229fde9c77a985921629ed106b0dbd9ead" in fy2025.source
    assert parameters["household_size_factor"].at(FY2025).status == "secondary"
    listed = unverified(parameters.values())
    assert any("state_median_income from 2024-10-01: secondary" in line for line in listed)
