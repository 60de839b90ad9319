"""Reading intakes: one per YAML or JSON file, or many in a JSON Lines file."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import get_args

from pydantic import BaseModel, ValidationError

from engine.intake import Intake
from engine.sourcefiles import Document, InputError, read_document, read_json_lines

JSON_LINES_SUFFIXES = (".jsonl", ".ndjson")


def intake_from(doc: Document) -> Intake:
    try:
        return Intake.model_validate(without_computed(Intake, doc.data))
    except ValidationError as error:
        raise InputError(doc.validation_problems(error)) from None


def without_computed(model: type[BaseModel], data: object) -> object:
    """`data` without the fields the model computes (an income's `weekly`, ...), so
    that what `model_dump_json()` wrote reads back: they are worked out again, never
    read, and a stale one cannot disagree with what it was computed from."""
    if isinstance(data, list):
        return [without_computed(model, item) for item in data]
    if not isinstance(data, dict):
        return data
    kept = {k: v for k, v in data.items() if k not in model.model_computed_fields}
    for name, info in model.model_fields.items():
        inner = _model_in(info.annotation)
        if inner is not None and name in kept:
            kept[name] = without_computed(inner, kept[name])
    return kept


def _model_in(annotation: object) -> type[BaseModel] | None:
    """The model a field holds, directly, in a list or as an optional."""
    if isinstance(annotation, type) and issubclass(annotation, BaseModel):
        return annotation
    for arg in get_args(annotation):
        found = _model_in(arg)
        if found is not None:
            return found
    return None


def read_intake(path: Path) -> Intake:
    """An intake file; aliases are refused (an intake has nothing to repeat)."""
    return intake_from(read_document(path, aliases=False))


def is_many(path: Path) -> bool:
    return path.suffix in JSON_LINES_SUFFIXES


def iter_intakes(path: Path) -> Iterator[tuple[int, Intake | InputError]]:
    """Each line's intake, or the error that line has: one bad line stops nothing."""
    for line, doc in read_json_lines(path):
        if isinstance(doc, InputError):
            yield line, doc
            continue
        try:
            yield line, intake_from(doc)
        except InputError as error:
            yield line, error
