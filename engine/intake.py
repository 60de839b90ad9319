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

from pydantic import Field, StringConstraints, computed_field, model_validator

from engine.common import MONTHS_PER_YEAR, WEEKS_PER_YEAR, Money, Strict, refuse_repeats

MAX_ITEMS = 100  # per list: bounds the work of every aggregate over a case


# --- the person -------------------------------------------------------------


class Country(StrEnum):
    england = "england"
    wales = "wales"
    scotland = "scotland"
    northern_ireland = "northern_ireland"
    us = "us"


class Residence(Strict):
    """Where the person lives."""

    country: Country = Field(
        description="Country the person lives in: picks the rulesets that apply."
    )
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

    relation: Relation = Field(description="How the member is related to the person.")
    age: int | None = Field(default=None, ge=0, le=130, description="Age in years.")
    disabled: bool | None = Field(
        default=None, description="The member is disabled (SNAP elderly or disabled member)."
    )
    shares_meals: bool | None = Field(
        default=None, description="Buys and prepares food with the person (SNAP household)."
    )


class Maternity(Strict):
    """Pregnancy and birth (WIC categories)."""

    pregnant: bool | None = Field(default=None, description="The person is pregnant.")
    babies_expected: int | None = Field(
        default=None,
        ge=1,
        le=8,
        description="Babies expected in this pregnancy (WIC household size).",
    )
    breastfeeding: bool | None = Field(default=None, description="The person is breastfeeding.")
    months_since_birth: int | None = Field(
        default=None, ge=0, le=600, description="Months since the person last gave birth."
    )


class Sex(StrEnum):
    female = "female"
    male = "male"
    intersex = "intersex"


class Person(Strict):
    """The person being screened: who they are, where and with whom they live."""

    date_of_birth: date | None = Field(
        default=None, description="Date of birth; ages are worked out from it on the decision date."
    )
    sex: Sex | None = Field(default=None, description="Sex recorded at birth (WIC categories).")
    age: int | None = Field(
        default=None, ge=0, le=130, description="Age in years, when the date of birth is not known."
    )
    lives_in: Residence
    household: list[HouseholdMember] | None = Field(default=None, max_length=MAX_ITEMS)
    disabled: bool | None = Field(
        default=None, description="The person is disabled (SNAP's definition, 7 CFR 271.2)."
    )
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
    outcome: Outcome = Field(description="One of the specified outcomes of SI 2015/313 reg. 2(2).")
    manages: Manages | None = Field(
        default=None,
        description="How the adult manages it without anyone's help: the facts behind reg. "
        "2(3)'s 'unable' (eligibility is decided as if no carer met the need).",
    )
    met_by_carer: bool | None = Field(
        default=None,
        description="A carer is meeting this need now. It does not change eligibility; a need "
        "a willing and able carer meets is left out of the plan (Care Act s.18(7)).",
    )
    carer_willing_and_able: bool | None = Field(
        default=None,
        description="The carer meeting this need is willing and able to go on meeting it.",
    )


class CarerOutcomeAssessment(Strict):
    outcome: CarerOutcome = Field(description="One of the carer outcomes of reg. 3(2)(b).")
    manages: Manages | None = Field(
        default=None, description="How the carer manages it (reg. 3(3))."
    )


class Needs(Strict):
    """The adult's care and support needs (SI 2015/313 reg. 2)."""

    arise_from_impairment: bool | None = Field(
        default=None,
        description="Arise from or relate to a physical or mental impairment or illness.",
    )
    outcomes: list[OutcomeAssessment] | None = Field(
        default=None, max_length=len(Outcome), description="Each specified outcome assessed."
    )
    wellbeing_impact: Impact | None = Field(
        default=None, description="The impact on the adult's wellbeing (reg. 2(1)(c))."
    )

    @model_validator(mode="after")
    def _each_outcome_once(self) -> Needs:
        refuse_repeats([o.outcome for o in self.outcomes or []], "outcome")
        return self


class CarerNeeds(Strict):
    """The person's own needs as an unpaid carer of another adult (reg. 3)."""

    provides_necessary_care: bool | None = Field(
        default=None,
        description="The carer provides care the adult could not give themselves (reg. 3(1)(a)).",
    )
    health_at_risk: bool | None = Field(
        default=None, description="Physical or mental health deteriorating or at risk of it."
    )
    outcomes: list[CarerOutcomeAssessment] | None = Field(
        default=None, max_length=len(CarerOutcome), description="Each carer outcome assessed."
    )
    wellbeing_impact: Impact | None = Field(
        default=None, description="The impact on the carer's wellbeing (reg. 3(1)(c))."
    )

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
    kind: IncomeKind = Field(description="What the income is.")
    amount: Money = Field(description="The amount paid each period.")
    period: Period = Field(description="How often the amount is paid.")
    owner: IncomeOwner = Field(
        default=IncomeOwner.person,
        description="Whose income it is: the person's, their partner's or the household's jointly.",
    )

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
    """Income, capital and costs: the household's for US programmes, the person's in England."""

    income: list[IncomeItem] | None = Field(
        default=None, max_length=MAX_ITEMS, description="Each kind of income, one item each."
    )
    capital: Money | None = Field(default=None, description="Savings and investments, own share.")
    benefits: list[Benefit] | None = Field(
        default=None, max_length=len(Benefit), description="Benefits already received."
    )
    housing_costs_weekly: Money | None = Field(
        default=None, description="Rent, mortgage and council tax net of help (England)."
    )
    disability_related_expenditure_weekly: Money | None = Field(
        default=None, description="Disability-related expenditure as assessed (England charging)."
    )
    shelter_costs_monthly: Money | None = Field(
        default=None, description="Rent or mortgage, taxes, insurance and utilities (SNAP)."
    )
    dependent_care_costs_monthly: Money | None = Field(
        default=None,
        description="Costs of care for a dependant so that a member can work or train (SNAP).",
    )
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

    withdrawal: Rating | None = Field(
        default=None,
        description="Dimension 1: intoxication and withdrawal, 0 (none) to 4 (extreme).",
    )
    biomedical: Rating | None = Field(
        default=None, description="Dimension 2: biomedical conditions, 0 to 4."
    )
    emotional_behavioural: Rating | None = Field(
        default=None,
        description="Dimension 3: emotional, behavioural or cognitive conditions, 0 to 4.",
    )
    readiness: Rating | None = Field(
        default=None, description="Dimension 4: readiness to change, 0 to 4."
    )
    relapse_risk: Rating | None = Field(
        default=None, description="Dimension 5: relapse or continued use potential, 0 to 4."
    )
    recovery_environment: Rating | None = Field(
        default=None, description="Dimension 6: recovery environment, 0 to 4."
    )
    stage_of_change: StageOfChange | None = Field(
        default=None, description="Stage of change (transtheoretical model)."
    )


class Health(Strict):
    """Level of care, substance use and nutritional risk."""

    institutional_level_of_care: LevelOfCare | None = Field(
        default=None,
        description="The institutional level of care the person meets, by the state's tool.",
    )
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

    requested_by: Requester | None = Field(
        default=None,
        description="Who asks for the payments: the adult (s.31) or an authorised person (s.32).",
    )
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
    appropriate_way_to_meet_needs: bool | None = Field(
        default=None,
        description="Direct payments are an appropriate way to meet the needs (s.31(7), 32(9)).",
    )


# --- the care arranged (England charging) ------------------------------------------


class Setting(StrEnum):
    """Where the care is given: it decides how it is charged for (SI 2014/2672)."""

    own_home = "own_home"  # or any setting other than a care home: the MIG applies
    care_home = "care_home"  # a permanent resident: the personal expenses allowance applies
    short_stay = "short_stay"  # a short-term resident: may be charged as at home (reg. 8)


class CareArrangement(Strict):
    """The care the council arranges or would arrange, as far as charging turns on it."""

    setting: Setting | None = Field(default=None, description="Where the care is given.")
    reablement_week: int | None = Field(
        default=None,
        ge=1,
        le=520,
        description="Which week of intermediate care or reablement this is (1 for the first); "
        "left out when the care is neither.",
    )
    section_117_aftercare: bool | None = Field(
        default=None,
        description="The care is after-care under s.117 Mental Health Act 1983.",
    )
    weeks_in_care_home: int | None = Field(
        default=None,
        ge=0,
        le=5200,
        description="Whole weeks since the person became a permanent care-home resident.",
    )
    main_home_value: Money | None = Field(
        default=None,
        description="The person's share of the value of the main home they have left, less "
        "sale costs and debts secured on it; 0 when they own none.",
    )
    qualifying_relative_in_home: bool | None = Field(
        default=None,
        description="A partner, or a relative aged 60 or over or incapacitated, still lives in "
        "the home (it is then disregarded).",
    )


# --- supports ---------------------------------------------------------------


class SupportKind(StrEnum):
    family = "family"
    friend = "friend"
    community = "community"
    technology = "technology"
    paid = "paid"


class Support(Strict):
    """Someone or something that already supports the person."""

    kind: SupportKind = Field(description="Who or what gives the support.")
    name: str | None = Field(default=None, description="A name to show in plans.")
    hours_per_week: Decimal | None = Field(
        default=None, ge=0, le=168, description="Hours of support a week."
    )
    lives_with_person: bool | None = Field(
        default=None, description="The supporter lives with the person."
    )
    willing_to_continue: bool | None = Field(
        default=None, description="The supporter is willing to go on giving it."
    )


# --- the intake ---------------------------------------------------------------


ProgrammeName = Annotated[
    str, StringConstraints(pattern=r"^[a-z][a-z0-9_]*(\.[a-z][a-z0-9_]*)+$", max_length=120)
]


class Intake(Strict):
    id: str | None = Field(default=None, description="The case reference, if there is one.")
    applying_for: list[ProgrammeName] | None = Field(
        default=None,
        max_length=MAX_ITEMS,
        description="Programme ids applied for (e.g. us.snap): what to ask is ranked for "
        "these only (an id not screened for this person asks for nothing). Every programme "
        "that applies is still decided.",
    )
    person: Person
    needs: Needs | None = None
    carer: CarerNeeds | None = None
    finances: Finances | None = None
    health: Health | None = None
    supports: list[Support] | None = Field(default=None, max_length=MAX_ITEMS)
    direct_payments: DirectPaymentsRequest | None = None
    care: CareArrangement | None = None
