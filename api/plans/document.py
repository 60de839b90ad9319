"""The plan as one printable document the person can read: HTML (with a print
stylesheet) and PDF (fpdf2, pure Python, with a Unicode font so the person's own
words print as they said them).

Order: their goals first, then what each supporter does, then the money, then
when it will be reviewed. Both renderings are built from one `PlanDocument`,
so they say the same thing.
"""

from __future__ import annotations

import copy
from datetime import date
from decimal import Decimal
from functools import cache
from pathlib import Path

from fpdf import FPDF
from jinja2 import Environment, FileSystemLoader, select_autoescape

from api.plans.needs import NeedCover
from api.plans.plan_model import Plan
from api.plans.supports import PlanSupports
from engine.common import Strict, pounds

TEMPLATES = Path(__file__).resolve().parent.parent / "templates"
# Debian's fonts-dejavu-core (.ci/run installs it when missing).
FONT_FOLDER = Path("/usr/share/fonts/truetype/dejavu")
FONTS = {"": "DejaVuSans.ttf", "B": "DejaVuSans-Bold.ttf"}


class FontMissing(Exception):
    """The PDF needs a Unicode font the machine does not have."""


class ObjectiveText(Strict):
    what: str
    measure: str
    follow_up: date


class GoalText(Strict):
    id: str
    own_words: str
    worker_summary: str | None
    condition: str | None
    needs: list[str]
    objectives: list[ObjectiveText]
    person_will: list[str]
    strategies: list[str]
    support: str | None


class ConditionText(Strict):
    name: str
    stage: str
    level_of_care: str | None
    dimensions: list[str]
    discharge: list[str]


class SupporterText(Strict):
    name: str
    role: str
    does: list[str]


class MoneyLine(Strict):
    goal: str
    hours: str
    cost: str
    budget: str


class PlanDocument(Strict):
    person: str
    case_id: str
    version: int
    made_on: date
    worker: str
    about_me: str | None
    strengths: list[str]
    goals: list[GoalText]
    conditions: list[ConditionText]
    supporters: list[SupporterText]
    money: list[MoneyLine]
    weekly_budget: str | None
    method: str | None
    review_on: date
    follow_ups: list[str]
    not_yet: list[str]


def _hours(value: Decimal) -> str:
    return f"{value.normalize():f}"


def build(
    person: str,
    case_id: str,
    version: int,
    made_on: date,
    plan: Plan,
    covers: list[NeedCover],
    supports: PlanSupports,
    weekly_budget: Decimal | None,
) -> PlanDocument:
    words = {c.need.id: c.need.words for c in covers}
    conditions = {c.id: c.name for c in plan.conditions}
    by_goal = {g.goal: g for g in supports.goals}
    goals = []
    for goal in plan.goals:
        given = by_goal.get(goal.id)
        support = None
        if given is not None:
            support = (
                f"{_hours(given.natural_hours)} hours a week from family, friends, community "
                f"and technology; {_hours(given.paid_hours)} hours of paid support "
                f"({pounds(given.roster_cost)} a week)"
            )
        goals.append(
            GoalText(
                id=goal.id,
                own_words=goal.own_words,
                worker_summary=goal.worker_summary,
                condition=conditions.get(goal.condition) if goal.condition else None,
                needs=[words.get(n, n) for n in goal.needs],
                objectives=[
                    ObjectiveText(
                        what=o.description,
                        measure=(
                            f"{o.indicator}: from {_hours(o.baseline)} to {_hours(o.target)}"
                            f"{' ' + o.unit if o.unit else ''} by {o.by:%d %B %Y}"
                        ),
                        follow_up=o.follow_up,
                    )
                    for o in goal.objectives
                ],
                person_will=list(goal.person_will),
                strategies=list(goal.strategies),
                support=support,
            )
        )
    own = {g.id: g.own_words for g in plan.goals}
    money = [
        MoneyLine(
            goal=own.get(g.goal, g.goal),
            hours=f"{_hours(g.natural_hours)} unpaid, {_hours(g.paid_hours)} paid",
            cost=pounds(g.roster_cost),
            budget=pounds(g.budget_weekly),
        )
        for g in supports.goals
    ]
    return PlanDocument(
        person=person,
        case_id=case_id,
        version=version,
        made_on=made_on,
        worker=plan.worker,
        about_me=plan.about_me,
        strengths=list(plan.strengths),
        goals=goals,
        conditions=[
            ConditionText(
                name=c.name,
                stage=c.stage_of_change.value,
                level_of_care=c.level_of_care,
                dimensions=[d.replace("_", " ") for d in c.asam_dimensions],
                discharge=list(c.discharge_criteria),
            )
            for c in plan.conditions
        ],
        supporters=_supporters(plan, supports),
        money=money,
        weekly_budget=pounds(weekly_budget) if weekly_budget is not None else None,
        method=supports.method,
        review_on=plan.review_on,
        follow_ups=[
            f"{o.follow_up:%d %B %Y}: {g.own_words} - {o.description}"
            for g, o in sorted(plan.objectives(), key=lambda pair: pair[1].follow_up)
        ],
        not_yet=[f"{c.need.words}: {_why_not(c)}" for c in covers if not c.goals],
    )


def _why_not(cover: NeedCover) -> str:
    if cover.deferred_because:
        return cover.deferred_because
    return "met by a carer, who will go on" if cover.need.met_by_carer else "not planned for yet"


def _supporters(plan: Plan, supports: PlanSupports) -> list[SupporterText]:
    """Everyone named in the plan, then anyone else the week has, with what they do."""
    week: dict[str, list[str]] = {}
    names: dict[str, str] = {}
    own = {g.id: g.own_words for g in plan.goals}
    for goal in supports.goals:
        for s in goal.supporters:
            names[s.id] = s.name
            served = f" (for “{own[goal.goal]}”)" if goal.goal in own else ""
            week.setdefault(s.id, []).append(
                f"{', '.join(s.activities)}: {_hours(s.hours)} hours a week{served}"
            )
    found = []
    for person in plan.people:
        does = [person.does, *week.pop(person.roster_id, [])] if person.roster_id else [person.does]
        role = person.relationship + (f", {person.agency}" if person.agency else "")
        found.append(SupporterText(name=person.name, role=role, does=does))
    for supporter_id, does in week.items():
        found.append(SupporterText(name=names[supporter_id], role="in the week's rota", does=does))
    return found


TEMPLATE = Environment(
    loader=FileSystemLoader(TEMPLATES), autoescape=select_autoescape(["html"])
).get_template("plan.html")


def html(document: PlanDocument) -> str:
    return TEMPLATE.render(doc=document)


class _Pdf(FPDF):
    def footer(self) -> None:
        self.set_y(-15)
        self.set_font("DejaVu", "", 8)
        self.cell(0, 10, f"Page {self.page_no()}/{{nb}}", align="C")


@cache
def _blank() -> _Pdf:
    """An empty A4 document with the fonts read: reading them is a third of the work."""
    missing = [name for name in FONTS.values() if not (FONT_FOLDER / name).is_file()]
    if missing:
        raise FontMissing(f"install Debian's fonts-dejavu-core (missing {', '.join(missing)})")
    blank = _Pdf(format="A4")
    for style, name in FONTS.items():
        blank.add_font("DejaVu", style, str(FONT_FOLDER / name))
    return blank


def pdf(document: PlanDocument) -> bytes:
    """The same document as PDF; FontMissing when the Unicode font is not installed."""
    out = copy.deepcopy(_blank())
    out.set_title(f"Support plan - {document.person}")
    out.set_auto_page_break(auto=True, margin=18)
    out.add_page()
    width = out.epw

    def heading(words: str, size: int = 15) -> None:
        out.ln(3)
        out.set_font("DejaVu", "B", size)
        out.multi_cell(width, 8, words, new_x="LMARGIN", new_y="NEXT")
        out.set_font("DejaVu", "", 11)

    def para(words: str, bold: bool = False) -> None:
        out.set_font("DejaVu", "B" if bold else "", 11)
        out.multi_cell(width, 6, words, new_x="LMARGIN", new_y="NEXT")

    def bullets(items: list[str]) -> None:
        out.set_font("DejaVu", "", 11)
        for item in items:
            out.multi_cell(width, 6, f"•  {item}", new_x="LMARGIN", new_y="NEXT")

    heading(f"My support plan: {document.person}", 20)
    para(f"Version {document.version}, made on {document.made_on:%d %B %Y} with {document.worker}.")
    if document.about_me:
        heading("What matters to me")
        para(document.about_me)
    if document.strengths:
        heading("My strengths")
        bullets(document.strengths)
    heading("My goals")
    for goal in document.goals:
        para(f"“{goal.own_words}”", bold=True)
        if goal.worker_summary:
            para(f"In short: {goal.worker_summary}")
        if goal.condition:
            para(f"Part of my plan for: {goal.condition}")
        bullets(
            [
                f"{o.what} ({o.measure}; we look again on {o.follow_up:%d %B %Y})"
                for o in goal.objectives
            ]
        )
        if goal.person_will:
            para("What I will do:")
            bullets(goal.person_will)
        if goal.strategies:
            para("How:")
            bullets(goal.strategies)
        if goal.support:
            para(f"Support for this goal: {goal.support}")
        out.ln(2)
    for condition in document.conditions:
        heading(condition.name, 13)
        level = f"; level of care {condition.level_of_care}" if condition.level_of_care else ""
        para(f"Stage of change: {condition.stage}{level}.")
        if condition.dimensions:
            para(f"Linked to: {', '.join(condition.dimensions)}.")
        para("When this part of the plan can end:")
        bullets(condition.discharge)
    heading("Who does what")
    for supporter in document.supporters:
        para(f"{supporter.name} ({supporter.role})", bold=True)
        bullets(supporter.does)
    heading("The money")
    if document.weekly_budget:
        para(
            f"My weekly budget: {document.weekly_budget} (agreed by the {document.method} method)."
        )
    for line in document.money:
        para(
            f"{line.goal}: {line.hours} hours a week; "
            f"rota cost {line.cost}; budget lines {line.budget}"
        )
    heading("When we will look at this plan again")
    para(f"The whole plan: {document.review_on:%d %B %Y}.")
    bullets(document.follow_ups)
    if document.not_yet:
        heading("Needs not in this plan yet")
        bullets(document.not_yet)
    return bytes(out.output())
