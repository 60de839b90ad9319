"""The roster for people to read: a weekly grid per person, then the summary."""

from __future__ import annotations

from collections import defaultdict

from rich.console import Console
from rich.table import Table

from allocation.roster.output import RosterResult, SlotSupport
from allocation.roster.shifts import Shift, shifts
from allocation.roster.slots import DAY_NAMES, DAYS

NO_NEED = "[dim]·[/]"


def render(result: RosterResult, console: Console) -> None:
    names = {s.id: s.name for s in result.supporters}
    by_person: dict[str, list[SlotSupport]] = defaultdict(list)
    for slot in result.slots:
        by_person[slot.person].append(slot)
    for person in result.people:
        console.print(_grid(person.id, by_person[person.id], names))
    console.print(f"{NO_NEED} no need at that time; [bold red]unmet[/] need in red.")
    console.print(_supporters(result))
    if with_breaks := [s for s in shifts(result) if s.breaks and s.kind == "paid"]:
        console.print(_breaks(with_breaks))
    if result.unmet:
        console.print(_unmet(result))
    if result.left_out:
        console.print(_left_out(result))
    console.print(_stages(result))
    console.print(_summary(result))


def _cell(slot: SlotSupport, names: dict[str, str]) -> str:
    """The block's activity and who supports it, or the activity marked unmet."""
    if not slot.supporters:
        return f"[bold red]{slot.activity}: unmet[/]"
    return f"{slot.activity}: {', '.join(names.get(s, s) for s in slot.supporters)}"


def _grid(person: str, slots: list[SlotSupport], names: dict[str, str]) -> Table:
    """Days across, times down; rows that read the same all week are merged."""
    cells: dict[str, dict[str, str]] = defaultdict(dict)
    ends: dict[str, str] = {}
    for slot in slots:
        cells[slot.start][slot.day] = _cell(slot, names)
        ends[slot.start] = slot.end
    table = Table(title=f"The week for {person}", show_lines=False)
    table.add_column("Time", no_wrap=True)
    for name in DAY_NAMES:
        table.add_column(name[:3])
    rows: list[tuple[str, str, tuple[str, ...]]] = []
    for start in sorted(cells):
        row = tuple(cells[start].get(day, NO_NEED) for day in DAYS)
        if rows and rows[-1][2] == row and rows[-1][1] == start:
            rows[-1] = (rows[-1][0], ends[start], row)
        else:
            rows.append((start, ends[start], row))
    for start, end, row in rows:
        table.add_row(f"{start}–{end}", *row)
    return table


def _supporters(result: RosterResult) -> Table:
    table = Table(title="Supporters")
    for column in ("Supporter", "Kind", "Hours", "Sleep-ins", "Cost £", "Supports"):
        table.add_column(
            column, justify="right" if column in ("Hours", "Sleep-ins", "Cost £") else "left"
        )
    for s in result.supporters:
        if s.hours or s.cost:
            table.add_row(
                s.name, s.kind, str(s.hours), str(s.sleep_ins), str(s.cost), ", ".join(s.people)
            )
    return table


def _breaks(with_breaks: list[Shift]) -> Table:
    """Paid shifts with a break in them: someone else covers, or nobody is needed, then."""
    table = Table(title="Paid staff's breaks within shifts")
    for column in ("Supporter", "Shift", "Hours worked", "Breaks"):
        table.add_column(column, justify="right" if column == "Hours worked" else "left")
    for shift in with_breaks:
        when = f"{shift.day} {shift.start}–{shift.end}"
        table.add_row(shift.name, when, str(shift.hours), ", ".join(shift.breaks))
    return table


def _unmet(result: RosterResult) -> Table:
    table = Table(title="Unmet need")
    for column in ("Person", "When", "Activity", "Priority", "Reason", "Detail"):
        table.add_column(column)
    for u in result.unmet:
        when = f"{u.day} {u.start}–{u.end}"
        table.add_row(u.person, when, u.activity, u.priority, u.reason, u.detail)
    return table


def _left_out(result: RosterResult) -> Table:
    table = Table(title="Left out: a carer meets it")
    for column in ("Person", "When", "Activity", "Reason", "Source"):
        table.add_column(column)
    for left in result.left_out:
        when = f"{','.join(left.days)} {left.start}–{left.end}"
        table.add_row(left.person, when, left.activity, left.reason, left.source)
    return table


def _stages(result: RosterResult) -> Table:
    solver = result.solver
    table = Table(title=f"Solver: {solver.status}, {solver.wall_seconds} s (stages in solve order)")
    for column in ("Stage", "Value", "Best bound", "Gap", "Status", "Seconds"):
        table.add_column(column)
    for stage in solver.stages:
        table.add_row(
            stage.name,
            str(stage.value),
            f"{stage.bound} ({stage.bound_source})",
            f"{stage.gap:.2%}",
            stage.status,
            f"{stage.seconds:.2f}",
        )
    return table


def _summary(result: RosterResult) -> str:
    verdict = "within budget" if result.within_budget else "[bold red]over budget[/]"
    lines = [
        f"Weekly cost £{result.total_cost} of a £{result.budget} budget ({verdict}).",
        f"Paid staff hours {result.paid_hours}; "
        f"natural and technology hours {result.unpaid_hours}.",
    ]
    for person in result.people:
        lines.append(
            f"{person.id}: {person.covered_hours} of {person.needed_hours} hours covered, "
            f"{person.paid_hours} with paid staff, share £{person.cost_share}."
        )
    least = result.least_budget_for_essential
    if least is not None:
        proof = "proven least" if least.proven else f"at least £{least.lower_bound}"
        lines.append(
            f"[bold]Essential need is not met within budget:[/] a budget of £{least.amount} "
            f"({proof}) would meet it"
            + (
                f", apart from {least.essential_unmet_hours} hours no budget can cover."
                if least.essential_unmet_hours
                else "."
            )
        )
    after = result.solver.after_search
    lines.append(
        f"After the search: {after.filled_hours} hours of unmet need given to a supporter who "
        f"could take them; {after.natural_first_swaps} paid slots swapped to natural support "
        f"or technology; natural-first check {after.natural_first_check}."
    )
    model = result.solver.model
    if model is not None and model.note is not None:
        lines.append(f"The model: {model.note}.")
    if result.solver.roster_from == "greedy" and (model is None or model.built):
        lines.append(
            "CP-SAT found no roster as good on need in the time limit; this is the greedy roster."
        )
    return "\n".join(lines)
