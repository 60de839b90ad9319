"""`scenarios import FILE.csv --mapping MAP.yaml`: a real population from CSV.

The mapping names, for each intake field, the CSV column that holds it
(`columns`), optional recodings of a column's values (`values`) and values
that hold for every row (`constants`):

    columns: {case_ref: id, dob: person.date_of_birth, state: person.lives_in.region}
    values: {sex: {F: female, M: male}}
    constants: {person.lives_in.country: us}

Every bad cell is reported by row number (the header is row 1), CSV column
and reason, and its row left out; good rows are kept and written.
"""

from __future__ import annotations

from pathlib import Path

import polars as pl
from pydantic import Field, ValidationError

from engine.bulk_schema import intake_node
from engine.common import Strict
from engine.sourcefiles import InputError, Problem, read_document
from scenarios.csv_form import CellProblem, leaves, parse_cells, read_text
from scenarios.population_files import write_population


class ColumnMapping(Strict):
    columns: dict[str, str]  # CSV column -> intake path
    # CSV column -> {value in the file: intake value}
    values: dict[str, dict[str, str]] = Field(default_factory=dict)
    constants: dict[str, str] = Field(default_factory=dict)  # intake path -> value for every row


def load_mapping(path: Path) -> ColumnMapping:
    document = read_document(path)
    try:
        mapping = ColumnMapping.model_validate(document.data)
    except ValidationError as error:
        raise InputError(document.validation_problems(error)) from None
    known = {p for p, _ in leaves(intake_node())}
    problems = [
        document.problem(("columns", column), f"{target!r} is not an intake field")
        for column, target in mapping.columns.items()
        if target not in known
    ]
    problems += [
        document.problem(("constants", target), "is not an intake field")
        for target in mapping.constants
        if target not in known
    ]
    problems += [
        document.problem(("values", column), "is not a column named under columns")
        for column in mapping.values
        if column not in mapping.columns
    ]
    targets = [*mapping.columns.values(), *mapping.constants]
    problems += [
        document.problem(("columns",), f"{t!r} is given twice")
        for t in sorted({t for t in targets if targets.count(t) > 1})
    ]
    if problems:
        raise InputError(problems)
    return mapping


def import_csv(source: Path, mapping_path: Path, out: Path) -> tuple[int, list[str]]:
    """Write the good rows to `out`; the number kept and each problem as text."""
    mapping = load_mapping(mapping_path)
    if out.suffix != ".parquet":
        raise InputError([Problem(str(out), None, "", "the output must be a .parquet file")])
    if not source.is_file():
        raise InputError([Problem(str(source), None, "", "no such file")])
    text = read_text(source)
    missing = [c for c in mapping.columns if c not in text.columns]
    if missing:
        raise InputError(
            [
                Problem(str(mapping_path), None, f"columns.{c}", f"no column {c!r} in {source}")
                for c in missing
            ]
        )
    columns = []
    for column, target in mapping.columns.items():
        cell = pl.col(column).cast(pl.String)
        if column in mapping.values:
            recode = mapping.values[column]
            cell = cell.replace(list(recode), list(recode.values()))
        columns.append(cell.alias(target))
    columns += [pl.lit(value).alias(target) for target, value in mapping.constants.items()]
    population, problems = parse_cells(text.select(columns))
    origin = {target: column for column, target in mapping.columns.items()}
    write_population(population, out)
    return population.height, [_located(source, p, origin) for p in problems]


def _located(source: Path, problem: CellProblem, origin: dict[str, str]) -> str:
    column = origin.get(problem.column, problem.column)
    return f"{source}: row {problem.row}: {column} ({problem.column}): {problem.reason}"
