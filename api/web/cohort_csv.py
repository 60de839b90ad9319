"""A cohort as a CSV upload: one person's allocation request a row, its columns the
request's dotted paths (`intake.person.lives_in.country`, `questionnaire.eating`;
a list as JSON, `support_plan` = `[{"support": "homecare_agency", "per_week": 7}]`).
Each bad cell is named by line and column; good rows are kept. Pure functions."""

from __future__ import annotations

import csv
import io
import json
from dataclasses import dataclass
from typing import Any

from pydantic import ValidationError

from allocation.budgets.requests import AllocationRequest

MOST_ROWS = 2_000


@dataclass(frozen=True)
class Row:
    line: int
    request: AllocationRequest


def _cell(text: str) -> Any:
    if text[:1] in "[{":
        return json.loads(text)
    return text


def _nested(row: dict[str, str]) -> dict[str, Any]:
    data: dict[str, Any] = {}
    for column, cell in row.items():
        if not cell.strip():
            continue
        node = data
        *parents, last = column.strip().split(".")
        for part in parents:
            node = node.setdefault(part, {})
        node[last] = _cell(cell.strip())
    return data


def read_rows(text: str) -> tuple[list[Row], list[str]]:
    """The requests of every good row, and each problem as `line N, column: reason`."""
    rows: list[Row] = []
    problems: list[str] = []
    reader = csv.DictReader(io.StringIO(text), restkey="(extra)")
    for index, row in enumerate(reader):
        line = reader.line_num
        if index >= MOST_ROWS:
            problems.append(f"line {line}: over {MOST_ROWS} rows; the rest were not read")
            break
        if "(extra)" in row:
            problems.append(f"line {line}: more cells than columns")
            continue
        try:
            data = _nested({k: v or "" for k, v in row.items() if k})
        except (json.JSONDecodeError, AttributeError, TypeError) as error:
            problems.append(f"line {line}: a cell is not valid: {error}")
            continue
        if not data:
            continue
        try:
            request = AllocationRequest.model_validate(data)
        except ValidationError as error:
            for item in error.errors():
                column = ".".join(str(p) for p in item["loc"]) or "(row)"
                problems.append(f"line {line}, {column}: {item['msg']}")
            continue
        if request.intake is None or request.house or request.intake_file:
            problems.append(f"line {line}: give the intake in its columns (no files)")
            continue
        rows.append(Row(line, request))
    if reader.fieldnames is None:
        problems.append("the file is empty: its first line names the columns")
    return rows, problems
