"""A diff as one self-contained HTML file: it opens with no network.

Charts are drawn by plotly, whose JavaScript is inlined once in the page:
gainers and losers by age band, household size and region, and the
distribution of the change in amounts per person. The page also lists the
rules that differ, the headline counts and costs, and links to the CSVs.
"""

from __future__ import annotations

import html
import os
from pathlib import Path

import plotly.graph_objects as go
import plotly.io as pio
import polars as pl

from engine.output_files import write_atomically
from scenarios.diff import KEYS, DiffResult
from scenarios.diff_budgets import changes as budget_changes
from scenarios.diff_budgets import summaries as budget_summaries
from scenarios.render import (
    BREAKDOWN_TITLES,
    BUDGET_COLUMNS,
    HEADLINE_COLUMNS,
    budget_cells,
    budget_note,
    csv_files,
    headline_cells,
)

STYLE = """
body { font-family: system-ui, sans-serif; margin: 2rem; max-width: 72rem; color: #1a1a1a; }
table { border-collapse: collapse; margin: 1rem 0; }
th, td { border: 1px solid #bbb; padding: 0.3rem 0.6rem; text-align: right; }
th:first-child, td:first-child { text-align: left; }
caption { text-align: left; font-weight: bold; padding: 0.3rem 0; }
"""


def _headline(result: DiffResult) -> str:
    head = "<tr>" + "".join(f"<th scope='col'>{c}</th>" for c in HEADLINE_COLUMNS) + "</tr>"
    rows = []
    for s in result.summaries():
        title = html.escape(result.titles.get(s.programme, s.programme))
        row = "".join(f"<td>{c}</td>" for c in headline_cells(s))
        rows.append(f"<tr><th scope='row'>{title}<br><small>{s.programme}</small></th>{row}</tr>")
    caption = "<caption>Per programme (amount totals in each programme's own unit)</caption>"
    return f"<table>{caption}<thead>{head}</thead><tbody>{''.join(rows)}</tbody></table>"


def _by_group(result: DiffResult, key: str) -> go.Figure | None:
    rows = result.breakdown(key).filter((pl.col("gainers") > 0) | (pl.col("losers") > 0))
    if rows.is_empty():
        return None
    figure = go.Figure()
    for pid in rows["programme"].unique(maintain_order=True).to_list():
        part = rows.filter(pl.col("programme") == pid)
        groups = part[key].cast(pl.String).to_list()
        figure.add_bar(name=f"{pid} gainers", x=groups, y=part["gainers"].to_list())
        figure.add_bar(name=f"{pid} losers", x=groups, y=[-n for n in part["losers"].to_list()])
    figure.update_layout(
        title=f"Gainers (up) and losers (down) by {BREAKDOWN_TITLES[key]}",
        barmode="relative",
        xaxis_title=BREAKDOWN_TITLES[key],
        yaxis_title="people",
        height=420,
    )
    return figure


def _amounts(result: DiffResult) -> go.Figure | None:
    changes = result.amount_changes().filter(pl.col("amount_change") != 0)
    return _histograms(
        changes.select("programme", pl.col("amount_change") / 100),
        title="Distribution of the change in amounts, per person who changed",
        xaxis_title="change in amount",
    )


def _budgets_table(result: DiffResult) -> str:
    found = budget_summaries(result.budgets)
    if not found:
        return f"<p>{html.escape(budget_note(result))}.</p>"
    head = "".join(f"<th scope='col'>{html.escape(c)}</th>" for c in BUDGET_COLUMNS)
    rows = "".join(
        f"<tr><th scope='row'>{html.escape(cells[0])}</th>"
        + "".join(f"<td>{html.escape(c)}</td>" for c in cells[1:])
        + "</tr>"
        for cells in (budget_cells(s) for s in found)
    )
    caption = f"<caption>{html.escape(budget_note(result))}</caption>"
    return f"<table>{caption}<thead><tr>{head}</tr></thead><tbody>{rows}</tbody></table>"


def _budget_chart(result: DiffResult) -> go.Figure | None:
    moved = budget_changes(result.budgets)
    return _histograms(
        moved.select("measure", pl.col("change").cast(pl.Float64)),
        title="Distribution of the change in weekly budgets and charges, per person who changed",
        xaxis_title="change a week (exact figures in budget-changes.csv)",
    )


def _histograms(changes: pl.DataFrame, title: str, xaxis_title: str) -> go.Figure | None:
    """One overlaid histogram per name in the first column, of the values in the second."""
    if changes.is_empty():
        return None
    name, value = changes.columns
    figure = go.Figure()
    for each in changes[name].unique(maintain_order=True).to_list():
        values = changes.filter(pl.col(name) == each)[value]
        figure.add_histogram(name=each, x=values.to_list(), nbinsx=40)
    figure.update_layout(
        title=title, xaxis_title=xaxis_title, yaxis_title="people", barmode="overlay", height=420
    )
    figure.update_traces(opacity=0.75)
    return figure


def render_report(result: DiffResult, csv_folder: Path | None, report: Path) -> str:
    drawn = (*(_by_group(result, k) for k in KEYS), _amounts(result), _budget_chart(result))
    figures = [f for f in drawn if f]
    charts = []
    for index, figure in enumerate(figures):
        charts.append(
            pio.to_html(
                figure,
                include_plotlyjs=index == 0,  # the library once, inline: no network
                full_html=False,
                config={"displaylogo": False},
            )
        )
    changes = "".join(f"<li>{html.escape(line)}</li>" for line in result.rule_changes)
    links = ""
    if csv_folder is not None:
        base = os.path.relpath(csv_folder, report.parent)
        items = "".join(
            f"<li><a href='{html.escape(base)}/{html.escape(name)}'>{html.escape(name)}</a></li>"
            for name in csv_files(result)
        )
        links = f"<h2>Tables (CSV)</h2><ul>{items}</ul>"
    title = f"{html.escape(result.candidate)} against {html.escape(result.base)}"
    return (
        "<!DOCTYPE html><html lang='en'><head><meta charset='utf-8'>"
        f"<title>Diff: {title}</title><style>{STYLE}</style></head><body><main>"
        f"<h1>Diff: {title}</h1>"
        f"<p>{result.people:,} people, decided as on {result.as_of.isoformat()}.</p>"
        "<h2>Rules that differ</h2>"
        + (f"<ul>{changes}</ul>" if changes else "<p>No rule differs.</p>")
        + "<h2>Headline</h2>"
        + _headline(result)
        + "<h2>Budgets and charges</h2>"
        + _budgets_table(result)
        + "<h2>Charts</h2>"
        + ("".join(charts) or "<p>No one gains or loses.</p>")
        + links
        + "</main></body></html>"
    )


def write_report(result: DiffResult, path: Path, csv_folder: Path | None) -> None:
    text = render_report(result, csv_folder, path)
    write_atomically(path, lambda temp: temp.write_text(text, encoding="utf-8"))
