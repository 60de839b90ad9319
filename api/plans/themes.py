"""What is not working, across reviews (in the manner of Working Together for Change).

Counts of the tags put on "not working" statements, by service and period,
from the person's view and from others'. It reads only `review_themes`
(service, date, view, tag): no case, no name, no words said.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable
from datetime import date
from typing import Literal

from engine.common import Strict

Period = Literal["month", "quarter", "year"]


class ThemeCount(Strict):
    service: str
    period: str
    tag: str
    person: int
    others: int
    total: int


class TaggedView(Strict):
    service: str
    held_on: date
    view: Literal["person", "others"]
    tag: str


def period_of(day: date, period: Period) -> str:
    if period == "month":
        return f"{day:%Y-%m}"
    if period == "quarter":
        return f"{day.year}-Q{(day.month - 1) // 3 + 1}"
    return str(day.year)


def most_frequent(tagged: Iterable[TaggedView], period: Period, top: int) -> list[ThemeCount]:
    """The `top` most frequent tags in each service and period, most frequent first."""
    counts: Counter[tuple[str, str, str, str]] = Counter(
        (t.service, period_of(t.held_on, period), t.tag, t.view) for t in tagged
    )
    rows: dict[tuple[str, str, str], ThemeCount] = {}
    for (service, when, tag, view), n in counts.items():
        was = rows.get((service, when, tag)) or ThemeCount(
            service=service, period=when, tag=tag, person=0, others=0, total=0
        )
        person = was.person + (n if view == "person" else 0)
        others = was.others + (n if view == "others" else 0)
        rows[(service, when, tag)] = was.model_copy(
            update={"person": person, "others": others, "total": person + others}
        )
    ordered = sorted(rows.values(), key=lambda r: (r.service, r.period, -r.total, r.tag))
    shown: Counter[tuple[str, str]] = Counter()
    kept = []
    for row in ordered:
        if shown[(row.service, row.period)] < top:
            kept.append(row)
            shown[(row.service, row.period)] += 1
    return kept
