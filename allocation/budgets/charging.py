"""England's financial assessment: the weekly charge, by where the care is given.

Care Act 2014 s.14, s.17 and the Care and Support (Charging and Assessment of
Resources) Regulations 2014 (domain-facts §2.5):

    at home    disposable = counted income + tariff income - MIG - housing costs - DRE
    care home  disposable = counted income + tariff income - personal expenses allowance
               (the main home counts as capital after its first weeks,
               `property_disregard_weeks`, unless a partner or qualifying relative
               still lives there)
    short stay charged as at home (reg. 8), the home disregarded
    charge     = max(0, disposable x taper), 0 below the minimum charge
    capital above the upper limit: the person pays the full cost (self-funder)
    free       reablement in its first weeks (reg. 3) and s.117 after-care: charged at 0

The person's contribution to a budget is the charge, never more than the
budget; the council funds the rest. Capital limits and tariff come from the
eligibility ruleset's capital test, so both read one set of figures.
"""

from __future__ import annotations

import math
from collections.abc import Mapping
from datetime import date
from decimal import Decimal

from allocation.budgets.allocation_model import Assessment, Line, total
from allocation.budgets.methods import Method
from allocation.budgets.methods_files import ChargingFile
from engine.common import ZERO, penny, pounds
from engine.intake import CareArrangement, IncomeItem, IncomeOwner, Intake, Relation, Setting
from engine.programmes import Parameter


def assess(
    method: Method[ChargingFile],
    capital_test: Mapping[str, Parameter],
    intake: Intake,
    night_care: bool,
    on: date,
) -> Assessment:
    """`night_care`: the plan arranges care at night (waking night or sleep-in)."""
    p = _Values(method, on)
    care = intake.care or CareArrangement()
    free = _free(care, p)
    if free is not None:
        return Assessment.of(
            method.spec.id, method.ruleset, [free], weekly_charge=ZERO, reason=free.label
        )
    finances = intake.finances
    capital = finances.capital if finances else None
    in_care_home = care.setting is Setting.care_home
    home_ask: list[str] = []
    home: Line | None = None
    if in_care_home and capital is not None:
        home, home_ask = _main_home(care, p)
        if home is not None:
            capital += home.amount
    if capital is not None and _above_upper_limit(capital, capital_test, on):
        limit = capital_test["upper_capital_limit"].at(on)
        reason = (
            f"capital of {pounds(capital)} is above the upper capital limit of "
            f"{pounds(limit.value)}: "
            "the person pays the full cost of their care (and may still ask the council to "
            "arrange it)"
        )
        return Assessment.of(method.spec.id, method.ruleset, full_cost=True, reason=reason)
    age = _age(intake, on)
    housing_known = finances is not None and finances.housing_costs_weekly is not None
    ask = home_ask + [
        field
        for field, known in (
            ("finances.capital", capital is not None),
            ("finances.income", finances is not None and finances.income is not None),
            (
                "finances.housing_costs_weekly",
                in_care_home or housing_known,
            ),
            ("person.date_of_birth", age is not None),
            ("person.household", intake.person.household is not None),
        )
        if not known
    ]
    household = intake.person.household or []
    ask += [
        f"person.household[{i}].age"
        for i, member in enumerate(household)
        if member.relation is Relation.child and member.age is None
    ]
    if ask:
        return Assessment.of(
            method.spec.id, method.ruleset, reason="the financial assessment needs more", ask=ask
        )
    assert (
        finances is not None
        and finances.income is not None
        and capital is not None
        and age is not None
    )
    income = finances.income
    lines = [_income_line(item, p) for item in income]
    lines += _night_care_disregard(income, night_care, p)
    if home is not None:
        lines.append(home.model_copy(update={"amount": ZERO}))
    lines.append(_tariff_line(capital, capital_test, on))
    if in_care_home:
        pea = p.number("personal_expenses_allowance")
        lines.append(
            Line(
                label="Personal expenses allowance: what a care-home resident keeps",
                amount=-pea,
                source=p.source("personal_expenses_allowance"),
            )
        )
        return _charged(method, lines, p)
    if care.setting is Setting.short_stay:
        lines.append(
            Line(
                label="Short stay in a care home: charged as at home, the home disregarded",
                amount=ZERO,
                source="SI 2014/2672 reg. 8 (the council's choice) and Sch. 2",
            )
        )
    lines += _mig_lines(intake, income, age, p)
    housing = finances.housing_costs_weekly
    assert housing is not None
    lines.append(
        Line(
            label="Housing costs (rent, mortgage, council tax, net of help)",
            amount=-housing,
            source="the intake",
        )
    )
    lines.append(_dre_line(finances.disability_related_expenditure_weekly, income, p))
    return _charged(method, lines, p)


def _charged(method: Method[ChargingFile], lines: list[Line], p: _Values) -> Assessment:
    charge = max(ZERO, penny(total(lines) * p.number("taper")))
    if charge < p.number("minimum_charge"):
        charge = ZERO
    return Assessment.of(method.spec.id, method.ruleset, lines, weekly_charge=charge)


def _free(care: CareArrangement, p: _Values) -> Line | None:
    """Care that must be free whatever the person's means, as a line charging nothing."""
    if care.section_117_aftercare:
        return Line(
            label="After-care under s.117 Mental Health Act 1983: must be free, charged at £0",
            amount=ZERO,
            source="Mental Health Act 1983 s.117; Care Act 2014 s.14(1) (recalled)",
        )
    weeks = p.number("free_reablement_weeks")
    if care.reablement_week is not None and care.reablement_week <= weeks:
        return Line(
            label=(
                f"Intermediate care or reablement, week {care.reablement_week} of the first "
                f"{weeks}: must be free, charged at £0"
            ),
            quantity=Decimal(care.reablement_week),
            unit="week",
            amount=ZERO,
            source=p.source("free_reablement_weeks"),
        )
    return None


def _main_home(care: CareArrangement, p: _Values) -> tuple[Line | None, list[str]]:
    """The main home a permanent care-home resident has left, as capital once the
    disregard ends: `amount` is the value counted (shown, then set to 0 in the lines,
    since it adds to capital, not to income)."""
    ask = [
        f"care.{name}"
        for name in ("weeks_in_care_home", "main_home_value", "qualifying_relative_in_home")
        if getattr(care, name) is None
    ]
    if ask:
        return None, ask
    assert care.weeks_in_care_home is not None and care.main_home_value is not None
    weeks = p.number("property_disregard_weeks")
    value = care.main_home_value
    if value == ZERO:
        return None, []
    if care.qualifying_relative_in_home:
        label = "Main home: disregarded, a partner or qualifying relative lives there"
        return Line(label=label, amount=ZERO, source="SI 2014/2672 Sch. 2 para. 4"), []
    if care.weeks_in_care_home < weeks:
        label = (
            f"Main home: disregarded in week {care.weeks_in_care_home + 1} of the first "
            f"{weeks} of permanent residence"
        )
        return Line(label=label, amount=ZERO, source=p.source("property_disregard_weeks")), []
    label = f"Main home counted as capital after the first {weeks} weeks"
    source = p.source("property_disregard_weeks")
    return Line(label=label, quantity=value, unit="£ of capital", amount=value, source=source), []


class _Values:
    """The charging method's parameters as on one date."""

    def __init__(self, method: Method[ChargingFile], on: date) -> None:
        self.method = method
        self.on = on

    def number(self, name: str) -> Decimal:
        value: Decimal = self.method.value(name, self.on)
        return value

    def names(self, name: str) -> tuple[str, ...]:
        value: tuple[str, ...] = self.method.value(name, self.on)
        return value

    def source(self, name: str) -> str:
        return self.method.dated(name, self.on).source


def _above_upper_limit(capital: Decimal, test: Mapping[str, Parameter], on: date) -> bool:
    limit = test["upper_capital_limit"].at(on).value
    return bool(
        capital > limit or (capital == limit and test["full_cost_at_upper_limit"].at(on).value)
    )


def tariff_income(capital: Decimal, test: Mapping[str, Parameter], on: date) -> Decimal:
    """`tariff_per_step` a week for every `tariff_step`, or part of one, above the lower limit."""
    lower = test["lower_capital_limit"].at(on).value
    if capital <= lower:
        return ZERO
    steps = math.ceil((capital - lower) / test["tariff_step"].at(on).value)
    return penny(steps * test["tariff_per_step"].at(on).value)


def _tariff_line(capital: Decimal, test: Mapping[str, Parameter], on: date) -> Line:
    lower = test["lower_capital_limit"].at(on)
    source = f"{lower.source}; {test['tariff_step'].at(on).source}"
    return Line(
        label="Tariff income from capital above the lower capital limit",
        amount=tariff_income(capital, test, on),
        source=source,
        quantity=capital,
        unit="£ of capital",
    )


def _income_line(item: IncomeItem, p: _Values) -> Line:
    label = f"Income: {item.kind.value.replace('_', ' ')}"
    if item.owner is IncomeOwner.partner:
        return Line(
            label=f"{label} (partner's): not the person's income",
            amount=ZERO,
            source="SI 2014/2672: the person's own income",
        )
    weekly = item.weekly
    source = "the intake"
    if item.owner is IncomeOwner.household:
        weekly *= p.number("joint_income_share")
        label += " (joint: the person's share)"
        source = p.source("joint_income_share")
    if item.kind.value in p.names("disregarded_income"):
        return Line(
            label=f"{label}: disregarded",
            amount=ZERO,
            source=p.source("disregarded_income"),
            quantity=penny(weekly),
            unit="£ a week",
        )
    amount = penny(weekly)
    if item.kind.value == "war_pension":
        disregard = min(amount, p.number("war_pension_disregard"))
        return Line(
            label=f"{label}, less its disregard",
            amount=amount - disregard,
            source=p.source("war_pension_disregard"),
            quantity=amount,
            unit="£ a week",
        )
    return Line(label=label, amount=amount, source=source, quantity=amount, unit="£ a week")


def _night_care_disregard(income: list[IncomeItem], night_care: bool, p: _Values) -> list[Line]:
    """AA or DLA care above the standard rate is paid for night needs: with no night care
    arranged, what is above the standard rate is disregarded."""
    if night_care:
        return []
    standard = p.number("standard_care_rate")
    lines = []
    for item in income:
        weekly = penny(item.weekly)
        if (
            item.owner is IncomeOwner.person
            and item.kind.value in p.names("night_care_income")
            and weekly > standard
        ):
            lines.append(
                Line(
                    label=f"{item.kind.value.replace('_', ' ')} above the standard rate, "
                    "no night care arranged: the difference is disregarded",
                    amount=standard - weekly,
                    source=p.source("night_care_income"),
                    quantity=weekly,
                    unit="£ a week",
                    unit_cost=standard,
                )
            )
    return lines


def _mig_lines(intake: Intake, income: list[IncomeItem], age: int, p: _Values) -> list[Line]:
    """The Minimum Income Guarantee: a base for age and household, premiums, children."""
    household = intake.person.household or []
    couple = any(m.relation is Relation.partner for m in household)
    pension_age = age >= p.number("pension_credit_age")
    if couple:
        base = "mig_couple_each_pension_age" if pension_age else "mig_couple_each_18_to_pension_age"
    elif pension_age:
        base = "mig_single_pension_age"
    else:
        base = "mig_single_18_24" if age < 25 else "mig_single_25_to_pension_age"
    who = "a member of a couple" if couple else "single"
    lines = [
        Line(
            label=f"Minimum Income Guarantee: {who}, aged {age}",
            amount=-p.number(base),
            source=p.source(base),
        )
    ]
    own = [i for i in income if i.owner is IncomeOwner.person]
    kinds = {i.kind.value for i in own}
    suffix = "couple_each" if couple else "single"
    if not pension_age and kinds & set(p.names("disability_premium_income")):
        name = f"disability_premium_{suffix}"
        lines.append(
            Line(label="MIG: disability premium", amount=-p.number(name), source=p.source(name))
        )
        enhanced = p.names("enhanced_disability_premium_income")
        if any(
            i.kind.value in enhanced and penny(i.weekly) > p.number("standard_care_rate")
            for i in own
        ):
            name = f"enhanced_disability_premium_{suffix}"
            lines.append(
                Line(
                    label="MIG: enhanced disability premium",
                    amount=-p.number(name),
                    source=p.source(name),
                )
            )
    if kinds & set(p.names("carer_premium_income")):
        lines.append(
            Line(
                label="MIG: carer premium",
                amount=-p.number("carer_premium"),
                source=p.source("carer_premium"),
            )
        )
    under = p.number("dependent_child_under_age")
    children = sum(
        1 for m in household if m.relation is Relation.child and m.age is not None and m.age < under
    )
    if children:
        each = p.number("dependent_child")
        lines.append(
            Line(
                label="MIG: dependent children",
                amount=-each * children,
                source=p.source("dependent_child"),
                quantity=Decimal(children),
                unit="child",
                unit_cost=each,
            )
        )
    return lines


def _dre_line(given: Decimal | None, income: list[IncomeItem], p: _Values) -> Line:
    """DRE as assessed, or else a standard allowance to a person with a disability benefit."""
    if given is not None:
        return Line(label="Disability-related expenditure", amount=-given, source="the intake")
    disability = set(p.names("disability_benefit_income"))
    if any(i.owner is IncomeOwner.person and i.kind.value in disability for i in income):
        return Line(
            label="Disability-related expenditure: standard allowance",
            amount=-p.number("standard_dre_weekly"),
            source=p.source("standard_dre_weekly"),
        )
    return Line(label="Disability-related expenditure: none", amount=ZERO, source="the intake")


def _age(intake: Intake, on: date) -> int | None:
    person = intake.person
    if person.date_of_birth is not None:
        born = person.date_of_birth
        return on.year - born.year - ((on.month, on.day) < (born.month, born.day))
    return person.age
