"""Loaded rulesets: programmes with compiled conditions and dated parameters."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from pathlib import Path
from typing import Any

from engine.decision_model import RulesetStamp
from engine.intake import Intake
from engine.ir import Expr, Table, Type
from engine.ruleset_files import DatedValue
from engine.sourcefiles import InputError, Problem


@dataclass(frozen=True)
class Dated:
    starts: date
    value: Any  # Decimal, bool, str, tuple, or Table
    source: str
    status: str | None = None  # checked, secondary, recalled, derived, local; None: not stated
    reviewed: date | None = None


@dataclass(frozen=True)
class Parameter:
    name: str
    type: Type
    values: tuple[Dated, ...]  # sorted by start date
    file: str
    line: int | None
    description: str | None = None
    unit: str | None = None
    reference: str | None = None

    def at(self, on: date) -> Dated:
        current = None
        for dated in self.values:
            if dated.starts <= on:
                current = dated
        if current is None:
            first = self.values[0].starts.isoformat()
            raise InputError(
                [
                    Problem(
                        self.file,
                        self.line,
                        f"parameters.{self.name}",
                        f"has no value on {on.isoformat()}, the date asked for; "
                        f"its first value starts on {first}",
                    )
                ]
            )
        return current


@dataclass(frozen=True)
class DerivedValue:
    name: str
    expr: Expr
    type: Type
    explain: str | None


@dataclass(frozen=True)
class Criterion:
    id: str
    condition: Expr
    explain: str
    source: str
    reads: tuple[tuple[str, Expr], ...] = ()  # what a decision shows as its inputs


@dataclass(frozen=True)
class ResultRule:
    value: str
    condition: Expr
    explain: str
    source: str


@dataclass(frozen=True)
class Result:
    name: str
    explain: str
    cases: tuple[ResultRule, ...]
    otherwise: str | None


@dataclass(frozen=True)
class Amount:
    """What the programme pays: a derived value, with the derived steps that lead to it."""

    name: str
    value: str
    unit: str
    explain: str
    source: str
    steps: tuple[str, ...]


@dataclass(frozen=True)
class Footprint:
    """What a programme adds to a compiled durable-rules ruleset, at its largest
    parameter date: the rules, the criterion keys and the fact keys it tests.
    Sums of these decide whether programmes can be compiled together."""

    rules: int = 0
    conditions: int = 0
    fact_keys: int = 0
    line: int | None = None  # where the programme's criteria start, for messages


@dataclass(frozen=True)
class Programme:
    id: str
    ruleset: str
    title: str
    source: str
    file: str
    parameters: dict[str, Parameter]
    derived: dict[str, DerivedValue]
    criteria: tuple[Criterion, ...]
    decision: Expr
    result: Result | None
    amount: Amount | None = None
    footprint: Footprint = Footprint()
    relevant: str | None = None  # a criterion id: not met, the programme cannot apply
    words: tuple[tuple[str, str], ...] = ()  # (outcome, the programme's words for it)

    def parameter_values(self, on: date) -> dict[str, Any]:
        return {name: p.at(on).value for name, p in self.parameters.items()}


@dataclass(frozen=True)
class Ruleset:
    id: str
    title: str
    version: str
    hash: str
    country: str
    region: str | None
    folder: Path
    programmes: tuple[Programme, ...]

    def stamp(self) -> RulesetStamp:
        return RulesetStamp(id=self.id, version=self.version, hash=self.hash)

    def serves(self, intake: Intake) -> bool:
        """Whether this ruleset's jurisdiction covers where the person lives."""
        residence = intake.person.lives_in
        if self.country != residence.country.value:
            return False
        return self.region is None or (residence.region or "").lower() == self.region.lower()


def dated_values(values: Sequence[DatedValue], plain: Callable[[Any], Any]) -> tuple[Dated, ...]:
    """A file's dated values, with their check status, sorted by start date."""
    dated = (Dated(v.starts, plain(v.value), v.source, v.status, v.reviewed) for v in values)
    return tuple(sorted(dated, key=lambda d: d.starts))


def table_of(
    rows: dict[int, Decimal] | dict[str, Decimal],
    each_additional: Decimal | None,
    by_text: bool = False,
) -> Table:
    ordered: Any = tuple(sorted(rows.items()))  # keys all numbers or all texts
    return Table(ordered, each_additional, by_text)
