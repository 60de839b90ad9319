"""Populations as CSV: one column per intake field, named by its dotted path
(`person.lives_in.country`, `finances.capital`), lists as JSON text, money as
decimals ("1234.56"), dates as YYYY-MM-DD, an empty cell unknown.

Reading checks every cell: a row with a bad cell is reported by its row
number (the header is row 1) and column, with the reason, and left out; the
other rows are kept.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Any

import polars as pl

from engine.bulk_schema import Node, intake_node, population_schema
from engine.ir import Type
from engine.schema import intake_type
from engine.sourcefiles import InputError, Problem

ROW = "__line"


@dataclass(frozen=True)
class CellProblem:
    row: int
    column: str
    reason: str

    def __str__(self) -> str:
        return f"row {self.row}: {self.column}: {self.reason}"


# --- writing --------------------------------------------------------------------------


def _decimal_text(expr: pl.Expr, scale: int) -> pl.Expr:
    places = len(str(scale)) - 1
    whole = (expr // scale).cast(pl.String)
    part = (expr % scale).cast(pl.String).str.zfill(places)
    return whole + pl.lit(".") + part


def _plain(expr: pl.Expr, node: Node) -> pl.Expr:
    """A column with money as decimal text, for JSON and CSV."""
    if node.fields:
        return pl.struct([_plain(expr.struct.field(n), c).alias(n) for n, c in node.fields.items()])
    if node.element is not None:
        return expr.list.eval(_plain(pl.element(), node.element))
    if node.scale != 1:
        return _decimal_text(expr, node.scale)
    return expr


def leaves(node: Node, prefix: str = "") -> list[tuple[str, Node]]:
    """Every CSV column: a record's scalar fields and lists, by dotted path."""
    found = []
    for name, child in node.fields.items():
        path = f"{prefix}{name}"
        if child.fields:
            found += leaves(child, path + ".")
        else:
            found.append((path, child))
    return found


def _expr_at(path: str) -> pl.Expr:
    head, *rest = path.split(".")
    expr = pl.col(head)
    for name in rest:
        expr = expr.struct.field(name)
    return expr


def to_csv_frame(frame: pl.DataFrame) -> pl.DataFrame:
    columns = []
    for path, node in leaves(intake_node()):
        expr = _plain(_expr_at(path), node)
        if node.element is not None:
            encoded = expr.list.eval(
                pl.element().struct.json_encode()
                if node.element.fields
                else pl.concat_str(pl.lit('"'), pl.element(), pl.lit('"'))
            )
            expr = pl.concat_str(pl.lit("["), encoded.list.join(","), pl.lit("]"))
        elif isinstance(node.dtype, pl.Date | pl.Boolean):
            expr = expr.cast(pl.String)
        columns.append(expr.alias(path))
    return frame.select(columns)


# --- reading --------------------------------------------------------------------------


def _plain_dtype(node: Node) -> pl.DataType:
    if node.fields:
        return pl.Struct({n: _plain_dtype(c) for n, c in node.fields.items()})
    if node.element is not None:
        return pl.List(_plain_dtype(node.element))
    if node.scale != 1:
        return pl.String()
    return node.dtype


def _scaled_text(expr: pl.Expr, scale: int) -> pl.Expr:
    """Decimal text as an exact integer times `scale`; null when it has more places."""
    places = len(str(scale)) - 1
    pattern = rf"^\s*(\d+)(?:\.(\d{{0,{places}}}))?\s*$"
    whole = expr.str.extract(pattern, 1).cast(pl.Int64, strict=False)
    part = expr.str.extract(pattern, 2).fill_null("").str.pad_end(places, "0")
    return whole * scale + part.cast(pl.Int64, strict=False).fill_null(0)


def _exact(expr: pl.Expr, node: Node) -> pl.Expr:
    """A plain (money as text) column back in the columnar form."""
    if node.fields:
        return pl.struct([_exact(expr.struct.field(n), c).alias(n) for n, c in node.fields.items()])
    if node.element is not None:
        return expr.list.eval(_exact(pl.element(), node.element))
    if node.scale != 1:
        return _scaled_text(expr, node.scale)
    return expr


def _elements_ok(decoded: pl.Expr, node: Node, kind: Type | None) -> pl.Expr:
    """Whether every element of a decoded JSON list is a valid record: required fields
    given, enumerations among their values, money with at most its decimal places."""
    element = node.element
    assert element is not None
    if not element.fields or kind is None or kind.element is None:
        return pl.lit(True)
    checks = []
    for name, child in element.fields.items():
        raw = pl.element().struct.field(name)
        if child.scale != 1:
            checks.append(raw.is_null() | _scaled_text(raw, child.scale).is_not_null())
        field_type = kind.element.field(name)
        if field_type is not None and field_type.choices:
            checks.append(raw.is_null() | raw.is_in(sorted(field_type.choices)))
        if not child.nullable:
            checks.append(raw.is_not_null())
    return decoded.list.eval(pl.all_horizontal(checks)).list.all()


def _parse(cell: pl.Expr, node: Node, path: str) -> tuple[pl.Expr, str]:
    """A text cell as the column's type, and what a cell that fails should have been."""
    dtype = node.dtype
    if node.element is not None:
        decoded = cell.str.json_decode(_plain_dtype(node))
        valid = _elements_ok(decoded, node, _type_at(path))
        return pl.when(valid).then(_exact(decoded, node)), "a JSON list of valid " + _describe(
            node.element
        )
    if node.scale != 1:
        places = len(str(node.scale)) - 1
        return _scaled_text(cell, node.scale), f"a number with at most {places} decimal places"
    if isinstance(dtype, pl.Boolean):
        lowered = cell.str.to_lowercase().str.strip_chars()
        truth: Any = pl.when(lowered == "true").then(True).when(lowered == "false").then(False)
        return truth.otherwise(None), "true or false"
    if isinstance(dtype, pl.Date):
        return cell.str.strip_chars().str.to_date("%Y-%m-%d", strict=False), "a date YYYY-MM-DD"
    if isinstance(dtype, pl.Int64):
        return cell.str.strip_chars().cast(pl.Int64, strict=False), "a whole number"
    return cell, "text"


def _type_at(path: str) -> Type | None:
    """The condition language's type of an intake field (engine/schema.py)."""
    current: Type | None = intake_type()
    for name in path.split("."):
        current = current.field(name) if current is not None else None
    return current


def _choices(path: str) -> frozenset[str] | None:
    """The values an enumerated intake field allows."""
    found = _type_at(path)
    return found.choices if found is not None else None


def _required(node: Node, prefix: str = "") -> set[str]:
    """Leaf paths every intake must give (none of the records on the way is optional)."""
    found: set[str] = set()
    for name, child in node.fields.items():
        if child.nullable:
            continue
        path = f"{prefix}{name}"
        found |= _required(child, path + ".") if child.fields else {path}
    return found


def _describe(node: Node) -> str:
    return "records" if node.fields else "values"


def _nest(columns: dict[str, pl.Expr], node: Node, prefix: str = "") -> list[pl.Expr]:
    """Dotted leaf columns back into struct columns (a struct with no known field is null)."""
    built = []
    for name, child in node.fields.items():
        path = f"{prefix}{name}"
        if child.fields:
            fields = _nest(columns, child, path + ".")
            struct = pl.struct(fields)
            known = pl.any_horizontal([f.is_not_null() for f in fields])
            built.append(pl.when(known).then(struct).otherwise(None).alias(name))
        else:
            built.append(columns.get(path, pl.lit(None, dtype=child.dtype)).alias(name))
    return built


def parse_cells(text: pl.DataFrame) -> tuple[pl.DataFrame, list[CellProblem]]:
    """Text columns named by intake paths as a population frame; bad rows out, reported."""
    node = intake_node()
    known = dict(leaves(node))
    required = _required(node)
    frame = text.with_row_index(ROW, offset=2)
    parsed: dict[str, pl.Expr] = {}
    checks = []
    for path in text.columns:
        leaf = known[path]
        cell = pl.col(path).cast(pl.String)
        given = cell.is_not_null() & (cell.str.strip_chars() != "")
        value, wanted = _parse(pl.when(given).then(cell), leaf, path)
        choices = _choices(path)
        if choices:
            value = pl.when(value.is_in(sorted(choices))).then(value)
            wanted = "one of " + ", ".join(sorted(choices))
        parsed[path] = value
        bad = given & value.is_null()
        note: pl.Expr = pl.when(bad).then(pl.lit(f"{path}\0is not {wanted}"))
        if path in required:
            missing = pl.when(~given).then(pl.lit(f"{path}\0is required"))
            note = pl.coalesce(note, missing)
        checks.append(note.alias(f"__bad:{path}"))
    for path in required - set(text.columns):
        checks.append(pl.lit(f"{path}\0is required").alias(f"__bad:{path}"))
    found = frame.select(ROW, *checks)
    problems = []
    bad_rows: set[int] = set()
    for column in found.columns[1:]:
        hits = found.filter(pl.col(column).is_not_null()).select(ROW, column)
        for row, note in hits.iter_rows():
            path, reason = str(note).split("\0")
            problems.append(CellProblem(row, path, reason))
            bad_rows.add(row)
    kept = frame.filter(~pl.col(ROW).is_in(sorted(bad_rows)))
    population = kept.select(_nest(parsed, node))
    population = population.select(pl.col(c).cast(t) for c, t in population_schema().items())
    return population, sorted(problems, key=lambda p: (p.row, p.column))


def read_text(path: Path) -> pl.DataFrame:
    try:
        return pl.read_csv(path, infer_schema=False)
    except Exception as error:  # polars raises several kinds for a damaged file
        raise InputError(
            [Problem(str(path), None, "", f"cannot be read as CSV: {error}")]
        ) from None


def read_csv_population(path: Path) -> pl.DataFrame:
    """A CSV population in the dotted-column form; any bad cell is an error (exit 2)."""
    text = read_text(path)
    known = dict(leaves(intake_node()))
    unknown = [c for c in text.columns if c not in known]
    if unknown:
        raise InputError([Problem(str(path), 1, unknown[0], "unknown column")])
    population, problems = parse_cells(text)
    if problems:
        raise InputError([Problem(str(path), p.row, p.column, p.reason) for p in problems[:20]])
    return population
