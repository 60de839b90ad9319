"""`justenough allocate REQUEST`: indicative budgets by every method, side by side."""

from __future__ import annotations

import argparse
import csv
import json
from collections.abc import Sequence
from datetime import date
from decimal import Decimal
from pathlib import Path
from typing import Any

from rich import box
from rich.table import Table

from allocation.budgets.allocation_model import (
    Allocation,
    Budget,
    CohortAllocation,
    IsfHouse,
    Line,
    RasPoints,
    Unavailable,
)
from allocation.budgets.allocator import METHODS, Allocator
from allocation.budgets.cohort import cohort, csv_header, csv_row
from allocation.budgets.methods import load_all_methods
from allocation.budgets.requests import Cohort, read_cohort, read_request
from api.cli.check import EXIT_ENGINE_FAILED, load_screener, parse_date
from api.cli.errors import EXIT_OK, CommandError
from api.cli.terminal import console, stamp
from engine.common import pounds
from engine.intake_files import is_many
from engine.loader import default_rulesets_root
from engine.sourcefiles import InputError
from engine.worker_pool import WorkerPool

NAMES = {"ras": "RAS", "costing": "Costing", "isf": "ISF"}
SHORT = {"not_applicable": "n/a", "needs_information": "needs info"}


def register(commands: Any) -> None:
    parser = commands.add_parser(
        "allocate", help="indicative budgets by RAS, costing and ISF, with the weekly charge"
    )
    parser.add_argument(
        "request", type=Path, help="allocation request or intake (YAML, JSON), or a cohort (.jsonl)"
    )
    parser.add_argument("--method", choices=[*METHODS, "all"], default="all", help="default: all")
    parser.add_argument("--json", action="store_true", help="print the allocation JSON")
    parser.add_argument("--as-of", type=parse_date, default=None, help="as on DATE (YYYY-MM-DD)")
    parser.add_argument(
        "--csv", type=Path, default=None, help="also write one row per person to FILE"
    )
    parser.add_argument(
        "--rulesets", type=Path, action="append", help="ruleset folder (repeatable)"
    )
    parser.set_defaults(handler=run)


def run(args: argparse.Namespace) -> int:
    as_of = args.as_of or date.today()
    chosen = METHODS if args.method == "all" else (args.method,)
    if not args.request.exists():
        raise CommandError(f"{args.request}: no such file")
    many = is_many(args.request)
    with WorkerPool(workers=None if many else 1) as pool:
        screener = load_screener(args.rulesets, pool)
        try:
            methods = load_all_methods(args.rulesets or [default_rulesets_root()])
            read = read_cohort(args.request) if many else Cohort([read_request(args.request)], [])
            allocator = Allocator(methods, screener, chosen)
            allocations = allocator.allocate_all(read.requests, as_of, read.problems)
        except InputError as error:
            raise CommandError(str(error)) from None
    found = cohort(allocations, chosen) if many else None
    if args.csv is not None:
        _write_csv(args.csv, allocations, chosen)
    if args.json:
        document = found if found is not None else allocations[0]
        print(json.dumps(document.model_dump(mode="json"), indent=2))
    elif found is not None:
        _print_cohort(found, chosen)
    else:
        _print_person(allocations[0])
    failed = any(
        a.eligibility.blocked_by is not None and a.eligibility.blocked_by.outcome == "engine_failed"
        for a in allocations
    )
    return EXIT_ENGINE_FAILED if failed else EXIT_OK


def _write_csv(path: Path, allocations: Sequence[Allocation], chosen: Sequence[str]) -> None:
    try:
        with path.open("w", newline="", encoding="utf-8") as stream:
            writer = csv.writer(stream)
            writer.writerow(csv_header(chosen))
            writer.writerows(csv_row(a, chosen) for a in allocations)
    except OSError as error:
        raise CommandError(f"{path}: cannot write: {error}") from None


def _print_person(allocation: Allocation) -> None:
    stamps = ", ".join(stamp(r) for r in allocation.rulesets)
    console.print(
        f"[bold]{allocation.person}[/]: indicative budgets as of {allocation.as_of} "
        f"({stamps or 'no ruleset'})"
    )
    if not allocation.allocated:
        _print_blocked(allocation)
        return
    summary = Table(title="Budgets a week", title_justify="left")
    for column in ("method", "weekly", "annual", "contribution", "net funded"):
        summary.add_column(column, justify="left" if column == "method" else "right")
    for name, outcome in allocation.methods.items():
        if isinstance(outcome, Unavailable):
            summary.add_row(
                NAMES[name], f"[yellow]{outcome.status.replace('_', ' ')}[/]", "", "", ""
            )
            continue
        summary.add_row(
            NAMES[name],
            pounds(outcome.weekly),
            pounds(outcome.annual),
            _money(outcome.contribution),
            _money(outcome.net_funded),
        )
    console.print(summary)
    for name, outcome in allocation.methods.items():
        if isinstance(outcome, Unavailable):
            asks = f" (ask: {', '.join(outcome.ask)})" if outcome.ask else ""
            console.print(f"{NAMES[name]}: {outcome.reason}{asks}")
        else:
            _print_lines(f"{NAMES[name]}: {pounds(outcome.weekly)} a week", outcome.lines)
            if outcome.points is not None:
                points = ", ".join(_points(p) for p in outcome.points)
                console.print(
                    f"  points: {points} (total {outcome.total_points}, band {outcome.band})"
                )
            if outcome.house is not None:
                _print_house(outcome.house)
    _print_charging(allocation)
    gap = allocation.spread
    if gap is not None:
        console.print(
            f"[bold]Spread:[/] {pounds(gap.weekly)} a week between {NAMES[gap.highest]} "
            f"(highest) and {NAMES[gap.lowest]} (lowest)"
        )
    for line in allocation.carer_met:
        console.print(f"[bold]Unpaid care:[/] {line.label} [dim]({line.source})[/]")
    enough = allocation.sufficiency
    if enough is not None:
        lead = "[bold red]Shortfall:[/]" if enough.flagged else "[bold]Sufficient:[/]"
        console.print(f"{lead} {enough.explain} [dim]({enough.source})[/]")


def _points(scored: RasPoints) -> str:
    """A question's points; one left out for a carer with what it would have scored."""
    if scored.would_score is not None:
        return f"{scored.question} {scored.points} (would be {scored.would_score}: {scored.note})"
    return f"{scored.question} {scored.points}" + (f" ({scored.note})" if scored.note else "")


def _print_blocked(allocation: Allocation) -> None:
    blocked = allocation.eligibility.blocked_by
    assert blocked is not None
    console.print(f"[bold red]No allocation:[/] {blocked.reason}")
    for criterion in blocked.criteria or []:
        state = "unknown" if criterion.met is None else "not met"
        console.print(f"  {criterion.id} ({state}): {criterion.explain} [dim]{criterion.source}[/]")
    if blocked.ask_next:
        console.print("[bold]Ask next:[/] " + ", ".join(blocked.ask_next))


def _print_lines(title: str, lines: Sequence[Line]) -> None:
    table = Table(title=title, title_justify="left")
    for column in ("line", "quantity", "unit cost", "amount", "source"):
        numeric = column in ("quantity", "unit cost", "amount")
        table.add_column(column, justify="right" if numeric else "left", no_wrap=numeric)
    for line in lines:
        quantity, unit_cost = _explained(line)
        table.add_row(
            line.label, quantity, unit_cost, pounds(line.amount), f"[dim]{line.source}[/]"
        )
    console.print(table)


def _explained(line: Line) -> tuple[str, str]:
    """Quantity and unit cost as said aloud: £427.35 of pay at 26.08 %; 35 staff hours at £12.21."""
    if line.quantity is None:
        return "", ""
    unit = line.unit or ""
    if unit.startswith("£"):
        share = (
            "" if line.unit_cost is None else f"{line.unit_cost * 100:f} %".replace(".00 %", " %")
        )
        return f"{pounds(line.quantity)}{unit[1:]}", share
    amount = f"{line.quantity.quantize(Decimal('0.01')).normalize():f}"
    plural = "" if line.quantity == 1 else "s"
    return f"{amount} {unit}{plural}".strip(), "" if line.unit_cost is None else pounds(
        line.unit_cost
    )


def _print_house(house: IsfHouse) -> None:
    leaving = house.if_leaves
    console.print(
        f"  house {house.id}: fixed costs {pounds(house.fixed_costs_weekly)} a week among "
        f"{len(house.tenants)} tenants; this person's fixed part {pounds(house.fixed_part)}, "
        f"discretionary part {pounds(house.discretionary_part)}"
    )
    after = leaving.fixed_part_after
    others = (
        ", ".join(f"{t} {pounds(v)}" for t, v in after.items()) if after else leaving.note or ""
    )
    console.print(
        f"  if they leave: the house total falls by {pounds(leaving.house_total_falls_by)}; "
        f"the others' fixed parts become: {others}"
    )


def _print_charging(allocation: Allocation) -> None:
    assessment = allocation.charging
    if assessment is None:
        return
    if assessment.ask:
        console.print(
            "[bold]Charge:[/] the financial assessment needs " + ", ".join(assessment.ask)
        )
    elif assessment.full_cost:
        console.print(f"[bold]Charge:[/] full cost: {assessment.reason}")
    else:
        assert assessment.weekly_charge is not None and assessment.disposable_weekly is not None
        disposable = pounds(assessment.disposable_weekly)
        _print_lines(
            f"Financial assessment: disposable income {disposable} a week", assessment.lines
        )
        charge = allocation.charge()
        if charge is not None and charge < assessment.weekly_charge:
            console.print(
                f"[bold]Charge:[/] {pounds(charge)} a week at most: the whole budget, "
                "which is less than the charge the assessment allows"
            )
        else:
            shown = assessment.weekly_charge if charge is None else charge
            console.print(
                f"[bold]Charge:[/] {pounds(shown)} a week at most (never more than the budget)"
            )


def _print_cohort(found: CohortAllocation, chosen: Sequence[str]) -> None:
    title = f"Indicative budgets, £ a week, as of {found.as_of}"
    table = Table(title=title, title_justify="left", box=box.SIMPLE_HEAD)
    table.add_column("person", no_wrap=True)
    both = "ras" in chosen and "costing" in chosen
    numeric = (
        [NAMES[n] for n in chosen] + ["charge"] + (["RAS−costing"] if both else []) + ["spread"]
    )
    for column in numeric:
        table.add_column(column, justify="right", no_wrap=True)
    for allocation in (a for a in found.people if a.allocated):
        gap = allocation.spread
        row = [allocation.person, *[_weekly(allocation, n) for n in chosen], _charge(allocation)]
        if both:
            row.append(_plain(gap.ras_minus_costing if gap else None))
        row.append(_plain(gap.weekly if gap else None))
        table.add_row(*row)
    table.add_section()
    weekly = [_plain(found.totals[n].weekly) for n in chosen]
    table.add_row("[bold]total[/]", *weekly, *[""] * (2 + both))
    console.print(table)
    for allocation in found.people:
        if allocation.eligibility.blocked_by is not None:
            reason = allocation.eligibility.blocked_by.reason
            console.print(f"[red]Not allocated:[/] {allocation.person}: {reason}")
    by_method = Table(title="Totals by method", title_justify="left")
    for column in ("method", "people", "weekly", "annual", "contribution", "net funded"):
        by_method.add_column(column, justify="left" if column == "method" else "right")
    for name in chosen:
        t = found.totals[name]
        unassessed = f" ({t.unassessed} not assessed)" if t.unassessed else ""
        by_method.add_row(
            NAMES[name],
            str(t.people),
            pounds(t.weekly),
            pounds(t.annual),
            pounds(t.contribution) + unassessed,
            pounds(t.net_funded),
        )
    console.print(by_method)
    for house in found.houses:
        shares = ", ".join(f"{t} {pounds(v)}" for t, v in house.shares.items())
        console.print(f"House {house.id}: ISFs {shares}; total {pounds(house.total_weekly)} a week")
    largest = found.largest_ras_costing_spread
    if largest is not None:
        difference = largest.ras_minus_costing
        side = "below" if difference < 0 else "above"
        console.print(
            f"[bold]Largest RAS − costing spread:[/] {largest.person}: "
            f"RAS {pounds(abs(difference))} a week {side} costing"
        )


def _weekly(allocation: Allocation, name: str) -> str:
    outcome = allocation.methods.get(name)
    if isinstance(outcome, Budget):
        return _plain(outcome.weekly)
    return "" if outcome is None else f"[yellow]{SHORT[outcome.status]}[/]"


def _charge(allocation: Allocation) -> str:
    assessment = allocation.charging
    if assessment is None:
        return ""
    if assessment.ask:
        return "[yellow]needs info[/]"
    if assessment.full_cost:
        return "full cost"
    charge = allocation.charge()  # never more than a budget
    return _plain(assessment.weekly_charge if charge is None else charge)


def _money(amount: Any) -> str:
    return "" if amount is None else pounds(amount)


def _plain(amount: Decimal | None) -> str:
    """For a table titled in £: 1,234.56."""
    return "" if amount is None else f"{amount:,.2f}"
