"""Readable terminal output: decisions as tables, and progress bars on stderr."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from contextlib import contextmanager
from typing import Any

from rich.console import Console
from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeRemainingColumn
from rich.table import Table

from engine.decision_model import Decision, ProgrammeDecision, RulesetStamp
from engine.intake import Intake

MET = {True: "[green]met[/]", False: "[red]not met[/]", None: "[yellow]unknown[/]"}
OUTCOME = {
    "eligible": "[bold green]eligible[/]",
    "not_eligible": "[bold red]not eligible[/]",
    "needs_information": "[bold yellow]needs information[/]",
}

SHOWN_INPUTS = 4  # per criterion in a table; --json has every value and its derivation
console = Console(highlight=False)


def print_decision(decision: Decision, intake: Intake) -> None:
    stamps = ", ".join(stamp(r) for r in decision.rulesets)
    who = intake.id or "the intake"
    console.print(
        f"[bold]{who}[/] screened as of {decision.as_of} against {stamps or 'no ruleset'}"
    )
    if not decision.programmes:
        console.print("No ruleset applies to where this person lives.")
    summary = Table(title="Programmes", title_justify="left")
    for column in ("programme", "outcome", "result"):
        summary.add_column(column)
    for programme in decision.programmes:
        result = programme.result
        amount = programme.amount
        shown = f"{result.name}: {result.value or 'unknown'}" if result else ""
        if amount is not None and amount.value is not None:
            shown = f"{amount.name}: {amount.value} ({amount.unit})"
        summary.add_row(f"{programme.title}\n[dim]{programme.id}[/]", _outcome(programme), shown)
    console.print(summary)
    for programme in decision.programmes:
        _print_programme(programme)
    if decision.questions:
        console.print("[bold]Ask next:[/]")
        for question in decision.questions:
            console.print(f"  {question.field} [dim](for {', '.join(question.settles)})[/]")


def _outcome(programme: ProgrammeDecision) -> str:
    """The outcome, in the programme's own words when they differ from the plain ones
    (words that begin with the plain ones go on from them, not after a repeat)."""
    plain = OUTCOME[programme.outcome]
    if not programme.relevant:
        return f"[dim]{programme.words}[/]"
    said = programme.outcome.replace("_", " ")
    words = programme.words or said
    if words.startswith(said):
        return plain + words.removeprefix(said)
    return f"{plain}: {words}"


def stamp(ruleset: RulesetStamp) -> str:
    """A ruleset as a reader sees it: id, version and the start of its hash."""
    return f"{ruleset.id} {ruleset.version} ({ruleset.hash[:15]}…)"


def _print_programme(programme: ProgrammeDecision) -> None:
    table = Table(title=f"{programme.title}: {_outcome(programme)}", title_justify="left")
    table.add_column("criterion")
    table.add_column("")
    table.add_column("why")
    table.add_column("source", style="dim")
    for criterion in programme.criteria:
        read = list(criterion.inputs.items())
        inputs = ", ".join(f"{k} = {_show(v)}" for k, v in read[:SHOWN_INPUTS])
        if len(read) > SHOWN_INPUTS:
            inputs += f", and {len(read) - SHOWN_INPUTS} more (--json)"
        table.add_row(
            criterion.id,
            MET[criterion.met],
            f"{criterion.explain}\n[dim]{inputs}[/]",
            criterion.source,
        )
    console.print(table)
    if programme.amount is not None:
        amount = programme.amount
        console.print(f"  [bold]{amount.name}[/]: {_show(amount.value)} {amount.unit}")
        for step in amount.steps:
            console.print(f"    {step.name} = {_show(step.value)}  [dim]{step.explain}[/]")
        console.print(f"  [dim]{amount.explain} ({amount.source})[/]")
    for miss in programme.near_misses:
        lead = "eligible if" if miss.only_criterion_failing else "closer if"
        now = f"{miss.input} is {_show(miss.value)}, gap {_show(miss.gap)}"
        console.print(f"  [cyan]{lead}[/] {miss.needs} ({now})")


def _show(value: Any) -> str:
    if value is None:
        return "unknown"
    if isinstance(value, bool):
        return "yes" if value else "no"
    return str(value)


@contextmanager
def progress(total: int) -> Iterator[Callable[[], None]]:
    """A progress bar on stderr; yields the function that counts one item done."""
    bar = Progress(
        TextColumn("{task.description}"),
        BarColumn(),
        MofNCompleteColumn(),
        TimeRemainingColumn(),
        console=Console(stderr=True),
        transient=False,
    )
    with bar:
        task = bar.add_task("cases", total=total)
        yield lambda: bar.advance(task)
