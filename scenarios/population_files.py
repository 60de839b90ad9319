"""Population files: parquet (the columnar intake of engine/bulk_schema.py) and CSV
(one column per intake field, dotted; lists as JSON), written whole or not at all."""

from __future__ import annotations

from pathlib import Path

import polars as pl

from engine.bulk_schema import population_schema
from engine.output_files import write_atomically
from engine.sourcefiles import InputError, Problem

FORMATS = (".parquet", ".csv")
ALLOCATION = "allocation"  # the optional column of the methods' answers (diff_budgets.py)


def _problem(path: Path, reason: str, field: str = "") -> InputError:
    return InputError([Problem(str(path), None, field, reason)])


def write_population(frame: pl.DataFrame, path: Path) -> None:
    if path.suffix == ".parquet":
        write_atomically(path, lambda temp: frame.write_parquet(temp))
    elif path.suffix == ".csv":
        from scenarios.csv_form import to_csv_frame

        flat = to_csv_frame(frame)
        write_atomically(path, lambda temp: flat.write_csv(temp))
    else:
        raise _problem(path, f"the file name must end in {' or '.join(FORMATS)}")


def read_population(path: Path) -> pl.DataFrame:
    """A population file, checked against the intake's columns (InputError: exit 2)."""
    if not path.is_file():
        raise _problem(path, "no such file")
    if path.suffix == ".csv":
        from scenarios.csv_form import read_csv_population

        return read_csv_population(path)
    if path.suffix != ".parquet":
        raise _problem(path, f"the file name must end in {' or '.join(FORMATS)}")
    try:
        frame = pl.read_parquet(path)
    except Exception as error:  # polars raises several kinds for a damaged file
        raise _problem(path, f"cannot be read as parquet: {error}") from None
    return conform(frame, path)


def conform(frame: pl.DataFrame, path: Path) -> pl.DataFrame:
    """The frame in the schema's column order and types; unknown columns refused. The
    optional `allocation` column (text: the methods' answers, scenarios/diff_budgets.py)
    is kept last."""
    schema = population_schema()
    if ALLOCATION in frame.columns:
        schema = pl.Schema([*schema.items(), (ALLOCATION, pl.String())])
    unknown = [c for c in frame.columns if c not in schema]
    if unknown:
        known = ", ".join(schema.names())
        raise _problem(path, f"unknown column {unknown[0]!r}; the columns are: {known}", unknown[0])
    columns = []
    for name, dtype in schema.items():
        if name not in frame.columns:
            columns.append(pl.lit(None, dtype=dtype).alias(name))
            continue
        if frame.schema[name] != dtype:
            raise _problem(path, f"has type {frame.schema[name]}, expected {dtype}", name)
        columns.append(pl.col(name))
    if "person" not in frame.columns:
        raise _problem(path, "is required", "person")
    return frame.select(columns)
