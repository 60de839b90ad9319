"""The common intake as a form in sections, and the way between its fields and an Intake.

A field's name is its intake path (`finances.capital`; list rows by number,
`person.household.0.age`; outcomes by name, `needs.outcomes.nutrition.manages`),
so an error from the Intake model, or a field the decision asks for next,
points straight at the field that settles it. Allowed values come from the
intake's own enumerations: nothing is typed twice. Pure functions.
"""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from enum import StrEnum
from typing import Any

from pydantic import ValidationError

from engine.intake import (
    Benefit,
    CarerOutcome,
    Country,
    Impact,
    IncomeKind,
    IncomeOwner,
    Intake,
    LevelOfCare,
    Manages,
    Outcome,
    Period,
    Relation,
    Requester,
    Sex,
    StageOfChange,
    SubstanceUse,
    SupportKind,
)

ROWS = 3  # rows offered for each list (household, income, supports)
Values = Mapping[str, str | list[str]]

YES_NO = (("true", "Yes"), ("false", "No"))
NONE = "none"  # a list known to be empty: `person.household.none` = true, benefits "none"


@dataclass(frozen=True)
class FormField:
    name: str  # the intake path
    label: str
    kind: str  # text | number | money | date | select | checkboxes
    options: tuple[tuple[str, str], ...] = ()
    hint: str = ""
    group: str = ""  # a heading the field sits under (a list row, the outcomes)

    @property
    def id(self) -> str:
        return field_id(self.name)


@dataclass(frozen=True)
class Section:
    slug: str
    title: str
    intro: str
    fields: tuple[FormField, ...]


def field_id(name: str) -> str:
    return "f-" + re.sub(r"[^A-Za-z0-9_-]", "-", name)


def words(value: str) -> str:
    return value.replace("_", " ").capitalize()


def choices(enum: type[StrEnum]) -> tuple[tuple[str, str], ...]:
    return tuple((member.value, words(member.value)) for member in enum)


def _yes_no(name: str, label: str, hint: str = "", group: str = "") -> FormField:
    return FormField(name, label, "select", YES_NO, hint, group)


def _rows(prefix: str, title: str, make: Any) -> tuple[FormField, ...]:
    return tuple(f for i in range(ROWS) for f in make(f"{prefix}.{i}", f"{title} {i + 1}"))


def _member(at: str, group: str) -> tuple[FormField, ...]:
    return (
        FormField(
            f"{at}.relation", "Relation to the person", "select", choices(Relation), "", group
        ),
        FormField(f"{at}.age", "Age", "number", group=group),
        _yes_no(f"{at}.disabled", "Disabled", group=group),
        _yes_no(f"{at}.shares_meals", "Buys and prepares food with the person", group=group),
    )


def _income(at: str, group: str) -> tuple[FormField, ...]:
    return (
        FormField(f"{at}.kind", "Kind of income", "select", choices(IncomeKind), "", group),
        FormField(f"{at}.amount", "Amount", "money", hint="In pounds or dollars", group=group),
        FormField(f"{at}.period", "Paid every", "select", choices(Period), "", group),
        FormField(f"{at}.owner", "Whose income", "select", choices(IncomeOwner), "", group),
    )


def _support(at: str, group: str) -> tuple[FormField, ...]:
    return (
        FormField(f"{at}.kind", "Kind of support", "select", choices(SupportKind), "", group),
        FormField(f"{at}.name", "Who or what", "text", group=group),
        FormField(f"{at}.hours_per_week", "Hours a week", "number", group=group),
        _yes_no(f"{at}.lives_with_person", "Lives with the person", group=group),
        _yes_no(f"{at}.willing_to_continue", "Willing to go on", group=group),
    )


MATERNITY = "Pregnancy and birth (WIC)"
SUBSTANCE = "Substance use: severity from 0 (none) to 4 (extreme) in each dimension"
RATINGS = tuple((str(n), str(n)) for n in range(5))
OUTCOMES_GROUP = "How the person manages each outcome (reg. 2(2))"
CARER_GROUP = "How the carer manages each outcome (reg. 3(2)(b))"

SECTIONS: tuple[Section, ...] = (
    Section(
        "person",
        "The person",
        "Who the person is and where they live. Leave blank what you do not know yet.",
        (
            FormField("id", "Case reference", "text", hint="Your own reference, if any"),
            FormField(
                "person.date_of_birth", "Date of birth", "date", hint="For example, 1948-03-14"
            ),
            FormField(
                "person.age", "Age in years", "number", hint="When the date of birth is not known"
            ),
            FormField("person.sex", "Sex recorded at birth", "select", choices(Sex)),
            FormField("person.lives_in.country", "Country", "select", choices(Country)),
            FormField(
                "person.lives_in.region",
                "Region",
                "text",
                hint="A US state as its two letters, or an English local authority",
            ),
            _yes_no("person.disabled", "Disabled"),
            _yes_no("person.has_capacity", "Has capacity to ask for direct payments"),
            _yes_no("person.maternity.pregnant", "Pregnant", group=MATERNITY),
            FormField(
                "person.maternity.babies_expected", "Babies expected", "number", group=MATERNITY
            ),
            _yes_no("person.maternity.breastfeeding", "Breastfeeding", group=MATERNITY),
            FormField(
                "person.maternity.months_since_birth",
                "Months since last giving birth",
                "number",
                group=MATERNITY,
            ),
        ),
    ),
    Section(
        "household",
        "The household",
        "The people who live with the person (not the person).",
        (
            _yes_no("person.household.none", "No one else lives with the person"),
            *_rows("person.household", "Household member", _member),
        ),
    ),
    Section(
        "needs",
        "Needs",
        "The person's needs for care and support, outcome by outcome.",
        (
            _yes_no(
                "needs.arise_from_impairment",
                "The needs arise from a physical or mental impairment or illness",
            ),
            *(
                FormField(
                    f"needs.outcomes.{o.value}.manages",
                    words(o.value),
                    "select",
                    choices(Manages),
                    group=OUTCOMES_GROUP,
                )
                for o in Outcome
            ),
            FormField("needs.wellbeing_impact", "Impact on wellbeing", "select", choices(Impact)),
            FormField(
                "health.institutional_level_of_care",
                "Level of care needed (US waivers)",
                "select",
                choices(LevelOfCare),
            ),
            _yes_no("health.nutritional_risk", "A professional has found a nutritional risk"),
            *(
                FormField(
                    f"health.substance_use.{name}",
                    words(name),
                    "select",
                    RATINGS,
                    group=SUBSTANCE,
                )
                for name in SubstanceUse.model_fields
                if name != "stage_of_change"
            ),
            FormField(
                "health.substance_use.stage_of_change",
                "Stage of change",
                "select",
                choices(StageOfChange),
                group=SUBSTANCE,
            ),
        ),
    ),
    Section(
        "finances",
        "Finances",
        "Income, savings and costs.",
        (
            *_rows("finances.income", "Income", _income),
            FormField("finances.capital", "Savings and investments (own share)", "money"),
            FormField(
                "finances.benefits",
                "Benefits the household already gets",
                "checkboxes",
                (*choices(Benefit), (NONE, "None of these")),
            ),
            FormField("finances.housing_costs_weekly", "Housing costs a week (England)", "money"),
            FormField(
                "finances.disability_related_expenditure_weekly",
                "Disability-related spending a week",
                "money",
            ),
            FormField("finances.shelter_costs_monthly", "Shelter costs a month (US)", "money"),
            FormField("finances.dependent_care_costs_monthly", "Dependent care a month", "money"),
            FormField("finances.medical_costs_monthly", "Medical costs a month", "money"),
        ),
    ),
    Section(
        "supports",
        "Supports and direct payments",
        "Who or what already helps, and whether the person asks for direct payments.",
        (
            *_rows("supports", "Support", _support),
            FormField(
                "direct_payments.requested_by",
                "Direct payments asked for by",
                "select",
                choices(Requester),
            ),
            _yes_no("direct_payments.nominee_agrees", "There is no nominee, or the nominee agrees"),
            _yes_no(
                "direct_payments.excluded_by_schedule",
                "Under a drug or alcohol requirement (Schedule to SI 2014/1652)",
            ),
            _yes_no("direct_payments.capable_of_managing", "Capable of managing the payments"),
            _yes_no(
                "direct_payments.appropriate_way_to_meet_needs",
                "Direct payments are an appropriate way to meet the needs",
            ),
        ),
    ),
    Section(
        "carer",
        "As a carer",
        "The person's own needs as an unpaid carer of another adult, if they are one.",
        (
            _yes_no("carer.provides_necessary_care", "Provides necessary care to an adult"),
            _yes_no("carer.health_at_risk", "Their health is at risk or getting worse"),
            *(
                FormField(
                    f"carer.outcomes.{o.value}.manages",
                    words(o.value),
                    "select",
                    choices(Manages),
                    group=CARER_GROUP,
                )
                for o in CarerOutcome
            ),
            FormField("carer.wellbeing_impact", "Impact on wellbeing", "select", choices(Impact)),
        ),
    ),
)

BY_SLUG = {s.slug: s for s in SECTIONS}
SECTION_OF = {f.name: s.slug for s in SECTIONS for f in s.fields}
ORDER = {name: index for index, name in enumerate(SECTION_OF)}
NAMED_LISTS = ("needs.outcomes", "carer.outcomes")  # keyed by outcome in the form


@dataclass(frozen=True)
class FieldError:
    name: str
    message: str

    @property
    def section(self) -> str:
        return section_of(self.name)


def section_of(path: str) -> str:
    """The section holding a field, or the one nearest a path the form has no field for."""
    while path:
        if path in SECTION_OF:
            return SECTION_OF[path]
        for name, slug in SECTION_OF.items():
            if name.startswith(path + "."):
                return slug
        path = path.rpartition(".")[0]
    return SECTIONS[0].slug


def section_values(section: Section, form: Mapping[str, Any]) -> dict[str, str | list[str]]:
    """This section's fields from a posted form (multi-valued for checkboxes)."""
    found: dict[str, str | list[str]] = {}
    for field in section.fields:
        if field.kind == "checkboxes":
            found[field.name] = [v for v in form.get(field.name, []) if v]
        else:
            found[field.name] = str(form.get(field.name, "")).strip()
    return found


def _tree(values: Values) -> dict[str, Any]:
    root: dict[str, Any] = {}
    for name, value in sorted(values.items(), key=lambda item: ORDER.get(item[0], len(ORDER))):
        if name.endswith("." + NONE):
            if value != "true":
                continue
            name, value = name.removesuffix("." + NONE), []
        elif value == [NONE]:
            value = []
        elif value in ("", []):
            continue
        node = root
        *parents, last = name.split(".")
        for part in parents:
            node = node.setdefault(part, {})
        if not (isinstance(node.get(last), dict) and value == []):
            node[last] = value
    return root


def _lists(node: Any, path: str, where: dict[str, str]) -> Any:
    """Numbered rows and named outcomes as the intake's lists; `where` maps each list
    item's path back to the field's (`person.household.0` to `person.household.2`)."""
    if not isinstance(node, dict):
        return node
    if path in NAMED_LISTS:
        items = []
        for index, (outcome, fields) in enumerate(node.items()):
            where[f"{path}.{index}"] = f"{path}.{outcome}"
            items.append({"outcome": outcome, **fields})
        return items
    if node == []:
        return []
    if node and all(key.isdigit() for key in node):
        items = []
        for key in sorted(node, key=int):
            where[f"{path}.{len(items)}"] = f"{path}.{key}"
            items.append(_lists(node[key], f"{path}.{key}", where))
        return items
    return {
        key: _lists(value, f"{path}.{key}" if path else key, where) for key, value in node.items()
    }


def to_intake(values: Values) -> tuple[Intake | None, list[FieldError]]:
    """The Intake the fields make, or each error by the field it belongs to."""
    where: dict[str, str] = {}
    data = _lists(_tree(values), "", where)
    data.setdefault("person", {}).setdefault("lives_in", {})
    try:
        return Intake.model_validate(data), []
    except ValidationError as error:
        return None, [_field_error(item, where) for item in error.errors()]


def _field_error(item: Any, where: Mapping[str, str]) -> FieldError:
    parts = [str(p) for p in item["loc"] if not (isinstance(p, str) and "[" in p)]
    path = ".".join(parts)
    for made, original in sorted(where.items(), key=lambda kv: -len(kv[0])):
        if path == made or path.startswith(made + "."):
            path = original + path[len(made) :]
            break
    message = str(item["msg"]).removeprefix("Value error, ")
    if path not in SECTION_OF:
        known = [n for n in SECTION_OF if n.startswith(path + ".")]
        if known:
            path = known[0]
    return FieldError(path, f"{label_of(path)}: {message[:1].lower()}{message[1:]}")


def from_intake(intake: Intake) -> dict[str, str | list[str]]:
    """The form's fields filled from a stored intake (to change it)."""
    data = intake.model_dump(mode="json", exclude_none=True)
    values: dict[str, str | list[str]] = {}

    def walk(node: Any, path: str) -> None:
        if isinstance(node, dict):
            for key, value in node.items():
                walk(value, f"{path}.{key}" if path else key)
        elif isinstance(node, list) and path in NAMED_LISTS:
            for item in node:
                for key, value in item.items():
                    if key != "outcome":
                        walk(value, f"{path}.{item['outcome']}.{key}")
        elif isinstance(node, list) and node and isinstance(node[0], dict):
            for index, item in enumerate(node):
                walk(item, f"{path}.{index}")
        elif node == [] and path + "." + NONE in SECTION_OF:
            values[path + "." + NONE] = "true"
        elif isinstance(node, list):
            values[path] = [str(v) for v in node] or [NONE]
        else:
            values[path] = "true" if node is True else "false" if node is False else str(node)

    walk(data, "")
    return {k: v for k, v in values.items() if k in SECTION_OF}


def errors_in(section: Section, errors: Sequence[FieldError]) -> list[FieldError]:
    names = {f.name for f in section.fields}
    return [e for e in errors if e.name in names]


def label_of(path: str) -> str:
    """A field path in words, as the form labels it (`finances.capital`: its label)."""
    field = next((f for s in SECTIONS for f in s.fields if f.name == path), None)
    if field is None:
        return " › ".join(words(part) for part in path.split("."))
    group = field.group.split(":")[0].split(" (")[0]
    return f"{group}: {field.label}" if group else field.label
