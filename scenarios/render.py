"""A diff as text tables and as CSV files (ids of gainers and losers included)."""

from __future__ import annotations

from decimal import Decimal
from pathlib import Path

import polars as pl
from rich.console import Console
from rich.table import Table

from engine.output_files import write_atomically
from scenarios.diff import KEYS, DiffResult, ProgrammeSummary
from scenarios.diff_budgets import CHARGE, BudgetSummary, changes, summaries

BREAKDOWN_TITLES = {
    "age_band": "age band",
    "household_size": "household size",
    "country": "country",
    "region": "region (state or English region)",
}


def money(value: Decimal | None) -> str:
    if value is None:
        return ""
    return f"{value:,.2f}"


def signed(value: Decimal | None) -> str:
    if value is None:
        return ""
    return f"{value:+,.2f}"


HEADLINE_COLUMNS = ("programme", "eligible before", "after", "gainers", "losers",
                    "other changes", "amounts before", "after", "change")  # fmt: skip


def headline_cells(s: ProgrammeSummary) -> list[str]:
    """A programme's headline figures, the columns after its name (text and HTML alike)."""
    return [
        f"{s.eligible_before:,}",
        f"{s.eligible_after:,}",
        f"{s.gainers:,}",
        f"{s.losers:,}",
        f"{s.other_changes:,}",
        money(s.amount_before),
        money(s.amount_after),
        signed(s.amount_change),
    ]


def print_diff(result: DiffResult, console: Console | None = None) -> None:
    console = console or Console(width=160)
    console.print(
        f"Diff of {result.candidate} against {result.base} "
        f"over {result.people:,} people, as on {result.as_of.isoformat()}"
    )
    table = Table(title="Per programme", title_justify="left")
    for column in HEADLINE_COLUMNS:
        table.add_column(column, justify="left" if column == "programme" else "right")
    for s in result.summaries():
        table.add_row(s.programme, *headline_cells(s))
    console.print(table)
    _print_budgets(result, console)
    changed = {s.programme for s in result.summaries() if s.gainers or s.losers}
    for key in KEYS:
        rows = result.breakdown(key).filter(
            pl.col("programme").is_in(sorted(changed))
            & ((pl.col("gainers") > 0) | (pl.col("losers") > 0))
        )
        if rows.is_empty():
            continue
        by = Table(title=f"Gainers and losers by {BREAKDOWN_TITLES[key]}", title_justify="left")
        for column in ("programme", key, "gainers", "losers", "eligible before", "after"):
            by.add_column(column.replace("_", " "))
        for row in rows.iter_rows(named=True):
            by.add_row(
                row["programme"],
                str(row[key]),
                f"{row['gainers']:,}",
                f"{row['losers']:,}",
                f"{row['eligible_before']:,}",
                f"{row['eligible_after']:,}",
            )
        console.print(by)
    console.print("Rules that differ:" if result.rule_changes else "No rule differs.")
    for line in result.rule_changes:
        console.print(f"  - {line}", highlight=False, markup=False)


BUDGET_COLUMNS = ("budget or charge", "people before", "after", "weekly total before",
                  "after", "change", "net funded before", "after", "change", "rose",
                  "fell")  # fmt: skip


def budget_cells(s: BudgetSummary) -> list[str]:
    return [
        s.measure,
        f"{s.people_before:,}",
        f"{s.people_after:,}",
        money(s.total_before),
        money(s.total_after),
        signed(s.change),
        money(s.net_before),
        money(s.net_after),
        signed(s.net_change),
        f"{s.rose:,}",
        f"{s.fell:,}",
    ]


def budget_note(result: DiffResult) -> str:
    answered = result.people - result.unanswered
    return (
        f"Budgets and charges a week, for the {answered:,} people whose rows carry the "
        f"methods' answers; {result.unanswered:,} could not be allocated (no answers)"
    )


def _print_budgets(result: DiffResult, console: Console) -> None:
    found = summaries(result.budgets)
    if not found:
        console.print(f"{budget_note(result)}.")
        return
    table = Table(title=budget_note(result), title_justify="left")
    for column in BUDGET_COLUMNS:
        table.add_column(column, justify="left" if column == "budget or charge" else "right")
    for s in found:
        table.add_row(*budget_cells(s))
    console.print(table)


def budget_frame(result: DiffResult) -> pl.DataFrame:
    names = ("measure", "people_before", "people_after", "total_before", "total_after",
             "change", "net_before", "net_after", "net_change", "rose", "fell")  # fmt: skip
    rows = [
        dict(zip(names, [s.measure, s.people_before, s.people_after, *map(_text, (
            s.total_before, s.total_after, s.change, s.net_before, s.net_after, s.net_change,
        )), s.rose, s.fell], strict=True))
        for s in summaries(result.budgets)
    ]  # fmt: skip
    counts = {"people_before", "people_after", "rose", "fell"}
    return pl.DataFrame(rows, schema={n: pl.Int64 if n in counts else pl.String for n in names})


def _text(value: Decimal | None) -> str | None:
    return None if value is None else f"{value:.2f}"


def summary_frame(result: DiffResult) -> pl.DataFrame:
    return pl.DataFrame(
        [
            {
                "programme": s.programme,
                "eligible_before": s.eligible_before,
                "eligible_after": s.eligible_after,
                "gainers": s.gainers,
                "losers": s.losers,
                "other_changes": s.other_changes,
                "amount_before": None if s.amount_before is None else str(s.amount_before),
                "amount_after": None if s.amount_after is None else str(s.amount_after),
                "amount_change": None if s.amount_change is None else str(s.amount_change),
            }
            for s in result.summaries()
        ],
        schema={
            "programme": pl.String,
            "eligible_before": pl.Int64,
            "eligible_after": pl.Int64,
            "gainers": pl.Int64,
            "losers": pl.Int64,
            "other_changes": pl.Int64,
            "amount_before": pl.String,
            "amount_after": pl.String,
            "amount_change": pl.String,
        },
    )


def csv_files(result: DiffResult) -> dict[str, pl.DataFrame]:
    """File name -> table: the summary, each breakdown, each programme's movers' ids."""
    files = {"summary.csv": summary_frame(result)}
    for key in KEYS:
        files[f"by-{key.replace('_', '-')}.csv"] = result.breakdown(key)
    for s in result.summaries():
        for gained, name in ((True, "gainers"), (False, "losers")):
            movers = result.movers(s.programme, gained).select("id", *KEYS)
            files[f"{s.programme}-{name}.csv"] = movers
    if result.has_amount:
        files["amount-changes.csv"] = result.amount_changes()
    if not result.budgets.is_empty():
        files["budgets.csv"] = budget_frame(result)
        budget_changes = changes(result.budgets)
        files["budget-changes.csv"] = budget_changes
        # gainers and losers of a budget (a charge that rises is not a gain)
        budget = budget_changes.filter(pl.col("measure") != CHARGE)
        fell = pl.col("change").str.starts_with("-")
        files["budget-gainers.csv"] = budget.filter(~fell)
        files["budget-losers.csv"] = budget.filter(fell)
    files["rule-changes.csv"] = pl.DataFrame(
        {"change": result.rule_changes}, schema={"change": pl.String}
    )
    return files


def write_csv(result: DiffResult, folder: Path) -> list[Path]:
    folder.mkdir(parents=True, exist_ok=True)
    written = []
    for name, frame in csv_files(result).items():
        path = folder / name
        write_atomically(path, frame.write_csv)
        written.append(path)
    return written
