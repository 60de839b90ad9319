"""The common intake: one form that every programme's rules read.

Everything an intake worker may not know yet is optional. A missing value is
"unknown", never "no": the rules treat it so (docs/design.md, "Missing
information").
"""

from __future__ import annotations

from datetime import date
from decimal import Decimal
from enum import StrEnum
from typing import Annotated

from pydantic import BaseModel, ConfigDict, Field, computed_field, model_validator

Money = Annotated[Decimal, Field(ge=0, max_digits=14, decimal_places=2)]

WEEKS_PER_YEAR = Decimal(52)
MAX_ITEMS = 100  # per list: bounds the work of every aggregate over a case
MONTHS_PER_YEAR = Decimal(12)


class Strict(BaseModel):
    """Unknown fields are errors: a typo must not silently become "unknown"."""

    model_config = ConfigDict(extra="forbid", frozen=True)


# --- the person -------------------------------------------------------------


class Country(StrEnum):
    england = "england"
    wales = "wales"
    scotland = "scotland"
    northern_ireland = "northern_ireland"
    us = "us"


class Residence(Strict):
    country: Country
    region: str | None = Field(
        default=None, description="US state (two-letter code) or English local authority."
    )

    @model_validator(mode="after")
    def _state_codes_in_capitals(self) -> Residence:
        if self.country is Country.us and self.region is not None:
            object.__setattr__(self, "region", self.region.upper())
        return self


class Relation(StrEnum):
    partner = "partner"
    child = "child"
    parent = "parent"
    sibling = "sibling"
    grandparent = "grandparent"
    grandchild = "grandchild"
    other_relative = "other_relative"
    unrelated = "unrelated"


class HouseholdMember(Strict):
    """Someone who lives with the person (the person is not listed here)."""

    relation: Relation
    age: int | None = Field(default=None, ge=0, le=130)
    disabled: bool | None = None
    shares_meals: bool | None = Field(
        default=None, description="Buys and prepares food with the person (SNAP household)."
    )


class Maternity(Strict):
    pregnant: bool | None = None
    babies_expected: int | None = Field(default=None, ge=1, le=8)
    breastfeeding: bool | None = None
    months_since_birth: int | None = Field(
        default=None, ge=0, le=600, description="Months since the person last gave birth."
    )


class Sex(StrEnum):
    female = "female"
    male = "male"
    intersex = "intersex"


class Person(Strict):
    date_of_birth: date | None = None
    sex: Sex | None = Field(default=None, description="Sex recorded at birth (WIC categories).")
    age: int | None = Field(
        default=None, ge=0, le=130, description="Age in years, when the date of birth is not known."
    )
    lives_in: Residence
    household: list[HouseholdMember] | None = Field(default=None, max_length=MAX_ITEMS)
    disabled: bool | None = None
    has_capacity: bool | None = Field(
        default=None, description="Has capacity to request direct payments (Care Act s.31)."
    )
    maternity: Maternity | None = None

    @model_validator(mode="after")
    def _born_in_the_past(self) -> Person:
        if self.date_of_birth is not None and self.date_of_birth > date.today():
            raise ValueError("date_of_birth is in the future")
        return self


# --- needs (Care and Support (Eligibility Criteria) Regulations 2015) ----------


class Outcome(StrEnum):
    """The ten specified outcomes of reg. 2(2)."""

    nutrition = "nutrition"
    personal_hygiene = "personal_hygiene"
    toilet_needs = "toilet_needs"
    clothing = "clothing"
    home_safety = "home_safety"
    habitable_home = "habitable_home"
    relationships = "relationships"
    work_education_volunteering = "work_education_volunteering"
    community_facilities = "community_facilities"
    caring_for_child = "caring_for_child"


class CarerOutcome(StrEnum):
    """The carer outcomes of reg. 3(2)(b)."""

    caring_for_child = "caring_for_child"
    caring_for_others = "caring_for_others"
    habitable_home = "habitable_home"
    nutrition = "nutrition"
    relationships = "relationships"
    work_education_volunteering = "work_education_volunteering"
    community_facilities = "community_facilities"
    recreation = "recreation"


class Manages(StrEnum):
    """How the person manages an outcome: the facts behind reg. 2(3)'s "unable"."""

    unaided = "unaided"
    needs_assistance = "needs_assistance"
    significant_pain_or_distress = "significant_pain_or_distress"
    endangers = "endangers"
    takes_significantly_longer = "takes_significantly_longer"


class Impact(StrEnum):
    none = "none"
    some = "some"
    significant = "significant"


class OutcomeAssessment(Strict):
    outcome: Outcome
    manages: Manages | None = None


class CarerOutcomeAssessment(Strict):
    outcome: CarerOutcome
    manages: Manages | None = None


def refuse_repeats(ids: list[str], what: str) -> None:
    """For model validators: each outcome, answer or id may be given once."""
    twice = sorted({i for i in ids if ids.count(i) > 1})
    if twice:
        raise ValueError(f"{what} given twice: {', '.join(twice)}")


class Needs(Strict):
    arise_from_impairment: bool | None = Field(
        default=None,
        description="Arise from or relate to a physical or mental impairment or illness.",
    )
    outcomes: list[OutcomeAssessment] | None = Field(default=None, max_length=len(Outcome))
    wellbeing_impact: Impact | None = None

    @model_validator(mode="after")
    def _each_outcome_once(self) -> Needs:
        refuse_repeats([o.outcome for o in self.outcomes or []], "outcome")
        return self


class CarerNeeds(Strict):
    """The person's own needs as an unpaid carer of another adult (reg. 3)."""

    provides_necessary_care: bool | None = None
    health_at_risk: bool | None = Field(
        default=None, description="Physical or mental health deteriorating or at risk of it."
    )
    outcomes: list[CarerOutcomeAssessment] | None = Field(
        default=None, max_length=len(CarerOutcome)
    )
    wellbeing_impact: Impact | None = None

    @model_validator(mode="after")
    def _each_outcome_once(self) -> CarerNeeds:
        refuse_repeats([o.outcome for o in self.outcomes or []], "carer outcome")
        return self


# --- finances ---------------------------------------------------------------


class Period(StrEnum):
    week = "week"
    fortnight = "fortnight"
    four_weeks = "four_weeks"
    month = "month"
    year = "year"


PER_YEAR: dict[Period, Decimal] = {
    Period.week: WEEKS_PER_YEAR,
    Period.fortnight: Decimal(26),
    Period.four_weeks: Decimal(13),
    Period.month: MONTHS_PER_YEAR,
    Period.year: Decimal(1),
}


class IncomeKind(StrEnum):
    earnings = "earnings"
    self_employment = "self_employment"
    state_pension = "state_pension"
    private_pension = "private_pension"
    pension_credit = "pension_credit"
    universal_credit = "universal_credit"
    pip_daily_living = "pip_daily_living"
    pip_mobility = "pip_mobility"
    dla_care = "dla_care"
    dla_mobility = "dla_mobility"
    attendance_allowance = "attendance_allowance"
    carers_allowance = "carers_allowance"
    ssi = "ssi"
    social_security = "social_security"
    unemployment = "unemployment"
    child_support = "child_support"
    war_pension = "war_pension"
    other = "other"


EARNED_INCOME = frozenset({IncomeKind.earnings, IncomeKind.self_employment})


class IncomeOwner(StrEnum):
    person = "person"
    partner = "partner"
    household = "household"


class IncomeItem(Strict):
    kind: IncomeKind
    amount: Money
    period: Period
    owner: IncomeOwner = IncomeOwner.person

    @computed_field  # type: ignore[prop-decorator]
    @property
    def annual(self) -> Decimal:
        return self.amount * PER_YEAR[self.period]

    @computed_field  # type: ignore[prop-decorator]
    @property
    def weekly(self) -> Decimal:
        return self.annual / WEEKS_PER_YEAR

    @computed_field  # type: ignore[prop-decorator]
    @property
    def monthly(self) -> Decimal:
        return self.annual / MONTHS_PER_YEAR

    @computed_field  # type: ignore[prop-decorator]
    @property
    def earned(self) -> bool:
        return self.kind in EARNED_INCOME


class Benefit(StrEnum):
    """Benefits and programmes the household already receives (passporting)."""

    snap = "snap"
    medicaid = "medicaid"
    tanf = "tanf"
    ssi = "ssi"
    wic = "wic"
    pension_credit = "pension_credit"
    universal_credit = "universal_credit"
    housing_benefit = "housing_benefit"


class Finances(Strict):
    income: list[IncomeItem] | None = Field(default=None, max_length=MAX_ITEMS)
    capital: Money | None = Field(default=None, description="Savings and investments, own share.")
    benefits: list[Benefit] | None = Field(default=None, max_length=len(Benefit))
    housing_costs_weekly: Money | None = Field(
        default=None, description="Rent, mortgage and council tax net of help (England)."
    )
    disability_related_expenditure_weekly: Money | None = None
    shelter_costs_monthly: Money | None = Field(
        default=None, description="Rent or mortgage, taxes, insurance and utilities (SNAP)."
    )
    dependent_care_costs_monthly: Money | None = None
    medical_costs_monthly: Money | None = Field(
        default=None, description="Out-of-pocket medical costs of elderly or disabled members."
    )


# --- health and substance use -----------------------------------------------


class LevelOfCare(StrEnum):
    """Institutional level of care a person meets (Medicaid §1915(c) waivers)."""

    none = "none"
    nursing_facility = "nursing_facility"
    hospital = "hospital"
    icf_iid = "icf_iid"


class StageOfChange(StrEnum):
    precontemplation = "precontemplation"
    contemplation = "contemplation"
    preparation = "preparation"
    action = "action"
    maintenance = "maintenance"


Rating = Annotated[int, Field(ge=0, le=4)]


class SubstanceUse(Strict):
    """Severity ratings 0 (none) to 4 (extreme) in each of the six dimensions."""

    withdrawal: Rating | None = None
    biomedical: Rating | None = None
    emotional_behavioural: Rating | None = None
    readiness: Rating | None = None
    relapse_risk: Rating | None = None
    recovery_environment: Rating | None = None
    stage_of_change: StageOfChange | None = None


class Health(Strict):
    institutional_level_of_care: LevelOfCare | None = None
    substance_use: SubstanceUse | None = None
    nutritional_risk: bool | None = Field(
        default=None, description="A competent professional has found a nutritional risk (WIC)."
    )


# --- direct payments (Care Act 2014 ss.31-32) -----------------------------------


class Requester(StrEnum):
    adult = "adult"  # s.31: the adult, who has capacity
    authorised_person = "authorised_person"  # s.32: for an adult who lacks capacity


class ScheduleExclusions(Strict):
    """The groups the Schedule to the Care and Support (Direct Payments) Regulations 2014
    excludes from direct payments: drug and alcohol requirements of the criminal courts.
    Each is its own fact, one per paragraph, true when it applies to the person."""

    drug_rehabilitation_requirement: bool | None = Field(
        default=None,
        description="A drug rehabilitation requirement of a community or suspended sentence "
        "order (Criminal Justice Act 2003 s.209). Schedule para. (a).",
    )
    alcohol_treatment_requirement: bool | None = Field(
        default=None,
        description="An alcohol treatment requirement of a community or suspended sentence "
        "order (Criminal Justice Act 2003 s.212). Schedule para. (b).",
    )
    drug_or_alcohol_licence_condition: bool | None = Field(
        default=None,
        description="Released on licence with a condition to do offending behaviour work on "
        "drug or alcohol related behaviour. Schedule para. (c).",
    )
    rehabilitation_order_treatment: bool | None = Field(
        default=None,
        description="Required to undergo treatment for drug or alcohol dependency by a "
        "community rehabilitation order or community punishment and rehabilitation order. "
        "Schedule para. (d).",
    )
    drug_treatment_and_testing_order: bool | None = Field(
        default=None,
        description="A drug treatment and testing order. Schedule para. (e).",
    )
    youth_drug_treatment_requirement: bool | None = Field(
        default=None,
        description="A youth rehabilitation order with a drug treatment requirement. "
        "Schedule para. (f).",
    )
    youth_drug_testing_requirement: bool | None = Field(
        default=None,
        description="A youth rehabilitation order with a drug testing requirement. "
        "Schedule para. (g).",
    )


class DirectPaymentsRequest(Strict):
    """What the council needs to know to decide a request for direct payments."""

    requested_by: Requester | None = None
    nominee_agrees: bool | None = Field(
        default=None,
        description="True when there is no nominee or the nominee agrees (s.31(4)(b)).",
    )
    mca_authorised_person_supports: bool | None = Field(
        default=None,
        description="True when no one holds Mental Capacity Act 2005 authority, or they "
        "support the request (s.32(5)).",
    )
    acts_in_best_interests: bool | None = Field(
        default=None,
        description="The council is satisfied the authorised person will act in the "
        "adult's best interests (s.32(7)).",
    )
    exclusions: ScheduleExclusions | None = Field(
        default=None,
        description="Which groups of the Schedule to the Direct Payments Regulations apply.",
    )
    paid_person_relation: Relation | None = Field(
        default=None,
        description="How the person the payments would pay for care is related to the adult "
        "(unrelated for an agency or a personal assistant who is not family).",
    )
    paid_person_lives_with_adult: bool | None = Field(
        default=None, description="The person who would be paid lives in the adult's household."
    )
    council_determined_necessary: bool | None = Field(
        default=None,
        description="The council has determined that paying that person is necessary to meet "
        "the adult's needs, or to provide administrative and management support (reg. 3).",
    )
    capable_of_managing: bool | None = Field(
        default=None, description="Capable of managing the payments, with any help available."
    )
    appropriate_way_to_meet_needs: bool | None = None


# --- supports ---------------------------------------------------------------


class SupportKind(StrEnum):
    family = "family"
    friend = "friend"
    community = "community"
    technology = "technology"
    paid = "paid"


class Support(Strict):
    """Someone or something that already supports the person."""

    kind: SupportKind
    name: str | None = None
    hours_per_week: Decimal | None = Field(default=None, ge=0, le=168)
    lives_with_person: bool | None = None
    willing_to_continue: bool | None = None


# --- the intake ---------------------------------------------------------------


class Intake(Strict):
    id: str | None = Field(default=None, description="The case reference, if there is one.")
    person: Person
    needs: Needs | None = None
    carer: CarerNeeds | None = None
    finances: Finances | None = None
    health: Health | None = None
    supports: list[Support] | None = Field(default=None, max_length=MAX_ITEMS)
    direct_payments: DirectPaymentsRequest | None = None
