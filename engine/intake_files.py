"""Reading intakes: one per YAML or JSON file, or many in a JSON Lines file."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

from pydantic import ValidationError

from engine.intake import Intake
from engine.sourcefiles import Document, InputError, read_document, read_json_lines

JSON_LINES_SUFFIXES = (".jsonl", ".ndjson")


def intake_from(doc: Document) -> Intake:
    try:
        return Intake.model_validate(doc.data)
    except ValidationError as error:
        raise InputError(doc.validation_problems(error)) from None


def read_intake(path: Path) -> Intake:
    return intake_from(read_document(path))


def is_many(path: Path) -> bool:
    return path.suffix in JSON_LINES_SUFFIXES


def iter_intakes(path: Path) -> Iterator[tuple[int, Intake | InputError]]:
    """Each line's intake, or the error that line has: one bad line stops nothing."""
    for doc in read_json_lines(path):
        line = doc.lines[()]
        try:
            yield line, intake_from(doc)
        except InputError as error:
            yield line, error
