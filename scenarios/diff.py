"""Two versions of the rules over one population: who gains, who loses, what it costs.

A diff is a map over chunks of people and a sum: each chunk is decided by
both versions in bulk (engine/bulk.py) and reduced to a small table of counts
by programme, outcome before and after, age band, household size, country
and region (with exact amount totals in hundredths), plus the rows whose
outcome or amount changed. The chunks' tables add up to the whole, so the
same diff runs in this process or on a Dask cluster (scenarios/executor.py).
"""

from __future__ import annotations

import io
from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal
from typing import TYPE_CHECKING

import polars as pl

from engine.bulk import AMOUNT_SCALE, OUTCOMES, BulkPlan, amount_column
from engine.programmes import Ruleset
from scenarios.changes import rule_changes
from scenarios.diff_budgets import chunk_budgets, method_changes
from scenarios.diff_budgets import empty as empty_budgets
from scenarios.refs import RulesVersion, load_shipped

AGE_BANDS = ((0, "under 18"), (18, "18-24"), (25, "25-34"), (35, "35-44"), (45, "45-54"),
             (55, "55-64"), (65, "65-74"), (75, "75-84"), (85, "85+"))  # fmt: skip
UNKNOWN = "unknown"
if TYPE_CHECKING:
    from scenarios.executor import Executor, Progress

KEYS = ["age_band", "household_size", "country", "region"]
ELIGIBLE = "eligible"
NOT_APPLICABLE = "not applicable"


@dataclass(frozen=True)
class DiffTask:
    """Everything a worker needs to diff a chunk: the rules as files, and the date."""

    base_files: dict[str, str]
    base_by_jurisdiction: bool
    candidate_files: dict[str, str]
    candidate_by_jurisdiction: bool
    as_of: date

    @classmethod
    def of(cls, base: RulesVersion, candidate: RulesVersion, as_of: date) -> DiffTask:
        return cls(
            base.files, base.by_jurisdiction, candidate.files, candidate.by_jurisdiction, as_of
        )

    def key(self) -> tuple[object, ...]:
        return (
            tuple(sorted(self.base_files.items())),
            self.base_by_jurisdiction,
            tuple(sorted(self.candidate_files.items())),
            self.candidate_by_jurisdiction,
            self.as_of,
        )


@dataclass
class Plans:
    base: BulkPlan
    candidate: BulkPlan

    @classmethod
    def of(cls, base: tuple[Ruleset, ...], base_by: bool, candidate: tuple[Ruleset, ...],
           candidate_by: bool, as_of: date) -> Plans:  # fmt: skip
        return cls(BulkPlan(base, as_of, base_by), BulkPlan(candidate, as_of, candidate_by))


_PLANS: dict[tuple[object, ...], Plans] = {}


def plans_for(task: DiffTask) -> Plans:
    """The compiled plans, once per process (a Dask worker compiles them once)."""
    key = task.key()
    if key not in _PLANS:
        _PLANS[key] = Plans.of(
            tuple(load_shipped(task.base_files)),
            task.base_by_jurisdiction,
            tuple(load_shipped(task.candidate_files)),
            task.candidate_by_jurisdiction,
            task.as_of,
        )
    return _PLANS[key]


@dataclass
class ChunkDiff:
    counts: pl.DataFrame  # programme, before, after, KEYS..., people, amount_before, amount_after
    changes: pl.DataFrame  # id, programme, before, after, amount_before, amount_after, KEYS...
    budgets: pl.DataFrame  # id, measure, before, after, net_before, net_after (pence a week)
    unanswered: int  # people whose rows carry no allocation answers


def breakdown_keys(people: pl.DataFrame, as_of: date) -> pl.DataFrame:
    """Per person: age band, household size, country and region (text, 'unknown' if not known)."""
    person = pl.col("person")
    born = person.struct.field("date_of_birth")
    before_birthday = (born.dt.month() > as_of.month) | (
        (born.dt.month() == as_of.month) & (born.dt.day() > as_of.day)
    )
    years = pl.lit(as_of.year) - born.dt.year().cast(pl.Int64) - before_birthday.cast(pl.Int64)
    age = pl.coalesce(years, person.struct.field("age"))
    band = pl.lit(UNKNOWN)
    for start, label in AGE_BANDS:  # the last band that starts at or below the age
        band = pl.when(age >= start).then(pl.lit(label)).otherwise(band)
    band = pl.when(age.is_null()).then(pl.lit(UNKNOWN)).otherwise(band)
    size = (person.struct.field("household").list.len() + 1).cast(pl.String)
    lives_in = person.struct.field("lives_in")
    return people.select(
        pl.col("id"),
        band.alias("age_band"),
        size.fill_null(UNKNOWN).alias("household_size"),
        lives_in.struct.field("country").fill_null(UNKNOWN).alias("country"),
        lives_in.struct.field("region").fill_null(UNKNOWN).alias("region"),
    )


def diff_chunk(task: DiffTask, people: pl.DataFrame) -> ChunkDiff:
    """Both versions over one chunk, reduced to counts by group and the rows that changed.

    The breakdown keys are numbered once per chunk (a "cell"), so each programme's
    counts are a group-by on small integers; the keys are joined back at the end."""
    plans = plans_for(task)
    # people of one place together: each plan then decides a group of rulesets in a slice
    lives_in = pl.col("person").struct.field("lives_in")
    place = pl.struct(lives_in.struct.field("country"), lives_in.struct.field("region"))
    runs = people.select(place.rle_id().max().alias("runs"), place.n_unique().alias("places")).row(
        0
    )
    if people.height and runs[0] + 1 != runs[1]:  # not already grouped by place
        people = people.sort(lives_in.struct.field("country"), lives_in.struct.field("region"))
    keys = breakdown_keys(people, task.as_of)
    cells = keys.select(KEYS).unique(maintain_order=True).with_row_index("cell")
    cell = keys.join(cells, on=KEYS, how="left", maintain_order="left")["cell"]
    before = plans.base.evaluate(people)
    after = plans.candidate.evaluate(people)
    ids = [p.id for p in plans.candidate.programmes]
    ids += [p.id for p in plans.base.programmes if p.id not in ids]
    counts, changes = [], []
    for pid in ids:
        frame = pl.DataFrame(
            [
                cell,
                _column(before, pid).alias("before"),
                _column(after, pid).alias("after"),
                _amount(before, pid).alias("amount_before"),
                _amount(after, pid).alias("amount_after"),
            ]
        )
        grouped = frame.group_by("cell", "before", "after").agg(
            pl.len().alias("people"), pl.col("amount_before").sum(), pl.col("amount_after").sum()
        )
        counts.append(grouped.with_columns(pl.lit(pid).alias("programme")))
        moved = pl.col("before").ne_missing(pl.col("after")) | pl.col("amount_before").ne_missing(
            pl.col("amount_after")
        )
        changed = frame.with_columns(keys["id"]).filter(moved)
        changes.append(changed.with_columns(pl.lit(pid).alias("programme")))
    budgets, unanswered = chunk_budgets(task, people)
    return ChunkDiff(
        _named(pl.concat(counts), cells), _named(pl.concat(changes), cells), budgets, unanswered
    )


def to_ipc(people: pl.DataFrame) -> bytes:
    """A chunk as Arrow IPC bytes, for shipping to a worker (Dask moves bytes faster
    than a pickled frame of nested columns, measured about twice as fast)."""
    buffer = io.BytesIO()
    people.write_ipc(buffer)
    return buffer.getvalue()


def diff_chunk_ipc(task: DiffTask, chunk: bytes) -> ChunkDiff:
    """`diff_chunk` over a chunk shipped as IPC bytes (runs on a Dask worker)."""
    return diff_chunk(task, pl.read_ipc(io.BytesIO(chunk)))


def _named(frame: pl.DataFrame, cells: pl.DataFrame) -> pl.DataFrame:
    """Cells back to their keys; outcomes as text, "not applicable" where no ruleset
    serving the person holds the programme."""
    outcome = [pl.col(c).cast(pl.String).fill_null(NOT_APPLICABLE) for c in ("before", "after")]
    return frame.join(cells, on="cell", how="left").with_columns(outcome).drop("cell")


def _column(outcomes: pl.DataFrame, pid: str) -> pl.Series:
    if pid in outcomes.columns:
        return outcomes[pid]
    return pl.repeat(None, outcomes.height, dtype=OUTCOMES, eager=True)


def _amount(outcomes: pl.DataFrame, pid: str) -> pl.Series:
    column = amount_column(pid)
    if column in outcomes.columns:
        return outcomes[column]
    return pl.repeat(None, outcomes.height, dtype=pl.Int64, eager=True)


@dataclass
class ProgrammeSummary:
    programme: str
    eligible_before: int
    eligible_after: int
    gainers: int
    losers: int
    other_changes: int  # to or from needing information, or no longer applicable
    amount_before: Decimal | None  # totals, exact; None where the programme has no amount
    amount_after: Decimal | None

    @property
    def amount_change(self) -> Decimal | None:
        if self.amount_before is None or self.amount_after is None:
            return None
        return self.amount_after - self.amount_before


@dataclass
class DiffResult:
    base: str
    candidate: str
    as_of: date
    people: int
    rule_changes: list[str]
    counts: pl.DataFrame
    changes: pl.DataFrame
    titles: dict[str, str] = field(default_factory=dict)
    has_amount: set[str] = field(default_factory=set)
    budgets: pl.DataFrame = field(default_factory=empty_budgets)  # see scenarios/diff_budgets
    unanswered: int = 0

    def summaries(self) -> list[ProgrammeSummary]:
        rows = []
        for pid in dict.fromkeys(self.counts["programme"].to_list()):
            c = self.counts.filter(pl.col("programme") == pid)
            before_yes = pl.col("before") == ELIGIBLE
            after_yes = pl.col("after") == ELIGIBLE
            amounts = pid in self.has_amount
            rows.append(
                ProgrammeSummary(
                    programme=pid,
                    eligible_before=_people(c, before_yes),
                    eligible_after=_people(c, after_yes),
                    gainers=_people(c, ~before_yes & after_yes),
                    losers=_people(c, before_yes & ~after_yes),
                    other_changes=_people(
                        c, ~before_yes & ~after_yes & (pl.col("before") != pl.col("after"))
                    ),
                    amount_before=_hundredths(c["amount_before"].sum()) if amounts else None,
                    amount_after=_hundredths(c["amount_after"].sum()) if amounts else None,
                )
            )
        return rows

    def breakdown(self, key: str) -> pl.DataFrame:
        """Gainers and losers per programme by one breakdown key."""
        before_yes = pl.col("before") == ELIGIBLE
        after_yes = pl.col("after") == ELIGIBLE
        return (
            self.counts.group_by("programme", key)
            .agg(
                pl.col("people").filter(~before_yes & after_yes).sum().alias("gainers"),
                pl.col("people").filter(before_yes & ~after_yes).sum().alias("losers"),
                pl.col("people").filter(before_yes).sum().alias("eligible_before"),
                pl.col("people").filter(after_yes).sum().alias("eligible_after"),
                pl.col("people").sum().alias("people"),
            )
            .sort("programme", key)
        )

    def movers(self, pid: str, gained: bool) -> pl.DataFrame:
        before_yes = pl.col("before") == ELIGIBLE
        after_yes = pl.col("after") == ELIGIBLE
        chosen = (~before_yes & after_yes) if gained else (before_yes & ~after_yes)
        return self.changes.filter((pl.col("programme") == pid) & chosen).sort("id")

    def amount_changes(self) -> pl.DataFrame:
        """Per person and programme with an amount: the change in hundredths."""
        return self.changes.filter(pl.col("programme").is_in(sorted(self.has_amount))).select(
            "id",
            "programme",
            *KEYS,
            (pl.col("amount_after").fill_null(0) - pl.col("amount_before").fill_null(0)).alias(
                "amount_change"
            ),
        )


def _people(counts: pl.DataFrame, condition: pl.Expr) -> int:
    return int(counts.filter(condition)["people"].sum())


def _hundredths(total: object) -> Decimal:
    """A column total of hundredths (an exact integer) in pounds or dollars."""
    assert total is None or isinstance(total, int)
    return Decimal(total or 0) / AMOUNT_SCALE


def combine(parts: list[ChunkDiff]) -> tuple[pl.DataFrame, pl.DataFrame]:
    """The chunks' counts summed and their changed rows together."""
    counts = pl.concat([p.counts for p in parts])
    counts = counts.group_by("programme", "before", "after", *KEYS, maintain_order=True).agg(
        pl.col("people").sum(), pl.col("amount_before").sum(), pl.col("amount_after").sum()
    )
    changes = pl.concat([p.changes for p in parts]).sort("programme", "id")
    return counts, changes


def diff_population(
    base: RulesVersion,
    candidate: RulesVersion,
    parts: list[pl.DataFrame],
    as_of: date,
    executor: Executor,
    progress: Progress,
) -> DiffResult:
    """Both versions over every chunk, summed."""
    task = DiffTask.of(base, candidate, as_of)
    done = list(executor.run(task, parts, progress))
    combined = combine(done)
    programmes = {p.id: p for r in (*base.rulesets, *candidate.rulesets) for p in r.programmes}
    return DiffResult(
        base=base.ref,
        candidate=candidate.ref,
        as_of=as_of,
        people=sum(p.height for p in parts),
        rule_changes=rule_changes(base.rulesets, candidate.rulesets)
        + method_changes(base.files, candidate.files),
        counts=combined[0],
        changes=combined[1],
        titles={pid: p.title for pid, p in programmes.items()},
        has_amount={pid for pid, p in programmes.items() if p.amount is not None},
        budgets=pl.concat([p.budgets for p in done]).sort("measure", "id"),
        unanswered=sum(p.unanswered for p in done),
    )
